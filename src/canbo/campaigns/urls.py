"""Pages of rating campaigns (/danh-gia/)."""

from django.urls import URLPattern, path

from canbo.campaigns import views

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
]
