from django.urls import path

from canbo.org import views, views_units

app_name = "org"
urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="tree"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("<int:pk>/con/", views.unit_children, name="children"),
    path("<int:pk>/them-don-vi/", views_units.UnitCreateView.as_view(), name="unit_create"),
    path("<int:pk>/dinh-chinh/", views_units.UnitCorrectView.as_view(), name="unit_correct"),
    path("<int:pk>/sap-xep/<slug:op>/", views_units.RestructureView.as_view(), name="restructure"),
]
