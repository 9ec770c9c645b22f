"""The router: decides what an incoming message is and which handler answers it.

Order of checks: a button press; an answer to a conversation step; a command (which a
conversation under way survives or is left by, and says so); a bare location or photo; free
text, which is a member's reply to a whistle, a resident's withdrawal or rating, a need, or
(in a group, most often) nothing for the bot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from handlers import people, roles
from handlers.chat import (
    admin,
    behalf,
    conversation,
    located,
    lookup,
    member,
    own_orders,
    picking,
    profile,
    resident,
    withdrawal,
)
from handlers.chat.commands import COMMANDS
from handlers.chat.gates import Role, admit
from handlers.chat.registry import Call, Handler, Registry
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.learning import learned
from handlers.messages import Incoming, Outgoing
from handlers.texts import t
from nlu import Classification, asks_for_guide, classify, parse_reply
from storage.messaging import Conversation
from storage.models import Community, Identity, stored_id

_TRAILING_NUMBER = re.compile(r"#?([0-9]{1,9})\s*号?\W*$")


def handle(ctx: Context, incoming: Incoming, commands: Registry = COMMANDS,
           sender: Identity | None = None) -> list[Outgoing]:
    """Answer one incoming message with ``commands``; refusals raise ``WorkflowError``.

    Args:
        ctx: The unit of work.
        incoming: The message.
        commands: The registry to answer from.
        sender: The sender's identity when the caller has it (``process`` upserts it as it
            marks them seen); else it is looked up, and created on first sight.
    """
    if incoming.moved_to:
        return admin.group_moved(ctx, incoming, incoming.moved_to)
    req = Request(incoming, sender or people.identity(
        ctx.session, incoming.channel, incoming.user_id, incoming.display_name,
        not incoming.is_group))
    if incoming.button:
        return press(ctx, req, incoming.button, commands)
    if incoming.live:
        # A live location is re-sent every few seconds: act on it, never repeat a refusal.
        return _quietly(ctx, req, _media) if req.identity.member_id else []
    call = commands.parse(incoming.text)
    convo = conversation.active(ctx, req)
    if convo is not None and (call is None or conversation.cancel_words(incoming.text.strip())):
        # An answer ("帮助老人" is a skill: only a whole command word is a command).
        answered = ANSWERS[convo.flow](ctx, req, convo)
        if answered is not None:
            return answered
        convo = None  # the question was left; the message is read afresh
    if call is not None:
        return _command(ctx, req, call, convo, commands)
    shared = located.need_location(ctx, req) if incoming.location else None
    if shared is not None:
        return shared
    if (incoming.location or incoming.photo) and not incoming.text and req.identity.member_id:
        # In a group most photos and places are members' everyday sharing, not check-ins.
        return _quiet_in_group(req, _media, ctx, quiet=True)
    return free_text(ctx, req, commands)


ANSWERS: dict[str, Callable[[Context, Request, Conversation], list[Outgoing] | None]] = {
    "community": resident.answer_community, "register": conversation.resume_register,
    "profile": profile.answer, "behalf": behalf.answer, "withdraw": withdrawal.answer,
    "duty": picking.answer,
}
"""Who takes an answer in each conversation flow; None: it was no answer."""


def _command(ctx: Context, req: Request, call: Call, convo: Conversation | None,
             commands: Registry) -> list[Outgoing]:
    """Run a command; one typed mid-conversation also says what became of it."""
    name = call.command.name if call.command else None
    aside = conversation.set_aside(ctx, req, convo, name) if convo is not None else []
    if call.command is None:
        answer = [] if req.incoming.is_group else req.reply(t("unknown_command"))
    else:
        req.args = call.args
        # In a group a bare Chinese word (完成, 报到…) is more often chat than a command.
        answer = _quiet_in_group(req, partial(commands.run, command=call.command), ctx,
                                 quiet=not call.slash)
    again = conversation.active(ctx, req) if convo is not None else None
    if convo is not None and again is not None and again is not convo \
            and again.flow == convo.flow:
        return answer  # the command began the same flow afresh (/register again)
    return answer + aside


def press(ctx: Context, req: Request, data: str,
          commands: Registry = COMMANDS) -> list[Outgoing]:
    """A button: ``accept:12``, ``rate:12:5`` and the like."""
    action, _, rest = data.partition(":")
    command = commands.pressed(action)
    if command is None:
        raise WorkflowError(t("button_stale"))
    req.args = rest.split(":") if rest else []
    return commands.run(ctx, req, command)


def free_text(ctx: Context, req: Request, commands: Registry = COMMANDS) -> list[Outgoing]:
    """Free text: a reply to a whistle, a rating, a need, or chatter the bot leaves alone."""
    text = req.incoming.text.strip()
    in_group = req.incoming.is_group
    if in_group and (not text or _posted_by_admin(ctx, req)):
        return []
    if not text:
        return req.reply(t("not_understood"))
    if asks_for_guide(text):
        # "怎么用" wants the guide; in a group only when it is put to the bot.
        quiet = in_group and not req.incoming.mentions_bot
        return [] if quiet else req.reply(commands.guide(ctx.session, req.identity))
    reply = parse_reply(text)
    if reply.intent == "withdraw" and not in_group:
        # 不用来了: a resident withdrawing a need; nothing to withdraw, and it is just words.
        asked = withdrawal.ask(ctx, req)
        if asked is not None:
            return asked
    found = classify(text)
    # A member is a resident too: a message that reads as a need on a duty's topic is a need.
    is_need = found.is_request and found.duty is not None
    replied = commands.replied(reply.intent)
    if replied is not None and _may_reply(ctx, req) and not is_need:
        number = _TRAILING_NUMBER.search(text)
        req.args = [number.group(1)] if number else []
        return _quiet_in_group(req, partial(commands.run, command=replied), ctx, quiet=True)
    # Ratings are asked for privately; in a group a bare "1" or "满意" is somebody's chat.
    if reply.intent == "rating" and reply.stars and not in_group:
        waiting = own_orders.awaiting_rating(ctx, req)
        if len(waiting) == 1:
            return own_orders.rate_order(ctx, req, waiting[0], reply.stars, reply.comment)
        if waiting:
            return req.reply(t("rate_which", numbers=" ".join(f"#{o.id}" for o in waiting)))
        if own_orders.live_orders(ctx, req):
            return req.reply(t("rate_not_yet"))
    if not found.is_request and reply.intent == "none":
        where = resident.which_community(ctx, req)
        found = _as_the_community_learned(ctx, where[0], text, found)
        if found.is_request:  # read with the learning: file it where it was read
            return resident.file_need(ctx, req, text, found, where)
    if found.is_request:
        return resident.file_need(ctx, req, text, found)
    if in_group and not req.incoming.mentions_bot:
        return []
    return req.reply(t("not_understood"))


def _as_the_community_learned(ctx: Context, community: Community | None, text: str,
                              found: Classification) -> Classification:
    """A message the lexicon reads as talk may still be a need in the words the sender's
    ``community`` taught by its reviews (嚟整下, 扯皮): read it again with what it learned."""
    if community is None:
        return found
    return learned.refine(ctx.session, stored_id(community), text, found)


def _media(ctx: Context, req: Request) -> list[Outgoing]:
    """A bare location or photo: a member's check-in, so the sender must be a member as for
    /checkin; it is no command, so the registry's check is made here."""
    req.granted = admit(ctx.session, req, Role.MEMBER)
    return member.media(ctx, req)


def _quiet_in_group(req: Request, handler: Handler, ctx: Context, quiet: bool) -> list[Outgoing]:
    """Run a handler; in a group, a refusal of a guessed command stays unsaid."""
    if not (quiet and req.incoming.is_group):
        return handler(ctx, req)
    return _quietly(ctx, req, handler)


def _quietly(ctx: Context, req: Request, handler: Handler) -> list[Outgoing]:
    """Run a handler whose refusal would only be noise; a refusal changes nothing, nor
    leaves behind a message it had queued."""
    kept = len(ctx.pending) if ctx.pending is not None else 0
    try:
        with ctx.session.begin_nested():
            return handler(ctx, req)
    except WorkflowError:
        if ctx.pending is not None:
            del ctx.pending[kept:]
        return []


def _may_reply(ctx: Context, req: Request) -> bool:
    """A member's bare reply counts privately, or in a group bound to their own community."""
    member = people.member_of(ctx.session, req.identity)
    if member is None or not req.incoming.is_group:
        return member is not None
    bound = lookup.group_community(ctx.session, req)
    return bound is not None and bound.id == member.community_id


def _posted_by_admin(ctx: Context, req: Request) -> bool:
    """An admin's post in a group is a notice to residents, not a need."""
    bound = lookup.group_community(ctx.session, req)
    scope = roles.admin_scope(ctx.session, req.identity)
    return bool(scope) and (bound is None or bound.id in scope.communities)
