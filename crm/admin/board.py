"""The deal board (/admin/crm/board/): a pipeline's stages as columns of deal cards.

Dragging a card, pressing an arrow key on it or submitting its "Move" form all post to `move/`,
which calls deal_move_to_stage (the rules, history and autopilot effects of every other move).
A card opens a side panel (`deal/<id>/`) with the deal's timeline and its most used actions.
Fetches get JSON or a fragment back; plain form posts get a redirect and a message, so the board
works without JavaScript. The queries are crm.selectors.board's: a fixed number per page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from crm.errors import CRMError
from crm.models import Brand, Deal, Pipeline, PipelineStage, PipelineType
from crm.selectors.board import BoardFilters, deal_board, deal_board_page, deal_timeline
from crm.services.autopilot import deal_flag_for_review, deal_mark_reviewed, deal_send_next_now
from crm.services.deals import deal_move_to_stage, deal_pause, deal_resume
from lib.ids import as_id
from lib.money import money

MAX_OFFSET = 100_000  # "Show more" pages within a column


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _filters(request: HttpRequest) -> BoardFilters:
    return BoardFilters(
        owner=request.GET.get("owner", ""),
        needs_review=request.GET.get("review") == "1",
        stalled=request.GET.get("stalled") == "1",
        search=request.GET.get("q", "")[:100],
    )


def _lookup(objects: Any, value: str) -> Any:
    """An object of `objects` by id or slug, None when there is none."""
    if not value:
        return None
    number = as_id(value)
    key = {"pk": number} if number is not None else {"slug": value}
    return objects.filter(**key).first()


def _pipeline(request: HttpRequest, brands: list[Brand]) -> Pipeline | None:
    """The chosen pipeline among the user's; else the chosen (or first) brand's sales pipeline."""
    visible = Pipeline.objects.visible_to(request.user).filter(is_active=True).select_related("brand")
    brand = _lookup(Brand.objects.filter(pk__in=[b.pk for b in brands]), request.GET.get("brand", ""))
    if brand is not None:
        visible = visible.filter(brand=brand)
    chosen = _lookup(visible, request.GET.get("pipeline", ""))
    if chosen is None:
        first_brand = brand or (brands[0] if brands else None)
        ordered = visible.filter(brand=first_brand).order_by("pipeline_type", "pk")
        sales = ordered.filter(pipeline_type=PipelineType.SALES).first()
        chosen = sales or ordered.first()
    return chosen


def board_page(request: HttpRequest) -> TemplateResponse:
    if not request.user.has_perm("crm.view_deal"):
        raise PermissionDenied
    brands = list(Brand.objects.visible_to(request.user).filter(is_active=True).order_by("name"))
    pipeline = _pipeline(request, brands)
    filters = _filters(request)
    board = deal_board(pipeline=pipeline, user=request.user, filters=filters) if pipeline else None
    context = {
        **admin.site.each_context(request),
        "title": "Deal board",
        "board": board,
        "pipeline": pipeline,
        "brands": brands,
        "pipelines": list(Pipeline.objects.filter(brand=pipeline.brand, is_active=True)) if pipeline else [],
        "staff": User.objects.filter(is_active=True, is_staff=True).order_by("username"),
        "filters": filters,
        "currency": pipeline.brand.currency if pipeline else "USD",
        "back": request.get_full_path(),
        **_card_context(request, [column.stage for column in board.columns] if board else []),
    }
    return TemplateResponse(request, "admin/crm/board.html", context)


@require_GET
def board_column(request: HttpRequest) -> TemplateResponse:
    """The next cards of one column (the board's "Show more")."""
    if not request.user.has_perm("crm.view_deal"):
        raise PermissionDenied
    stage = _visible_stage(request, request.GET.get("stage", ""))
    offset = min(as_id(request.GET.get("offset", "")) or 0, MAX_OFFSET)
    cards = deal_board_page(stage=stage, user=request.user, filters=_filters(request), offset=offset)
    context = {
        "cards": cards,
        "currency": stage.pipeline.brand.currency,
        "back": f"{reverse('crm_board:index')}?pipeline={stage.pipeline_id}",
        **_card_context(request, _stages(stage.pipeline)),
    }
    return TemplateResponse(request, "admin/crm/board_cards.html", context)


def _visible_stage(request: HttpRequest, value: str) -> PipelineStage:
    visible = PipelineStage.objects.filter(pipeline__brand__in=Brand.objects.visible_to(request.user))
    number = as_id(value)
    stage = visible.filter(pk=number).select_related("pipeline__brand").first() if number is not None else None
    if stage is None:
        raise Http404("No such stage")
    return stage


def _stages(pipeline: Pipeline) -> list[PipelineStage]:
    return list(pipeline.stages.order_by("order", "id"))


def _card_context(request: HttpRequest, stages: list[PipelineStage]) -> dict[str, Any]:
    """What every card shares, rendered once: a board shows hundreds of cards, and their stage
    lists, addresses and form tokens were most of its time."""
    options = format_html_join("", '<option value="{}">{}</option>', ((s.pk, s.name) for s in stages))
    return {
        "stage_options": format_html('<option value="">{}</option>{}', "Move to…", options),
        "csrf_input": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
        "urls": {
            "panel": reverse("crm_board:index") + "deal/",
            "deal": reverse("admin:crm_deal_changelist"),
            "move": reverse("crm_board:move"),
        },
        "can_change": request.user.has_perm("crm.change_deal"),
    }


def _visible_deal(request: HttpRequest, deal_id: str) -> Deal:
    try:
        key = uuid.UUID(str(deal_id))
    except ValueError:
        raise Http404("No such deal") from None
    deal = (
        Deal.objects.visible_to(request.user)
        .select_related("contact", "pipeline__brand", "current_stage", "owner")
        .filter(pk=key)
        .first()
    )
    if deal is None:
        raise Http404("No such deal")
    return deal


def _answer(request: HttpRequest, ok: bool, message: str, **extra: Any) -> HttpResponse:
    """JSON for the board's scripts; a redirect back with the message for a plain form."""
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, **extra}, status=200 if ok else 400)
    messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("crm_board:index")
    return redirect(back)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=403)
    raise PermissionDenied(message)


@require_POST
def board_move(request: HttpRequest) -> HttpResponse:
    """Move a deal to a stage of its pipeline, as a drag, an arrow key or the card's form asks."""
    if not request.user.has_perm("crm.change_deal"):
        return _refused(request, "You may look at deals but not move them.")
    deal = _visible_deal(request, request.POST.get("deal", ""))
    chosen = as_id(request.POST.get("stage", ""))
    stage = deal.pipeline.stages.filter(pk=chosen).first() if chosen else None
    if stage is None:
        return _answer(request, False, "Choose a stage of the deal's pipeline.")
    try:
        moved = deal_move_to_stage(
            deal=deal,
            stage=stage,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:500],
            source="admin",
        )
    except CRMError as exc:
        return _answer(request, False, str(exc), stage=deal.current_stage_id)
    name = deal.contact.name or deal.contact.email
    return _answer(request, True, f"{name} moved to {stage.name}.", stage=stage.pk, status=moved.status)


@require_GET
def board_panel(request: HttpRequest, deal_id: str) -> TemplateResponse:
    """The side panel: the deal, its actions and its timeline."""
    if not request.user.has_perm("crm.view_deal"):
        raise PermissionDenied
    deal = _visible_deal(request, deal_id)
    brand = deal.pipeline.brand
    context = {
        "deal": deal,
        "value": money(deal.value, brand.currency),
        "stages": _stages(deal.pipeline),
        "timeline": deal_timeline(deal=deal),
        "outside_window": not brand.in_send_window(timezone.now()),
        "can_change": request.user.has_perm("crm.change_deal"),
        "next": request.GET.get("next", ""),
    }
    return TemplateResponse(request, "admin/crm/board_panel.html", context)


def _send_now(request: HttpRequest, deal: Deal) -> str:
    email = deal_send_next_now(deal=deal)
    return f"Sent “{email.subject}” to {email.to_email}."


def _flag(request: HttpRequest, deal: Deal) -> str:
    reason = request.POST.get("reason", "").strip() or f"Flagged by {request.user.get_username()}"
    deal_flag_for_review(deal=deal, reason=reason)
    return "Flagged for review: the autopilot leaves it to a person."


def _reviewed(request: HttpRequest, deal: Deal) -> str:
    deal_mark_reviewed(deal=deal)
    return "Handed back to the autopilot."


def _pause(request: HttpRequest, deal: Deal) -> str:
    deal_pause(deal=deal, actor=request.user)  # type: ignore[arg-type]
    return "Paused: the autopilot leaves it alone until it is resumed."


def _resume(request: HttpRequest, deal: Deal) -> str:
    deal_resume(deal=deal, actor=request.user)  # type: ignore[arg-type]
    return "Resumed: the autopilot looks after it again."


ACTIONS: dict[str, Callable[[HttpRequest, Deal], str]] = {
    "send-now": _send_now,
    "flag": _flag,
    "reviewed": _reviewed,
    "pause": _pause,
    "resume": _resume,
}


@require_POST
def board_action(request: HttpRequest, deal_id: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    if not request.user.has_perm("crm.change_deal"):
        return _refused(request, "You may look at deals but not change them.")
    deal = _visible_deal(request, deal_id)
    try:
        return _answer(request, True, ACTIONS[action](request, deal))
    except CRMError as exc:
        return _answer(request, False, str(exc))


def board_urls() -> list[URLPattern]:
    """Mounted at admin/crm/board/ (crm_site.urls), each behind the admin's login."""
    view = admin.site.admin_view
    return [
        path("", view(board_page), name="index"),
        path("column/", view(board_column), name="column"),
        path("move/", view(board_move), name="move"),
        path("deal/<str:deal_id>/", view(board_panel), name="panel"),
        path("deal/<str:deal_id>/<slug:action>/", view(board_action), name="action"),
    ]
