"""How the synthetic generators (verticals.*.lib.synth) deal object classes to images: a
share of the images get none, the rest a random count, and classes come off a deck built
from shuffled rounds, so every class appears as soon as there are enough objects and
rare classes are not left to chance. Pure: no Django. The random draws are made in a fixed
order from the caller's generator, so a seed gives the same dataset."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def deal(master: np.random.Generator, n_images: int, classes: Sequence[str], *, blank_fraction: float,
         most_per_image: int, extra_per_round: Sequence[str] = ()) -> tuple[list[int], list[str]]:
    """(objects per image, the deck of classes to take them from in image order).
    round(n_images * blank_fraction) images, chosen at random, get no object; the others
    1..most_per_image. `extra_per_round` is added to every round (a commoner class)."""
    blank = set(master.permutation(n_images)[:int(round(n_images * blank_fraction))].tolist())
    counts = [0 if i in blank else int(master.integers(1, most_per_image + 1)) for i in range(n_images)]
    deck: list[str] = []
    while len(deck) < sum(counts):
        deck.extend([classes[j] for j in master.permutation(len(classes))] + list(extra_per_round))
    return counts, deck


def rendered(counts: Sequence[int], deck: Sequence[str], seed: int, render):
    """Yield (index, image, labels) for each image in order: `render(rng, classes)` draws it
    from its own generator seeded [seed, index]; a draw that placed none of its classes is
    drawn again ([seed, index, attempt]) rather than silently becoming a clean image."""
    dealt = 0
    for i, count in enumerate(counts):
        classes = list(deck[dealt:dealt + count])
        dealt += count
        image, labels = render(np.random.default_rng([seed, i]), classes)
        attempt = 1
        while classes and not labels:
            image, labels = render(np.random.default_rng([seed, i, attempt]), classes)
            attempt += 1
        yield i, image, labels
