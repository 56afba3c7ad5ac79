"""Import pages, mounted at /nhap-du-lieu/."""

from django.urls import path

from canbo.imports import views, views_org

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau.xlsx", views.template_file, name="template"),
    path("huong-dan/", views.guide, name="guide"),
    path("co-cau-to-chuc/", views_org.org_index, name="org"),
    path("co-cau-to-chuc/mau.xlsx", views_org.org_template, name="org_template"),
    path("co-cau-to-chuc/<str:sha>/tep-loi.xlsx", views_org.org_error_file, name="org_errors"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/ghep-cot/", views.mapping, name="mapping"),
    path("<int:pk>/tien-do/", views.job_progress, name="progress"),
    path("<int:pk>/nhap-that/", views.job_commit, name="commit"),
    path("<int:pk>/tep-loi.xlsx", views.error_file, name="errors"),
]
