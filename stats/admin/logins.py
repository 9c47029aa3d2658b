"""The admin's login page while django-axes has locked a login out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a login while its username and address are locked out
    (AXES_LOCKOUT_CALLABLE): the admin's login page saying why and for how long, status 429."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    until = timezone.localtime() + cool_off if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": "Login locked · 登录已锁定",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "minutes": minutes,
        "until": until.strftime("%H:%M (UTC%z)") if until else None,
    }
    response = render(request, "admin/login_locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
