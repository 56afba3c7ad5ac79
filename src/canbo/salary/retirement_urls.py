"""Pages of the retirement list (/nghi-huu/, SALARY.md H-8)."""

from django.urls import URLPattern, path

from canbo.salary import retirement_views as views

app_name = "retirement"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("ghi/", views.RecordView.as_view(), name="record"),
    path("<int:pk>/thong-bao.docx", views.document, {"kind": "thong_bao"}, name="notice"),
    path("<int:pk>/quyet-dinh.docx", views.document, {"kind": "quyet_dinh"}, name="decision"),
]
