"""The order-state groups agree with the transitions, and nothing else defines states."""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import pytest

from handlers.orders import states
from handlers.orders.states import (
    AWAITING_ARRIVAL,
    AWAITING_RESIDENT,
    AWAITING_REVIEW,
    DUTY_CHANGEABLE,
    FINAL,
    LIVE,
    MERGE_TARGETS,
    OUTSTANDING,
    PHASES,
    TAKING_SIGN_UPS,
    TRANSITIONS,
    UNFINISHED,
)
from storage.messaging import OutboxStatus
from storage.models import AcceptanceStatus, CheckInKind, OrderStatus
from storage.models import OrderStatus as S

ROOT = Path(__file__).resolve().parents[1]
EVERY = frozenset(OrderStatus)


def phase(status: OrderStatus) -> int:
    """The index in ``PHASES`` of the phase ``status`` belongs to."""
    return next(i for i, group in enumerate(PHASES) if status in group)


def test_final_states_are_those_with_no_move_out() -> None:
    assert EVERY - TRANSITIONS.keys() == FINAL
    assert all(TRANSITIONS.values())  # a state listed with no moves would be final too


def test_every_move_leads_to_a_state() -> None:
    assert set().union(*TRANSITIONS.values()) <= EVERY


def test_every_state_is_in_exactly_one_phase() -> None:
    for status in OrderStatus:
        assert [status in group for group in PHASES].count(True) == 1, status


def test_moves_go_forward_through_the_phases_except_a_poor_rating() -> None:
    backwards = {(frm, to) for frm, moves in TRANSITIONS.items() for to in moves
                 if phase(to) < phase(frm)}
    assert backwards == {(S.AWAITING_RATING, S.RETURNED)}  # 返单


def test_every_state_can_be_reached_from_a_new_need() -> None:
    seen, todo = {S.SUBMITTED}, deque([S.SUBMITTED])
    while todo:
        for to in TRANSITIONS.get(todo.popleft(), frozenset()):
            if to not in seen:
                seen.add(to)
                todo.append(to)
    assert seen == EVERY


def test_unfinished_is_everything_but_final() -> None:
    assert UNFINISHED == EVERY - FINAL


def test_outstanding_orders_are_those_an_admin_may_still_cancel() -> None:
    assert {s for s, moves in TRANSITIONS.items() if S.CANCELLED in moves} == OUTSTANDING
    assert OUTSTANDING == UNFINISHED - AWAITING_RESIDENT


def test_an_order_nobody_is_on_site_for_can_be_merged() -> None:
    assert {s for s, moves in TRANSITIONS.items() if S.MERGED in moves} == states.MERGEABLE
    assert states.MERGE_TARGETS <= states.MERGE_INTO


def test_an_order_awaiting_review_can_be_opened() -> None:
    assert all(S.OPEN in TRANSITIONS[s] for s in AWAITING_REVIEW)


def test_a_check_in_starts_the_work_from_any_state_awaiting_arrival() -> None:
    assert all(S.IN_PROGRESS in TRANSITIONS[s] for s in AWAITING_ARRIVAL)
    assert AWAITING_ARRIVAL | {S.IN_PROGRESS} == LIVE


def test_places_are_taken_only_while_live_and_not_full() -> None:
    assert TAKING_SIGN_UPS < LIVE
    assert S.CLAIMED not in TAKING_SIGN_UPS


@pytest.mark.parametrize("group", [DUTY_CHANGEABLE, MERGE_TARGETS], ids=["duty", "merge"])
def test_the_other_groups_hold_unfinished_states_only(group: frozenset[OrderStatus]) -> None:
    assert group <= UNFINISHED


# One definition: no module spells out a group of states, or a state as a bare string.

STATE_FIELDS = {"status", "kind", "from_status", "to_status"}
VALUES = {str(m) for enum in (OrderStatus, AcceptanceStatus, CheckInKind, OutboxStatus)
          for m in enum}


def _member_of_order_status(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in OrderStatus.__members__
            and ast.unparse(node.value).split(".")[-1] in {"S", "OrderStatus"})


def _bare_value(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in VALUES


def _state_field(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in STATE_FIELDS


def scattered_states(source: str) -> list[str]:
    """Literal groups of two or more order states, and states written as bare strings where
    a status or kind is compared, assigned or passed."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            if sum(map(_member_of_order_status, node.elts)) >= 2:
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(map(_state_field, operands)) and any(map(_bare_value, operands)):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (zip(target.elts, node.value.elts, strict=False)
                         if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                         else [(target, node.value)])
                found.extend(ast.unparse(node) for t, v in pairs
                             if _state_field(t) and _bare_value(v))
        elif (isinstance(node, ast.keyword) and node.arg in STATE_FIELDS
              and _bare_value(node.value)):
            found.append(f"{node.arg}={ast.unparse(node.value)}")
    return found


SOURCES = sorted(p for d in ("handlers", "bot", "storage") for p in (ROOT / d).rglob("*.py")
                 if p != ROOT / "handlers" / "orders" / "states.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_states_are_named_by_their_enums_and_grouped_in_one_place(path: Path) -> None:
    assert scattered_states(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        pytest.param("LIVE = (S.OPEN, S.CLAIMED)", True, id="tuple-of-states"),
        pytest.param("x in [OrderStatus.OPEN, OrderStatus.CLOSED]", True, id="list-of-states"),
        pytest.param("Acceptance.status == 'accepted'", True, id="compared"),
        pytest.param("row.status, row.sent_at = 'sent', now", True, id="assigned"),
        pytest.param("CheckIn(kind='arrive')", True, id="passed"),
        pytest.param("x in states.LIVE", False, id="a-group"),
        pytest.param("(S.OPEN,)", False, id="one-state"),
        pytest.param("SentNotice.kind == 'quota_nudge'", False, id="not-a-state"),
    ],
)
def test_the_check_catches_each_form(source: str, caught: bool) -> None:
    assert bool(scattered_states(source)) is caught


def test_the_groups_are_frozen_sets_of_order_states() -> None:
    groups = {name: value for name, value in vars(states).items()
              if name.isupper() and isinstance(value, frozenset)}
    assert {"LIVE", "UNFINISHED", "TAKING_SIGN_UPS", "FINAL"} <= groups.keys()
    for name, group in groups.items():
        assert group, name
        assert group <= EVERY, name
