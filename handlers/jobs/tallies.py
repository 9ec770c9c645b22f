"""The running tallies counted once for every service recorded before they were kept (a
database upgraded to them, a city loaded in bulk); from then on the workflow keeps them.

A hundred members a transaction, so the write lock stays short however big the city;
the notice ``service_tallies``/``counted`` records that it is done, so a re-run costs one
query.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from handlers.context import Context
from handlers.ledger import running
from handlers.once import first_sent, sent_before
from storage.db import owns_transaction
from storage.models import Member

COUNT_EVERY = timedelta(hours=1)
CHUNK = 100  # members whose tallies one transaction recounts
KIND, SUBJECT = "service_tallies", "counted"


def count_once(ctx: Context) -> None:
    """Recount every member's tallies, a chunk a transaction, unless done before."""
    if sent_before(ctx.session, KIND, SUBJECT):
        return
    commit = owns_transaction(ctx.session)
    members = [m for m in ctx.session.exec(select(Member.id).order_by(col(Member.id))).all()
               if m is not None]
    for start in range(0, len(members), CHUNK):
        running.rebuild(ctx.session, members[start:start + CHUNK])
        if commit:
            ctx.session.commit()
    counted(ctx)


def counted(ctx: Context) -> None:
    """Record that every tally is counted (a loader that rebuilt them itself says so)."""
    first_sent(ctx, KIND, [SUBJECT])
