"""The command registry: one declaration makes a command routable, listed and guarded.

A throwaway registry declares commands the bot does not have; everything the router, the
menus, the reply hints and /help do with them comes from those declarations alone.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers import people, texts
from handlers.chat import router
from handlers.chat.commands import COMMANDS
from handlers.chat.gates import Role
from handlers.chat.registry import Command, Menu, Place, Registry
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Button, Incoming, Outgoing
from storage.db import transaction
from storage.models import Admin, Identity
from tests.chat import POLICY, Chat

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
ADMIN_ONLY = "只有本社区的管理员可以这样操作。"
RESIDENTS = "居民：有困难直接发消息告诉我即可，例如「3栋楼道灯坏了」。"
NOT_A_MEMBER = "您还没有注册为党员志愿者，发送 /register 即可注册。"


class Recorder:
    """Handlers that note who ran them with what, so a test can see they never ran."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str, list[str]]] = []

    def __call__(self, ctx: Context, req: Request) -> list[Outgoing]:
        granted = req.granted
        what = (granted.member.name if granted.member else
                f"#{granted.order.id}" if granted.order else
                f"{len(granted.communities)} communities" if granted.communities else "")
        self.runs.append((req.incoming.user_id, what, req.args))
        return req.reply("好的")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def commands(recorder: Recorder, monkeypatch) -> Registry:
    """Throwaway commands, with their texts added to the catalogue for the test only."""
    for key, text in {"help_ping": "打卡签到：/ping", "ping_in_private": "请私聊我打卡。",
                      "help_close": "结单：/close 工单号", "huddle_in_group": "请在群里集合。",
                      "help_sweep": "全区清扫：/sweep", "help_huddle": "集合：/huddle"}.items():
        # The cached catalogue itself, so that t() and the registry's own check see them.
        monkeypatch.setitem(texts._catalogue(texts.DEFAULT_LOCALE), key, text)
    return Registry(
        Command("ping", recorder, ("打卡",), Role.MEMBER, place=Place.PRIVATE,
                elsewhere="ping_in_private", button=True, menus=frozenset({Menu.PRIVATE}),
                help="help_ping"),
        Command("done", recorder, ("好了",), Role.MEMBER, reply=True),
        Command("close", recorder, ("结单",), Role.ORDER_ADMIN, help="help_close"),
        Command("huddle", recorder, ("集合",), place=Place.GROUP, elsewhere="huddle_in_group",
                menus=frozenset({Menu.GROUP}), help="help_huddle"),
        Command("sweep", recorder, (), Role.DISTRICT_ADMIN, help="help_sweep"),
    )


def say(chat: Chat, commands: Registry, user: str, text: str = "", group: str | None = None,
        press: str | None = None) -> list[str]:
    """``user`` writes to a bot that knows only ``commands``; a refusal is what they read."""
    incoming = Incoming("console", group or user, user, text, is_group=group is not None,
                        button=press)
    try:
        with transaction(chat.engine) as session:
            ctx = Context(session, POLICY, chat.clock.now())
            return [m.text for m in router.handle(ctx, incoming, commands)]
    except WorkflowError as refusal:
        return [str(refusal)]


def test_a_declared_command_answers_to_its_name_and_its_alias(chat, commands, recorder) -> None:
    assert say(chat, commands, "m1", "/ping 1") == ["好的"]
    assert say(chat, commands, "m1", "打卡 2") == ["好的"]
    assert recorder.runs == [("m1", "李明", ["1"]), ("m1", "李明", ["2"])]


def test_the_wrong_role_is_refused_before_the_handler_runs(chat, commands, recorder) -> None:
    chat.say("zhang", NEED)

    assert say(chat, commands, "zhang", "/ping") == [NOT_A_MEMBER]
    assert say(chat, commands, "m1", "/close 1") == [ADMIN_ONLY]
    assert say(chat, commands, "admin", "/sweep") == ["只有街道管理员可以这样操作。"]
    assert recorder.runs == []


def test_an_order_admin_command_is_handed_the_order_it_names(chat, commands, recorder) -> None:
    chat.say("zhang", NEED)

    assert say(chat, commands, "admin", "/close 9") == ["没有找到工单 #9。"]
    assert say(chat, commands, "admin", "结单 1") == ["好的"]
    assert recorder.runs == [("admin", "#1", ["1"])]


def test_a_district_admin_is_handed_every_community(chat, commands, recorder) -> None:
    with transaction(chat.engine) as session:
        session.add(Admin(channel="console", user_id="boss"))
        session.add(Identity(channel="console", user_id="boss"))

    assert say(chat, commands, "boss", "/sweep") == ["好的"]
    assert recorder.runs == [("boss", "1 communities", [])]


def test_a_command_in_the_wrong_place_is_told_where_privately(chat, commands, recorder) -> None:
    assert say(chat, commands, "m1", "/ping", group="g1") == ["请私聊我打卡。"]
    assert say(chat, commands, "m1", "集合") == ["请在群里集合。"]
    assert say(chat, commands, "m1", "集合", group="g1") == ["好的"]
    assert recorder.runs == [("m1", "", [])]


def test_a_button_and_a_bare_reply_trigger_only_what_allows_them(chat, commands,
                                                                 recorder) -> None:
    assert say(chat, commands, "m1", press="ping:7") == ["好的"]
    assert say(chat, commands, "m1", "完成了 7") == ["好的"]  # the reply parser reads "done"
    assert say(chat, commands, "admin", press="close:1") == ["这个按钮已失效。"]
    assert say(chat, commands, "m1", "我来")[0].startswith("您好，我是社区吹哨助手")  # no accept
    assert recorder.runs == [("m1", "李明", ["7"]), ("m1", "李明", ["7"])]


def test_the_menus_list_what_is_declared_for_them_in_order(commands) -> None:
    assert (commands.menu(Menu.PRIVATE), commands.menu(Menu.GROUP)) == (
        [("ping", "打卡签到：/ping")], [("huddle", "集合：/huddle")])


def test_help_lists_each_command_under_the_role_that_may_run_it(chat, commands) -> None:
    with transaction(chat.engine) as session:
        member = session.exec(select(Identity).where(Identity.user_id == "m1")).one()
        resident = people.identity(session, "console", "zhang")
        assert (commands.guide(session, member), commands.guide(session, resident)) == (
            f"{RESIDENTS}\n集合：/huddle\n\n党员志愿者：\n打卡签到：/ping",
            f"{RESIDENTS}\n集合：/huddle")


def test_buttons_read_as_the_words_to_reply_with(commands) -> None:
    buttons = (Button("打卡", "ping:3"), Button("结单", "close:3"))

    assert commands.hints(buttons) == "回复「打卡 3」打卡"
    assert commands.hints(buttons, "发送「打卡 3」即可") == ""


@pytest.mark.parametrize(("declared", "complaint"), [
    pytest.param(Command("签到", Recorder()), "Telegram", id="not-latin"),
    pytest.param(Command("away", Recorder(), place=Place.GROUP), "wrong place",
                 id="place-without-refusal"),
    pytest.param(Command("shown", Recorder(), menus=frozenset({Menu.GROUP})), "help text",
                 id="menu-without-description"),
    pytest.param(Command("typo", Recorder(), help="help_no_such_key"), "catalogue",
                 id="missing-text"),
    pytest.param(Command("again", Recorder(), ("帮助",)), "more than one", id="alias-twice"),
])
def test_a_declaration_that_cannot_work_is_refused_at_once(declared: Command,
                                                          complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        Registry(*COMMANDS, declared)


def test_the_bots_help_shows_each_sender_their_sections(chat: Chat) -> None:
    resident = chat.say("zhang", "/help").to("zhang")[0]
    admin = chat.say("admin", "帮助").to("admin")[0]

    assert [line for line in resident.splitlines() if line.endswith("：")] == []
    assert [line for line in admin.splitlines() if line.endswith("：")] == ["社区管理员："]
    assert "通过诉求并吹哨：/approve 工单号 [类别] [新时间]" in admin.splitlines()


def test_the_bots_buttons_read_as_their_chinese_words() -> None:
    whistle = (Button("接单", "accept:12"),)
    stars = tuple(Button("★" * n, f"rate:12:{n}") for n in range(1, 6))

    assert (COMMANDS.hints(whistle), COMMANDS.hints(stars)) == (
        "回复「接单 12」接单", "回复「评价 12 星数」为服务打分，例如：评价 12 5")
