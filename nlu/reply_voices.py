"""Whose words a reply's clause are: the sender's answer, or a report of the past (昨天那个灯修好
了), someone else's answer relayed (她说去不了), words to the others (各位注意) or someone else's
cannot (老人去不了医院) — none of which answers this call for the sender."""

from __future__ import annotations

import re

# A clause said of the past (昨天那个灯修好了, 我上周报过名了), of an intention dropped (我本来想
# 晚点再说的), of help received (帮我们家把医保办下来了) or relief at it (搞定了就好) reports, and
# so does one that tells what someone else said (她说报名的人挺多) or speaks to others (有需要的
# 可以去看看, 请带好医保卡准时参加, 各位注意); it neither takes nor finishes this call.
_REPORT = (r"帮(?:我|咱)|我?(?:本来|原本|本)想|"
           r"我?(?:昨天|前天|上周|上个?星期|上个?礼拜|上个?月|上次|上回|之前|前几天|去年)")
_RELIEF = r"了就(?:好|行)(?:了|啦)?$"
# Someone else's answer relayed (她说去不了, 隔壁老王说他去不了了, 我儿子说他周六可以去) and
# words to the others (各位注意, 大家有空的话可以去看看, 你们都在上班, 有不懂的可以问, 我让他在
# 群里报名; not 大家都忙 我来) say nothing of the sender, not even a refusal.
_FAMILY = r"(?:妈|爸|老公|老婆|媳妇|爱人|老伴|对象|儿子|女儿|闺女|孩子|家里人?|哥|姐|弟|妹)"
# Those the work goes through whose word is relayed (师傅说下午才能来, 物业说明天修).
_THIRD = (r"(?:师傅|物业|工人|医生|大夫|社区|居委会?|网格员|书记|主任|老板|快递员?|对方|邻居|"
          r"家属|老人)")
_FOR_OTHERS = (rf"(?:她|他|人家|听|据)说|(?:我|俺){_FAMILY}说|{_THIRD}[^我你说]{{0,3}}说|"
               r"我?(?:让|叫|喊)(?:他|她)[^我]*$|"
               r"(?:[^我你说]{1,6}|我[^说]{1,5})说(?:他|她)|"
               r"(?:有[^我的]{1,4}|需要|愿意|想去|感兴趣|想参加|不?能(?:去|来|参加|到))的(?!话)|(?:各位|请(?![假问不]))|"
               r"(?:大家|你们|别人|其他人|他们|她们)[^我俺]*$")
_SPEAKS_FOR_OTHERS = re.compile(f"^(?:{_FOR_OTHERS})")
# One search: all but the relief are said at the clause's start.
_REPORTS = re.compile(f"^(?:{_REPORT}|{_FOR_OTHERS})|{_RELIEF}")


def reports(clause: str) -> bool:
    """Whether a clause reports the past, relays someone else's answer or speaks to the
    others, rather than answers the call."""
    return _REPORTS.search(clause) is not None


def speaks_for_others(clause: str) -> bool:
    """Whether a clause relays someone else's answer or speaks to the others: it answers
    nothing for the sender, not even by refusing."""
    return _SPEAKS_FOR_OTHERS.match(clause) is not None


# Someone else who cannot (楼上那家老人去不了医院, 别人都忙就我有空, 他们也来不了): no refusal of
# the sender's. Family kept home (孩子发烧了, 家里老人病了) is the sender's reason, said first.
_OTHER_SUBJECT = re.compile(r"^[^我俺]*(?:别的?人|其他的?人|大家|你们|他们|她们|他|她|人家|对方|"
                            r"老人|大爷|大妈|奶奶|爷爷|阿姨|叔叔|邻居|子女|儿女)(?:都|也|还|就|实在|真的?)?$")


def said_of_someone_else(clause: str, start: int, end: int) -> bool:
    """Whether the cannot at clause[start:end] is said of someone else (老人去不了医院)."""
    # 老人离不开我: someone else who cannot do without the sender keeps the sender home.
    return start > 0 and bool(_OTHER_SUBJECT.match(clause, 0, start)) \
        and clause[end:end + 1] not in ("我", "人")
