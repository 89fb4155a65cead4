from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from shishin.api.routes import api
from shishin.web import converters  # noqa: F401  (registers <id:…>, used by the included URLs)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include("shishin.web.staff.urls")),
    path("api/", api.urls),
    path("", include("shishin.web.urls")),
]
