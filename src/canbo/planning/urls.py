"""Pages of the planning app (/quy-hoach/)."""

from django.urls import URLPattern, path

from canbo.planning import views

app_name = "planning"

urlpatterns: list[URLPattern] = [
    path("", views.list_index, name="index"),
    path("moi/", views.ListCreateView.as_view(), name="create"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/them/", views.EntryAddView.as_view(), name="add"),
    path("<int:pk>/ra-soat/", views.ReviewView.as_view(), name="review"),
    path("muc/<int:pk>/", views.entry_detail, name="entry"),
    path("muc/<int:pk>/dua-ra/", views.EntryRemoveView.as_view(), name="remove"),
]
