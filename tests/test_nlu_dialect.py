"""Dialect spellings are read as standard Mandarin before a need is scanned."""

from __future__ import annotations

import pytest

from nlu import classify
from nlu.dialect import fold_dialect


@pytest.mark.parametrize(("written", "read"), [
    ("冇人收垃圾", "没人收垃圾"), ("阿拉楼里", "我们楼里"), ("俺们小区", "我们小区"),
    ("佢唔识搞", "他不会搞"), ("屋头莫得水", "家里没有水"),
    # Xiang (Changsha), and more north-eastern, Wu and Cantonese words.
    ("细伢子冇得饭恰", "小孩子没有饭恰"), ("又扯筋哒", "又吵架了"),
    ("要交么子材料", "要交什么材料"),
    ("跟老板干仗", "跟老板吵架"), ("老多耗子", "很多老鼠"), ("批荡跌落", "墙皮跌落"),
])
def test_a_dialect_spelling_reads_as_mandarin(written: str, read: str) -> None:
    assert fold_dialect(written) == read


def test_a_fold_keeps_the_length() -> None:
    text = "阿婆屋企嘅热水器坏咗 有冇人可以帮手睇下"
    assert len(fold_dialect(text)) == len(text)


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("阿公屋企嘅电视冇信号 佢唔识搞 有冇义工可以帮手调下", "convenience",
                 id="cantonese"),
    pytest.param("阿嫲问今年医保系咪又加钱 几时交 可唔可以讲清楚", "policy_outreach",
                 id="cantonese-consultation"),
])
def test_a_need_written_in_dialect_is_read(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)


def test_where_to_get_it_done_asks_the_office() -> None:
    found = classify("请问流动党员活动证在哪里领")
    assert (found.is_request, found.duty) == (True, "party_building")


@pytest.mark.parametrize(("text", "duty"), [
    pytest.param("隔壁两家为了晒被子的竹竿又扯筋哒 吵了一上午", "community_affairs", id="xiang"),
    pytest.param("楼下两口子跟小卖部老板干仗好几回了 为了门口堆的货", "community_affairs",
                 id="north-east"),
    pytest.param("楼道里老多耗子 晚上跑来跑去", "sanitation", id="wu-north"),
    pytest.param("一楼灶披间蟑螂老多 好来喷点药伐", "sanitation", id="wu-question"),
])
def test_a_need_in_a_newly_folded_dialect_word_is_read(text: str, duty: str) -> None:
    found = classify(text)
    assert (found.is_request, found.duty) == (True, duty)
