"""Stars in a rating: counted (5星, 四颗星, ⭐⭐⭐⭐, 5⭐, a bare 4, 满意度 4, full marks as 10分 or
100分) or read from a word's degree (满意, 好, 棒 or 赞 by how much, 失望 and 差)."""

from __future__ import annotations

import re

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3,
             "4": 4, "5": 5}
_NUMERAL = r"([1-5一二两三四五])"
# A half star is dropped, as in 4星半: 3.5星 is three.
_STARS = re.compile(rf"(?<![\d十]){_NUMERAL}(?:[.．]5)?\s*(?:星|颗星|个星|分(?!钟))")
_STAR_CHARS = re.compile(r"[⭐★🌟]")
_COUNTED_STARS = re.compile(rf"(?<!\d){_NUMERAL}\s*(?:颗|个)?\s*[⭐★🌟]")
_BARE_DIGIT = re.compile(r"^\s*([1-5])\s*[分星!！.。]?\s*$")
# A score named as such: 满意度 4, 评分：5.
_SCORED = re.compile(r"(?:满意度|评分|打分|分数)\s*[:：]?\s*([1-5])(?!\d)")
# Full marks on a scale of ten or a hundred, given (10分, 打一百分); not 十分, the degree
# (十分满意), nor a mark told of (孩子考了一百分).
_FULL_MARKS = re.compile(r"^(?:给|打)?个?(?:100|10|一百)\s*分(?!钟)")
# Every count holds one of these: a numeral 1-5 (10 and 一百 hold 1 and 一) or a star.
_COUNT_CHARS = re.compile(r"[1-5一二两三四五⭐★🌟]")


def counted_stars(text: str) -> int | None:
    """Read "5星", "四分", "5⭐", "⭐⭐⭐⭐", "满意度 4", "100分" or a bare digit as a star
    count: a numeral beside the stars wins over counting them (给五颗星⭐ is five)."""
    if _COUNT_CHARS.search(text) is None:  # most replies hold no numeral nor star to count
        return None
    found = _COUNTED_STARS.search(text) or _STARS.search(text) or _SCORED.search(text)
    if found:
        return _NUMERALS[found.group(1)]
    if _FULL_MARKS.search(text):
        return 5
    stars = len(_STAR_CHARS.findall(text))
    if stars:
        return min(stars, 5)
    found = _BARE_DIGIT.match(text)
    return _NUMERALS[found.group(1)] if found else None


# A degree before 满意 or 好 sets the stars: 非常/超级/贼/老 5, 挺/比较 4, 基本(上还算) 3,
# 不太/不是很/不咋 2, 很不/一点都不 1. Plain 满意 is 4, unless the reply says it again with a
# degree (满意满意非常满意, 满意 服务很好), and plain 不满意 2; 失望 is 2, or 1 with a top
# degree (太失望了). Plain 好 and 不好 rate nothing (好的, 不好意思), nor does 还好. 差 with a
# degree, or 差劲, is 1.
_DEGREES = (
    r"(?P<s1>一点儿?[都也]不|极不|很不|非常不|特别不|太不|十分不|超级不|相当不|真不|完全不)|"
    r"(?P<s2>不太|不是很|不是太|不怎么|[不没]咋|不大|不算|没那么|不够|有点不|有些不|不是特别|不是非常|"
    r"(?P<plain_no>不))|"
    r"(?P<s5>非常非常|非常|十分|特别|真心|超级|超|相当|很|太|真|极其|极为|极|巨|贼|老|特)|"
    r"(?P<s4>比较|挺|蛮|还算|还挺|还蛮|还是|(?P<plain_still>还))|(?P<s3>(?:基本上?|大体上?|总体上?)(?:还算|还|也|算|都)?)")
_DEGREE = re.compile(rf"(?:{_DEGREES})?(?:(?P<pleased>满意)(?!度)|(?P<let_down>失望)|"
                     r"(?P<good>好(?![意像几多久些处奇看听吃玩用评笑])|棒|赞)|(?P<poor>差劲|差)(?![不点一评]))")
# The many, whose satisfaction or praise is theirs, not a rating: 居民很满意, 大家都很热情.
_THE_MANY_WORDS = "大家|居民|群众|邻居|业主|住户|家属"
# Whose satisfaction or health it is: someone else's (老人很满意) is a report, and a body or
# the weather doing well or badly (身体不太好, 天气真好) is no rating.
_NOT_THE_SERVICE = re.compile(rf"老人|阿姨|叔叔|大爷|大妈|奶奶|爷爷|{_THE_MANY_WORDS}|他|她|"
                              r"人家|对方|身体|腿|脚|腰|眼睛|耳朵|膝盖|病|天气|太阳|阳光|空气|风景|景色|心情|信号|"
                              r"活动|小区|照片|图片|视频|合影")
# 好 and 差 rate the service when they follow a few words at most (态度挺好, 小伙子人很好);
# after more they are about something else (阳台的多肉长得真好).
_GOOD_AFTER = 4
# The degree said after the word, as the top one (好极了, 棒得很, 满意得不得了; 差得很 1).
_SAID_AFTER = re.compile(r"^[^不没]{0,4}?(?:(?P<good>好|棒|满意)|差劲?)(?:极了|得很|得不得了|透了)")

# Praise of the one who came (师傅很专业, 小伙子非常热情) rates by its degree as 好 does, and
# without one says nothing; blame (太敷衍了, 有点慢) rates 2, or 1 for the attitude at its worst.
PRAISE = ("专业", "热情", "周到", "及时", "细心", "耐心", "靠谱", "给力", "负责", "认真", "贴心",
          "用心", "到位")
BLAME = ("敷衍", "马虎", "糊弄", "磨蹭", "拖拉", "慢")
# The words without which a text gives no stars by its words: 满意, 好, 差, 棒, 赞, 失望 and
# the words of praise or blame (most texts hold none: no more regex to run).
STAR_WORDS = re.compile("|".join(("失望", *PRAISE, *BLAME)) + "|[意好差棒赞]")


def about_the_service(clause: str) -> bool:
    """Whether a clause may rate the service: not when it tells of someone else or of
    something else (老人身体还行, 天气还行)."""
    return _NOT_THE_SERVICE.search(clause) is None


def may_give_stars(text: str) -> bool:
    """Whether a text holds a word that may give stars by its degree (满意, 好, 专业, 慢...)."""
    return STAR_WORDS.search(text) is not None


def degree_stars(clause: str) -> int | None:
    """The stars a clause's 满意, 好, 差 or word of praise or blame gives by its degree, or
    None."""
    if not may_give_stars(clause):
        return None
    found = _word_stars(clause)
    return found if found is not None else _praise_stars(clause)


def by_praise_alone(clause: str) -> bool:
    """Whether a clause gives stars by a word of praise or blame alone (太专业了), with no
    count and no 满意, 好 or 差: a word that may speak of the work rather than rate it."""
    return counted_stars(clause) is None and _word_stars(clause) is None \
        and _praise_stars(clause) is not None


def _degree(found: re.Match[str]) -> int | None:
    """The stars a match's degree word sets (its s1–s5 group), or None when it has none."""
    return next((int(name[1]) for name in ("s1", "s2", "s3", "s4", "s5") if found.group(name)),
                None)


def _word_stars(clause: str) -> int | None:
    """The stars a clause's 满意, 好 or 差 gives by its degree, or None."""
    said_after = _SAID_AFTER.search(clause)
    if said_after and not _NOT_THE_SERVICE.search(clause):
        return 5 if said_after.group("good") else 1
    plain_pleased = None  # 满意满意非常满意: a word said with its degree outranks a plain one
    for found in _DEGREE.finditer(clause):
        if _NOT_THE_SERVICE.search(clause[:found.start()]):
            return plain_pleased
        degree = _degree(found)
        if found.group("let_down"):  # 有点失望 2, 太失望了 1
            return 1 if degree == 5 else 2
        if found.group("pleased"):
            if degree:
                return degree
            plain_pleased = 4
            continue
        if found.start() > _GOOD_AFTER:
            continue
        if found.group("poor") == "差劲" or (found.group("poor") and degree == 5):
            return 1
        plain = found.group("plain_no") or found.group("plain_still")
        if found.group("good") and degree and not plain and degree != 3:
            return degree
    return plain_pleased


_PRAISED = re.compile(rf"^[^不没]{{0,3}}?(?:{_DEGREES})(?:{'|'.join(PRAISE)})")
_BLAMED = re.compile(r"^[^不没]{0,3}?(?:(?P<worst>太|很|非常|特别|超级|极其|相当|真)|"
                     rf"有点儿?|有些|稍微|略)(?P<word>{'|'.join(BLAME)})")
_ATTITUDE = ("敷衍", "马虎", "糊弄")
# Praise of the many or of the neighbourhood (大家都很热情) is no rating of the one who came.
_THE_MANY = re.compile(rf"{_THE_MANY_WORDS}|社区|楼长")


def _praise_stars(clause: str) -> int | None:
    """The stars a word of praise or blame gives by its degree, or None."""
    if _THE_MANY.search(clause):
        return None
    praised = _PRAISED.search(clause)
    if praised and not praised.group("plain_still"):
        return 2 if praised.group("plain_no") else _degree(praised)
    blamed = _BLAMED.search(clause)
    if blamed:
        return 1 if blamed.group("worst") and blamed.group("word") in _ATTITUDE else 2
    return None


_PLAIN = re.compile(r"(?:(?:满意|还可以|还行)[的呀啊哈了啦吧]?)+")


def plain_rating(clause: str) -> bool:
    """Whether a clause rates plainly (满意, 满意满意的, 还可以吧), with no degree of its own: the
    rest of the reply may say how much (还可以 挺满意的)."""
    return bool(_PLAIN.fullmatch(clause.strip()))
