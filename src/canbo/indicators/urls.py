"""Pages of the indicators app (/chi-tieu/)."""

from django.urls import path

from canbo.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.PlanIndexView.as_view(), name="index"),
    path("dinh-nghia/", views.DefinitionListView.as_view(), name="definitions"),
    path("dinh-nghia/them/", views.DefinitionCreateView.as_view(), name="definition_add"),
    path("<slug:code>/", views.DashboardView.as_view(), name="dashboard"),
    path("<slug:code>/don-vi/", views.UnitsView.as_view(), name="units"),
    path("<slug:code>/xuat.xlsx", views.ExportView.as_view(fmt="xlsx"), name="export_xlsx"),
    path("<slug:code>/xuat.docx", views.ExportView.as_view(fmt="docx"), name="export_docx"),
]
