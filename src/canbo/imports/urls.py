"""Import pages, mounted at /nhap-du-lieu/."""

from django.urls import path

from canbo.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau.xlsx", views.template_file, name="template"),
    path("huong-dan/", views.guide, name="guide"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/ghep-cot/", views.mapping, name="mapping"),
    path("<int:pk>/tien-do/", views.job_progress, name="progress"),
    path("<int:pk>/nhap-that/", views.job_commit, name="commit"),
    path("<int:pk>/tep-loi.xlsx", views.error_file, name="errors"),
]
