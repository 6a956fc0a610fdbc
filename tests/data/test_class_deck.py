"""The generators' shared dealing of classes to images."""
from collections import Counter

import numpy as np
import pytest

from core.data.lib.class_deck import deal

CLASSES = ["a", "b", "c", "d"]


def test_blank_share_counts_and_an_even_deck():
    counts, deck = deal(np.random.default_rng(0), 40, CLASSES, blank_fraction=0.25, most_per_image=3)
    assert len(counts) == 40 and counts.count(0) == 10
    assert all(1 <= c <= 3 for c in counts if c) and len(deck) >= sum(counts)
    rounds = [deck[i:i + 4] for i in range(0, len(deck), 4)]
    assert all(sorted(r) == CLASSES for r in rounds)  # every class once per round: none left to chance


def test_extra_per_round_and_the_same_seed_the_same_deal():
    counts, deck = deal(np.random.default_rng(7), 20, CLASSES, blank_fraction=0, most_per_image=5,
                        extra_per_round=("a",))
    tally = Counter(deck)
    assert tally["a"] == 2 * tally["b"] and 0 not in counts
    again = deal(np.random.default_rng(7), 20, CLASSES, blank_fraction=0, most_per_image=5, extra_per_round=("a",))
    assert again == (counts, deck)


@pytest.mark.parametrize("fraction, blanks", [(0.0, 0), (1.0, 9), (0.5, 4)])
def test_blank_fraction_rounds(fraction, blanks):
    counts, _ = deal(np.random.default_rng(1), 9, CLASSES, blank_fraction=fraction, most_per_image=2)
    assert counts.count(0) == blanks


def test_rendered_draws_again_until_the_classes_are_placed():
    from core.data.lib.class_deck import rendered

    seeds = []

    def render(rng, classes):
        seeds.append(int(rng.integers(1 << 30)))
        placed = classes if len(seeds) >= 4 or not classes else []  # two failed draws, then one that fits
        return f"image{len(seeds)}", placed

    out = list(rendered([0, 2], ["a", "b"], 5, render))
    assert [(i, labels) for i, _, labels in out] == [(0, []), (1, ["a", "b"])]
    assert len(seeds) == 4 and len(set(seeds)) == 4  # the empty image drawn once; three distinct seeds for the other
