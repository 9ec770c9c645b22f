"""Every command the bot answers, each declared once (see ``registry``).

The order of declaration is the order of the "/" menus and of the lines in /help. Adding a
command is one declaration here, its handler and its texts in the catalogue.
"""

from __future__ import annotations

from handlers.chat import (
    admin,
    behalf,
    conversation,
    exports,
    lookup,
    member,
    office,
    own_orders,
    picking,
    repeats,
    reviewing,
    standing,
    withdrawal,
)
from handlers.chat.gates import Role
from handlers.chat.registry import Command, Menu, Place, Registry
from handlers.chat.request import Request
from handlers.context import Context
from handlers.messages import Outgoing
from handlers.texts import t

PRIVATE = frozenset({Menu.PRIVATE})
GROUP = frozenset({Menu.GROUP})
BOTH = PRIVATE | GROUP


def show_help(ctx: Context, req: Request) -> list[Outgoing]:
    """/help: what the sender can do, a section for each of their roles."""
    return req.reply(COMMANDS.guide(ctx.session, req.identity))


def welcome(ctx: Context, req: Request) -> list[Outgoing]:
    """/start, or a new follower of a WeChat Official Account: hello, then what they can do.

    A group the bot was just added to and nobody bound yet is told how to bind it.
    """
    if req.incoming.is_group and lookup.group_community(ctx.session, req) is None:
        return req.reply(t("welcome_unbound_group"))
    return req.reply(t("welcome") + "\n\n" + COMMANDS.guide(ctx.session, req.identity))


COMMANDS = Registry(
    # Residents (居民点单)
    Command("need", behalf.need, ("求助", "点单", "我要求助"), menus=BOTH, help="help_need"),
    Command("my", own_orders.my, ("我的工单",), menus=PRIVATE, help="help_my"),
    Command("rate", own_orders.rate, ("评价",), button=True, hint="hint_rate", menus=PRIVATE,
            help="help_rate"),
    Command("register", conversation.start_register, ("注册", "党员注册"), place=Place.PRIVATE,
            elsewhere="register_in_private", menus=PRIVATE, help="help_register"),
    Command("top", standing.top, ("排行榜", "排行", "排名"), help="help_top"),
    # Filed by a resident, or for one by an admin or a member: an admin cancels with a
    # reason, the resident is asked to confirm.
    Command("cancel", withdrawal.cancel, ("取消", "取消工单", "撤销"), menus=PRIVATE,
            help="help_cancel"),
    Command("withdraw", withdrawal.confirm, ("撤回",), button=True, hint="hint_withdraw"),
    Command("pick", picking.press, button=True, hint="hint_pick"),
    Command("behalf", behalf.command, ("代办", "微心愿", "代报"), menus=PRIVATE,
            help="help_behalf"),
    # Members (党员接单)
    Command("me", member.me, ("我的信息", "我的积分"), Role.MEMBER, menus=PRIVATE,
            help="help_me"),
    Command("accept", member.accept, ("接单",), Role.MEMBER, button=True, reply=True,
            menus=BOTH, help="help_accept"),
    Command("decline", member.decline, ("不接", "退单", "退出"), Role.MEMBER, button=True,
            reply=True, menus=PRIVATE, help="help_decline"),
    Command("checkin", member.checkin, ("报到", "签到", "到场"), Role.MEMBER, button=True,
            menus=PRIVATE, help="help_checkin"),
    Command("done", member.done, ("完成",), Role.MEMBER, button=True, reply=True, menus=BOTH,
            help="help_done"),
    # Community admins (社区把关)
    Command("pending", admin.pending, ("待审", "待审核"), Role.LISTING_ADMIN, menus=PRIVATE,
            help="help_pending"),
    Command("approve", admin.approve, ("通过", "审核通过"), Role.ORDER_ADMIN, menus=PRIVATE,
            help="help_approve"),
    Command("reject", admin.reject, ("驳回",), Role.ORDER_ADMIN, menus=PRIVATE,
            help="help_reject"),
    Command("recat", admin.recat, ("改类",), Role.ORDER_ADMIN, help="help_recat"),
    Command("assign", admin.assign, ("指派", "派单"), Role.ORDER_ADMIN, button=True,
            help="help_assign"),
    Command("whistle", admin.whistle, ("吹哨",), Role.COMMUNITY_ADMIN, help="help_whistle"),
    Command("orders", admin.orders, ("工单", "工单列表"), Role.LISTING_ADMIN, menus=PRIVATE,
            help="help_orders"),
    Command("order", admin.order, ("详情", "工单详情"), Role.ORDER_ADMIN, menus=PRIVATE,
            help="help_order"),
    Command("merge", repeats.merge, ("合并",), Role.ORDER_ADMIN, help="help_merge"),
    Command("unmerge", repeats.unmerge, ("拆分", "取消合并"), Role.ORDER_ADMIN,
            help="help_unmerge"),
    Command("bind", admin.bind, ("绑定", "绑定社区"), Role.BINDING_ADMIN, place=Place.GROUP,
            elsewhere="bind_in_group", menus=GROUP, help="help_bind"),
    Command("help", show_help, ("帮助",), menus=BOTH, help="help_help"),
    Command("export", exports.export, ("导出",), Role.LISTING_ADMIN, help="help_export"),
    Command("redeem", standing.redeem, ("兑换", "积分兑换"), Role.COMMUNITY_ADMIN,
            help="help_redeem"),
    Command("warnings", standing.warnings, ("预警", "黄红灯", "考核预警"), Role.LISTING_ADMIN,
            help="help_warnings"),
    Command("quota", standing.quota, ("考核指标",), Role.COMMUNITY_ADMIN, help="help_quota"),
    Command("auto", office.auto, ("自动审核",), Role.COMMUNITY_ADMIN, help="help_auto"),
    Command("timers", office.timers, ("时限", "时限设置"), Role.COMMUNITY_ADMIN, menus=PRIVATE,
            help="help_timers"),
    Command("nlu", reviewing.nlu, ("分类统计", "分类准确率"), Role.LISTING_ADMIN,
            help="help_nlu"),
    Command("lexicon", reviewing.lexicon, ("词表", "社区词表"), Role.COMMUNITY_ADMIN,
            help="help_lexicon"),
    Command("settings", office.settings, ("设置", "社区设置"), Role.COMMUNITY_ADMIN,
            menus=PRIVATE, help="help_settings"),
    Command("start", welcome),
)
"""The bot's commands."""
