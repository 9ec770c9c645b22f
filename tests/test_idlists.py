"""Many ids as one value (storage.idlists), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select as wide_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from handlers.ledger.running import running
from storage.db import transaction
from storage.idlists import listed, one_of, one_of_rows
from storage.models import Community, Member

NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)


def test_one_of_rows_picks_what_in_picks(engine) -> None:
    with transaction(engine) as session:
        for name in ("东风社区", "西风社区"):
            community = Community(name=name)
            session.add(community)
            session.flush()
            session.add_all([Member(name=f"{name}{n}", community_id=community.id or 0,
                                    registered_at=NOW) for n in range(3)])
    east = select(col(Member.id)).join(Community).where(Community.name == "东风社区")
    with transaction(engine) as session:
        chosen = session.exec(select(Member.name).where(one_of_rows(col(Member.id), east))
                              .order_by(col(Member.id))).all()
        listed = session.exec(select(Member.name).where(col(Member.id).in_(east))
                              .order_by(col(Member.id))).all()
        none = session.exec(select(Member.name).where(
            one_of_rows(col(Member.id), east.where(col(Member.id) < 0)))).all()
        both = session.exec(select(Member.name).where(
            one_of(col(Member.id), [1, 4]), one_of_rows(col(Member.id), east))).all()
    assert chosen == listed == ["东风社区0", "东风社区1", "东风社区2"]
    assert none == []
    assert both == ["东风社区0"]


def test_some_communities_tallies_are_found_by_their_members_ids_as_an_array() -> None:
    """PostgreSQL planned ``IN (SELECT …)`` as reading and hashing every tally in the city
    for each chunk of communities; an array of the members' ids is looked up by the key."""
    tallies = running(members_of=[1, 2])
    on_postgresql = str(tallies.compile(dialect=postgresql.dialect()))
    on_sqlite = str(tallies.compile(dialect=sqlite.dialect()))
    assert "servicetally.member_id = ANY(ARRAY(SELECT member.id" in on_postgresql
    assert "servicetally.member_id IN (SELECT member.id" in on_sqlite


def test_listed_rows_are_selected_as_given_in_their_order(engine) -> None:
    rows = [(3, "东风社区 'a' \"b\"", '[{"label": "\\u63a5", "data": "accept:3"}]'),
            (1, "", "[]"), (2, "西风", "[]")]
    kinds = {"order_id": "int", "text": "text", "buttons": "json"}
    with transaction(engine) as session:
        dialect = engine.dialect.name
        given = listed(dialect, "given", kinds, rows)
        read = session.execute(wide_select(given.c.order_id, given.c.text,
                                           given.c.buttons).order_by(given.c.n)).all()
        texts = listed(dialect, "texts", kinds, rows, looked_up=True)
        pairs = listed(dialect, "pairs", {"order_id": "int", "member_id": "int"},
                       [(2, 20), (3, 30), (2, 21)])
        joined = session.execute(wide_select(pairs.c.member_id, texts.c.text)
                                 .select_from(pairs)
                                 .join(texts, texts.c.order_id == pairs.c.order_id)
                                 .order_by(pairs.c.n)).all()
    assert [(order_id, text, _as_text(buttons)) for order_id, text, buttons in read] == rows
    assert [tuple(row) for row in joined] == [(20, "西风"), (30, rows[0][1]), (21, "西风")]


def _as_text(buttons: object) -> str:
    """A JSON column as its text (psycopg reads PostgreSQL's json into Python values)."""
    return buttons if isinstance(buttons, str) else json.dumps(buttons)
