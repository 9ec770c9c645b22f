"""How a reply's clauses turn on each other where no one clause says it: an apology before a
reason (不好意思 周末得去趟丈母娘家), coming back to finish (还没弄完 明天再跑一趟) and arriving
on the way (在路上了 马上到了)."""

from __future__ import annotations

import re

from nlu.reply_shapes import CARRY, WORK

# An apology with something after it that takes nothing (不好意思 今天要去丈母娘家吃饭): the
# something is the reason of a refusal, whatever it is; not an apology for being late or for
# seeing the call late (不好意思 刚看到), which says nothing yet.
_APOLOGY = re.compile(r"^(?:实在|真的?|非常|太|很)?(?:不好意思|抱歉|对不起|对不住|sorry|见谅|可惜)")
_LATE = re.compile(r"(?:刚|才)(?:看到|看见|看群|到)|来晚|迟到|打扰|久等|回复晚")


def apologises(said: list[str]) -> bool:
    """Whether a reply's clauses hold an apology and, after it, something said that is no
    apology for being late."""
    if any(_LATE.search(clause) for clause in said):
        return False
    sorry = next((i for i, clause in enumerate(said) if _APOLOGY.match(clause)), None)
    return sorry is not None and any(not _APOLOGY.match(clause) for clause in said[sorry + 1:])


# Coming back to go on with the work (明天再跑一趟, 下午接着弄).
_CONTINUES = re.compile(rf"(?:再|接着|继续)(?:来|去|跑|过来|过去|{WORK}|{CARRY})")
# The arrival said on the way (马上到了, 快到了), and the way itself (在路上了, 刚出门了).
_ARRIVES = re.compile(r"^(?:我|人)?(?:马上|快|就|一会儿?就?)(?:要)?到(?:了|啦)?$")
_ON_THE_WAY = re.compile(r"^(?:我|人)?(?:已经|正|还)?在路上(?:了|呢)?$|"
                         r"^(?:我|人)?(?:刚|已经)出(?:门|发)(?:了|啦)$")


def continues(clause: str) -> bool:
    """Whether a clause says the sender comes back to go on with the work."""
    return _CONTINUES.search(clause) is not None


def arrives(clause: str) -> bool:
    """Whether a clause says the sender is about to arrive (马上到了)."""
    return _ARRIVES.match(clause) is not None


def on_the_way(clause: str) -> bool:
    """Whether a clause says the sender is on the way (在路上了, 刚出门了)."""
    return _ON_THE_WAY.match(clause) is not None


def only_progress(taken: list[str]) -> bool:
    """Whether the clauses that take the call (taken), in a reply whose work is not finished
    or who is on the way, only go on with the work or arrive (明天再跑一趟, 马上到了):
    progress, no new yes."""
    return bool(taken) and all(continues(clause) or arrives(clause) for clause in taken)
