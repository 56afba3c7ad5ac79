"""Pages of the salary app (/luong/)."""

from django.urls import URLPattern, path

from canbo.salary import views

app_name = "salary"

urlpatterns: list[URLPattern] = [
    path("", views.catalogue, name="catalogue"),
    path("den-han/", views.due, name="due"),
    path("den-han/quyet-dinh/", views.DecideView.as_view(), name="decide"),
    path("truoc-han/", views.early_index, name="early"),
    path("truoc-han/de-nghi/", views.EarlyProposeView.as_view(), name="early_propose"),
    path("truoc-han/quyet-dinh/", views.EarlyFinaliseView.as_view(), name="early_finalise"),
    path("truoc-han/ngoai-le/", views.CapExceptionView.as_view(), name="early_exception"),
]
