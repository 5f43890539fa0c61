"""Root URL configuration. Login is required everywhere (LoginRequiredMiddleware); the
few public pages are listed in vitaal.core.public, which the URL meta-test checks."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vitaal.core.views.admin_login import admin_login
from vitaal.core.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    # DRF authenticates these itself (token or session), so the login redirect is off.
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/v1/", include("vitaal.api.urls")),
    # Before the admin's own URLs: its login form would bypass the site's login.
    path("beheer/login/", admin_login, name="admin_login"),
    path("beheer/", admin.site.urls),
    path("igm/", include("vitaal.igm.urls")),
    path("care/", include("vitaal.care.urls")),
    path("surveys/", include("vitaal.surveys.urls")),
    path("indicators/", include("vitaal.indicators.urls")),
    path("privacy/", include("vitaal.privacy.urls")),
    path("", include("vitaal.core.urls")),
]

handler400 = "vitaal.core.views.errors.bad_request"
handler403 = "vitaal.core.views.errors.permission_denied"
handler404 = "vitaal.core.views.errors.page_not_found"
handler500 = "vitaal.core.views.errors.server_error"
