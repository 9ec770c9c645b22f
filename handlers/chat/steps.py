"""The questions of the member's profile, asked when registering (/register) and when
changing it (/me 修改): how each is put and how each answer is read.

An answer is read into ``data`` (a conversation's saved answers) or refused with a
``WorkflowError`` that says what was wrong, so the question can be put again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from sqlmodel import select

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.orders.duties import ALL_WORDS
from handlers.orders.whereabouts import named_building
from handlers.texts import t
from nlu import DUTIES
from nlu.personal import mobile_number
from storage.models import Building, Community, Grid, Unit

SKIP_WORDS = frozenset({"跳过", "无", "没有", "略"})
MAX_FREE_TIME_CHARS = 200


def prompt(ctx: Context, step: str, data: dict) -> str:
    """The question of ``step``."""
    if step == "community":
        return t("register_community", names="、".join(
            c.name for c in ctx.session.exec(select(Community)).all()))
    if step == "grid":
        grids = ctx.session.exec(select(Grid).where(
            Grid.community_id == data["community_id"])).all()
        return t("register_grid", names="、".join(g.name for g in grids) or "—")
    if step == "building":
        buildings = ctx.session.exec(select(Building.name).where(
            Building.community_id == data["community_id"])).all()
        return t("register_building", names="、".join(buildings) or "—")
    if step == "name":
        community = ctx.session.get_one(Community, data["community_id"])
        return t("register_name", community=community.name)
    if step == "duties":
        options = "  ".join(f"{n}.{name}" for n, name in enumerate(DUTIES.values(), 1))
        return t("register_duties", options=options)
    if step.startswith("beneficiary_"):  # 代办's questions
        return t(f"behalf_{step}")
    return t(f"register_{step}")


def _read_community(ctx: Context, data: dict, answer: str) -> None:
    community = people.community_named(ctx.session, answer)
    if community is None:
        raise WorkflowError(t("no_such_community", name=answer))
    data["community_id"] = community.id


def _read_name(ctx: Context, data: dict, answer: str) -> None:
    if not 1 <= len(answer) <= 30:
        raise WorkflowError(t("register_bad_name"))
    data["name"] = answer


def _read_phone(ctx: Context, data: dict, answer: str) -> None:
    digits = mobile_number(answer)
    if digits is None:
        raise WorkflowError(t("register_bad_phone"))
    data["phone"] = digits


def _read_unit(ctx: Context, data: dict, answer: str) -> None:
    if not 2 <= len(answer) <= 100:
        raise WorkflowError(t("register_bad_unit"))
    data["unit"] = answer


def _read_grid(ctx: Context, data: dict, answer: str) -> None:
    grids = ctx.session.exec(select(Grid).where(Grid.community_id == data["community_id"])).all()
    if not grids or answer in SKIP_WORDS:
        return
    chosen = [g for g in grids if answer == g.name or answer in g.name]
    if len(chosen) != 1:
        raise WorkflowError(t("register_bad_grid"))
    data["grid_id"] = chosen[0].id


def _read_building(ctx: Context, data: dict, answer: str) -> None:
    """A building by its name or the way residents say it (3号楼 is 3栋); its grid too."""
    if answer in SKIP_WORDS:
        data["building_id"] = None
        return
    chosen = named_building(ctx.session, data["community_id"], answer)
    if chosen is None:
        raise WorkflowError(t("register_bad_building"))
    data["building_id"], data["building_grid_id"] = chosen.id, chosen.grid_id


def _read_skills(ctx: Context, data: dict, answer: str) -> None:
    data["skills"] = "" if answer in SKIP_WORDS else answer[:500]


def _read_free_time(ctx: Context, data: dict, answer: str) -> None:
    data["free_time"] = "" if answer in SKIP_WORDS else answer[:MAX_FREE_TIME_CHARS]


def _read_duties(ctx: Context, data: dict, answer: str) -> None:
    codes = list(DUTIES)
    names = {name: code for code, name in DUTIES.items()}
    chosen: list[str] = []
    answer = unicodedata.normalize("NFKC", answer)
    for token in re.split(r"[\s,，、;；]+", answer.strip()):
        if token in ALL_WORDS:
            chosen += codes
        elif token in names or token in DUTIES:
            chosen.append(names.get(token, token))
        elif numbers := _duty_numbers(token, len(codes)):
            chosen += [codes[n - 1] for n in numbers]
        else:
            raise WorkflowError(t("register_bad_duties", token=token))
    if not chosen:
        raise WorkflowError(t("register_bad_duties", token=answer))
    data["duties"] = list(dict.fromkeys(chosen))


def _duty_numbers(token: str, count: int) -> list[int]:
    """"3", "1-3" or a run of single digits like "123"; empty when it is none of those."""
    if span := re.fullmatch(r"(\d)[-~～至到](\d)", token):
        numbers = list(range(int(span[1]), int(span[2]) + 1))
    elif re.fullmatch(r"\d+", token):
        numbers = [int(token)] if int(token) <= count else [int(d) for d in token]
    else:
        return []
    return numbers if numbers and all(1 <= n <= count for n in numbers) else []


READERS: dict[str, Callable[[Context, dict, str], None]] = {
    "community": _read_community, "name": _read_name, "phone": _read_phone,
    "unit": _read_unit, "grid": _read_grid, "free_time": _read_free_time,
    "skills": _read_skills, "duties": _read_duties, "building": _read_building,
}
"""How each step's answer is read."""


def read(ctx: Context, step: str, data: dict, answer: str) -> None:
    """Read the answer to ``step`` into ``data``.

    Raises:
        WorkflowError: The answer cannot be used; the text says why.
    """
    READERS[step](ctx, data, answer)


def unit_named(ctx: Context, name: str) -> Unit:
    """The unit of that name, added when it is new (a member names their own workplace)."""
    unit = ctx.session.exec(select(Unit).where(Unit.name == name)).first()
    if unit is None:
        unit = Unit(name=name)
        ctx.session.add(unit)
        ctx.session.flush()
    return unit
