"""What a shape of group talk is (``nlu.talk_shapes``, ``nlu.talk_people``): several
features that must show at once, and what cancels them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.quick import quick


@dataclass(frozen=True)
class Shape:
    """One shape of group talk.

    Attributes:
        kind: The talk kind it adds to (a cue kind of ``cues.tsv``).
        features: Patterns each marking one feature of the shape.
        least: How many different features must show for the shape to count.
        core: Of these, one at least must be among the first ``core`` features (a time
            and a 施工 alone say as much about a complaint as about a notice); 0: any.
        weight: Talk weight each feature found adds.
        not_with_plea: Whether a plea (请社区…, 有没有人给讲讲) cancels the shape.
        yields: Whether a problem stated beside it cancels the shape: 垃圾没人收了
            大家都闻到了吧？ reports a problem, whoever the question is put to.
        tells: Whether the shape only tells: a question about the rule or the date
            (缴费截止到啥时候) cancels it.
        unless: Words that cancel the shape wherever they stand: gossip about a neighbour
            that touches the writer's own home (把我家墙震裂了) is a trouble of theirs.
        whole: Whether the shape speaks for the whole message wherever it stands: a header
            (转发：, 温馨提示：) makes all that follows it the notice's, so a clause after it
            is never read as a need of its own (``nlu.talk.talk_after``).
    """

    kind: str
    features: tuple[re.Pattern[str], ...]
    least: int
    weight: float
    core: int = 0
    not_with_plea: bool = False
    yields: bool = False
    tells: bool = False
    unless: re.Pattern[str] | None = None
    whole: bool = False


def compiled(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Each pattern compiled, with its quick screen (``nlu.quick``)."""
    return tuple(quick(re.compile(p)) for p in patterns)
