"""The reply parser's round-6 rules (nlu/replies.py, nlu/reply_clauses.py, nlu/reply_shapes.py,
nlu/reply_stars.py): long voice-to-text answers, comments after a reported job, promises and
doubts beside done words, and clauses that speak for or to others. Each test holds texts of its
own, in no tuning file, and fails when its rule is removed."""

from __future__ import annotations

import pytest

from nlu import parse_reply
from nlu import reply_shapes as shapes


def _read(text: str) -> tuple[str, int | None]:
    reply = parse_reply(text)
    return reply.intent, reply.stars


@pytest.mark.parametrize(("text", "intent"), [
    ("我是十二栋的老赵，刚看到群里说要人帮忙搬物资，"
     "我下午两点以后都有空，你们到时候打我电话就行", "accept"),
    ("实在抱歉啊主任，我母亲这两天住院了，我得在医院守着，"
     "这次的义务劳动就参加不了了，下回再叫我", "decline"),
])
def test_a_long_answer_is_read(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)


def test_a_run_on_voice_answer_is_read_sentence_by_sentence() -> None:
    text = ("主任跟你说一声那个二单元的下水道我早上去看了"
            "原来是头发堵住了我已经疏通好了你让阿姨放心用吧")
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["修好了，下次有事再来找我", "送到了 下次还叫我"])
def test_what_follows_a_job_reported_done_only_comments_on_it(text: str) -> None:
    assert _read(text) == ("done", None)


@pytest.mark.parametrize("text", ["我下午过去 估计两个小时才能弄好", "交给我吧 很快就能弄好的"])
def test_done_words_of_a_promise_are_no_report(text: str) -> None:
    assert _read(text) == ("accept", None)


def test_done_words_of_a_condition_are_no_report() -> None:
    assert _read("弄完了跟大家说") == ("none", None)


def test_a_doubt_over_the_outcome_still_comes() -> None:
    assert _read("我去看看吧，不一定弄得好") == ("accept", None)


def test_someone_elses_state_gives_no_stars() -> None:
    assert _read("已经送到了 阿姨精神还行 就是腿有点肿") == ("done", None)


def test_praise_beside_a_refusal_is_its_reason() -> None:
    assert _read("修电脑我真不会弄，太专业了") == ("decline", None)


@pytest.mark.parametrize("text", ["听说明天停水，有需要的可以去社区领桶装水", "她说她可以去"])
def test_clauses_that_relay_others_or_speak_to_them_answer_nothing(text: str) -> None:
    assert _read(text) == ("none", None)


@pytest.mark.parametrize("text", ["水费交好了", "已经通知到各家各户了", "现在不漏了"])
def test_more_shapes_of_the_work_done(text: str) -> None:
    assert _read(text) == ("done", None)


def test_a_little_left_to_do_is_not_done() -> None:
    assert shapes.unfinished("还差一点")


@pytest.mark.parametrize(("text", "intent"), [
    ("已经有五个人报名了", "none"), ("我能去 可能会晚到一会儿", "accept"), ("接口还在滴水", "none"),
])
def test_others_signing_up_arriving_late_and_a_pipes_joint(text: str, intent: str) -> None:
    assert _read(text) == (intent, None)
