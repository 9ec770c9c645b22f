"""A bare location from a resident moments after their need: where that need is (位置补充).

Phones send a location as a message of its own, so "门口路灯坏了" and the pin that follows it
arrive one after the other; the pin is the need's place when it comes in the same chat soon
after (``Policy.location_follows``, 30 minutes by default).
"""

from __future__ import annotations

from handlers.chat.request import Request
from handlers.context import Context
from handlers.messages import Outgoing
from handlers.orders import whereabouts
from handlers.texts import t


def need_location(ctx: Context, req: Request) -> list[Outgoing] | None:
    """Attach a bare location to the sender's need just filed here; None when there is none
    (the location is then a member's check-in, or nothing for the bot)."""
    where, resident_id = req.incoming.location, req.identity.resident_id
    if where is None or resident_id is None or req.incoming.text:
        return None
    chat = req.incoming.chat_id if req.incoming.is_group else None
    order = whereabouts.shared_need(ctx, resident_id, req.incoming.channel, chat)
    if order is None:
        return None
    whereabouts.share_location(ctx, order, (where.lat, where.lon))
    return req.reply(t("need_located", id=order.id))
