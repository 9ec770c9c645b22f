"""The inbound hook: what a community's reviews taught, used the moment they taught it.

Each process keeps what it learned per community, stamped with the newest example and term
ids it was built from (``stamps``). One cheap statement reads the current stamp (indexed
maxima), unless it was read with the community; only when it moved, because some process
stored a decision, is the learning rebuilt. So every worker of a deployment stays correct
without a restart, and the hook costs nothing at all for a message the classifier is
already very sure of.

A community learns from its own newest examples; while it has none, from the newest of the
communities of its street office (街道; of every community without one, when it has none),
at most ``examples.DISTRICT_LIMIT`` either way. Its accepted terms (/lexicon) apply either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import Integer, Select, bindparam
from sqlalchemy import select as wide_select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlmodel import Session, col, select

from handlers.learning.examples import DISTRICT_LIMIT, labelled
from nlu import Classification, classify
from nlu.classifier import SURE
from nlu.learning import Learned
from storage import stamps
from storage.learning import CommunityTerm
from storage.rows import core
from storage.stamps import Stamp, neighbours


@dataclass(frozen=True)
class _Cached:
    stamp: Stamp
    learned: Learned | None


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
    return found if learned is None else classify(text, learned)


def learned_for(session: Session, community_id: int | None) -> Learned | None:
    """What ``community_id`` learned (None: the district as a whole), or None if nothing."""
    current = stamps.take(session, community_id) or _stamp(session, community_id)
    # A community with examples of its own does not care about the district's newest.
    relevant: Stamp = (current[0], None, current[2]) if current[0] is not None else current
    engine = session.get_bind()
    assert isinstance(engine, Engine), "sessions are bound to an engine"
    per_engine = _CACHE.setdefault(engine.pool, {})
    key = community_id if community_id is not None else -1
    cached = per_engine.get(key)
    if cached is None or cached.stamp != relevant:
        cached = _Cached(relevant, _build(session, community_id, relevant))
        per_engine[key] = cached
    return cached.learned


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


def _build(session: Session, community_id: int | None, stamp: Stamp) -> Learned | None:
    own, district, terms = stamp
    if own is not None and community_id is not None:
        rows = labelled(session, [community_id], DISTRICT_LIMIT)
    elif district is not None:
        rows = labelled(session, neighbours(community_id), DISTRICT_LIMIT)
    else:
        rows = []
    learned = Learned.from_examples((duty, text) for _guess, duty, text in rows)
    if terms is not None:
        learned = learned.with_terms(accepted_terms(session, community_id))
    return learned if learned.examples or learned.terms else None


def accepted_terms(session: Session, community_id: int | None) -> list[tuple[str, str]]:
    """(term, duty) of the terms the community's admins accepted."""
    rows = session.exec(select(CommunityTerm.term, CommunityTerm.duty).where(
        col(CommunityTerm.community_id) == community_id,
        col(CommunityTerm.accepted).is_(True))).all()
    return [(term, duty) for term, duty in rows]
