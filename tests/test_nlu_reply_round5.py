"""The reply parser's families added in round 5 (nlu/reply_shapes.py, nlu/reply_clauses.py,
nlu/reply_stars.py and the reply data files): each test names one family and holds phrasings
that no phrase row and no tuning line spells out, so it fails when the family's rule breaks."""

from __future__ import annotations

import pytest

from nlu import Reply, parse_reply


def _read(text: str) -> tuple[str, int | None]:
    reply = parse_reply(text)
    return reply.intent, reply.stars


@pytest.mark.parametrize(("text", "intent"), [
    ("唔得闲啊", "decline"), ("我今日唔去", "decline"), ("今晚唔得 要返工", "decline"),
    ("么得空", "decline"), ("这两天不得空", "decline"), ("阿拉勿来了", "decline"),
    ("么麻达 交给我", "accept"), ("我得空 我来", "accept"), ("弄巴适了", "done"),
])
def test_cantonese_wu_hubei_and_north_western_words_read_as_the_standard_word(
        text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize("text", ["🙋", "🙋‍♀️", "➕1"])
def test_a_raised_hand_or_a_wide_plus_one_signs_up(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["二十分钟到", "半小时后过去", "我也来一份"])
def test_minutes_to_arrive_and_joining_in_accept(text: str) -> None:
    assert _read(text) == ("accept", None)


def test_refusing_one_time_and_taking_another_accepts() -> None:
    assert _read("上午不行 下午可以") == ("accept", None)


@pytest.mark.parametrize("text", ["我抬不动", "这个我真搞不懂", "那我不弄了", "人在外地 月底才回来",
                                  "在上班 请不到假", "刚从医院出来 还在医院打针"])
def test_the_senders_own_cannot_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", [
    "楼上老人提不动 想找人帮忙", "在手机上弄不明白 能不能讲讲", "衣服都晒不干", "卡着办不下来",
])
def test_someone_elses_cannot_is_no_refusal(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", [
    "钥匙交给物业了", "已帮大妈缴了燃气费", "已陪大爷复查完了", "医药费帮报了", "奶奶已经平安到家",
    "柜子拾掇好了", "墙上的广告撕干净了", "通知单贴好了", "手续办下来了", "已经换了个新的",
    "搞归一了",
])
def test_the_work_done_for_someone_or_with_its_result_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["交给我了", "交给你了吗"])
def test_handing_to_the_sender_or_asking_is_no_done(text: str) -> None:
    assert _read(text)[0] != "done"


@pytest.mark.parametrize("text", [
    "前天那个水管修好了", "上次报过名了", "弄好了就好", "帮我家把车挪走了 谢谢",
])
def test_a_report_of_the_past_or_of_help_received_is_no_answer(text: str) -> None:
    assert _read(text) == ("none", None)


def test_a_report_of_the_past_still_withdraws_a_need() -> None:
    assert _read("之前的事自己解决了") == ("withdraw", None)


@pytest.mark.parametrize(("text", "stars"), [
    ("不咋满意啊", 2), ("老满意了 谢谢", 5), ("总体上还算满意", 3), ("满意呀满意十分满意", 5),
    ("满意 服务很好", 5), ("满意服务特别好", 5), ("满意 就是来得晚", 4), ("满意 非常满意", 5),
    ("有点失望", 2), ("太失望了", 1), ("不错不错", 4),
])
def test_degrees_in_more_words(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize(("text", "expected"), [
    ("4 师傅辛苦了", Reply("rating", 4, "师傅辛苦了")),
    ("2 号楼的我去", Reply("accept", None)),
    ("3 几点集合", Reply("none", None)),
    ("1. 王强 2. 我", Reply("accept", None)),
    ("2 楼漏水了", Reply("none", None)), ("3 个人来的", Reply("none", None)),
])
def test_a_bare_digit_opening_a_comment_rates_but_not_a_number(text: str,
                                                                expected: Reply) -> None:
    assert parse_reply(text) == expected


@pytest.mark.parametrize("text", [
    "我可以陪大妈去复查", "我在3栋楼下等你们", "下班顺道带过去", "我们支部五个人都去",
    "除了周一都可以", "只要是周末就行",
])
def test_an_offer_a_waiting_place_or_all_but_one_time_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", [
    "我今晚值大夜班", "下午三点的高铁", "我人在成都", "我在杭州呢", "医生不让我出门",
    "我腰扭了", "这锁我修不好", "我没那个技术", "明天闺女婚礼",
])
def test_being_taken_up_away_or_unable_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", [
    "上夜班的住户睡不好", "我在家呢", "我在路上呢", "腰疼了好几天了 贴了膏药好点了",
    "有去市区的吗 顺路捎我一段", "视频我放群里了",
])
def test_others_shifts_being_nearby_or_aches_are_no_refusal(text: str) -> None:
    assert _read(text)[0] == "none"


@pytest.mark.parametrize("text", ["外卖放门卫室里了", "孩子接回家了", "电闸关掉了", "门打开了"])
def test_put_in_place_picked_up_or_switched_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize(("text", "stars"), [("棒极了", 5), ("满意得很", 5), ("中规中矩吧", 3)])
def test_a_degree_said_after_the_word(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize("text", ["我尽量去", "能去 但不敢保证"])
def test_a_promise_without_a_guarantee_is_no_accept(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", [
    "嗯那个我这边没问题然后三点左右到", "我马上联系老人", "需要的话我随时过去", "我周日可以上门",
    "我跑一趟吧",
])
def test_fillers_a_prompt_promise_and_a_visit_accept(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["我这周都排满了", "下午排不开", "我再外地呢"])
def test_a_full_schedule_or_an_ime_slip_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", ["马上修好了", "快弄完了", "差不多弄好了"])
def test_nearly_done_is_not_done_nor_a_promise(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", ["复查完了", "椅子修牢了", "地毯铺好了", "已经送回家了",
                                  "电池换新了"])
def test_more_work_with_its_result_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["老人电话呢", "+1 我也是", "有事招呼我", "24小时上门服务",
                                  "我家老头今天去复查"])
def test_asking_after_a_thing_me_too_a_standing_offer_and_ads_are_no_answer(text: str) -> None:
    assert _read(text) == ("none", None)


def test_bu_with_a_reason_and_ne_still_declines() -> None:
    assert _read("出差呢 下周回") == ("decline", None)


@pytest.mark.parametrize("text", [
    "1）张伟\n2）李娜\n3）周杰", "①王刚 ②赵敏", "我是第五个", "第2个 刘明", "肯定到", "我一定来的",
    "按时到", "坚决完成任务！",
])
def test_chains_in_other_layouts_and_firm_promises_accept(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["心有余而力不足啊", "这事我没办法"])
def test_an_idiom_of_being_unable_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", ["如果有空就来", "表格交上去了 等回复"])
def test_if_free_or_waiting_on_others_is_no_answer(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize(("text", "stars"), [
    ("很满意 给5星", 5), ("满意，四颗星", 4), ("满意度：3", 3), ("评分 5", 5), ("超级赞", 5),
    ("真心不错", 4), ("特满意的", 5), ("差差差差", 1), ("不怎么样啊", 2),
    ("挺满意 给5星 谢谢", 5), ("很满意 给4星 谢谢", 4),
])
def test_a_count_or_a_named_score_rates(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


def test_an_activity_liked_is_no_rating() -> None:
    assert _read("今天的活动很好") == ("none", None)


@pytest.mark.parametrize(("text", "intent"), [
    ("我嚟", "accept"), ("沒問題 交給我", "accept"), ("去唔到 我喺醫院", "decline"),
    ("燈已經換好咗", "done"), ("冒问题 我来", "accept"), ("木有空", "decline"),
    ("来不鸟", "decline"), ("修好勒", "done"),
])
def test_traditional_characters_and_net_spellings_read_as_the_standard_word(
        text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


def test_a_rating_in_traditional_characters_rates() -> None:
    assert _read("十分滿意") == ("rating", 5)


@pytest.mark.parametrize(("text", "stars"), [
    ("打100分", 5), ("一百分！", 5), ("还可以吧", 3), ("还可以 挺满意的", 4), ("有待提高吧", 2),
])
def test_full_marks_and_plain_words_rate(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


def test_a_mark_told_of_is_no_rating() -> None:
    assert _read("孙子考了一百分 开心")[0] != "rating"


@pytest.mark.parametrize(("text", "intent"), [
    ("我原本想再看看的 算了我来吧", "accept"), ("算了我还是不去了", "decline"),
    ("我周日有别的安排了", "decline"), ("有约了 抱歉", "decline"), ("我可以哦", "accept"),
])
def test_an_intention_dropped_and_a_prior_engagement(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize(("text", "intent"), [
    ("本人也去", "accept"), ("周末我pass", "decline"), ("明天上午有课", "decline"),
    ("这活我吃不消", "decline"), ("各户都通知到了", "done"), ("材料发过去了", "done"),
    ("已微信通知", "done"), ("已经理发了", "done"), ("栏杆扶起来了", "done"), ("done了", "done"),
])
def test_more_words_of_taking_refusing_and_finishing(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize("text", ["已经报警了 请社区巡逻", "慰问品发下来了 谢谢社区"])
def test_a_report_of_others_work_is_not_done(text: str) -> None:
    assert _read(text)[0] != "done"


@pytest.mark.parametrize(("text", "stars"), [("差得很", 1), ("棒极了", 5), ("还差点意思", 2)])
def test_a_degree_after_a_poor_word(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize(("text", "intent"), [
    ("我过去瞅瞅", "accept"), ("好 马上", "accept"), ("我马上到", "accept"),
    ("这周回娘家", "decline"), ("全家出去旅游了", "decline"), ("我出国了 下月回", "decline"),
])
def test_a_look_now_and_being_away_from_home(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize(("text", "stars"), [
    ("大姐特别贴心", 5), ("还算认真", 4), ("不太耐心", 2), ("很不靠谱", 1), ("做事很马虎", 1),
    ("稍微有点慢", 2), ("满意 就是稍微慢了点", 4), ("服务一流！", 5),
])
def test_praise_or_blame_of_the_one_who_came_rates(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize("text", ["慢慢来", "我们楼长真负责", "大家都很热情地参加了活动啊"])
def test_praise_of_others_or_a_slow_pace_is_no_rating(text: str) -> None:
    assert _read(text)[0] != "rating"


@pytest.mark.parametrize("text", ["中 等俺下班", "要得嘛 就是要晚点"])
def test_a_dialect_yes_with_a_condition_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)
