"""Pages of rating campaigns (/danh-gia/)."""

from django.urls import URLPattern, path

from canbo.campaigns import views, vote_views

app_name = "campaigns"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("moi/", views.CampaignCreateView.as_view(), name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ty-le/", views.quota_partial, name="quota"),
    path("<int:pk>/tap-the/", views.UnitRatingView.as_view(), name="unit_rating"),
    path("<int:pk>/ngoai-le/", views.ExceptionView.as_view(), name="exception"),
    path("<int:pk>/hoan-tat/", views.FinaliseView.as_view(), name="finalise"),
    path("<int:pk>/xuat-excel/", views.export_xlsx, name="xlsx"),
    path("<int:pk>/xuat-word/", views.export_docx, name="docx"),
    path("nguoi/<int:pk>/", views.EntryEditView.as_view(), name="entry"),
    path("lay-phieu/", vote_views.index, name="votes"),
    path("lay-phieu/moi/", vote_views.SessionCreateView.as_view(), name="vote_create"),
    path("lay-phieu/<int:pk>/", vote_views.detail, name="vote_detail"),
    path("lay-phieu/<int:pk>/nhap/", vote_views.ImportView.as_view(), name="vote_import"),
    path("lay-phieu/<int:pk>/hoan-tat/", vote_views.FinaliseView.as_view(), name="vote_finalise"),
    path("lay-phieu/nguoi/<int:pk>/", vote_views.CountsView.as_view(), name="vote_counts"),
    path("lay-phieu/nguoi/<int:pk>/xu-ly/", vote_views.ActionView.as_view(), name="vote_action"),
]
