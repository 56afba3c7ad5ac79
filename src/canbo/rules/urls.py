"""Pages of the rules app."""

from django.urls import path

from canbo.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.RulebookView.as_view(), name="index"),
    path("kiem-tra/", views.CheckView.as_view(), name="check"),
    path("kiem-tra/goi-y/", views.PersonSuggestView.as_view(), name="suggest"),
    path("lich/", views.CalendarView.as_view(), name="calendar"),
    path("ngoai-le/", views.ExceptionsView.as_view(), name="exceptions"),
    path("ngay-nghi/", views.HolidayView.as_view(), name="holidays"),
    path("ngay-nghi/<int:pk>/bo/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("nghi-huu/<int:pk>/", views.OverrideView.as_view(), name="override"),
    path("nghi-huu/<int:pk>/bo/", views.OverrideDeleteView.as_view(), name="override_delete"),
    path("<str:rule_id>/phien-ban-moi/", views.NewVersionView.as_view(), name="new_version"),
]
