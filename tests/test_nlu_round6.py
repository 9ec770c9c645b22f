"""Round-6 rules of the duty classifier, each with texts written for these tests (never a
frozen set's): a case here fails when its rule is taken out."""

from __future__ import annotations

import pytest

from nlu import classify


def predicted(text: str) -> str:
    result = classify(text)
    return result.duty if result.is_request and result.duty else "none"


@pytest.mark.parametrize(
    "text",
    ["新出的独生子女奖励政策 我看了好几遍没弄明白", "老年人优待政策我爸能享受啥"],
)
def test_a_rule_the_writer_cannot_follow_asks_for_it_to_be_explained(text: str) -> None:
    assert predicted(text) == "policy_outreach"


def test_enjoying_life_is_still_talk() -> None:
    assert predicted("退休了可以享受生活了 哈哈") == "none"


def test_the_service_hall_is_where_a_bill_is_paid_not_a_shop_asked_about() -> None:
    assert predicted("燃气费怎么在手机上交 我妈每次都跑营业厅") == "convenience"


@pytest.mark.parametrize(
    "text",
    ["孩子最近老咳嗽 是不是该去医院看看了 你们家孩子咳嗽都吃啥",
     "老伴膝盖疼了好几天 天一冷就这样 老毛病"],
)
def test_an_ailment_told_to_the_neighbours_is_talk(text: str) -> None:
    assert predicted(text) == "none"


def test_an_ailment_with_a_plea_is_a_need() -> None:
    assert predicted("我妈腿疼下不了楼 社区医生能不能上门看看") == "convenience"
