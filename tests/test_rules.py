"""Each rule of the core loop, and each refusal, as a short chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from storage.db import transaction
from storage.models import Admin, CheckIn, Community, Member, Order
from tests.chat import Chat

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


def status(chat: Chat, order_id: int = 1) -> str:
    with transaction(chat.engine) as session:
        return session.get(Order, order_id).status


def open_order(chat: Chat, text: str = NEED, duty: str = "sanitation") -> None:
    chat.say("zhang", text)
    chat.say("admin", f"/approve 1 {duty}")


@pytest.mark.parametrize("text", [
    pytest.param("收到", id="ack"), pytest.param("👍", id="emoji"),
    pytest.param("大家早上好", id="greeting"),
    pytest.param("谢谢党员志愿者来打扫卫生", id="thanks"),
])
def test_group_chatter_gets_no_reply_and_no_order(chat: Chat, text: str) -> None:
    assert not chat.say("zhang", text, group="g1")
    assert status_count(chat) == 0


def status_count(chat: Chat) -> int:
    with transaction(chat.engine) as session:
        return len(session.exec(select(Order)).all())


def test_an_admins_post_in_the_group_is_a_notice(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    assert not chat.say("admin", "通知：5栋垃圾明天统一清运，请大家配合", group="g1")
    assert status_count(chat) == 0


def test_private_chatter_gets_a_hint_not_an_order(chat: Chat) -> None:
    assert "/need" in chat.say("zhang", "大家早上好").to("zhang")[0]
    assert status_count(chat) == 0


def test_private_thanks_is_not_filed_as_a_need(chat: Chat) -> None:
    assert "社区吹哨助手" in chat.say("zhang", "谢谢李师傅帮忙修好了水管").to("zhang")[0]
    assert status_count(chat) == 0


def test_need_command_files_whatever_the_classifier_thinks(chat: Chat) -> None:
    filed = chat.say("zhang", "/need 想找人聊聊天")
    assert "#1" in filed.to("zhang")[0]
    assert status(chat) == "submitted"


def test_with_several_communities_the_bot_asks_once_and_remembers(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
    asked = chat.say("zhang", NEED)
    assert "哪个社区" in asked.to("zhang")[0]
    assert status_count(chat) == 0
    assert "没有找到" in chat.say("zhang", "火星社区").to("zhang")[0]
    assert "#1" in chat.say("zhang", "幸福里").to("zhang")[0]
    assert "#2" in chat.say("zhang", "3栋楼道灯坏了好几天了，请派人修一下").to("zhang")[0]


def test_only_the_communitys_admins_run_admin_commands(chat: Chat) -> None:
    chat.say("zhang", NEED)
    assert chat.say("zhang", "/approve 1 sanitation").only("zhang") == [
        "只有本社区的管理员可以这样操作。"]
    assert chat.say("m1", "/pending").only("m1") == ["只有本社区的管理员可以这样操作。"]
    assert status(chat) == "submitted"


def test_an_illegal_move_is_refused_and_changes_nothing(chat: Chat) -> None:
    open_order(chat)
    refused = chat.say("admin", "/reject 1 重复")
    assert refused.only("admin") == ["工单 #1 当前是「待接单」，不能变为「已驳回」。"]
    assert status(chat) == "open"


def test_reject_needs_a_reason_and_tells_the_resident(chat: Chat) -> None:
    chat.say("zhang", NEED)
    assert "写明理由" in chat.say("admin", "/reject 1").to("admin")[0]
    rejected = chat.say("admin", "/reject 1 属于市政管辖，已转12345")
    assert "属于市政管辖" in rejected.to("zhang")[0]
    assert status(chat) == "rejected"


def test_cancel_tells_the_resident_and_the_accepted_members(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    cancelled = chat.say("admin", "/cancel 1 居民已自行解决")
    assert cancelled.pop("zhang") == "工单 #1 已取消。原因：居民已自行解决"
    assert cancelled.pop("m1") == "工单 #1 已取消。原因：居民已自行解决"
    assert cancelled.pop("admin") == "工单 #1 已取消。"
    cancelled.nothing_else()  # m4 and m6 were whistled but never accepted
    assert status(chat) == "cancelled"


def test_a_repeated_need_is_merged_into_the_open_order(chat: Chat) -> None:
    open_order(chat)
    merged = chat.say("li", NEED)
    assert "已有相同诉求 #1 正在处理" in merged.to("li")[0]
    assert status(chat, 2) == "merged"


def test_auto_approving_communities_whistle_at_once(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.exec(select(Community)).one().auto_approve = True
    filed = chat.say("zhang", NEED)
    assert "已向党员志愿者吹哨" in filed.to("zhang")[0]
    assert "@m6" in filed.recipients()
    assert status(chat) == "open"


def test_an_event_takes_exactly_its_capacity(chat: Chat) -> None:
    called = chat.say("admin", "/whistle 环境保洁 2 周六上午 小区大扫除，需要2人")
    assert called.pop("admin") == "已发起吹哨，工单 #1。"
    whistles = [called.pop(member) for member in ("m1", "m4", "m6")]  # the sanitation duty
    assert [text.startswith("【吹哨】工单 #1｜环境保洁") for text in whistles] == [True] * 3
    called.nothing_else()
    assert chat.press("m1", "accept:1").only("m1")[0].startswith("接单成功")
    assert chat.press("m4", "accept:1").only("m4")[0].startswith("接单成功")
    assert "名额已满" in chat.press("m6", "accept:1").only("m6")[0]
    assert status(chat) == "claimed"
    detail = chat.say("admin", "/order 1").to("admin")[0]
    assert "— → 待审核 社区发起吹哨活动" in detail
    assert "待审核 → 待接单" in detail


def test_an_event_with_no_resident_closes_when_done(chat: Chat) -> None:
    chat.say("admin", "/whistle safety 1 今晚 小区夜间巡逻")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    assert status(chat) == "closed"


def test_a_withdrawal_reopens_a_full_order(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    assert status(chat) == "claimed"
    chat.say("m1", "不去了，临时有事")
    assert status(chat) == "open"
    assert chat.press("m4", "accept:1").to("m4")[0].startswith("接单成功")


def test_a_member_checks_in_only_to_an_order_they_accepted(chat: Chat) -> None:
    open_order(chat)
    assert chat.say("m4", "/checkin 1").to("m4") == ["您没有接工单 #1。"]
    assert chat.say("m4", "/done 1").to("m4") == ["您没有接工单 #1。"]


def test_done_before_check_in_is_refused(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    assert "请先到场报到" in chat.say("m1", "/done 1").to("m1")[0]
    assert status(chat) == "claimed"


def test_check_in_far_from_the_place_is_refused(chat: Chat) -> None:
    open_order(chat)
    with transaction(chat.engine) as session:
        order = session.get(Order, 1)
        order.lat, order.lon = 31.2304, 121.4737
    chat.press("m1", "accept:1")
    far = chat.say("m1", "/checkin 1", location=(31.2404, 121.4737))
    assert "超出 500 米" in far.to("m1")[0]
    assert status(chat) == "claimed"
    chat.say("m1", "/checkin 1", location=(31.2310, 121.4740))
    assert status(chat) == "in_progress"


def test_a_resident_rates_only_their_own_order(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    assert chat.say("li", "/rate 1 5").to("li") == ["只能评价您自己提交的工单（#1 不是您的）。"]
    assert chat.press("li", "rate:1:1").to("li") == ["只能评价您自己提交的工单（#1 不是您的）。"]
    assert status(chat) == "awaiting_rating"
    chat.say("zhang", "/rate 1 4")
    assert status(chat) == "closed"


def test_a_bare_reply_with_two_open_orders_asks_which(chat: Chat) -> None:
    open_order(chat)
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    chat.say("admin", "/approve 2 sanitation")
    asked = chat.say("m6", "我来")
    assert "#2 #1" in asked.to("m6")[0]
    chat.say("m6", "接单 2")
    assert status(chat, 2) == "claimed"


def test_recat_and_assign_write_history(chat: Chat) -> None:
    open_order(chat)
    chat.say("admin", "/recat 1 safety")
    assigned = chat.say("admin", "/assign 1 刘洋")
    assert assigned.to("admin") == ["已将工单 #1 指派给 刘洋。"]
    detail = chat.say("admin", "/order 1").to("admin")[0]
    assert "类别：环境保洁 → 平安守护" in detail
    assert "社区指派 刘洋" in detail
    assert "11-23 09:00" in detail  # 01:00 UTC, shown in Shanghai time


def test_orders_filters_by_status(chat: Chat) -> None:
    open_order(chat)
    assert "#1" in chat.say("admin", "/orders open").to("admin")[0]
    assert chat.say("admin", "/orders closed").to("admin") == ["工单：暂无。"]
    assert "没有「later」这个状态" in chat.say("admin", "/orders later").to("admin")[0]


@pytest.mark.parametrize(("text", "reply"), [
    pytest.param("/approve", "请写上工单号，例如 12。", id="missing"),
    pytest.param("/approve abc", "「abc」不是工单号，工单号是数字，例如 12。", id="not-a-number"),
    pytest.param("/approve 99", "没有找到工单 #99。", id="unknown"),
    pytest.param("/frobnicate", "没有这个命令，发送 /help 查看用法。", id="unknown-command"),
    pytest.param("/whistle safety ² 今晚 巡逻", "人数「²」不对，请写 1 到 1000 之间的数字。",
                 id="superscript-capacity"),
])
def test_bad_input_gets_a_clear_answer(chat: Chat, text: str, reply: str) -> None:
    assert chat.say("admin", text).to("admin") == [reply]


def test_registration_survives_a_restart(chat: Chat, settings) -> None:
    assert "在「幸福里社区」注册" in chat.say("newbie", "/register").to("newbie")[0]
    chat.say("newbie", "周敏")
    restarted = Chat(chat.engine, settings, chat.clock.now())
    assert "没有识别出手机号" in restarted.say("newbie", "不告诉你").to("newbie")[0]
    assert "工作单位" in restarted.say("newbie", "13700000009").to("newbie")[0]
    assert "网格" in restarted.say("newbie", "区民政局").to("newbie")[0]
    assert "有空" in restarted.say("newbie", "第二网格").to("newbie")[0]
    assert "技能" in restarted.say("newbie", "周末").to("newbie")[0]
    assert "职责" in restarted.say("newbie", "跳过").to("newbie")[0]
    assert "不是可选的职责" in restarted.say("newbie", "9").to("newbie")[0]
    assert "注册成功" in restarted.say("newbie", "7，8").to("newbie")[0]
    profile = restarted.say("newbie", "/me").to("newbie")[0]
    assert "区民政局" in profile
    assert "便民服务、扶贫济困" in profile
    assert "空闲时间：周末" in profile


def test_a_bare_number_in_a_group_is_not_a_rating(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    chat.say("zhang", "1", group="g1")
    assert status(chat) == "awaiting_rating"
    chat.say("zhang", "满意")
    assert status(chat) == "closed"


def test_assign_names_a_member_by_account(chat: Chat) -> None:
    open_order(chat)
    assert chat.say("admin", "指派 1 m6").to("admin") == ["已将工单 #1 指派给 赵强。"]


def test_chinese_aliases_work_without_a_slash(chat: Chat) -> None:
    chat.say("zhang", NEED)
    assert chat.say("admin", "通过 1 环境保洁").to("admin") == ["工单 #1 已通过，已吹哨。"]
    assert chat.say("m6", "接单 1").to("m6")[0].startswith("接单成功")
    chat.say("m6", "报到 1")
    chat.say("m6", "完成 1")
    chat.say("zhang", "评价 1 5")
    assert status(chat) == "closed"


def test_an_admin_of_another_community_is_refused(chat: Chat) -> None:
    chat.say("zhang", NEED)
    with transaction(chat.engine) as session:
        other = Community(name="阳光社区")
        session.add(other)
        session.flush()
        session.add(Admin(channel="console", user_id="sun", community_id=other.id))
    assert chat.say("sun", "/approve 1 sanitation").to("sun") == [
        "只有本社区的管理员可以这样操作。"]
    assert status(chat) == "submitted"


def test_group_messages_never_show_the_residents_contact(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", "6栋3单元402家里水管爆了，急需维修，电话 139-1234-5678", group="g1")
    approved = chat.say("admin", "/approve 1 convenience")
    taken = chat.press("m2", "accept:1")
    group_text = " ".join(approved.in_group("g1") + taken.in_group("g1"))
    assert "1234" not in group_text
    assert "402" not in group_text
    assert "139****5678" in group_text
    assert "6栋3单元***" in group_text
    assert "139-1234-5678" in taken.to("m2")[0] or "13912345678" in taken.to("m2")[0]


def test_a_huge_order_number_is_simply_not_found(chat: Chat) -> None:
    assert chat.say("admin", "/order 99999999999999999999").to("admin") == [
        "没有找到工单 #99999999999999999999。"]
    assert chat.press("m1", "accept:99999999999999999999").to("m1")


def test_approve_on_a_claimed_order_is_refused(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    assert "只有待审核或已返单" in chat.say("admin", "/approve 1").only("admin")[0]
    assert status(chat) == "claimed"


def test_an_admin_of_another_community_cannot_take_a_bound_group(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    with transaction(chat.engine) as session:
        other = Community(name="阳光社区")
        session.add(other)
        session.flush()
        session.add(Admin(channel="console", user_id="sun", community_id=other.id))
    refused = chat.say("sun", "/bind 阳光社区", group="g1")
    assert refused.in_group("g1") == ["只有「幸福里社区」的管理员可以改动本群的绑定。"]
    filed = chat.say("zhang", NEED, group="g1")
    assert "@admin" in filed.recipients()


def test_a_reply_with_a_number_names_its_order(chat: Chat) -> None:
    open_order(chat)
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    chat.say("admin", "/approve 2 sanitation")
    chat.say("m6", "我来 1")
    assert (status(chat, 1), status(chat, 2)) == ("claimed", "open")
    chat.say("m6", "退出 1")
    assert status(chat, 1) == "open"


def test_a_bare_alias_in_a_group_that_fails_stays_silent(chat: Chat) -> None:
    for text in ("完成", "报到", "评价 一下今天的义诊，挺好", "通过 了吗", "工单"):
        assert not chat.say("li", text, group="g1"), text
    assert "还没有注册为党员志愿者" in chat.say("li", "/done", group="g1").in_group("g1")[0]


def test_registration_and_admin_views_are_private(chat: Chat) -> None:
    open_order(chat)
    registering = chat.say("newbie", "/register", group="g1")
    assert registering.in_group("g1") == []
    assert "私聊" in registering.to("newbie")[0]
    listing = chat.say("admin", "/pending", group="g1")
    assert listing.in_group("g1") == []
    assert listing.to("admin")


def test_an_event_finishes_when_everyone_holding_a_place_has_finished(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 3 周六上午 小区大扫除")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.press("m4", "accept:1")  # signing up after the first arrival still works
    chat.say("m1", "完成")
    chat.press("m6", "accept:1")
    chat.say("m4", "报到")
    chat.say("m4", "完成")
    assert status(chat) == "in_progress"
    assert "已经为工单 #1 标记过完成" in chat.say("m4", "/done 1").to("m4")[0]
    chat.say("m6", "/checkin 1")
    chat.say("m6", "/done 1")
    assert status(chat) == "closed"


def test_a_no_show_who_withdraws_lets_the_event_finish(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 2 周六上午 小区大扫除")
    chat.press("m1", "accept:1")
    chat.press("m4", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    assert status(chat) == "in_progress"
    assert "到场报到，不能退出" in chat.say("m1", "退出").to("m1")[0]
    chat.say("m4", "来不了了，不好意思")
    assert status(chat) == "closed"


def test_a_member_is_not_whistled_to_and_cannot_take_their_own_need(chat: Chat) -> None:
    chat.say("m1", NEED)
    whistled = chat.say("admin", "/approve 1 sanitation")
    assert whistled.buttons_for("m1") == []
    assert whistled.buttons_for("m4") == ["accept:1"]
    assert "通过社区审核" in whistled.to("m1")[0]
    assert "本人提交的诉求" in chat.press("m1", "accept:1").to("m1")[0]


def test_a_returned_order_is_whistled_to_others_and_the_resident_told(chat: Chat) -> None:
    finished_order(chat)
    chat.press("zhang", "rate:1:1")
    reopened = chat.say("admin", "/approve 1")
    assert "@m1" not in reopened.recipients()
    assert "@m4" in reopened.recipients()
    assert reopened.to("zhang") == ["您的诉求 #1 已重新派单，社区正在召集其他党员处理。"]


def test_a_withdrawal_is_told_to_everyone_concerned_and_whistled_again(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    withdrawn = chat.say("m1", "/decline 1")
    assert withdrawn.to("m1") == ["您已退出工单 #1。感谢告知，下次有合适的工单再找您！"]
    assert "重新召集" in withdrawn.to("zhang")[0]
    assert "【吹哨】" in withdrawn.to("m4")[0]


def test_a_members_reason_for_giving_back_a_place_reaches_the_admins(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")

    withdrawn = chat.say("m1", "不好意思，临时要出差 1")

    assert withdrawn.to("m1") == ["您已退出工单 #1。感谢告知，下次有合适的工单再找您！"]
    assert withdrawn.to("admin")[0].endswith("退出原因：不好意思，临时要出差")


def test_a_decline_command_gives_its_reason_without_the_command(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")

    withdrawn = chat.say("m1", "/decline 1 出差中")

    assert withdrawn.to("admin")[0].endswith("退出原因：出差中")


def test_assign_refusals_speak_to_the_admin(chat: Chat) -> None:
    open_order(chat)
    chat.say("admin", "/assign 1 刘洋")
    assert chat.say("admin", "/assign 1 刘洋").to("admin") == [
        "刘洋 已经接了工单 #1，无需再指派。"]
    assert "只有待接单的工单可以指派" in chat.say("admin", "/assign 1 赵强").to("admin")[0]


def test_a_need_waiting_for_its_community_survives_a_command(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
    chat.say("zhang", NEED)
    chat.say("zhang", "/my")
    assert "#1" in chat.say("zhang", "幸福里社区").to("zhang")[0]


@pytest.mark.parametrize("need", [
    pytest.param("6栋3单元402家里水管爆了，急需维修，电话 139-1234-5678", id="dong-unit"),
    pytest.param("3号楼2门502室老人摔倒了需要帮忙，电话：021-12345678", id="door-room"),
    pytest.param("我家在6栋，3单元 402 室，水管爆了急需维修，电话13912345678", id="spaced"),
])
def test_group_whistles_never_show_the_room_or_the_phone(chat: Chat, need: str) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", need, group="g1")
    whistle = chat.say("admin", "/approve 1 convenience").in_group("g1")[0]
    assert not any(part in whistle for part in ("402", "502", "1234"))


def finished_order(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")


def test_rate_takes_star_words_and_refuses_a_second_rating(chat: Chat) -> None:
    finished_order(chat)
    chat.say("zhang", "/rate 1 五星")
    assert status(chat) == "closed"
    assert chat.say("zhang", "评价 1 5星").to("zhang") == ["您已经评价过工单 #1 了，感谢！"]


def test_a_bare_photo_at_work_does_not_finish_the_order(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    assert "完成 1" in chat.say("m1", photo="before.jpg").to("m1")[0]
    assert status(chat) == "in_progress"


def test_overlong_needs_and_reasons_are_refused(chat: Chat) -> None:
    assert "1000 字以内" in chat.say("zhang", "/need " + "楼道灯坏了" * 300).to("zhang")[0]
    chat.say("zhang", NEED)
    assert "200 字以内" in chat.say("admin", "/reject 1 " + "理由" * 150).to("admin")[0]
    assert status(chat) == "submitted"


def test_a_resident_repeating_their_own_need_is_told_it_is_in_hand(chat: Chat) -> None:
    open_order(chat)
    assert "您已经提交过这个诉求（#1）" in chat.say("zhang", NEED).to("zhang")[0]


def test_a_need_filed_in_a_group_is_answered_to_its_poster(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    assert chat.say("zhang", NEED, group="g1").in_group("g1")[0].startswith("@zhang ")


def test_me_counts_services_and_hours(chat: Chat) -> None:
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.advance(hours=1, minutes=30)
    chat.say("m1", "/done 1")
    profile = chat.say("m1", "/me").to("m1")[0]
    assert "幸福里社区 · 第一网格" in profile
    assert "已完成服务：1 次，累计 1.5 小时" in profile


def test_a_location_sent_after_a_photo_check_in_locates_it(chat: Chat) -> None:
    open_order(chat)
    with transaction(chat.engine) as session:
        order = session.get(Order, 1)
        order.lat, order.lon = 31.2304, 121.4737
    chat.press("m1", "accept:1")
    chat.say("m1", photo="/media/site.jpg")  # 未定位: no location could be sent
    assert "超出 500 米" in chat.say("m1", location=(31.2504, 121.4737)).to("m1")[0]
    assert chat.say("m1", location=(31.2305, 121.4737)).to("m1") == ["已为工单 #1 的报到补充位置。"]
    with transaction(chat.engine) as session:
        arrival = session.exec(select(CheckIn)).one()
    assert (arrival.lat, arrival.lon, arrival.located, arrival.photo) == (
        31.2305, 121.4737, True, "/media/site.jpg")


def test_a_members_own_need_is_filed_not_read_as_a_reply(chat: Chat) -> None:
    open_order(chat)  # an open order a reply could be mistaken for
    filed = chat.say("m4", "6栋楼道里的垃圾堆了一周，臭得不行，请社区派人处理")
    assert "编号 #2" in filed.to("m4")[0]


def test_residents_whose_repeat_was_merged_hear_how_it_ends(chat: Chat) -> None:
    open_order(chat)
    chat.say("li", NEED)
    assert "已接下" in chat.press("m1", "accept:1").to("li")[0]
    chat.say("m1", "/checkin 1")
    done = chat.say("m1", "/done 1")
    assert "已由党员" in done.to("li")[0]
    assert done.buttons_for("li") == [f"rate:1:{n}" for n in range(1, 6)]
    assert done.buttons_for("zhang") == [f"rate:1:{n}" for n in range(1, 6)]


def test_an_events_accept_message_has_no_empty_contact_lines(chat: Chat) -> None:
    chat.say("admin", "/whistle safety 2 今晚 小区夜间巡逻")
    text = chat.press("m1", "accept:1").to("m1")[0]
    assert "\n\n" not in text
    assert "居民电话" not in text


def test_a_rating_before_the_work_is_done_is_answered_kindly(chat: Chat) -> None:
    open_order(chat)
    assert chat.say("zhang", "满意").to("zhang") == [
        "您的诉求还在处理中，党员完成后会请您评价，谢谢！"]
    assert status(chat) == "open"


def test_assign_to_a_huge_member_number_finds_nobody(chat: Chat) -> None:
    open_order(chat)
    assert chat.say("admin", "/assign 1 99999999999").to("admin") == [
        "本社区没有找到党员「99999999999」。"]


def test_a_bare_reply_counts_only_in_the_members_own_group_right_after_a_whistle(
        chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    open_order(chat)
    assert not chat.say("m1", "我来", group="other")  # a group not bound to m1's community
    chat.advance(hours=3)
    assert not chat.say("m1", "我来", group="g1")  # long after the whistle: somebody's chat
    assert status(chat) == "open"
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    chat.say("admin", "/approve 2 sanitation")
    chat.say("m1", "我来", group="g1")
    assert (status(chat, 1), status(chat, 2)) == ("open", "claimed")


def test_the_community_question_is_asked_privately_and_needs_queue_up(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
    asked = chat.say("zhang", NEED, group="unbound")
    assert asked.in_group("unbound") == []
    assert "哪个社区" in asked.to("zhang")[0]
    assert not chat.say("zhang", "大家早上好", group="unbound")
    chat.say("zhang", "3栋楼道灯坏了好几天了，请派人修一下")
    assert "请先回复社区名称" in chat.say("zhang", "/register").to("zhang")[0]
    filed = chat.say("zhang", "幸福里社区").to("zhang")
    assert ["#1" in filed[0], "#2" in filed[1]] == [True, True]


def test_registration_can_be_cancelled_and_lapses_after_a_day(chat: Chat) -> None:
    chat.say("newbie", "/register")
    assert "已退出注册" in chat.say("newbie", "算了").to("newbie")[0]
    chat.say("newbie", "/register")
    chat.say("newbie", "周敏")
    chat.advance(days=2)
    assert "#1" in chat.say("newbie", NEED).to("newbie")[0]


def test_words_that_start_like_a_command_inside_registration_are_an_answer(chat: Chat) -> None:
    chat.say("newbie", "/register")
    for answer in ("周敏", "13700000009", "区民政局", "跳过", "周末"):
        chat.say("newbie", answer)
    assert "职责" in chat.say("newbie", "帮助老人 修电脑").to("newbie")[0]


@pytest.mark.parametrize(("answer", "duties"), [
    pytest.param("123", "党建指导、政策宣传、社务协调", id="digit-run"),
    pytest.param("1-2", "党建指导、政策宣传", id="range"),
    pytest.param("１ ２", "党建指导、政策宣传", id="full-width"),
    pytest.param("环境保洁, safety", "环境保洁、平安守护", id="names-and-codes"),
])
def test_the_duties_step_reads_how_people_answer(chat: Chat, answer: str, duties: str) -> None:
    chat.say("newbie", "/register")
    for step in ("周敏", "+86 137 0000 0009", "区民政局", "跳过", "跳过", "跳过"):
        chat.say("newbie", step)
    chat.say("newbie", answer)
    assert f"认领职责：{duties}" in chat.say("newbie", "/me").to("newbie")[0]


def test_auto_approval_leaves_an_unsure_need_to_review(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.exec(select(Community)).one().auto_approve = True
    chat.say("zhang", "/need 想找人聊聊天")
    assert status(chat) == "submitted"


def test_admins_hear_when_nobody_claimed_the_duty(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        for member in session.exec(select(Member)).all():
            member.duties = [d for d in member.duties if d != "sanitation"]
    chat.say("zhang", NEED)
    approved = chat.say("admin", "/approve 1 sanitation")
    assert any("没有认领该职责的党员" in text for text in approved.to("admin"))


def test_a_district_admin_sees_every_communitys_queue_labelled(chat: Chat) -> None:
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
        session.add(Admin(channel="console", user_id="district", role="district"))
    chat.say("zhang", NEED)
    chat.say("zhang", "幸福里社区")
    assert "〔幸福里社区〕#1" in chat.say("district", "/pending").to("district")[0]
    assert chat.say("district", "/approve 1 sanitation").to("district") == [
        "工单 #1 已通过，已吹哨。"]


def test_opening_and_finishing_set_the_deadlines(chat: Chat) -> None:
    start = chat.clock.now()
    open_order(chat)
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.advance(hours=2)
    chat.say("m1", "/done 1")
    with transaction(chat.engine) as session:
        order = session.get(Order, 1)
    assert (order.claim_deadline, order.overdue_at, order.rating_deadline) == (
        start + timedelta(days=3), start + timedelta(days=14),
        start + timedelta(hours=2, days=1))
