"""What a community's office switches itself, from chat or the command line: auto-approve."""

from __future__ import annotations

from sqlmodel import Session

from handlers.texts import t
from storage.models import Community

SWITCH_WORDS = {"on": True, "off": False, "开": True, "关": False, "开启": True, "打开": True,
                "关闭": False, "是": True, "否": False}
"""How an on/off setting may be written: /auto on, 自动审核 开."""


def switch(word: str) -> bool | None:
    """On, off, or None for a word that is neither."""
    return SWITCH_WORDS.get(word.strip().lower())


def bad_switch(word: str) -> str:
    """What a word that is neither on nor off is told."""
    return t("setup_bad_switch", word=word)


def auto_approve_said(community: Community, confidence: float) -> str:
    """The community's auto-approve switch as its admins read it."""
    if community.auto_approve:
        return t("auto_on", community=community.name, confidence=round(confidence * 100))
    return t("auto_off", community=community.name)


def set_auto_approve(session: Session, community: Community, on: bool,
                     confidence: float) -> str:
    """Turn the community's auto-approve (自动审核) on or off; returns what it now is.

    Args:
        session: The open transaction.
        community: The community.
        on: Whether needs the classifier is sure of skip the admins' review.
        confidence: How sure is sure (the policy's), for the confirmation.
    """
    community.auto_approve = on
    session.add(community)
    return auto_approve_said(community, confidence)
