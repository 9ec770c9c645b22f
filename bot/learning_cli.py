"""What the database has learned from reviews, for `whistle nlu classify` and
`whistle nlu stats`."""

from __future__ import annotations

from typing import NoReturn

import typer
from sqlmodel import Session

from bot.config import ConfigError
from bot.settings import Settings
from nlu.learning import Learned


def _refuse(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


def _community_id(session: Session, name: str | None) -> int | None:
    """The named community's id (None for the whole district); exits 2 on an unknown name."""
    from handlers import people

    if name is None:
        return None
    community = people.community_named(session, name)
    if community is None or community.id is None:
        _refuse([f"no community named {name!r}"])
    return community.id


def _session(settings: Settings) -> Session:
    from bot.check import open_database

    try:
        return Session(open_database(settings))
    except ConfigError as error:
        _refuse(error.lines)


def learned_from_database(settings: Settings, community: str | None) -> Learned | None:
    """What the community (None: the district) learned, as the inbound classifier uses it."""
    from handlers.learning.learned import learned_for

    with _session(settings) as session:
        return learned_for(session, _community_id(session, community))


def stats_report(settings: Settings, community: str | None) -> str:
    """How often the guess was confirmed over the last reviews, as /nlu shows it."""
    from handlers.learning.stats import review_stats, stats_text
    from handlers.texts import t

    with _session(settings) as session:
        community_id = _community_id(session, community)
        scope = community if community is not None else t("nlu_scope_all")
        communities = None if community_id is None else [community_id]
        return stats_text(review_stats(session, communities), scope)
