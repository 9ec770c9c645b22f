"""Timing the classifier's fast exact path against its pinyin/fuzzy fallback path."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from nlu.classifier import classify, needs_fallback


def _mean_us(texts: Sequence[str], repeat: int) -> float:
    """Mean microseconds per ``classify`` call over ``repeat`` passes of ``texts``."""
    if not texts:
        return 0.0
    for text in texts:  # warm the lexicon and the pinyin index outside the timing
        classify(text)
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            classify(text)
    return (time.perf_counter() - start) * 1e6 / (repeat * len(texts))


def bench_classify(texts: Sequence[str], repeat: int = 200) -> dict[str, float]:
    """Measure classify() on texts that hit the lexicon exactly vs texts needing the fallback.

    Args:
        texts: Sample messages; they are split by which path they take.
        repeat: Passes over each group.

    Returns:
        ``exact_us`` and ``fallback_us`` (mean µs per call), ``ratio`` (fallback / exact,
        0.0 when either group is empty) and the group sizes ``exact_n`` and ``fallback_n``.
    """
    slow = [t for t in texts if needs_fallback(t)]
    fast = [t for t in texts if not needs_fallback(t)]
    exact_us, fallback_us = _mean_us(fast, repeat), _mean_us(slow, repeat)
    ratio = fallback_us / exact_us if exact_us and fallback_us else 0.0
    return {"exact_us": round(exact_us, 2), "fallback_us": round(fallback_us, 2),
            "ratio": round(ratio, 2), "exact_n": float(len(fast)), "fallback_n": float(len(slow))}


def _best_pass_us(work: Callable[[str], object], texts: Sequence[str]) -> float:
    """Microseconds per text of one pass over ``texts``."""
    start = time.perf_counter()
    for text in texts:
        work(text)
    return (time.perf_counter() - start) * 1e6 / len(texts)


def versus_jieba(texts: Sequence[str], repeat: int = 200) -> dict[str, float] | None:
    """classify() against jieba.lcut, the usual first step of a Chinese text pipeline, on
    the same texts; None when jieba is not installed (it is no dependency of the bot).

    The passes alternate and the fastest of each counts, so a machine busy with other work
    slows both alike and the ratio holds.

    Returns:
        ``classify_us`` and ``jieba_us`` (µs per text) and their ``ratio``.
    """
    try:
        import jieba
    except ImportError:
        return None
    if not texts:
        return None
    jieba.setLogLevel(60)  # its dictionary loads with a chatty log line
    jieba.initialize()
    for text in texts:  # warm both
        classify(text)
        jieba.lcut(text)
    ours = theirs = float("inf")
    for _ in range(max(1, repeat // 10)):
        ours = min(ours, _best_pass_us(classify, texts))
        theirs = min(theirs, _best_pass_us(jieba.lcut, texts))
    return {"classify_us": round(ours, 2), "jieba_us": round(theirs, 2),
            "ratio": round(ours / theirs, 2)}
