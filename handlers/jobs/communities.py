"""A sweep's work, one community at a time, each in a short transaction of its own.

One community's bad row (a broken override, a member with no identity, a bug that only its
data reaches) costs only that community's share of the sweep: its transaction is rolled back
and the error logged with the sweep and the community, and the other communities' work
commits. Committing each community's share as it is done keeps SQLite's write lock for one
community's share at a time, not for the whole sweep, so inbound messages wait milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlmodel import col, select

from handlers.context import Context
from storage.db import owns_transaction
from storage.models import Community

log = logging.getLogger(__name__)
T = TypeVar("T")
Step = Callable[[Context, Community], T]
COMMUNITIES_A_TRANSACTION = 5  # written together: a few INSERT … SELECTs of ~1,000 rows


def each_community(ctx: Context, sweep: str, step: Step[T], commit: bool = True,
                   only: Sequence[Community] | None = None) -> list[T]:
    """Run ``step`` for every community (or those ``only``) in its own transaction (in its
    own savepoint of the sweep's transaction when not ``commit``: a step whose results the
    caller still has to queue); the results of those that succeeded, in community order."""
    done = []
    communities = (ctx.session.exec(select(Community).order_by(col(Community.id))).all()
                   if only is None else only)
    if commit:
        ctx.session.commit()
    for community in communities:
        try:
            if commit:
                done.append(step(ctx, community))
                ctx.session.commit()
            else:
                with ctx.session.begin_nested():
                    done.append(step(ctx, community))
        except Exception:
            if commit:
                ctx.session.rollback()
            log.exception("sweep %s failed for community %s; its share is rolled back",
                          sweep, community.id)
    return done


def write_each(ctx: Context, sweep: str, shares: Sequence[tuple[Community, T]],
               write: Callable[[Sequence[tuple[Community, T]]], None]) -> None:
    """Write the communities' shares (worked out beforehand, in a read),
    ``COMMUNITIES_A_TRANSACTION`` at a time: together (``write`` makes a few set-based
    statements for them all), a short transaction each. When that fails, each community's
    share is written alone in a savepoint of its own: one community's bad row is rolled
    back and logged, and the others' work commits."""
    commit = owns_transaction(ctx.session)
    if commit:
        ctx.session.commit()  # each transaction below then holds its part's writes only
    for first in range(0, len(shares), COMMUNITIES_A_TRANSACTION):
        part = shares[first:first + COMMUNITIES_A_TRANSACTION]
        try:
            _together(ctx, commit, write, part)
        except Exception:
            log.info("sweep %s: the communities written together failed; each alone now",
                     sweep, exc_info=True)
            for community, share in part:
                try:
                    with ctx.session.begin_nested():
                        write([(community, share)])
                except Exception:
                    log.exception("sweep %s failed for community %s; its share is rolled "
                                  "back", sweep, community.id)
            if commit:
                ctx.session.commit()


def _together(ctx: Context, commit: bool,
              write: Callable[[Sequence[tuple[Community, T]]], None],
              part: Sequence[tuple[Community, T]]) -> None:
    """Write and commit a part; rolled back whole when it fails. A transaction of its own
    needs no savepoint (SAVEPOINT and RELEASE: 118 round trips of a quota sweep at 295
    communities): its rollback undoes the part and nothing else. In a caller's transaction the
    part is written in a savepoint."""
    if not commit:
        with ctx.session.begin_nested():
            write(part)
        return
    try:
        write(part)
        ctx.session.commit()
    except Exception:
        ctx.session.rollback()
        raise


def per_community(sweep: str, step: Step[None]) -> Callable[[Context], None]:
    """A sweep's run that does ``step`` community by community (see ``each_community``)."""

    def run(ctx: Context) -> None:
        each_community(ctx, sweep, step)

    return run

