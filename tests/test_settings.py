"""Settings: every rule's default is written once, in the settings, and reaches the rules."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import timedelta

import pytest

from bot.settings import Settings
from handlers.rules.policy import PointsPolicy, Policy, QuotaPolicy, RankingPolicy


@pytest.mark.parametrize("rules", [Policy, PointsPolicy, QuotaPolicy, RankingPolicy])
def test_the_rules_have_no_defaults_of_their_own(rules: type) -> None:
    with_defaults = [f.name for f in fields(rules)
                     if f.default is not MISSING or f.default_factory is not MISSING]
    assert with_defaults == []


def test_settings_reach_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISTLE_DUPLICATE_WINDOW_HOURS", "6")
    monkeypatch.setenv("WHISTLE_EVENT_CHECKIN_GRACE_HOURS", "2")
    monkeypatch.setenv("WHISTLE_QUOTA_WAKING_HOURS", "[8, 20]")
    monkeypatch.setenv("WHISTLE_POINTS_PER_HOUR", "3")
    monkeypatch.setenv("WHISTLE_LOCATION_FOLLOWS_MINUTES", "5")
    policy = Settings(_env_file=None).policy()
    assert (policy.duplicate_window, policy.event_checkin_grace, policy.quota.waking_hours,
            policy.points.per_hour, policy.location_follows) == (
        timedelta(hours=6), timedelta(hours=2), (8, 20), 3, timedelta(minutes=5))


def test_ranking_settings_reach_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISTLE_FIRST_WHISTLE_MEMBERS", "5")
    monkeypatch.setenv("WHISTLE_WIDEN_WHISTLE_AFTER_HOURS", "1.5")
    monkeypatch.setenv("WHISTLE_RANK_GRID", "40")
    ranking = Settings(_env_file=None).policy().ranking
    assert (ranking.first_members, ranking.widen_after, ranking.grid) == (
        5, timedelta(hours=1.5), 40)


def test_waking_hours_must_be_a_span_of_the_day() -> None:
    with pytest.raises(ValueError, match="quota_waking_hours"):
        Settings(_env_file=None, quota_waking_hours=(21, 9))
