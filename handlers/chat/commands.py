"""Recognising commands: ASCII slash names (Telegram) and their Chinese aliases (WeChat)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

ALIASES: dict[str, str] = {
    "待审": "pending", "待审核": "pending", "通过": "approve", "审核通过": "approve",
    "驳回": "reject", "改类": "recat", "指派": "assign", "派单": "assign", "吹哨": "whistle",
    "工单": "orders", "工单列表": "orders", "详情": "order", "工单详情": "order",
    "取消": "cancel", "取消工单": "cancel", "帮助": "help", "绑定": "bind", "绑定社区": "bind",
    "注册": "register", "党员注册": "register", "我的信息": "me", "接单": "accept",
    "不接": "decline", "退单": "decline", "退出": "decline", "报到": "checkin",
    "签到": "checkin", "到场": "checkin",
    "完成": "done", "求助": "need", "点单": "need", "我要求助": "need", "我的工单": "my",
    "评价": "rate", "导出": "export",
    "兑换": "redeem", "积分兑换": "redeem", "预警": "warnings", "黄红灯": "warnings",
    "考核预警": "warnings", "考核指标": "quota", "排行榜": "top", "排行": "top", "排名": "top",
    "我的积分": "me",
}


@dataclass(frozen=True)
class Command:
    """A parsed command: its canonical name and its whitespace-separated arguments."""

    name: str
    args: list[str]
    slash: bool = True


def parse_command(text: str, known: Collection[str]) -> Command | None:
    """The command a message carries, or None for free text.

    ``/approve@WhistleBot 12`` (Telegram's group form) and ``通过 12`` both give
    ``Command("approve", ["12"])``. A slash word not in ``known`` gives ``Command("unknown")``
    so the sender is told, rather than having it filed as a need.
    """
    stripped = text.strip()
    if not stripped:
        return None
    head, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if head.startswith("/"):
        name = head[1:].split("@", 1)[0].lower()
        name = ALIASES.get(name, name)
        return Command(name if name in known else "unknown", rest.split())
    if head in ALIASES:
        return Command(ALIASES[head], rest.split(), slash=False)
    return None
