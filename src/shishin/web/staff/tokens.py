"""A person's API keys for their scripts: make one (its key shown once), revoke one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shishin.plans import actions
from shishin.plans.models import ApiToken

from ..forms import TokenForm, first_error
from . import account, refuse, staff_view, step


def _page(request: HttpRequest, key: str = "", status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=account(request)).order_by("created_at")
    return render(request, "staff/tokens.html", {"tokens": tokens, "key": key}, status=status)


@staff_view()
def tokens(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view(post=True)
def make_token(request: HttpRequest) -> HttpResponse:
    """Make a key and show it on this answer only (never in a message, which a cookie would keep)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:tokens"), first_error(form))
    try:
        _, key = actions.do_make_token(name=form.cleaned_data["name"], by=account(request))
    except actions.ActionError as err:
        return refuse(request, redirect("staff:tokens"), str(err))
    response = _page(request, key=key)
    response["Cache-Control"] = "no-store"
    return response


@staff_view(post=True)
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=account(request))

    def run() -> str:
        actions.do_revoke_token(token, by=account(request))
        return f"トークン「{token.name}」を取り消しました"

    return step(request, redirect("staff:tokens"), run)
