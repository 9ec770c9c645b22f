"""The reply parser's round-8 rules (nlu/reply_shapes.py, nlu/reply_accepts.py,
nlu/reply_voices.py, nlu/reply_stars.py, nlu/reply_withdraws.py, nlu/reply_turns.py,
nlu/replies.py): a resident calling off their need, crafts and talks that finish the work,
reasons that keep a volunteer home (appointments, children, an apology before any reason,
somewhere else to be), progress that is no yes, more offers, done in part, ratings by degree
and half stars. Each test holds texts of its own, in no tuning file, and fails when its rule is
removed."""

from __future__ import annotations

import re

import pytest

from nlu import parse_reply
from nlu.reply_shapes import by_first_character


def _intent(text: str) -> str:
    return parse_reply(text).intent


@pytest.mark.parametrize("text", ["甭派人了 孙子回来修了", "不必上门了哈", "别过来了 灯又好了",
                                  "报修单子撤销吧", "撤回我的求助 谢谢社区"])
def test_calling_off_ones_own_need_withdraws(text: str) -> None:
    assert _intent(text) == "withdraw"


@pytest.mark.parametrize(("text", "intent"), [
    ("我接的那个单子取消吧", "decline"),
    ("取消报名 家里有事", "decline"),
])
def test_a_volunteer_cancelling_their_own_part_declines(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["铁门焊牢了", "窗框钉好了", "墙洞砌好了", "管道通好了",
                                  "已经协调好了 明天起错峰停车", "两边说和了 谈好了"])
def test_crafts_and_talks_that_settle_it_are_done(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize("text", ["周末约了牙医 去不成", "我明早约了体检", "晚上要照顾我妈",
                                  "今晚要辅导闺女写作业"])
def test_an_appointment_or_someone_to_look_after_declines(text: str) -> None:
    assert _intent(text) == "decline"


@pytest.mark.parametrize("text", ["行 我刚好在隔壁", "可以的 我恰好住对面"])
def test_a_yes_with_being_near_by_chance_accepts(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize("text", ["我下午过去帮一把", "我现在去帮个忙"])
def test_going_to_lend_a_hand_accepts(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize("text", ["物业说明天派人来", "快递员说傍晚能送到", "医生说下周能出院"])
def test_the_word_of_those_the_work_goes_through_answers_nothing(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize("text", ["阳光真好 出来走走", "今天空气特别好"])
def test_the_weather_doing_well_is_no_rating(text: str) -> None:
    assert _intent(text) == "none"


def test_a_refusal_held_by_a_polite_word_declines() -> None:
    assert _intent("婉拒 这周排满了") == "decline"


@pytest.mark.parametrize("text", [
    "不用了 我闺女给弄好了", "我们自己修好了 谢谢", "孙子放学回来弄好了", "这事不用操心了",
    "撤一下我的报修"])
def test_the_need_gone_by_the_senders_own_side_withdraws(text: str) -> None:
    assert _intent(text) == "withdraw"


@pytest.mark.parametrize("text", [
    "墙上的标语全部贴完", "已随访 一切正常", "门禁锁好了", "号挂好了 周五上午", "保姆已经找好了",
    "已经恢复供水了", "网线接好了", "现在有热水了"])
def test_more_work_verbs_and_troubles_gone_are_done(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize("text", ["可是娃娃突然咳嗽了", "昨晚过敏了 今天去不成", "我得陪老伴去复查",
                                  "我实在撑不住了 下回吧", "下周我在成都学习"])
def test_more_reasons_that_keep_a_volunteer_home_decline(text: str) -> None:
    assert _intent(text) == "decline"


@pytest.mark.parametrize("text", ["这摊事我包圆", "给我 我来办", "洗完碗就过去", "开完会再去"])
def test_more_shapes_of_taking_the_call_accept(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize("text", ["零件还没到 下午再跑一趟", "人还没齐 下午我接着来"])
def test_coming_back_to_finish_is_progress_not_a_yes(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize("text", ["算上我家一个", "我们单位出两个人", "搬桌子的活交给我吧",
                                  "来啦来啦",
                                  "今晚我送大爷去车站", "等我到了跟你说", "我参与"])
def test_round_8c_shapes_of_taking_the_call_accept(text: str) -> None:
    assert _intent(text) == "accept"


def test_the_senders_own_family_at_a_time_is_a_reason_not_an_escort() -> None:
    assert _intent("明早我送孩子上学") != "accept"


@pytest.mark.parametrize("text", ["已经在路上了 快到了", "刚出门了 马上到"])
def test_arriving_on_the_way_is_progress(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize("text", ["不用帮我取了 快递员送上门了", "目前不需要了",
                                  "这个需求取消吧 好了"])
def test_round_8c_withdrawals(text: str) -> None:
    assert _intent(text) == "withdraw"


@pytest.mark.parametrize("text", ["走失的大爷找到了", "地下室的水抽干了", "已经上门测好了血糖",
                                  "夜里的巡查结束"])
def test_round_8c_done_shapes(text: str) -> None:
    assert _intent(text) == "done"


def test_a_photo_praised_is_no_rating() -> None:
    assert _intent("合影拍得真好看") == "none"


def test_an_operation_keeps_the_sender_home() -> None:
    assert _intent("我老婆刚动完手术") == "decline"


@pytest.mark.parametrize("text", ["不好意思 周末得去趟丈母娘家", "对不住 我这两天老胃病",
                                  "sorry 那天外婆过生日"])
def test_an_apology_with_a_reason_after_it_declines(text: str) -> None:
    assert _intent(text) == "decline"


@pytest.mark.parametrize("text", ["不好意思 刚看到群消息", "抱歉抱歉", "不好意思 问下几点开始？",
                                  "对不起 还没弄好 下午接着弄"])
def test_an_apology_for_nothing_refused_says_nothing(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize("text", ["我明天要去北京", "周六得回老家", "下午要赶去接外孙",
                                  "明天得去趟银行"])
def test_somewhere_else_to_be_at_the_time_declines(text: str) -> None:
    assert _intent(text) == "decline"


@pytest.mark.parametrize("text", ["我下午要去帮忙", "我下午要去老李家修水管", "我明天要去社区"])
def test_going_at_a_time_to_do_the_work_is_no_refusal(text: str) -> None:
    assert _intent(text) != "decline"


@pytest.mark.parametrize("text", ["我再想想 说不定要加班", "也许有事 到时候看"])
def test_a_reason_only_guessed_at_leaves_the_answer_open(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize("text", ["在修着呢", "还在弄水管呢"])
def test_being_at_the_work_is_no_being_elsewhere(text: str) -> None:
    assert _intent(text) == "none"


def test_being_elsewhere_still_declines() -> None:
    assert _intent("我在昆明呢") == "decline"


@pytest.mark.parametrize(("text", "intent"), [
    ("我们楼的事不用管了", "withdraw"),
    ("不用了 我儿子给送来了", "withdraw"),
    ("零件买了 明天装", "none"),
    ("钱帮老人存好了", "done"),
    ("收到 我跟进", "accept"),
    ("跟进中", "none"),
])
def test_round_8d_shapes(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["把我从接龙里划掉", "我名字删了吧 临时有事", "去掉我 不好意思"])
def test_striking_ones_name_off_the_sign_up_declines(text: str) -> None:
    assert _intent(text) == "decline"


@pytest.mark.parametrize("text", ["把我也加上", "我的名字填上 周日可以", "我整", "整呗 几点"])
def test_putting_ones_name_on_and_the_north_eastern_yes_accept(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize("text", ["协调成功了", "两口子谈拢了", "邻里已经和解了", "握手言和了"])
def test_a_dispute_settled_is_done(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize("text", ["下雪就算了", "要是人够了就不来了"])
def test_a_refusal_only_if_something_happens_leaves_the_answer_open(text: str) -> None:
    assert _intent(text) == "none"


def test_a_refusal_at_a_time_still_declines() -> None:
    assert _intent("今天就算了") == "decline"


@pytest.mark.parametrize("text", ["撤了吧 我们自己解决", "我自己去弄了 谢谢"])
def test_seeing_to_it_on_ones_own_withdraws(text: str) -> None:
    assert _intent(text) == "withdraw"


def test_sorting_is_work_done() -> None:
    assert _intent("物资都分完了") == "done"


@pytest.mark.parametrize("text", [
    "周日我有个聚会", "我后天面试", "今晚恐怕不太方便", "下午得接外孙女", "手上活儿太多",
    "最近好累 歇几天", "我周末去吃酒席", "这次先不了"])
def test_taken_up_at_the_time_declines(text: str) -> None:
    assert _intent(text) == "decline"


def test_a_meeting_announced_without_the_sender_is_no_refusal() -> None:
    assert _intent("@所有人 后天开会") == "none"


@pytest.mark.parametrize("text", [
    "我来帮你这个忙", "这摊事我管了", "有我在", "我过去帮大家", "我接大妈去社区", "我可以当引导员",
    "就算我吧", "收到 立即对接", "我喊上我弟一块儿", "算上我"])
def test_more_offers_accept(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize("text", ["我送孩子上学", "我带娃呢"])
def test_the_senders_own_errands_are_no_offer(text: str) -> None:
    assert _intent(text) != "accept"


@pytest.mark.parametrize("text", ["楼道灯亮咯", "热水来了", "暖气也热乎了", "药已送到大爷手里",
                                  "已经落实了", "老两口安顿好了", "三轮车挪了"])
def test_round_8_more_done_shapes(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize("text", ["热水来了吗", "还没来暖气"])
def test_a_trouble_gone_asked_after_or_denied_is_not_done(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize(("text", "stars"), [
    ("真的很不错", 5), ("非常不错 谢谢", 5), ("服务很到位", 5), ("3.5星", 3), ("4.5分 挺好", 4)])
def test_round_8_rating_degrees_and_half_stars(text: str, stars: int) -> None:
    reply = parse_reply(text)
    assert (reply.intent, reply.stars) == ("rating", stars)


def test_a_duty_in_place_is_no_praise() -> None:
    assert _intent("马上到位") == "accept"


@pytest.mark.parametrize("text", ["装好一半了", "还没彻底弄好", "通好了 但还是有点堵",
                                  "灯换了 还是不亮"])
def test_done_in_part_or_with_the_trouble_still_there_is_progress(text: str) -> None:
    assert _intent(text) == "none"


def test_a_help_request_closed_by_its_sender_withdraws() -> None:
    assert _intent("我的报修单可以关了") == "withdraw"


def test_words_grouped_by_first_character_match_as_the_plain_alternation() -> None:
    words = ["修", "修理", "修复", "换", "打扫", "打开", "通知"]
    grouped = re.compile(f"(?:{by_first_character(words)})")
    assert [grouped.fullmatch(w) is not None for w in [*words, "打", "修好"]] == \
        [True] * len(words) + [False, False]
