"""URL routes of CanBo. Pages use Vietnamese paths; the API lives under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from canbo.accounts import views as accounts_views
from canbo.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", accounts_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("canbo.accounts.urls")),
    path("don-vi/", include("canbo.org.urls")),
    path("can-bo/", include("canbo.people.urls")),
    path("danh-sach/", include("canbo.lists.urls")),
    path("nhap-du-lieu/", include("canbo.imports.urls")),
    path("quy-dinh/", include("canbo.rules.urls")),
    path("chi-tieu/", include("canbo.indicators.urls")),
    path("ke-hoach/", include("canbo.plans.urls")),
    path("quy-hoach/", include("canbo.planning.urls")),
    path("luong/", include("canbo.salary.urls")),
    path("nghi-huu/", include("canbo.salary.retirement_urls")),
    path("bao-cao/", include("canbo.reports.urls")),
    path("api/", include("canbo.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("quan-tri/", admin.site.urls),
]

handler400 = "canbo.core.views.error_400"
handler403 = "canbo.core.views.error_403"
handler404 = "canbo.core.views.error_404"
handler500 = "canbo.core.views.error_500"
