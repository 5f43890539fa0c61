"""Base classes every API view uses: DRF does the authentication (token or session), so
Django's login redirect is switched off for them, and MFA rules still apply to sessions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from rest_framework import generics, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView


class ApiLoginNotRequiredMixin:
    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return login_not_required(super().as_view(*args, **kwargs))  # type: ignore[misc]


class StaffSessionMFA(BasePermission):
    """A session-authenticated staff user must have used two-step login in that session."""

    message = "Two-step login is required for this role."

    def has_permission(self, request: Request, view: Any) -> bool:
        from vitaal.core.access import get_actor
        from vitaal.core.middleware import session_used_mfa

        if request.auth is not None:  # token: issued by an org admin who used MFA
            return True
        if not get_actor(request.user).needs_mfa():
            return True
        return session_used_mfa(request._request)


DEFAULT_PERMISSIONS = [IsAuthenticated, StaffSessionMFA]


class ApiView(ApiLoginNotRequiredMixin, APIView):
    permission_classes = DEFAULT_PERMISSIONS


class ApiGenericView(ApiLoginNotRequiredMixin, generics.GenericAPIView):
    permission_classes = DEFAULT_PERMISSIONS


class ApiReadOnlyViewSet(ApiLoginNotRequiredMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = DEFAULT_PERMISSIONS
