"""A community's office sets its own rules without a developer: /auto, /settings, the CLI."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from storage.db import transaction
from storage.models import Community, Order
from tests.chat import Chat

AUTO_ON = ("「幸福里社区」自动审核：开。分类把握在 70% 以上的诉求不经审核直接吹哨，"
           "其余仍由管理员审核。")
NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


def status(chat: Chat, order_id: int) -> str:
    with transaction(chat.engine) as session:
        return session.get_one(Order, order_id).status


def test_auto_on_lets_a_sure_need_whistle_at_once_and_off_sends_it_to_review(chat) -> None:
    assert chat.say("admin", "/auto on").to("admin") == [
        AUTO_ON]
    assert "已向党员志愿者吹哨" in chat.say("zhang", NEED).to("zhang")[0]
    assert status(chat, 1) == "open"

    assert chat.say("admin", "自动审核 关").to("admin") == [
        "「幸福里社区」自动审核：关。每条诉求都由管理员审核后再吹哨。"]
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    assert status(chat, 2) == "submitted"


def test_auto_alone_says_what_it_is_and_a_strange_word_is_explained(chat) -> None:
    assert chat.say("admin", "/auto").to("admin") == [
        "「幸福里社区」自动审核：关。每条诉求都由管理员审核后再吹哨。"]
    assert chat.say("admin", "/auto maybe").to("admin") == [
        "用法：/auto 开 或 /auto 关（也可以发送「自动审核 开」）。"]
    with transaction(chat.engine) as session:
        assert session.exec(select(Community.auto_approve)).one() is False


def test_only_the_communitys_admins_switch_it(chat) -> None:
    assert chat.say("m1", "/auto on").to("m1") == ["只有本社区的管理员可以这样操作。"]
    with transaction(chat.engine) as session:
        assert session.exec(select(Community.auto_approve)).one() is False


def test_settings_shows_every_rule_in_one_message(chat) -> None:
    chat.say("admin", "/quota 2 30")
    chat.say("admin", "/auto 开")

    assert chat.say("admin", "设置").to("admin") == ["\n".join([
        "「幸福里社区」现行规则：",
        "自动审核：开（开启后，分类把握在 70% 以上的诉求不经审核直接吹哨）",
        "认领时限：3 天（吹哨后无人接单即报管理员）",
        "评价时限：24 小时",
        "逾期督办：14 天未办结即督办",
        "时限计日：按自然日",
        "默认好评：关（评价期满居民未评价，按未评价办结）",
        "考核指标：每季度至少服务 2 次，全年至少 30 小时",
        "报到范围：距工单地点 500 米以内",
        "修改：/auto 开|关，/quota 次数 时长，/timers 接单 24小时（详见 /help）。",
    ])]


def test_settings_follow_the_communitys_own_time_rules(chat, settings) -> None:
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": str(chat.engine.url)}
    assert runner.invoke(app, ["timers", "幸福里", "--claim-hours", "36", "--working-days",
                               "--default-good"], env=env).exit_code == 0

    shown = chat.say("admin", "/settings").to("admin")[0]
    assert "认领时限：36 小时" in shown
    assert "时限计日：按工作日" in shown
    assert "默认好评：开（评价期满居民未评价，按好评办结）" in shown


def test_settings_are_for_admins_and_told_privately_even_in_a_group(chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    asked = chat.say("admin", "/settings", group="g1")
    assert asked.in_group("g1") == []
    assert asked.to("admin")[0].startswith("「幸福里社区」现行规则：")
    assert chat.say("zhang", "/settings").to("zhang") == ["只有本社区的管理员可以这样操作。"]


def test_the_command_line_switches_auto_approve(chat) -> None:
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": str(chat.engine.url)}

    switched = runner.invoke(app, ["community", "auto", "幸福里社区", "on"], env=env)
    assert (switched.exit_code, switched.stdout.strip()) == (0, AUTO_ON)
    assert "已向党员志愿者吹哨" in chat.say("zhang", NEED).to("zhang")[0]

    assert runner.invoke(app, ["community", "auto", "幸福里社区", "关"], env=env).exit_code == 0
    with transaction(chat.engine) as session:
        assert session.exec(select(Community.auto_approve)).one() is False

    refused = runner.invoke(app, ["community", "auto", "幸福里社区", "maybe"], env=env)
    assert (refused.exit_code, refused.stderr.strip()) == (
        2, "「maybe」看不懂，请写 on 或 off（开 或 关）。")
    shown = runner.invoke(app, ["community", "settings", "幸福里社区"], env=env)
    assert shown.stdout.startswith("「幸福里社区」现行规则：\n自动审核：关")


def test_timers_in_chat_set_the_time_rules_and_a_new_order_follows_them(chat) -> None:
    shown = chat.say("admin", "/timers 接单 36小时 评价 2天 超期 10 工作日 开").to("admin")[0]
    assert [line for line in shown.splitlines() if "时限" in line or "督办" in line][:4] == [
        "认领时限：36 小时（吹哨后无人接单即报管理员）", "评价时限：2 天",
        "逾期督办：10 天未办结即督办", "时限计日：按工作日（法定节假日和周末不计，调休上班日照算）"]

    chat.say("admin", "/timers 工作日 关")
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1")
    with transaction(chat.engine) as session:
        order = session.get_one(Order, 1)
    assert order.claim_deadline - order.opened_at == timedelta(hours=36)


def test_timers_back_to_the_defaults(chat) -> None:
    chat.say("admin", "/timers 接单 36小时 默认好评 开")
    shown = chat.say("admin", "/timers 默认").to("admin")[0]
    assert "认领时限：3 天" in shown
    assert "默认好评：关（评价期满居民未评价，按未评价办结）" in shown


def test_timers_explain_a_bad_word_and_change_nothing(chat) -> None:
    assert chat.say("admin", "/timers 接单 36小时 打卡 2天").to("admin") == [
        "「打卡」不是时限项目。可设置：接单、评价、超期、默认好评、工作日。"]
    assert chat.say("admin", "/timers 评价 很久").to("admin") == [
        "「评价」的时长「很久」看不懂，请写成 24小时 或 2天。"]
    assert chat.say("admin", "/timers 默认好评 也许").to("admin") == [
        "「默认好评」只能设为 开 或 关，收到的是「也许」。"]
    assert chat.say("admin", "/timers 接单").to("admin")[0].startswith("用法：/timers")
    assert "认领时限：3 天" in chat.say("admin", "/timers").to("admin")[0]
    assert chat.say("zhang", "/timers 接单 1小时").to("zhang") == [
        "只有本社区的管理员可以这样操作。"]


def test_timers_in_a_bound_group_show_the_rules_just_set(chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")

    shown = chat.say("admin", "/timers 接单 24小时", group="g1")

    assert "认领时限：24 小时（吹哨后无人接单即报管理员）" in shown.to("admin")[0]
    assert shown.in_group("g1") == []
