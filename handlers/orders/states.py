"""An order's states: the legal moves and the groups of states, defined once.

Every check of "is the order in one of these states" names a group from here, so a rule
such as "places can be taken while the order is open or in progress" lives in one place and
tests/test_states.py can check each group against the moves.

This module is plain data over ``storage.models.OrderStatus``: it imports nothing else from
``handlers``, which is why the layering test places it in the lowest layer and the rules
(response targets) may use it too.
"""

from __future__ import annotations

from storage.models import OrderStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.OPEN, S.REJECTED, S.MERGED, S.CANCELLED}),
    S.OPEN: frozenset({S.CLAIMED, S.IN_PROGRESS, S.CANCELLED, S.MERGED}),
    S.CLAIMED: frozenset({S.OPEN, S.IN_PROGRESS, S.CANCELLED, S.MERGED}),
    S.IN_PROGRESS: frozenset({S.AWAITING_RATING, S.CANCELLED}),
    S.AWAITING_RATING: frozenset({S.CLOSED, S.RETURNED}),
    S.RETURNED: frozenset({S.OPEN, S.CANCELLED, S.MERGED}),
}
"""Legal moves; a state with none (closed, rejected, cancelled, merged) is final."""

# The four phases an order passes through; every state is in exactly one.

AWAITING_REVIEW = frozenset({S.SUBMITTED, S.RETURNED})
"""An admin must act: review a new need, or reopen a returned one (/pending lists these)."""

LIVE = frozenset({S.OPEN, S.CLAIMED, S.IN_PROGRESS})
"""Dispatched to members: places taken mean something, members may check in or withdraw,
and one who never arrives is a no-show."""

AWAITING_RESIDENT = frozenset({S.AWAITING_RATING})
"""The work is done; only the resident's rating (or its deadline) moves the order on."""

FINAL = frozenset({S.CLOSED, S.REJECTED, S.CANCELLED, S.MERGED})
"""Nothing moves an order on from here."""

PHASES: tuple[frozenset[S], ...] = (AWAITING_REVIEW, LIVE, AWAITING_RESIDENT, FINAL)
"""The phases in order: a move goes forward, except a poor rating sending work back (返单)."""

# Groups the rules need, built from the phases so they cannot drift apart.

UNFINISHED = AWAITING_REVIEW | LIVE | AWAITING_RESIDENT
"""Every state that is not final."""

OUTSTANDING = AWAITING_REVIEW | LIVE
"""The community still owes the work: it can go overdue, its response targets run and the
resident sees it as in hand. An order awaiting a rating has been served, so it is not."""

TAKING_SIGN_UPS = frozenset({S.OPEN, S.IN_PROGRESS})
"""Free places can still be taken: a full order is claimed, and latecomers may still join
an event after its first arrival."""

AWAITING_ARRIVAL = LIVE - {S.IN_PROGRESS}
"""Dispatched but nobody is on site yet, so nobody can report the work done."""

WITHDRAWABLE = AWAITING_REVIEW | AWAITING_ARRIVAL
"""The resident may still withdraw their need (撤回): nobody is on site yet."""

DUTY_CHANGEABLE = AWAITING_REVIEW | {S.OPEN}
"""A new duty still finds its members: nobody has filled the order or started on it."""

MERGE_TARGETS = LIVE | {S.SUBMITTED}
"""A new need repeating one of these is folded into it as a duplicate."""

MERGEABLE = WITHDRAWABLE
"""An admin may fold an order into another (/merge) while nobody is on site for it."""

MERGE_INTO = OUTSTANDING
"""An admin may fold a repeat into an order the community still owes the work on."""

UNMERGED_TO = S.SUBMITTED
"""Where /unmerge puts a merged order back: under review, as a need of its own. The one move
out of a final state, since it undoes a merge rather than moving the order on."""
