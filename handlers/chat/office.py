"""A community's own rules, from chat (社区设置): /auto switches auto-approve, /settings shows
every rule at once, /timers sets the time rules. /quota sets the quotas
(handlers/chat/standing.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger.quotas import quota
from handlers.messages import Outgoing
from handlers.organisation.office import auto_approve_said, set_auto_approve, switch
from handlers.organisation.timers_said import parse_timer_words
from handlers.rules.policy import Policy
from handlers.rules.timerules import rules_for, set_overrides
from handlers.texts import t
from storage.models import Community, stored_id

DAY = timedelta(days=1)


def auto(ctx: Context, req: Request) -> list[Outgoing]:
    """/auto [on|off] (自动审核 开|关): show or switch whether sure needs skip review."""
    community = req.community
    confidence = ctx.policy.auto_approve_confidence
    if not req.args:
        return req.reply(auto_approve_said(community, confidence))
    on = switch(req.args[0]) if len(req.args) == 1 else None
    if on is None:
        raise WorkflowError(t("usage_auto"))
    return req.reply(set_auto_approve(ctx.session, community, on, confidence))


def settings(ctx: Context, req: Request) -> list[Outgoing]:
    """/settings (设置): the community's rules in one message, told to the admin alone."""
    return req.tell(rules_text(ctx.session, ctx.policy, req.community))


def timers(ctx: Context, req: Request) -> list[Outgoing]:
    """/timers [接单 24小时] [评价 2天] [超期 7天] [默认好评 开] [工作日 开] (时限): show or set
    the community's time rules; 「/timers 默认」 goes back to the settings' defaults.

    Deadlines already stored on orders stay as they are; the new rules apply from the next
    step of each order.
    """
    community = req.community
    if req.args:
        changes, reset = parse_timer_words(req.args)
        set_overrides(ctx.session, stored_id(community), changes, reset=reset)
        ctx.session.flush()
    return req.tell(rules_text(ctx.session, ctx.policy, community))


def rules_text(session: Session, policy: Policy, community: Community) -> str:
    """Every rule the community runs by: its own where it set one, else the settings'."""
    rules = rules_for(session, policy, stored_id(community))
    services, hours = quota(community, policy)
    days = t("settings_working_days") if rules.working_days else t("settings_calendar_days")
    return t("settings_text", community=community.name,
             auto=t("settings_on") if community.auto_approve else t("settings_off"),
             confidence=round(policy.auto_approve_confidence * 100),
             claim=_span(rules.claim_window), rating=_span(rules.rating_window),
             overdue=_span(rules.overdue_after), days=days,
             default_good=t("settings_default_good") if rules.default_good_rating
             else t("settings_no_default_good"),
             services=services, hours=f"{hours:g}", radius=f"{policy.checkin_radius_m:g}")


def _span(window: timedelta) -> str:
    """A window as people say it: two days or more in whole days, anything else in hours."""
    if window >= 2 * DAY and window % DAY == timedelta(0):
        return t("settings_days", n=window // DAY)
    return t("settings_hours", n=f"{window / timedelta(hours=1):g}")
