from django.urls import path

from canbo.org import views

app_name = "org"
urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="tree"),
    path("chon/", views.unit_pick, name="pick"),
    path("chon-dia-ban/", views.area_pick, name="pick_area"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("<int:pk>/con/", views.unit_children, name="children"),
    path("<int:pk>/sap-xep/<slug:op>/", views.RestructureView.as_view(), name="restructure"),
]
