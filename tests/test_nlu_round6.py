"""Round-6 rules of the duty classifier, each with texts written for these tests (never a
frozen set's): a case here fails when its rule is taken out."""

from __future__ import annotations

import math

import pytest

from nlu.blend import STANDS, PriorReading, prior_weight
from nlu.decide import Evidence
from nlu.evaluate import predict_label as predicted  # a duty, or "none" for talk
from nlu.fallback import fallback_hits
from nlu.lexicon import normalise
from nlu.need_gate import reads_as_district_chatter, reads_as_district_need
from nlu.prior import CLASSES
from nlu.talk import talk_hits


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


def _district(best: str, share: float) -> PriorReading:
    """A prior reading whose district posterior gives ``best`` the ``share``, the rest
    spread evenly."""
    rest = (1.0 - share) / (len(CLASSES) - 1)
    reading = PriorReading("", None)
    reading.__dict__["district"] = [math.log(share if c == best else rest) for c in CLASSES]
    return reading


def _evidence(topic: float, problem: float, talk: float) -> Evidence:
    ev = Evidence()
    ev.duties["safety"] = topic
    ev.cues["problem"] = problem
    ev.cues["chat"] = talk
    return ev


def test_a_trouble_the_district_reads_as_a_need_is_one() -> None:
    assert reads_as_district_need(_evidence(3.0, 0.4, 0.0), _district("safety", 0.9)) is True


@pytest.mark.parametrize(
    ("ev", "reading"),
    [
        pytest.param(_evidence(3.0, 0.4, 0.0), _district("none", 0.9), id="reads-as-chatter"),
        pytest.param(_evidence(3.0, 0.4, 0.0), _district("safety", 0.6), id="spread"),
        pytest.param(_evidence(3.0, 0.0, 0.0), _district("safety", 0.87), id="bare-below-0.9"),
        pytest.param(_evidence(3.0, 0.4, 2.5), _district("safety", 0.9), id="talk"),
        pytest.param(_evidence(0.5, 0.4, 0.0), _district("safety", 0.9), id="no-topic"),
    ],
)
def test_the_district_makes_no_need_of_chatter_or_of_a_bare_text(
        ev: Evidence, reading: PriorReading) -> None:
    assert reads_as_district_need(ev, reading) is False


def test_a_trouble_told_without_a_plea_in_words_no_cue_lists_is_a_need() -> None:
    assert predicted("楼下那户在车库里住人 还接了电炉子") == "safety"


def test_a_contact_passed_on_is_a_favour_asked_of_a_neighbour() -> None:
    hits = talk_hits(normalise("谁有修空调师傅的电话 发我一下 谢啦"))
    assert "发我一下" in [hit.term for hit in hits]


def test_a_sigh_at_the_end_tells_a_private_trouble() -> None:
    assert predicted("物价又涨了 工资不涨 这日子 唉") == "none"


def test_replacing_a_lost_card_is_done_for_the_household() -> None:
    assert predicted("我妈的医保卡丢了 想补办 她腿脚不好出不了门") == "convenience"


def test_a_want_stated_leads_over_asking_how_relief_is_applied_for() -> None:
    assert predicted("我老伴住院把积蓄都花光了 实在没钱了 大病救助怎么申请") == "hardship_relief"


def test_asking_how_relief_is_applied_for_without_a_want_is_outreach() -> None:
    assert predicted("临时救助怎么申请 想让社区讲讲条件") == "policy_outreach"


def test_a_crowd_doing_it_is_a_habit_to_persuade() -> None:
    assert predicted("楼下那帮人天天拿大喇叭放歌 吵死了") == "civility"


@pytest.mark.parametrize("text", ["最近猪肉价涨得厉害 一斤三十多 吃不起了哈哈",
                                  "今天快递放丰巢了还是驿站了"])
def test_a_trouble_the_district_reads_as_chatter_is_talk(text: str) -> None:
    assert predicted(text) == "none"


def _chatter_evidence(plea: float) -> Evidence:
    ev = Evidence()
    ev.duties["community_affairs"] = 2.0
    ev.cues["problem"] = 2.0
    ev.cues["need"] = plea
    return ev


def test_the_district_reads_chatter_only_without_a_plea_and_where_the_blend_asks() -> None:
    chatter = _district("none", 0.6)
    # A lexicon verdict that stands, or a lead no vote could overturn, is not asked.
    read = [reads_as_district_chatter(_chatter_evidence(0.0), chatter, 0.5, 1.0),
            reads_as_district_chatter(_chatter_evidence(2.5), chatter, 0.5, 1.0),
            reads_as_district_chatter(_chatter_evidence(0.0), chatter, STANDS, 1.0),
            reads_as_district_chatter(_chatter_evidence(0.0), chatter, 0.5,
                                      prior_weight(0.5) + 1.0),
            reads_as_district_chatter(_chatter_evidence(0.0), _district("none", 0.3), 0.5, 1.0)]
    assert read == [True, False, False, False, False]


def test_a_bare_statement_of_a_topic_the_district_reads_as_a_need_is_one() -> None:
    assert predicted("党员组织关系还挂在原来单位") == "party_building"


def test_a_bare_topic_with_a_faint_question_needs_the_cues() -> None:
    ev = _evidence(3.0, 0.3, 0.0)
    assert reads_as_district_need(ev, _district("safety", 0.99)) is False


@pytest.mark.parametrize("text", ["转需：养老金调整细则解读", "转：个人所得税专项附加扣除填报指南"])
def test_a_forwarded_text_is_passed_on_not_asked(text: str) -> None:
    assert predicted(text) == "none"


@pytest.mark.parametrize("text", ["二号楼电梯又卡在两层中间了 我妈在里面待了二十分钟",
                                  "电梯突然停了 把送外卖的小哥关在里面半天"])
def test_someone_shut_in_a_lift_is_a_hazard_as_it_happens(text: str) -> None:
    assert predicted(text) == "safety"


def test_a_common_word_that_only_sounds_like_a_term_is_no_typo() -> None:
    # 积分 sounds like 鸡粪 (a sanitation term) but shares none of its characters.
    assert predicted("我这积分攒了好多 不知道能换啥") == "none"


def test_a_typo_keeping_one_character_is_still_read() -> None:
    hits = fallback_hits("楼道里有人冲电")
    assert "充电" in [hit.term for hit in hits]


def test_the_pavement_is_a_place_careless_parking_takes_not_a_hazard() -> None:
    assert predicted("汽车乱停 人行道都占了一半") == "civility"


@pytest.mark.parametrize("text", ["退休党员想参加支部的主题党日 找哪个报名",
                                  "我姑姑是老党员 搬回来了 组织关系怎么转到社区党支部"])
def test_a_plea_a_talk_word_outweighs_is_still_a_need_the_district_reads(text: str) -> None:
    assert predicted(text) == "party_building"


def _outtalked(plea: float, topic: float, talk: float) -> Evidence:
    ev = _evidence(topic, 0.0, talk)
    ev.cues["need"] = plea
    return ev


def test_a_plea_outtalked_needs_a_strong_topic_little_more_talk_and_a_sure_district() -> None:
    sure, unsure = _district("safety", 0.97), _district("safety", 0.9)
    read = [reads_as_district_need(_outtalked(1.5, 3.0, 2.5), sure),
            reads_as_district_need(_outtalked(1.5, 3.0, 2.5), unsure),
            reads_as_district_need(_outtalked(1.5, 2.0, 2.5), sure),
            reads_as_district_need(_outtalked(0.5, 3.0, 1.5), sure),
            reads_as_district_need(_outtalked(1.0, 3.0, 5.0), sure)]
    assert read == [True, False, False, False, False]


def test_family_news_told_with_how_it_feels_is_talk() -> None:
    assert predicted("昨晚楼下吵吵嚷嚷的 出去一看是有人求婚 好浪漫") == "none"
