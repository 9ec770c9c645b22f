"""`whistle undelivered`: the messages that have not reached their reader, for the office.

A whistle parked for WeChat's 48-hour window reaches a member only when they next write;
until then the office must know who was not told, or it believes everyone was.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from handlers.chat.presence import WINDOW_CLOSED
from handlers.chat.reach import UNREACHABLE_MARK
from storage.db import transaction
from storage.messaging import OutboxMessage, OutboxStatus
from storage.models import Identity, Member

FIRST_LINE_CHARS = 40


def undelivered_lines(engine: Engine) -> list[str]:
    """One line per undeliverable message, oldest first: whom, why, and what it said."""
    with transaction(engine) as session:
        rows = session.exec(
            select(OutboxMessage, Identity.display_name, Member.name)
            .join(Identity, (col(Identity.channel) == col(OutboxMessage.channel))
                  & (col(Identity.user_id) == col(OutboxMessage.to_user)), isouter=True)
            .join(Member, col(Member.id) == col(Identity.member_id), isouter=True)
            .where(OutboxMessage.status == OutboxStatus.UNDELIVERABLE)
            .order_by(col(OutboxMessage.id))).all()
    lines = []
    for row, display_name, member_name in rows:
        name = member_name or display_name  # WeChat gives no display names; members have one
        to = row.to_user if row.to_user is not None else f"chat {row.to_chat}"
        why = _why(row.last_error or "")
        first = row.text.split("\n", 1)[0][:FIRST_LINE_CHARS]
        lines.append(f"#{row.id} {row.channel}:{to} {name or ''} {row.created_at:%Y-%m-%d %H:%M} "
                     f"{why} | {first}")
    return lines


def _why(error: str) -> str:
    if error.startswith(WINDOW_CLOSED):
        return "waits until they write"
    if error.startswith(UNREACHABLE_MARK):
        return f"unreachable until they write: {error.removeprefix(UNREACHABLE_MARK)}"
    return f"failed: {error}"
