"""API routes of the rulebook, under /api/rules/."""

from django.urls import path

from canbo.rules import api

urlpatterns = [
    path("versions/", api.RuleVersionsView.as_view(), name="rules-versions"),
    path("retirement/", api.RetirementView.as_view(), name="rules-retirement"),
    path("check/", api.CheckView.as_view(), name="rules-check"),
    path("person/<int:person_id>/<slug:kind>/", api.PersonRecordVerdictsView.as_view(), name="rules-records"),
    path("calendar/<int:person_id>/", api.PersonCalendarView.as_view(), name="rules-calendar"),
]
