"""A community's own words (社区词表): terms the bot proposes from corrections, which the
community's admins accept (the classifier then uses them) or drop (/lexicon)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, select

from handlers.learning.examples import DISTRICT_LIMIT, labelled
from nlu.learning import Proposal, propose
from nlu.lexicon import normalise
from storage import stamps
from storage.learning import CommunityTerm


def proposals(session: Session, community_id: int) -> list[Proposal]:
    """The terms the community's corrections suggest, leaving out those decided before."""
    decided = session.exec(select(CommunityTerm.term).where(
        col(CommunityTerm.community_id) == community_id)).all()
    return propose(labelled(session, [community_id], DISTRICT_LIMIT), known=decided)


def terms(session: Session, community_id: int) -> list[CommunityTerm]:
    """The community's accepted terms, oldest first."""
    return list(session.exec(select(CommunityTerm).where(
        col(CommunityTerm.community_id) == community_id, col(CommunityTerm.accepted).is_(True))
        .order_by(col(CommunityTerm.id))).all())


def decide(session: Session, community_id: int, term: str, duty: str, accepted: bool,
           at: datetime) -> None:
    """Accept ``term`` for ``duty``, or drop it; a new row replaces any earlier decision, so
    its new id tells every process to relearn."""
    term = normalise(term)
    stamps.forget(session)
    session.exec(delete(CommunityTerm).where(col(CommunityTerm.community_id) == community_id,
                                             col(CommunityTerm.term) == term))
    session.add(CommunityTerm(community_id=community_id, term=term, duty=duty,
                              accepted=accepted, decided_at=at))


def decided(session: Session, community_id: int, term: str) -> CommunityTerm | None:
    """The community's decision on ``term``, if it made one."""
    return session.exec(select(CommunityTerm).where(
        col(CommunityTerm.community_id) == community_id,
        col(CommunityTerm.term) == normalise(term))).first()
