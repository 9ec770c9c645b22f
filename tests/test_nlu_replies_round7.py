"""The reply parser's round-7 rules (nlu/replies.py, nlu/reply_phrases.py, nlu/reply_clauses.py,
nlu/reply_shapes.py): someone else's answer or cannot is no answer of the sender's, words to
the others say nothing, and a few more shapes of accept, done and decline. Each test holds
texts of its own, in no tuning file, and fails when its rule is removed."""

from __future__ import annotations

import pytest

from nlu import parse_reply


def _intent(text: str) -> str:
    return parse_reply(text).intent


@pytest.mark.parametrize("text", ["我老公说他周末去不了", "楼下小赵说她可以来",
                                  "我闺女说抽不出时间"])
def test_an_answer_relayed_from_someone_else_answers_nothing(text: str) -> None:
    assert _intent(text) == "none"


@pytest.mark.parametrize(("text", "intent"), [
    ("你们都在开会 我去吧", "accept"),
    ("大家有空可以去帮帮王大爷", "none"),
    ("各位都去不了的话 我再想办法", "none"),
])
def test_words_to_the_others_say_nothing_of_the_sender(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("对门大爷去不了医院", "none"),
    ("其他人都忙就我有空", "accept"),
    ("家里老人离不开人", "decline"),
    ("孩子发烧了 去不了", "decline"),
])
def test_someone_elses_cannot_is_no_refusal_of_the_senders(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize(("text", "intent"), [("那就我上吧", "accept"), ("那不了吧", "decline")])
def test_a_whole_clause_phrase_is_heard_with_a_then_before_or_a_particle_after(
        text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["行行，不过得晚上七点以后", "周六周日我都在", "等我五分钟",
                                  "我二十分钟后到门口", "我们仨一块去", "我下午过来看一哈"])
def test_more_accept_shapes(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize(("text", "intent"), [
    ("传单都发完了", "done"),
    ("灯泡换新的了", "done"),
    ("灯泡得换新的了", "none"),
    ("修好了记得在群里说一声", "none"),
])
def test_done_shapes_and_the_done_of_an_instruction(text: str, intent: str) -> None:
    assert _intent(text) == intent


def test_eyes_that_fail_the_sender_decline() -> None:
    assert _intent("我眼睛不太好") == "decline"


@pytest.mark.parametrize("text", ["我下午有时间过去看看到底哪里漏水了",
                                  "我报名需要带什么的话群里说"])
def test_a_question_word_found_out_or_in_a_condition_asks_nothing(text: str) -> None:
    assert _intent(text) == "accept"


@pytest.mark.parametrize(("text", "intent"), [
    ("过来帮把手", "accept"),
    ("今日下午可以", "accept"),
    ("我明天上课呢", "decline"),
    ("我后天要体检", "decline"),
    ("不能来的提前说", "none"),
    ("老两口子女都不在身边", "none"),
])
def test_round_7b_accepts_declines_and_words_of_others(text: str, intent: str) -> None:
    assert _intent(text) == intent


def test_going_to_hospital_with_someone_is_no_refusal() -> None:
    # Taking someone to hospital may be the very job asked for: it answers nothing alone.
    assert _intent("我要去医院陪老人") == "none"


@pytest.mark.parametrize(("text", "intent"), [
    ("楼道灯亮了", "done"),
    ("水龙头换了个新的", "done"),
    ("得换个新的", "none"),
    ("孩子已经接到家了", "done"),
    ("人数汇总好了", "done"),
])
def test_round_7b_done_shapes(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", [pytest.param("赞赞", id="praise-said-twice"),
                                  pytest.param("老灵 谢谢", id="shanghai-praise")])
def test_praise_rates_five(text: str) -> None:
    reply = parse_reply(text)
    assert (reply.intent, reply.stars) == ("rating", 5)


@pytest.mark.parametrize(("text", "intent"), [
    ("我开车过去二十分钟", "accept"),
    ("我到时候去社区门口就行吧", "accept"),
    ("下午三点门口见", "accept"),
    ("明天见", "none"),
    ("地址发我一下", "accept"),
    ("我去看看 不行再叫师傅", "accept"),
    ("我晚上九点才下班", "decline"),
    ("我今天倒班", "decline"),
    ("我叫她自己在群里接龙", "none"),
    ("我让他陪我一起去", "accept"),
    ("有不会用的随时问", "none"),
    ("小区环境不错，大家辛苦了", "none"),
])
def test_round_7c_answers_and_words_of_others(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["已经联系上物业了", "暖气现在热了", "直接换了个新的"])
def test_round_7c_done_shapes(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize(("text", "intent"), [
    ("无论多晚我都去", "accept"),
    ("有事喊我就行", "accept"),
    ("明天上午过去一趟", "accept"),
    ("我们家那口子说他去不了", "none"),
    ("需要的可以去社区领", "none"),
])
def test_round_7d_answers_and_words_of_others(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["传单都贴出去了", "已经搬到楼下了", "已将钥匙交给门卫",
                                  "刚把孩子接回来", "完活了"])
def test_round_7d_done_shapes(text: str) -> None:
    assert _intent(text) == "done"


@pytest.mark.parametrize(("text", "intent"), [
    ("请不到假", "decline"),
    ("我半小时弄好", "accept"),
    ("老毛病又犯了", "decline"),
    ("走路都困难", "decline"),
    ("家里来客人了", "decline"),
    ("真不凑巧", "decline"),
    ("我来 老刘来不了的话", "accept"),
    ("我能帮忙扫地 其他的干不了", "accept"),
    ("我们可以出三个人", "accept"),
    ("行 我就住隔壁", "accept"),
])
def test_round_7e_answers(text: str, intent: str) -> None:
    assert _intent(text) == intent


@pytest.mark.parametrize("text", ["都安排妥了", "三户都走访完了", "衣服晒好了", "物业费帮交了"])
def test_round_7e_done_shapes(text: str) -> None:
    assert _intent(text) == "done"
