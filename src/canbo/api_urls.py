"""API routes: /api/units/, /api/titles/, /api/areas/, /api/persons/ and the dossier sections
at /api/persons/{id}/<section slug>/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from canbo.indicators.api import IndicatorViewSet
from canbo.org.api import AreaViewSet, TitleViewSet, UnitViewSet
from canbo.people.api import SECTION_VIEWSETS, PersonViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("titles", TitleViewSet, basename="title")
router.register("areas", AreaViewSet, basename="area")
router.register("persons", PersonViewSet, basename="person")
router.register("indicators", IndicatorViewSet, basename="indicator")
for spec, viewset in SECTION_VIEWSETS:
    router.register(rf"persons/(?P<person_pk>\d+)/{spec.slug}", viewset, basename=f"section-{spec.slug}")

urlpatterns = [path("", include(router.urls))]
