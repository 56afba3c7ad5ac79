"""URL routes of CanBo. Pages use Vietnamese paths; the API lives under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from canbo.accounts import totp as accounts_totp
from canbo.accounts import views as accounts_views
from canbo.accounts.home import home
from canbo.core.health import healthz
from canbo.lists import views as list_views
from canbo.people import urls as people_urls

# The list of persons is the lists app's page, in the people namespace (people imports no list).
person_list_urls = [
    path("", list_views.PersonListView.as_view(), name="list"),
    path("xuat-excel/", list_views.ExportView.as_view(), name="export"),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("dang-nhap/", accounts_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-buoc/", accounts_totp.verify, name="totp_verify"),
    path("xac-thuc-hai-buoc/dang-ky/", accounts_totp.enrol, name="totp_enrol"),
    path("tai-khoan/", include("canbo.accounts.urls")),
    path("don-vi/", include("canbo.org.urls")),
    path("can-bo/", include((person_list_urls + people_urls.urlpatterns, people_urls.app_name))),
    path("danh-sach/", include("canbo.lists.urls")),
    path("nhap-du-lieu/", include("canbo.imports.urls")),
    path("quy-dinh/", include("canbo.rules.urls")),
    path("chi-tieu/", include("canbo.indicators.urls")),
    path("ke-hoach/", include("canbo.plans.urls")),
    path("quy-hoach/", include("canbo.planning.urls")),
    path("danh-gia/", include("canbo.campaigns.urls")),
    path("luong/", include("canbo.salary.urls")),
    path("nghi-huu/", include("canbo.salary.retirement_urls")),
    path("tai-lieu/", include("canbo.documents.urls")),
    path("bo-nhiem/", include("canbo.cases.urls")),
    path("bao-cao/", include("canbo.reports.urls")),
    path("api/", include("canbo.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Behind the login (the schema answers 401/403 through SERVE_PERMISSIONS; the page sends a
    # browser to the login page). The split view serves Swagger's start script as a file: the
    # CSP allows no inline script.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")
        ),
        name="api-docs",
    ),
    path("quan-tri/", admin.site.urls),
]

handler400 = "canbo.core.views.error_400"
handler403 = "canbo.core.views.error_403"
handler404 = "canbo.core.views.error_404"
handler500 = "canbo.core.views.error_500"
