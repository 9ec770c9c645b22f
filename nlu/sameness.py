"""Whether two needs say the same thing (相同诉求), however they are worded.

Residents report one broken light in many ways: 楼道灯坏了 / 楼里的灯不亮了，麻烦修一下，
电话138…. What stays the same is the few words that name the trouble (灯, 电梯, 井盖, 漏水);
what changes is the phone, the room, the building as each writes it, the politeness
(麻烦, 请尽快), who suffers (老人, 孩子) and when (晚上). So both texts are first reduced to
their trouble words: personal data and the place are cut out with the one recogniser
(``nlu.personal``), filler words and single state characters (坏, 不, 没) are dropped. The
rest is compared character by character and by character pairs, each as the share of the
shorter text found in the longer, so an added sentence does not dilute a match. Where both
texts name topic terms of the classifier's lexicon (楼道灯, 灯不亮, 电梯), those are compared
the same way and count for half: 下楼看不见 says how bad it is, 灯 says what is broken.

The measure decides nothing alone: a need joins an order only on the same duty, at the
same place and within the window (``handlers.orders.matching``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from nlu.lexicon import DUTY_KIND, load_lexicon, normalise
from nlu.personal import find, narrow, place_spans

_FILLER = re.compile(
    "麻烦|帮忙|一下|尽快|赶紧|社区|小区|处理|解决|派人|谢谢|联系|电话|需要|希望|"
    "好几天|天天|每天|两天|三天|晚上|白天|早上|老人|孩子|居民|大家|"
    "楼道|楼下|楼上|门口|旁边|那边|附近|家里|号楼|栋|单元|请|"
    "[了的啊呢吧吗么呀很太都也又还在有是我你他她把被让来去给就和跟这那个只]"
)
"""Words that say how, when and to whom, not what is wrong."""
_STATE = frozenset("坏不没人想会用能")
"""Single characters of the state (坏了, 不亮, 没人管) that any two troubles share."""
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")
_CHAR_WEIGHT = 0.6
"""Characters count more than character pairs: 灯不亮 and 灯坏了 share only 灯."""


def trouble_words(text: str) -> list[str]:
    """The runs of characters naming the trouble: 「3号楼楼道灯坏了，电话138…」 gives
    ``["灯"]``, personal data, the place and filler removed."""
    return list(_trouble_words(text))


@lru_cache(maxsize=4096)
def _trouble_words(text: str) -> tuple[str, ...]:
    # Cached: a new need is compared with every recent order, and they with the next need.
    plain = narrow(text)
    cut = sorted([(f.start, f.end) for f in find(text)] + place_spans(plain))
    kept, at = [], 0
    for start, end in cut:
        if start >= at:
            kept.append(plain[at:start])
        at = max(at, end)
    kept.append(plain[at:])
    stripped = _FILLER.sub(" ", " ".join(kept))
    return tuple(run for run in _NOT_HAN.split(stripped) if run)


@lru_cache(maxsize=4096)
def _topic_words(text: str) -> tuple[str, ...]:
    """The trouble words among the lexicon's topic terms of ``text`` (灯, 漏水)."""
    hits = load_lexicon().scan(normalise(text))
    terms = [h.term for h in hits if any(e.kind == DUTY_KIND for e in h.entries)]
    return _trouble_words(" ".join(terms))


def similarity(a: str, b: str) -> float:
    """How alike two needs are, 0 (nothing in common) to 100 (the same trouble words)."""
    words = _alike(_trouble_words(a), _trouble_words(b))
    topic_a, topic_b = _topic_words(a), _topic_words(b)
    if not (_chars(topic_a) and _chars(topic_b)):
        return 100 * words
    return 100 * (words + _alike(topic_a, topic_b)) / 2


def _alike(a: Sequence[str], b: Sequence[str]) -> float:
    chars = _overlap(_chars(a), _chars(b))
    pairs_a, pairs_b = _pairs(a), _pairs(b)
    if not (pairs_a and pairs_b):  # a one-character trouble (灯) has only its character
        return chars
    return _CHAR_WEIGHT * chars + (1 - _CHAR_WEIGHT) * _overlap(pairs_a, pairs_b)


def _chars(words: Sequence[str]) -> set[str]:
    return {c for word in words for c in word} - _STATE


def _pairs(words: Sequence[str]) -> set[str]:
    return {word[i:i + 2] for word in words for i in range(len(word) - 1)}


def _overlap(a: set[str], b: set[str]) -> float:
    """The share of the smaller set found in the other (the overlap coefficient)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0
