"""The inbound hook: what a community's reviews taught, used the moment they taught it.

Each process keeps what it learned per community, stamped with the newest example and term
ids it was built from (``stamps``). One cheap statement reads the current stamp (indexed
maxima), unless it was read with the community; when it moved, because some process stored
a decision, only the examples stored since are read and learned, one at a time (a replaced
decision's example is forgotten first), without a rebuild. So every worker of a deployment
stays correct without a restart, a review costs the next message a millisecond or so, and
the hook costs nothing at all for a message the classifier is already very sure of.

A community learns from its own newest examples; while it has none, from the newest of the
communities of its street office (街道; of every community without one, when it has none),
at most ``examples.DISTRICT_LIMIT`` either way. Its accepted terms (/lexicon) apply either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from threading import Lock
from weakref import WeakKeyDictionary

from sqlalchemy import Integer, Select, bindparam
from sqlalchemy import select as wide_select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlmodel import Session, col, select

from handlers.learning.examples import DISTRICT_LIMIT, Learnable, learnable
from nlu import Classification, classify
from nlu.classifier import SURE
from nlu.learning import Learned
from storage import stamps
from storage.learning import CommunityTerm
from storage.rows import core
from storage.stamps import Stamp, neighbours

SLACK = 200
"""Examples with ids this far below the newest learned are read again when catching up: a
transaction that took an id earlier may commit later than one with a larger id."""
CATCH_UP = 500
"""At most this many new examples are learned one by one; more are learned by a rebuild."""
REBUILD_ABOVE = DISTRICT_LIMIT + CATCH_UP
"""Learned one by one, a community outgrows its newest ``DISTRICT_LIMIT``; past this many it
is learned again from the newest."""


@dataclass
class _Cached:
    """What a community learned, from which examples: order id → (example id, its place in
    the learning, for ``Learned.forget``)."""

    stamp: Stamp
    learned: Learned
    orders: dict[int, tuple[int, int]] = field(default_factory=dict)

    def learn(self, rows: list[Learnable], measure: bool = True) -> None:
        """Learn ``rows``, skipping those learned already and forgetting the examples of
        their orders that they replace (``measure``: see ``Learned.add``)."""
        for stored, order, duty, text in rows:
            known = self.orders.get(order)
            if known is not None:
                if known[0] >= stored:
                    continue
                self.learned.forget(known[1])
                del self.orders[order]
            place = self.learned.add(duty, text, measure)
            if place is not None:
                self.orders[order] = (stored, place)


# Learning one more example changes what a classification in another worker thread reads:
# both hold this lock (a classification with learning takes well under a millisecond).
_LEARNING = Lock()
# Keyed by the engine's pool, which its option-bearing copies share, so two databases in one
# process (tests, benches) never share learning and a dropped engine takes its entry along.
_CACHE: WeakKeyDictionary[Pool, dict[int, _Cached]] = WeakKeyDictionary()


def refine(session: Session, community_id: int, text: str,
           found: Classification) -> Classification:
    """Reconsider a guess with what the community learned.

    A very sure guess (``SURE``) is returned as it is, without touching the database.
    """
    if found.duty is not None and found.confidence >= SURE:
        return found
    learned = learned_for(session, community_id)
    if learned is None:
        return found
    with _LEARNING:
        return classify(text, learned)


def learned_for(session: Session, community_id: int | None) -> Learned | None:
    """What ``community_id`` learned (None: the district as a whole), or None if nothing."""
    current = stamps.take(session, community_id) or _stamp(session, community_id)
    # A community with examples of its own does not care about the district's newest.
    relevant: Stamp = (current[0], None, current[2]) if current[0] is not None else current
    engine = session.get_bind()
    assert isinstance(engine, Engine), "sessions are bound to an engine"
    per_engine = _CACHE.setdefault(engine.pool, {})
    key = community_id if community_id is not None else -1
    with _LEARNING:
        cached = per_engine.get(key)
        if cached is None or not _caught_up(session, community_id, cached, relevant):
            cached = _build(session, community_id, relevant)
            per_engine[key] = cached
        learned = cached.learned
    return learned if learned.examples or learned.terms else None


def _caught_up(session: Session, community_id: int | None, cached: _Cached,
               stamp: Stamp) -> bool:
    """Bring ``cached`` up to ``stamp`` by learning the examples stored since; False when it
    takes a rebuild (it learned from the other source, or from too many)."""
    if cached.stamp == stamp:
        return True
    own, district, terms = stamp
    was_own, was_district, had_terms = cached.stamp
    if (own is None) != (was_own is None):
        return False
    newest, learned_to = (own, was_own) if own is not None else (district, was_district)
    if newest is not None and newest != learned_to:
        after = (learned_to or 0) - SLACK
        rows = learnable(session, _source(community_id, own), CATCH_UP + SLACK, after)
        if len(rows) >= CATCH_UP + SLACK:
            return False
        cached.learn(rows)
        if cached.learned.examples > REBUILD_ABOVE:
            return False
    if terms != had_terms:
        cached.learned = replace(cached.learned, terms={}).with_terms(
            accepted_terms(session, community_id))
    cached.stamp = stamp
    return True


def _stamp(session: Session, community_id: int | None) -> Stamp:
    """The current stamp, in one statement of three indexed maxima."""
    own, district, terms = core(session).execute(_stamp_of(community_id is None),
                                                 {"community": community_id}).one()
    return own, district, terms


@cache
def _stamp_of(whole: bool) -> Select:
    """The stamp's statement, for a community (``community``) or the district as a whole;
    built once, as building it cost several times running it (it is read for every need
    the lexicon is not sure of, unless read with the community)."""
    return wide_select(*stamps.stamp_columns(
        None if whole else bindparam("community", type_=Integer)))


def _source(community_id: int | None, own: int | None) -> list[int] | Select:
    """The communities to learn from: the community's own, or its street office's."""
    return [community_id] if own is not None and community_id is not None else neighbours(
        community_id)


def _build(session: Session, community_id: int | None, stamp: Stamp) -> _Cached:
    own, district, terms = stamp
    cached = _Cached(stamp, Learned())
    if own is not None or district is not None:
        cached.learn(learnable(session, _source(community_id, own), DISTRICT_LIMIT), False)
        cached.learned.neighbours.measure()
    if terms is not None:
        cached.learned = cached.learned.with_terms(accepted_terms(session, community_id))
    return cached


def accepted_terms(session: Session, community_id: int | None) -> list[tuple[str, str]]:
    """(term, duty) of the terms the community's admins accepted."""
    rows = session.exec(select(CommunityTerm.term, CommunityTerm.duty).where(
        col(CommunityTerm.community_id) == community_id,
        col(CommunityTerm.accepted).is_(True))).all()
    return [(term, duty) for term, duty in rows]
