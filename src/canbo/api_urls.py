"""API routes: /api/grants/, /api/units/, /api/titles/, /api/areas/, /api/posts/, /api/quotas/,
/api/job-positions/, /api/persons/ and the dossier sections at /api/persons/{id}/<section slug>/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from canbo.accounts.api import GrantViewSet
from canbo.campaigns.api import CampaignViewSet, EntryViewSet, VoteEntryViewSet, VoteSessionViewSet
from canbo.cases.api import CaseViewSet
from canbo.indicators.api import IndicatorViewSet
from canbo.org.api import (
    AreaViewSet,
    JobPositionViewSet,
    PostViewSet,
    QuotaViewSet,
    TitleViewSet,
    UnitViewSet,
)
from canbo.people.api import SECTION_VIEWSETS, PersonViewSet
from canbo.planning.api import PlanningEntryViewSet, PlanningListViewSet
from canbo.plans.api import PeriodViewSet, PlanViewSet, ReportViewSet, TaskViewSet
from canbo.reports.api import NationalPersonView, NationalSchemaView
from canbo.salary.api import BaseSalaryViewSet, DueView, GradeViewSet, GroupViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("grants", GrantViewSet, basename="grant")
router.register("titles", TitleViewSet, basename="title")
router.register("areas", AreaViewSet, basename="area")
router.register("posts", PostViewSet, basename="post")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("job-positions", JobPositionViewSet, basename="job-position")
router.register("persons", PersonViewSet, basename="person")
router.register("plans/tasks", TaskViewSet, basename="plan-task")
router.register("plans/periods", PeriodViewSet, basename="plan-period")
router.register("plans/reports", ReportViewSet, basename="plan-report")
router.register("plans", PlanViewSet, basename="plan")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("planning/lists", PlanningListViewSet, basename="planning-list")
router.register("planning/entries", PlanningEntryViewSet, basename="planning-entry")
router.register("ratings/campaigns", CampaignViewSet, basename="rating-campaign")
router.register("ratings/entries", EntryViewSet, basename="rating-entry")
router.register("votes/sessions", VoteSessionViewSet, basename="vote-session")
router.register("votes/entries", VoteEntryViewSet, basename="vote-entry")
router.register("salary/groups", GroupViewSet, basename="salary-group")
router.register("salary/grades", GradeViewSet, basename="salary-grade")
router.register("salary/base", BaseSalaryViewSet, basename="salary-base")
router.register("cases", CaseViewSet, basename="case")
for spec, viewset in SECTION_VIEWSETS:
    router.register(rf"persons/(?P<person_pk>\d+)/{spec.slug}", viewset, basename=f"section-{spec.slug}")

urlpatterns = [
    path("", include(router.urls)),
    path("rules/", include("canbo.rules.api_urls")),
    path("salary/due/", DueView.as_view(), name="salary-due"),
    path("national/persons/<str:personal_id>/", NationalPersonView.as_view(), name="national-person"),
    path("national/schema.json", NationalSchemaView.as_view(), name="national-schema"),
]
