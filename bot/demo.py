"""The demo community: what a fresh install's console runs on (see bot/check.py
``seeds_demo``), and what `whistle demo` re-seeds."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from storage.db import transaction
from storage.models import Admin, Building, Community, Grid, Identity, Member, Unit

COMMUNITY = "幸福里社区"
GRIDS = {"第一网格": ["1栋", "2栋", "3栋"], "第二网格": ["5栋", "6栋", "7栋"]}
ADMIN = ("admin", "社区书记王红")
Row = TypeVar("Row", bound=SQLModel)
MEMBERS = [
    # user id, name, phone, unit, grid, skills, duties
    ("m1", "李明", "13800000001", "区税务局", "第一网格", "水电维修",
     ["convenience", "safety", "sanitation"]),
    ("m2", "张伟", "13800000002", "市第一人民医院", "第一网格", "医护、测血压",
     ["convenience", "hardship_relief"]),
    ("m3", "王芳", "13800000003", "区人民法院", "第二网格", "法律咨询、调解",
     ["community_affairs", "policy_outreach"]),
    ("m4", "刘洋", "13800000004", "区供电公司", "第二网格", "电工",
     ["safety", "convenience", "sanitation"]),
    ("m5", "陈静", "13800000005", "区教育局", "第一网格", "辅导功课、宣讲",
     ["policy_outreach", "civility", "party_building"]),
    ("m6", "赵强", "13800000006", "街道城管中队", "第二网格", "劝导、巡逻",
     ["civility", "sanitation", "safety", "hardship_relief"]),
]


def seed(engine: Engine, now: datetime, timezone: str = "Asia/Shanghai",
         channel: str = "console") -> Community:
    """Create the demo community, or bring it back to its demo state; returns it."""
    with transaction(engine) as session:
        community = _get_or_add(session, Community, {"timezone": timezone}, name=COMMUNITY)
        grids = {name: _get_or_add(session, Grid, community_id=community.id, name=name)
                 for name in GRIDS}
        for name, buildings in GRIDS.items():
            for building in buildings:
                found = _get_or_add(session, Building, community_id=community.id, name=building)
                found.grid_id = grids[name].id
        _get_or_add(session, Admin, channel=channel, user_id=ADMIN[0], community_id=community.id)
        _identity(session, channel, ADMIN[0], ADMIN[1])
        for user_id, name, phone, unit, grid, skills, duties in MEMBERS:
            member = _get_or_add(session, Member, {"registered_at": now}, name=name,
                                 community_id=community.id)
            member.phone, member.skills, member.duties = phone, skills, duties
            member.active = True
            member.unit_id = _get_or_add(session, Unit, name=unit).id
            member.grid_id = grids[grid].id
            _identity(session, channel, user_id, name).member_id = member.id
        return community


def _identity(session: Session, channel: str, user_id: str, name: str) -> Identity:
    found = _get_or_add(session, Identity, channel=channel, user_id=user_id)
    found.display_name = name
    return found


def _get_or_add(session: Session, table: type[Row], defaults: dict[str, object] | None = None,
                **keys: object) -> Row:
    found = session.exec(select(table).filter_by(**keys)).first()
    if found is None:
        found = table(**keys, **(defaults or {}))
        session.add(found)
        session.flush()
    return found
