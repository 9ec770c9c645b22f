"""A known sender's remembered community is read ahead with their arrival on PostgreSQL
(``handlers.remembered.with_remembered``): used when nothing the transaction did since may have
changed it, read afresh otherwise, on either database."""

from __future__ import annotations

from sqlalchemy import select as wide_select
from sqlmodel import Session, select

from handlers.remembered import note_remembered, remembered_community, with_remembered
from storage import stamps
from storage.db import transaction
from storage.models import Community, Identity, Resident, stored_id
from storage.rows import core, table_of
from tests.chat import Chat
from tests.statements import counting

NEED = "3栋楼道灯坏了，晚上老人下楼看不见"


def _filed(chat: Chat) -> tuple[int, int, int]:
    """zhang, filed into 幸福里社区 by a first need: their identity, resident and community
    ids."""
    chat.say("zhang", NEED)
    with transaction(chat.engine) as session:
        ident = session.exec(select(Identity).where(Identity.user_id == "zhang")).one()
        community = session.exec(select(Community).where(Community.name == "幸福里社区")).one()
        assert ident.resident_id is not None
        return stored_id(ident), ident.resident_id, stored_id(community)


def _read_ahead(session: Session, ident_id: int) -> Identity:
    """Read zhang's remembered community ahead, as their arrival does on PostgreSQL, and
    note it; then the session holds nothing but their identity."""
    identities = table_of(Identity)
    row = core(session).execute(with_remembered(wide_select(identities.c.id),
                                                identities.c.resident_id)
                                .where(identities.c.id == ident_id)).one()
    note_remembered(session, tuple(row[1:]))
    return session.get_one(Identity, ident_id)


def test_a_row_read_ahead_spares_the_read(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    ident_id, resident_id, community_id = _filed(chat)
    with transaction(chat.engine) as session:
        ident = _read_ahead(session, ident_id)

        with counting(chat.engine) as statements:
            community, resident = remembered_community(session, ident)

    assert (len(statements), community and community.id, resident and resident.id) == (
        0, community_id, resident_id)


def test_a_row_read_ahead_for_one_resident_is_never_anothers(
        chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    zhang_ident, _, _ = _filed(chat)
    chat.say("li", "7栋电梯又坏了 老人上不去")
    with transaction(chat.engine) as session:
        li = session.exec(select(Identity).where(Identity.user_id == "li")).one()
        _read_ahead(session, zhang_ident)

        with counting(chat.engine) as statements:
            _, resident = remembered_community(session, li)

    assert (len(statements), resident and resident.id) == (1, li.resident_id)


def test_a_decision_stored_since_drops_the_row_read_ahead(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    ident_id, _, _ = _filed(chat)
    with transaction(chat.engine) as session:
        ident = _read_ahead(session, ident_id)
        stamps.forget(session)

        with counting(chat.engine) as statements:
            remembered_community(session, ident)

    assert len(statements) == 1


def test_a_resident_changed_since_their_arrival_is_read_afresh(
        chat_on_each_database: Chat) -> None:
    """zhang filed nowhere yet, with two communities to choose from: the answer sets their
    community after the arrival read them without one, and the need is filed there."""
    chat = chat_on_each_database
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
        ident = session.exec(select(Identity).where(Identity.user_id == "zhang")).first()
        resident = Resident(name="张阿姨")
        session.add(resident)
        session.flush()
        if ident is None:
            ident = Identity(channel="console", user_id="zhang", display_name="张阿姨")
        ident.resident_id = resident.id
        session.add(ident)

    # With message ids, as the platforms send them: PostgreSQL reads ahead only then.
    assert "哪个社区" in chat.say("zhang", NEED, message_id="a1").to("zhang")[0]
    assert "#1" in chat.say("zhang", "幸福里", message_id="a2").to("zhang")[0]
    assert "#2" in chat.say("zhang", "5栋门口的垃圾三天没人清运了",
                            message_id="a3").to("zhang")[0]
