"""The district prior (全区先验): which duty a text's characters suggest, learned from the
labelled needs shipped in ``nlu/data/training/``.

A multinomial naive Bayes model over the distinct character 1–3-grams of a text. It reads
what the lexicon cannot: a need that names no topic word (我妈想去银行取钱，一个人不敢去),
or one whose topic words point two ways. It is trained the first time it is used, from the
training files alone (a few hundred milliseconds), and kept for the life of the process.

Only the grams a duty has seen are stored, as ``log((count + α) / α)``; every known gram
adds the same per-duty constant besides, so a text costs one dictionary look-up per gram.
The look-up finds the gram's weights for every duty packed side by side into one integer,
so adding up a text's integers adds all duties' weights at once, in C.
"""

from __future__ import annotations

import math
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import repeat
from operator import add, sub

from ahocorasick_rs import AhoCorasick

from nlu.lexicon import normalise
from nlu.model import DUTIES
from nlu.screen import find_readable

TRAINING_DIR = "training"
"""Under ``nlu/data/``: label<TAB>text files; rows labelled ``none`` (chatter) are skipped."""
SIZES = (1, 2, 3)
SMOOTHING = 0.25
"""Additive (Lidstone) smoothing of the gram counts. 0.4 before round 8 (chosen then on
cross-validation and on the held-out third of ``tests/data/nlu_needs_round5.tsv``; below it the
prior outvoted the lexicon on a lift that trapped people, as most lift needs in the data were
disputes). With round 8's rows, lifts that trap people among them, and the rare 3-grams
pruned (``MIN_GRAM_COUNT``), 0.25 scores best on cross-validation of the training rows
less the held-out third of the ``r8_*`` files (2,866 of 3,111 rows; 2,861 at 0.3, 2,852 at
0.4) and on that third (89.4 % of its needs; 89.1 % and 88.7 %); never chosen on the frozen
sets."""
TEMPERATURE = 2.0
"""Naive Bayes counts every overlapping gram as independent evidence and is overconfident;
the posterior is flattened by this power before it is blended with the lexicon."""
GRAMS_PER_UNIT = 6.5
"""A text of more known grams than ``TEMPERATURE`` times this is flattened harder, by its
gram count over this: its overlapping grams repeat each other's evidence. Most texts have
more, so this, not ``TEMPERATURE``, sets how sure the prior is. 6.5 (6 before) since the
training files grew to about 3,600 rows: chosen on cross-validation and on the held-out third
of the round-8 files (``r8_*.tsv``), with the blend's weights (``nlu.blend``) and the need
gate's shares (``nlu.need_gate``)."""
MIN_GRAM_COUNT = 2
PRUNED_FROM = 3
"""A gram of ``PRUNED_FROM`` characters or more that fewer than ``MIN_GRAM_COUNT`` training
texts hold is not stored: such 3-grams are half the vocabulary and mostly chance. Pruning them
kept the model from growing with round 8's rows (34,500 grams for 3,600 rows; 44,400 for
2,100 before) and scores as high as the whole vocabulary did (cross-validation 2,866 against
2,864 of 3,111 rows, the held-out third's needs 89.4 % against 89.1 %). Shorter grams are all kept:
a rare character or pair is often the only word a dialect or a typo leaves."""
CHATTER = "none"
"""The label of training rows that are no need: the prior learns what chatter reads like, so
it does not hand a duty to chatter that happens to read as a plea."""
CLASSES: tuple[str, ...] = (*DUTIES, CHATTER)
_NOT_TEXT = re.compile(r"[\s\d\W_]+")

Weights = tuple[float, ...]
"""Per gram, one weight per duty (in ``CLASSES``)."""
FIELD_BITS = 64
"""Width of each duty's fixed-point weight in a packed gram (``Prior.packed``)."""
_FIELDS = struct.Struct(f"<{len(CLASSES)}Q")


def _no_grams(_text: str, overlapping: bool = False) -> list[str]:
    """What an automaton of no grams at all would find (ahocorasick_rs needs one)."""
    return []


def word_runs(text: str) -> list[str]:
    """The runs of word characters of a text, normalised (digits and punctuation split it)."""
    return _NOT_TEXT.split(normalise(text))


def char_grams(text: str, sizes: tuple[int, ...] = SIZES) -> set[str]:
    """The distinct character n-grams of a text's words (digits and punctuation dropped)."""
    grams: set[str] = set()
    for run in word_runs(text):
        # Gluing shifted copies of the run is C-level work: several times faster than slicing.
        gram: Iterable[str] = run
        for size in range(1, max(sizes) + 1):
            if size > 1:
                gram = list(map(add, gram, run[size - 1:]))
            if size in sizes:
                grams.update(gram)
    return grams


@dataclass(frozen=True)
class Prior:
    """A trained model.

    Attributes:
        weights: gram → per duty ``log((count + α) / α)``, 0 where no example held it.
        per_gram: Per duty, what every known gram adds: ``log(α / (total + α·vocabulary))``.
        examples: How many labelled needs it was trained on.
        packed: gram → its weights in fixed point, one ``FIELD_BITS`` field a duty, the
            first duty lowest; never 0 (some duty saw every stored gram).
        unit: What 1.0 is in that fixed point: the whole vocabulary's sum for any duty
            still fits a field, so a text's distinct grams never carry into the next one.
        _by_count: Per count of known grams met so far, ``_known_part`` of it (a text of
            n characters holds at most 3n grams: a few hundred counts at most).
    """

    weights: dict[str, Weights]
    per_gram: tuple[float, ...]
    examples: int
    packed: dict[str, int] = field(init=False, repr=False, compare=False)
    unit: float = field(init=False, repr=False, compare=False)
    _by_count: dict[int, tuple[tuple[float, ...], float]] = field(
        init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        most = max((sum(column) for column in zip(*self.weights.values(), strict=True)),
                   default=0.0)
        unit = 2.0 ** (FIELD_BITS - 1 - math.ceil(most).bit_length())
        shared: dict[Weights, int] = {}  # grams share a handful of weight patterns
        packed = {}
        for gram, row in self.weights.items():
            found = shared.get(row)
            if found is None:
                found = shared[row] = sum(round(weight * unit) << (FIELD_BITS * i)
                                          for i, weight in enumerate(row))
            packed[gram] = found
        object.__setattr__(self, "packed", packed)
        object.__setattr__(self, "unit", unit)

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> Prior:
        """Train on (label, text) pairs; pairs whose label is not one of ``CLASSES`` are
        skipped."""
        index = {label: i for i, label in enumerate(CLASSES)}
        held: list[Counter[str]] = [Counter() for _ in CLASSES]
        seen = 0
        for label, text in examples:
            if label in index:
                seen += 1
                held[index[label]].update(char_grams(text))
        vocabulary = {gram for gram in set().union(*held) if len(gram) < PRUNED_FROM
                      or sum([per[gram] for per in held]) >= MIN_GRAM_COUNT}
        # Most grams share a handful of count patterns: one tuple each keeps memory small.
        patterns: dict[tuple[int, ...], Weights] = {}
        weights = {}
        for gram in vocabulary:
            counts = tuple([per[gram] for per in held])
            found = patterns.get(counts)
            if found is None:
                found = patterns[counts] = tuple(
                    [math.log((n + SMOOTHING) / SMOOTHING) for n in counts])
            # A fresh copy of the gram: the counts' own copies are then freed whole, and
            # the memory they held goes back rather than staying in holes (2 MB at start).
            weights[gram.encode().decode()] = found
        per_gram = tuple(math.log(SMOOTHING / (per.total() + SMOOTHING * len(vocabulary)))
                         for per in held)
        return cls(weights, per_gram, seen)

    def log_likelihoods(self, grams: Iterable[str]) -> list[float]:
        """Per duty (in ``CLASSES``), the log-likelihood of the grams the model knows,
        divided by the temperature their number calls for.

        Args:
            grams: Distinct grams, as ``char_grams`` gives them.
        """
        rows = list(filter(None, map(self.packed.get, grams)))
        return self._scaled(sum(rows), len(rows))

    def text_log_likelihoods(self, text: str) -> list[float]:
        """``log_likelihoods(char_grams(text))``, the known grams found in one pass.

        A known gram is made of word characters only, so wherever it occurs in the text it
        lies inside one of the runs ``char_grams`` cuts the text into: the grams an
        automaton of the known ones finds in the whole text are the text's known grams.
        """
        found = set(find_readable(self._finder(), normalise(text), True))
        return self._scaled(sum(map(self.packed.__getitem__, found)), len(found))

    def _finder(self) -> Callable[[str, bool], list[str]]:
        """An automaton of the known grams, made the first time a text is read (a prior
        trained for one cross-validation fold may never need it): its search gives each
        match as the very gram it stored (``store_patterns``), whose hash is known, rather
        than as a tuple of three new ints (a third cheaper, set and look-ups included)."""
        finder = self.__dict__.get("_made")
        if finder is None:
            finder = (AhoCorasick(list(self.packed), store_patterns=True)
                      .find_matches_as_strings if self.packed else _no_grams)
            object.__setattr__(self, "_made", finder)
        return finder

    def _scaled(self, total: int, known: int) -> list[float]:
        """The per-duty log-likelihoods of ``known`` grams whose packed rows add to
        ``total``."""
        scores = _FIELDS.unpack(total.to_bytes(_FIELDS.size, "little"))
        known_part = self._by_count.get(known)
        if known_part is None:
            known_part = self._by_count[known] = self._known_part(known)
        offsets, temperature = known_part
        # The fields and the offsets are both one a class: no strict zip checks it at each
        # step. An int over a float is the int made a float (the same rounding as
        # ``float()``) and divided: no call to ``float`` a class.
        unit = self.unit
        return [(score / unit + offset) / temperature
                for score, offset in zip(scores, offsets, strict=False)]

    def _known_part(self, known: int) -> tuple[tuple[float, ...], float]:
        """What ``known`` grams add to each duty's log-likelihood (``per_gram`` each), and
        the temperature they call for: the same floats for every text of as many known
        grams, so each count's are worked out once (``_by_count``)."""
        # Floats made once: an int in float arithmetic is made a float at each operation
        # (the same float), and the interpreter has fast paths for floats alone.
        grams = float(known)
        return (tuple([grams * constant for constant in self.per_gram]),
                max(TEMPERATURE, known / GRAMS_PER_UNIT))


def favourite(log_likelihoods: list[float], learned: list[float]) -> tuple[str, float]:
    """The duty with the largest share of the posterior, and that share (0..1).

    The district's log-likelihoods come flattened (``Prior.log_likelihoods``); what a
    community's counts add (``learned``, per duty) is not: its reviewed examples come from
    the very place the text does.
    """
    # Adding zeros changes nothing (-0.0 turns 0.0, which max and exp read alike).
    scores = ([value + extra for value, extra in zip(log_likelihoods, learned, strict=True)]
              if any(learned) else log_likelihoods)
    best = max(scores)
    return (CLASSES[scores.index(best)],
            1.0 / sum(map(math.exp, map(sub, scores, repeat(best, len(scores))))))


def training_rows(folder: Traversable | None = None) -> list[tuple[str, str]]:
    """(label, text) rows of every training file, in name order.

    Args:
        folder: Where the files are (default: the package's ``nlu/data/training``).

    Raises:
        ValueError: On a row that is not label<TAB>text with a duty code or ``none``; the
            message names file and line.
    """
    rows: list[tuple[str, str]] = []
    folder = folder or resources.files("nlu").joinpath("data", TRAINING_DIR)
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".tsv")),
                       key=lambda p: p.name):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[1].strip() or parts[0] not in CLASSES:
                raise ValueError(f"{path.name} line {number}: expected label<TAB>text")
            rows.append((parts[0], parts[1]))
    return rows


_STANDING_IN: list[Prior] = []


def load_prior() -> Prior:
    """The prior trained on the package's training files, once per process (or the one
    ``standing_in`` puts in its place)."""
    return _STANDING_IN[-1] if _STANDING_IN else _package_prior()


@lru_cache(maxsize=1)
def _package_prior() -> Prior:
    return Prior.from_examples(training_rows())


@contextmanager
def standing_in(prior: Prior) -> Iterator[Prior]:
    """Classify with ``prior`` instead of the package's within the block (cross-validation
    scores each fold with a prior that never saw it)."""
    _STANDING_IN.append(prior)
    try:
        yield prior
    finally:
        _STANDING_IN.pop()
