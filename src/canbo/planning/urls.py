"""Pages of the planning app (/quy-hoach/)."""

from django.urls import URLPattern, path

from canbo.planning import views

app_name = "planning"

urlpatterns: list[URLPattern] = [
    path("", views.list_index, name="index"),
    path("moi/", views.list_create, name="create"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/them/", views.entry_add, name="add"),
    path("muc/<int:pk>/", views.entry_detail, name="entry"),
    path("muc/<int:pk>/dua-ra/", views.entry_remove, name="remove"),
]
