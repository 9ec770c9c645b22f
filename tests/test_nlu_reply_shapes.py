"""The reply parser's families of shapes (nlu/reply_shapes.py, nlu/reply_stars.py): each test
names one family and holds phrasings no phrase row spells out, so it fails when the family's
rule breaks."""

from __future__ import annotations

import pytest

from nlu import Reply, parse_reply


def _read(text: str) -> tuple[str, int | None]:
    reply = parse_reply(text)
    return reply.intent, reply.stars


@pytest.mark.parametrize("text", [
    "#接龙 周日植树\n1. 赵刚\n2. 钱芳\n3. 孙悦",
    "1.赵刚 2.钱芳 3.孙悦（5栋）",
    "1. 赵刚 +1\n2. 钱芳 +1\n3. 孙悦 上午可以",
    "4. 周敏",
    "5、吴昊 带两个人",
])
def test_the_senders_own_entry_of_a_sign_up_chain_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


def test_a_chain_entry_that_asks_is_no_sign_up() -> None:
    assert _read("1. 赵刚\n2. 钱芳\n3. 孙悦 几点集合") == ("none", None)


def test_a_chain_entry_that_cannot_come_declines_with_its_reason() -> None:
    text = "1. 赵刚 +1\n2. 钱芳 +1\n3. 孙悦 这周回老家"
    assert parse_reply(text) == Reply("decline", None, "孙悦 这周回老家")


@pytest.mark.parametrize("text", ["加1", "我也加一", "算上我一个", "也算我一份", "带上我一个"])
def test_counting_oneself_in_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["再加一个人吗", "参加一下活动的人多吗", "加一下我微信"])
def test_adding_one_is_not_always_signing_up(text: str) -> None:
    assert _read(text) == ("none", None)


def test_a_quoted_call_is_read_by_its_answer() -> None:
    text = "「王书记：3栋老人要人陪诊，谁能去？」\n- - - - - - - - - - - -\n我明早过去"
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", [
    "行，不过得等我接完孩子", "可以 只能待到十一点", "可以的，要带工具吗？",
    "我九点半以后过去行吗", "礼拜六下午可以", "我星期天上午能到", "八点半以后我过去",
    "下了班就过去", "马上出门", "周一到周五都可以", "这个我会修", "我有时间 我来",
])
def test_an_accept_with_a_time_or_a_condition_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", [
    "赶不过来", "腾不出空", "今天办不到", "这回不参与了", "这阵子不在本地", "手头有点忙",
    "身体不舒服", "我不懂电路", "最近没有时间", "我不太方便", "娃发烧了家里有点事",
])
def test_a_decline_in_its_own_words_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


def test_a_reason_beside_a_refusal_is_kept() -> None:
    assert parse_reply("走不开，老伴住院了") == Reply("decline", None, "走不开，老伴住院了")


@pytest.mark.parametrize("text", [
    "窗户擦干净啦", "快递取回来了", "已清运", "刚装好", "巡查完毕", "门禁卡办好咯",
    "水龙头换了", "已经给大爷送过去了",
])
def test_the_work_done_in_its_own_words_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", [
    "还没擦完", "正在清运", "管子快通了", "没送到 老人不在家", "零件没买到 还没装",
])
def test_work_not_finished_is_not_done(text: str) -> None:
    assert _read(text) == ("none", None)


def test_not_finished_keeps_a_refusal() -> None:
    assert _read("还在上班 赶不过去") == ("decline", None)


@pytest.mark.parametrize("text", [
    "集合点在哪儿", "要带啥工具", "明天去不去", "报名要填什么", "谁带梯子", "这次要几个人",
])
def test_a_question_is_no_answer(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize(("text", "intent"), [
    ("哪天都行 我去", "accept"), ("我去看看怎么回事", "accept"), ("出差好几天 去不了", "decline"),
])
def test_words_that_only_look_like_asking_still_answer(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize("text", ["我得问问孩子", "待定吧", "等我定了再说", "说不准能不能去"])
def test_an_undecided_answer_is_no_accept(text: str) -> None:
    assert _read(text) == ("none", None)


def test_an_undecided_refusal_still_declines() -> None:
    assert _read("不一定 估计去不了") == ("decline", None)


@pytest.mark.parametrize(("text", "stars"), [
    ("超级满意", 5), ("相当满意", 5), ("蛮满意", 4), ("基本上满意", 3), ("不大满意", 2),
    ("不怎么满意", 2), ("一点也不满意", 1), ("相当不满意", 1), ("服务非常好", 5),
    ("挺好的", 4), ("不是很好", 2), ("很不好", 1), ("特别差", 1), ("差劲", 1),
])
def test_a_words_degree_sets_the_stars(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize(("text", "expected"), [
    ("已经送到了，老人挺满意的", ("done", None)),
    ("身体不太好 去不了", ("decline", None)),
    ("今天天气真好", ("none", None)),
    ("满意度调查填了吗", ("none", None)),
])
def test_someone_elses_wellbeing_is_no_rating(text: str, expected: tuple[str, None]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "stars"), [
    ("3⭐", 3), ("四颗⭐", 4), ("给两颗星⭐", 2), ("⭐️⭐️⭐️⭐️", 4), ("🌟🌟", 2),
])
def test_stars_are_counted_by_their_numeral_first(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize(("text", "intent"), [
    ("俺来", "accept"), ("阔以 我去", "accept"), ("交给我把", "accept"),
    ("莫得空", "decline"), ("去不聊", "decline"), ("以经弄好了", "done"),
])
def test_dialect_and_ime_spellings_read_as_the_standard_word(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


@pytest.mark.parametrize("text", ["[OK]", "👌", "[强][强]", "🌹🌹"])
def test_a_sticker_alone_is_no_answer(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", ["[OK] 我来", "👌 这就下楼"])
def test_a_sticker_beside_an_answer_leaves_it(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", [
    "大家好 我是刚搬来的", "我家门口的月季开得真好", "昨天物业带人把楼道清理了 辛苦大家",
    "今晚七点业主群开会", "这个笑话太好笑了",
])
def test_group_chatter_that_sounds_like_a_reply_is_none(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", ["你说的那个我去嘛", "行 我来嘛"])
def test_a_settling_ma_after_a_go_verb_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["周六的话我可以", "明天的话我有空"])
def test_a_time_with_de_hua_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["药送回老人家了", "饭送进屋了", "换完锁芯了", "缴好水费了"])
def test_work_done_with_its_object_or_destination_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["我脚扭伤了", "我昨天住院了", "那我就不掺和了"])
def test_being_unwell_or_staying_out_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", ["阿拉明天上午过去", "举手 我去"])
def test_wu_we_and_a_raised_hand_accept(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize(("text", "stars"), [("真棒", 5), ("非常棒 谢谢", 5), ("挺棒的", 4)])
def test_bang_rates_by_its_degree(text: str, stars: int) -> None:
    assert _read(text) == ("rating", stars)


@pytest.mark.parametrize("text", ["药已经交给阿姨了", "灯泡已经换上新的了", "助浴结束"])
def test_handed_over_replaced_or_a_job_over_is_done(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["孩子发烧了 抱歉", "家里老人住院了"])
def test_illness_at_home_declines(text: str) -> None:
    assert _read(text) == ("decline", None)


@pytest.mark.parametrize("text", ["小王跟我一起去", "我和老伴一起过去"])
def test_going_together_accepts(text: str) -> None:
    assert _read(text) == ("accept", None)


@pytest.mark.parametrize("text", ["那天要值班", "抱歉 晚上要接孩子"])
def test_being_taken_up_elsewhere_declines(text: str) -> None:
    assert _read(text) == ("decline", None)
