"""How well the classifier reads needs it never saw: k-fold cross-validation of the district
prior over the training files (交叉验证).

Each fold is scored by the whole classifier (lexicon, prior, blend) with a prior trained on
the other folds only. The lexicon itself was tuned on some of these texts, so the number is
an upper bound for the lexicon's part and an honest one for the prior's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from nlu.evaluate import EvalReport, evaluate
from nlu.prior import Prior, standing_in

FOLDS = 5


def cross_validate(rows: Sequence[tuple[str, str]], folds: int = FOLDS,
                   seed: int = 0) -> EvalReport:
    """Score every (label, text) row with a prior trained on the folds it is not in.

    Args:
        rows: Labelled rows, a duty code or ``none`` each (as ``nlu.prior.training_rows``).
        folds: How many parts the rows are dealt into (at random, by ``seed``).
        seed: The shuffle's seed, so a run can be repeated.

    Returns:
        One report over all rows.
    """
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    fold_of = {row: n % folds for n, row in enumerate(order)}
    return evaluate(_scored_by_fold(rows, fold_of, folds))


def _scored_by_fold(rows: Sequence[tuple[str, str]], fold_of: dict[int, int],
                    folds: int) -> Iterator[tuple[str, str]]:
    """The rows fold by fold, each fold's while a prior trained without it stands in:
    ``evaluate`` classifies a row before it asks for the next."""
    for fold in range(folds):
        prior = Prior.from_examples(row for n, row in enumerate(rows) if fold_of[n] != fold)
        with standing_in(prior):
            yield from (row for n, row in enumerate(rows) if fold_of[n] == fold)
