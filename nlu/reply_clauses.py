"""A reply read as clauses: dialect, IME and traditional spellings folded to standard words,
stickers and emoji dropped, each clause marked when it asks rather than answers; and the answer
found inside a quoted message or a 接龙 (sign-up chain)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# Stickers typed as text ([强], [OK]) and emoji separate clauses; they carry no answer.
_STICKER = re.compile(r"\[[^\[\]\s]{1,8}\]")
_MARKS = (r"\s,，。!！?？;；:：~～、…()（）【】\[\]"
          r"\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001F000-\U0001FAFF")
_BREAK = re.compile(rf"[{_MARKS}.]+")
# A point between digits is a decimal (4.5分), not a break: looked for only when one is there.
_DECIMAL = re.compile(r"\d[.．]\d")
_BREAK_BUT_DECIMALS = re.compile(rf"(?:[{_MARKS}]|(?<!\d)\.|\.(?!\d))+")
_ASKED = re.compile(r"[?？]")
# A trailing 把 is the IME's 吧 (交给我把), but not the hand one lends (帮一把, 拉一把).
_IME_BA = re.compile(r"(?<!一)把(?=[\s,，.。!！~～]|$)")


@lru_cache(maxsize=1)
def _folds() -> tuple[tuple[str, str], ...]:
    """Dialect and IME spellings, read as the standard word (俺 → 我, 没得 → 没)."""
    text = resources.files("nlu").joinpath("data", "reply_folds.tsv").read_text(
        encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
    return tuple(sorted(((written, read) for written, read in rows), key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    """Traditional (and written Cantonese) characters, read as simplified ones."""
    text = resources.files("nlu").joinpath("data", "reply_hant.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
    return str.maketrans(dict(rows))


@lru_cache(maxsize=1)
def _foldable() -> re.Pattern[str]:
    """Any traditional character or dialect spelling: most replies hold none and skip the
    folds."""
    written = sorted((w for w, _ in _folds()), key=len, reverse=True)
    characters = "".join(chr(code) for code in _simplified())
    return re.compile("|".join([f"[{re.escape(characters)}]", *map(re.escape, written)]))


def fold(flat: str) -> str:
    """The normalised reply in simplified characters, with dialect and IME spellings replaced
    by standard words."""
    if _foldable().search(flat):
        flat = flat.translate(_simplified())
        for written, read in _folds():
            if written in flat:
                flat = flat.replace(written, read)
    return _IME_BA.sub("吧", flat) if "把" in flat else flat


# --- questions -------------------------------------------------------------------------------
# A clause asks when it ends in a question particle or mark (not the south-western 嘛 that
# settles it: 我来嘛), names a wh-word (几点集合, 要带啥)
# or puts a verb both ways (去不去). A wh-word before 都/也 is "any" (什么时候都行), one after
# 看看, 问问 or 教我 is what the sender will find out or be shown (我去看看怎么回事, 问问具体
# 什么情况, 教我怎么用手机), one before 的话 a condition (需要带什么工具的话), and a few words
# only look like asking (好几天, 不怎么, 没啥).
_ENDS_ASKING = re.compile(r"(?:吗|么|(?<![来去上])嘛|了没|没有)$")
_ASKING_LAST = "吗么嘛没有"
_WH = re.compile(r"怎么|怎样|咋|什么|啥|哪|几[点个号楼时天位人回次]|多少|多久|谁|为什么|为啥|"
                 r"是否|([\u4e00-\u9fff])[不没]\1")
_NOT_ASKING = re.compile(r"(?:什么|啥|哪\S?|几\S?|谁)[^都也]{0,4}[都也]|[好这那前过十]几|几十|"
                         r"不([\u4e00-\u9fff])不\1|不怎么|[不没]咋|没(?:啥|什么)|不管|无论|哪怕|"
                         r"(?:看看|看下|看一下|瞧瞧|问问|问一下|打听|了解|教我|告诉我|发现)[^吗么呢]{0,8}?"
                         r"(?:怎么|什么|啥|哪)|(?:什么|啥|哪)[^吗么呢]{0,6}?的话")


# Voice-to-text runs its sentences together: a clause longer than this is read as sentences,
# each ending at a sentence-final particle (修好了|现在不漏了, 准不准啊|我这周在上海), unless
# the particle is doubled or a measure word follows it (去不了了, 换了个新的).
RUN_ON_CHARS = 20
_SENTENCE_END = re.compile(r"(?<=[了吧啊呀呢嘛])(?![了吧啊呀呢嘛的个一两几\s]|$)")


def clauses(flat: str) -> list[tuple[str, bool]]:
    """The reply's clauses, each with whether it asks a question (stickers dropped)."""
    text = _STICKER.sub(" ", flat)
    found: list[tuple[str, bool]] = []
    start = 0
    breaks = _BREAK_BUT_DECIMALS if "." in text and _DECIMAL.search(text) else _BREAK
    for gap in [*breaks.finditer(text), None]:
        end = gap.start() if gap else len(text)
        clause = text[start:end]
        if clause:
            asked = bool(gap and _ASKED.search(gap.group()))
            found.extend(_sentences(clause, asked))
        start = gap.end() if gap else end
    return found


def _sentences(clause: str, marked: bool) -> list[tuple[str, bool]]:
    """A clause, or the sentences of a run-on one, each with whether it asks (the last also
    when the mark after the clause asks)."""
    if len(clause) <= RUN_ON_CHARS:
        return [(clause, marked or _asks(clause))]
    *said, last = _SENTENCE_END.split(clause)
    return [*((sentence, _asks(sentence)) for sentence in said), (last, marked or _asks(last))]


def asks(flat: str) -> bool:
    """Whether any clause of a reply is a question."""
    return any(asked for _, asked in clauses(flat))


# A thing one asks after, and 呢, asks where it is (报名表呢, 老人电话呢); other clauses with 呢
# say so (出差呢, 我在深圳呢, 忙着呢).
_WHERE_IS = re.compile(r"^[^我你他她在正]{0,4}"
                       r"(?:表|单|人|地址|电话|链接|名单|钥匙|东西|工具|位置|定位)呢$")


def _asks(clause: str) -> bool:
    """Whether a clause, read alone, is a question."""
    # Only a clause ending in 吗, 么, 嘛, 没 or 有 may end asking (the search is slow).
    ends_asking = clause[-1:] in _ASKING_LAST and _ENDS_ASKING.search(clause) is not None
    return bool(ends_asking or _WHERE_IS.match(clause)
                # most clauses hold no wh-word and skip taking out those that do not ask
                or (_WH.search(clause) is not None
                    and _WH.search(_NOT_ASKING.sub("", clause)) is not None))


# --- quotes and 接龙 ------------------------------------------------------------------------
# A WeChat quote reply carries the quoted message first: 「李主任：周六谁能去？」, a dashed
# line, then the answer.
_QUOTED = re.compile(r"^\s*「[^」]*」\s*(?:[-－—]\s*){3,}")


def unquoted(text: str) -> str:
    """The reply without the message it quotes."""
    return _QUOTED.sub("", text, count=1)


# A 接龙 (sign-up chain) entry is numbered: "3. 王建国 +1". A chain copied with one's own
# entry added holds several, "1. 张三 2. 李四 3. 王五" (often one per line): the sender's
# entry is the last, and a name there with nothing against it is the sign-up itself.
_CHAIN_NUMBER = re.compile(r"(?:^|(?<=\s))(?:\d{1,3}\s*[.、．)）]|[①-⑳])(?=\s*\D)")
_NAMED = re.compile(r"^\s*[\u4e00-\u9fff·]{2,5}(?=\s|$|[(（+])")


def chain_entry(text: str) -> tuple[str, bool] | None:
    """The sender's own 接龙 entry without its number, and whether it starts with a name;
    None when the text neither starts with a numbered entry nor holds two of them."""
    numbers = list(_CHAIN_NUMBER.finditer(text))
    if not numbers or (len(numbers) == 1 and text[:numbers[0].start()].strip()):
        return None
    entry = text[numbers[-1].end():]
    return entry, bool(_NAMED.match(entry))
