"""How many SQL statements one incoming message costs, path by path.

The unit of work (``handlers.chat.process``) is the bot's hot path: every statement is a
round trip inside a write transaction that other messages wait for. The counts are exact,
so a change that adds a statement fails here and has to say why. SQLite counts one more
than PostgreSQL: its ``BEGIN IMMEDIATE`` is a statement of its own (storage/db.py); one more
for a message's first copy, whose id PostgreSQL records in the statement that marks its sender
seen (``presence.arrived_once``); one more for a new resident, whom PostgreSQL files and links
to their identity in one statement (``storage.linked_rows.insert_linked``); one more for a new
order, which PostgreSQL writes with its first history row (``storage.linked_rows.insert_with``);
and one more for a known resident's remembered community, which PostgreSQL reads ahead in
the statement that marks its sender seen (``remembered.with_remembered``).
"""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from handlers.chat.process import process
from handlers.jobs.sweeps import run_due, sweep_named
from handlers.messages import Incoming
from handlers.orders import no_show
from storage.db import transaction
from storage.models import Order
from storage.whistles import OrderWhistle
from tests.chat import POLICY, Chat
from tests.statements import Statements, counting

NEED = "3栋楼道灯坏了，晚上老人下楼看不见"
"""A fairly sure need (0.75): what the community learned is asked for, since the nearest
reviewed texts may file it elsewhere (``nlu.classifier.SURE``); its stamp is read with the
community, in no statement of its own (``handlers.learning.stamps``)."""
ANOTHER_NEED = "5栋门口的垃圾三天没人清运了，请社区派人处理"
_ids = count(1)


def sent(chat: Chat, user: str, text: str, group: str | None = None,
         message_id: str | None = None) -> Statements:
    """The statements ``process`` sends for one message (delivery is not counted)."""
    incoming = Incoming(channel="console", chat_id=group or user, user_id=user, text=text,
                        is_group=group is not None,
                        message_id=message_id or f"count-{next(_ids)}")
    with counting(chat.engine) as statements:
        process(chat.engine, POLICY, incoming, chat.clock.now())
    chat.channel.flush()
    return statements


@pytest.fixture
def known(chat_on_each_database: Chat) -> Chat:
    """A community with a bound group and a resident, 张阿姨, who filed a need before."""
    chat = chat_on_each_database
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", ANOTHER_NEED)
    return chat


def expected(chat: Chat, on_postgresql: int, new_resident: bool = False,
             filed: bool = False, first: bool = True, remembered: bool = False) -> int:
    """The count on the chat's database, given PostgreSQL's; ``new_resident`` when the
    message files a new resident, ``filed`` when it files a new order, ``first`` unless it
    is a copy handled before, ``remembered`` when it asks for the community its known
    sender filed in last."""
    return on_postgresql + (chat.engine.dialect.name == "sqlite") * (
        1 + first + new_resident + filed + remembered)


def test_a_residents_new_need_in_private(known: Chat) -> None:
    statements = sent(known, "zhang", NEED)

    assert len(statements) == expected(known, 4, filed=True, remembered=True), \
        statements.listing()


def test_a_residents_new_need_leaves_the_orm_nothing_to_flush(known: Chat) -> None:
    """Every row on the path is written by a Core statement; one attribute set on a held
    row, even to the value it had, would make each later statement's flush run the ORM's
    whole unit of work (a known resident's community, set again as their need is filed)."""
    flushed: list[object] = []

    def noted(session: Session, *_args: object) -> None:
        flushed.append(list(session.dirty) + list(session.new))

    incoming = Incoming(channel="console", chat_id="zhang", user_id="zhang", text=NEED,
                        message_id=f"count-{next(_ids)}")
    event.listen(Session, "before_flush", noted)
    try:
        process(known.engine, POLICY, incoming, known.clock.now())
    finally:
        event.remove(Session, "before_flush", noted)

    assert flushed == []


def test_a_residents_new_need_in_a_bound_group(known: Chat) -> None:
    statements = sent(known, "zhang", NEED, group="g1")

    assert len(statements) == expected(known, 7, filed=True), statements.listing()


def test_a_repeat_of_a_need_joins_its_order(known: Chat) -> None:
    statements = sent(known, "li", ANOTHER_NEED)

    assert len(statements) == expected(known, 10, new_resident=True, filed=True), \
        statements.listing()


def test_a_new_residents_first_need(known: Chat) -> None:
    statements = sent(known, "li", NEED)

    assert len(statements) == expected(known, 6, new_resident=True, filed=True), \
        statements.listing()


def test_a_members_reply_to_a_whistle(known: Chat) -> None:
    known.say("admin", "/approve 1")

    statements = sent(known, "m1", "接单")

    assert len(statements) == expected(known, 16), statements.listing()


def test_chatter_in_a_bound_group(known: Chat) -> None:
    """Talk is read once more with what the group's community learned: its community,
    read with the learning's stamp, is what that costs."""
    statements = sent(known, "zhang", "今天天气真好，大家周末愉快", group="g1")

    assert len(statements) == expected(known, 3), statements.listing()


def test_help(known: Chat) -> None:
    statements = sent(known, "zhang", "/help")

    assert len(statements) == expected(known, 3), statements.listing()


def test_a_retried_delivery_is_one_insert_that_finds_the_copy(known: Chat) -> None:
    sent(known, "zhang", "/help", message_id="retried")

    statements = sent(known, "zhang", "/help", message_id="retried")

    assert len(statements) == expected(known, 1, first=False), statements.listing()



def no_show_sweep(chat: Chat, places: int, whistled: bool) -> Statements:
    """The statements of a no-show sweep freeing ``places`` places, each on a new event of
    its own, full until then, which opens again: whistled again to those who heard it, or,
    when it was never ``whistled``, ranked for its first whistle."""
    with transaction(chat.engine) as session:
        before = len(session.exec(select(Order.id)).all())
    events = range(before + 1, before + places + 1)
    for n in events:
        chat.say("admin", f"/whistle 环境保洁 1 择日 第{n}次小区大扫除")
        chat.say("m1", f"/accept {n}")
    if not whistled:
        with transaction(chat.engine) as session:
            session.execute(update(Order).values(whistle_stage=None))
            session.execute(delete(OrderWhistle))
    chat.advance(days=15)  # past the events' overdue time: m1 never came
    chat.channel.flush()
    with counting(chat.engine) as statements:
        run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_no_show"),))
    with transaction(chat.engine) as session:
        reopened = session.exec(select(Order.status).where(col(Order.id).in_(events))).all()
    assert reopened == ["open"] * places
    told = chat.channel.flush()
    assert sum("名额已释放" in m.text for m in told if m.to_user == "m1") == places
    assert sum(bool(m.buttons) for m in told if m.to_user == "m4") == places  # whistled again
    return statements


# On PostgreSQL. Never whistled: 19, one fewer than the 20 it cost when the rankings read
# the orders' communities again after the sweep's lookups had read them for their time
# zones (``ahead.communities_of`` reads them once for both).
@pytest.mark.parametrize(("whistled", "on_postgresql"), [(True, 16), (False, 19)],
                         ids=["whistled-before", "never-whistled"])
def test_a_no_show_sweep_costs_the_same_statements_for_one_place_or_three(
        chat_on_each_database: Chat, whistled: bool, on_postgresql: int) -> None:
    chat = chat_on_each_database
    one = no_show_sweep(chat, 1, whistled)
    three = no_show_sweep(chat, 3, whistled)

    assert len(three) == len(one), f"{one.listing()}\n---\n{three.listing()}"
    # SQLite: the BEGIN of the plain read and the BEGIN IMMEDIATE of the one chunk.
    assert len(one) == on_postgresql + 2 * (chat.engine.dialect.name == "sqlite"), \
        one.listing()


def test_a_no_show_sweep_collects_its_garbage_before_its_first_write(
        chat: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its plain read leaves a city's worth of objects: Python's next full collection is
    made to fall between transactions, not in a chunk holding the write lock."""
    overdue_places, still_overdue = no_show.overdue_places, no_show.still_overdue
    with counting(chat.engine) as statements:
        def marked(*args: Any, **kwargs: Any) -> Any:
            statements.sent.append("-- overdue places read")
            return overdue_places(*args, **kwargs)

        def checked(*args: Any, **kwargs: Any) -> Any:
            statements.sent.append("-- overdue places checked")
            return still_overdue(*args, **kwargs)

        monkeypatch.setattr(no_show, "overdue_places", marked)
        monkeypatch.setattr(no_show, "still_overdue", checked)
        monkeypatch.setattr(no_show.gc, "collect",
                            lambda: statements.sent.append("-- garbage collected"))
        no_show_sweep(chat, 2, whistled=False)
    sweep = statements.sent[statements.sent.index("-- overdue places read"):]
    kinds = [s if s.startswith("--") else "write" for s in sweep
             if s.startswith("--") or s.lstrip().upper().startswith(("INSERT", "UPDATE"))]

    assert kinds[:3] == ["-- overdue places read", "-- garbage collected",
                         "-- overdue places checked"]
    assert "write" in kinds[3:]
