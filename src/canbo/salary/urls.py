"""Pages of the salary app (/luong/)."""

from django.urls import URLPattern, path

from canbo.salary import views

app_name = "salary"

urlpatterns: list[URLPattern] = [
    path("", views.catalogue, name="catalogue"),
    path("den-han/", views.due, name="due"),
    path("den-han/quyet-dinh/", views.DecideView.as_view(), name="decide"),
]
