"""The privacy guard (隐私保护): what leaves for a group, a report or a log is masked.

What counts as personal data (phones, ID-card numbers, rooms) is recognised in one place,
nlu/personal.py; this module applies it where text leaves the bot's hands:

- every message to a group, whoever wrote the text (an admin's /whistle included);
- every text shown to members who have not accepted the order (``public_text``);
- every report cell but the columns a report keeps on purpose (the roster's phones);
- every log line (``bot/logs.py`` installs ``mask`` as a logging filter).

Members who accepted an order get the resident's phone and address privately, from the
order's own columns; nothing else does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from handlers.messages import Outgoing
from nlu.personal import mask

__all__ = ["for_audience", "mask", "report_rows"]


def for_audience(message: Outgoing) -> Outgoing:
    """The message as it may leave: masked when it goes to a group."""
    if message.to_chat is None:
        return message
    return replace(message, text=mask(message.text))


def report_rows(rows: Iterable[Sequence[object]], keep: Collection[int] = ()) -> list[tuple]:
    """Rows of a report with every text cell masked, but the columns numbered in ``keep``."""
    return [tuple(mask(cell) if isinstance(cell, str) and n not in keep else cell
                  for n, cell in enumerate(row)) for row in rows]
