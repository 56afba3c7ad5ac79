"""Report pages (/bao-cao/)."""

from django.urls import URLPattern, path

from canbo.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("so-luong-chat-luong/", views.statistics, name="statistics"),
    path("so-luong-chat-luong/nguoi/", views.statistics_people, name="people"),
    path("quy-hoach/<int:pk>/danh-sach.docx", views.planning_document, {"fmt": "docx"}, name="planning-docx"),
    path("quy-hoach/<int:pk>/danh-sach.xlsx", views.planning_document, {"fmt": "xlsx"}, name="planning-xlsx"),
    path("dong-bo/", views.sync_overdue, name="sync"),
]
