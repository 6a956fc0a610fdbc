"""Active-learning strategy maths on small hand-computed cases (issue 20): uncertainty scores,
which samples each strategy asks for, never a labelled one, and bad input refused."""
import numpy as np
import pytest

from core.data.lib.active import StrategyError, query, uncertainty

PROBAS = np.array([[0.9, 0.1], [0.6, 0.4], [0.5, 0.5], [0.99, 0.01], [0.7, 0.3]])


def test_uncertainty_scores_by_hand():
    assert np.allclose(uncertainty(PROBAS, "least_confidence"), [0.1, 0.4, 0.5, 0.01, 0.3])
    # margin: 1 - (p1 - p2), so the closest call scores highest
    assert np.argmax(uncertainty(PROBAS, "margin")) == 2
    h = -(0.6 * np.log(0.6) + 0.4 * np.log(0.4))
    assert np.isclose(uncertainty(PROBAS, "entropy")[1], h)
    three = np.array([[1 / 3] * 3, [0.8, 0.1, 0.1]])
    assert uncertainty(three, "entropy")[0] > uncertainty(three, "entropy")[1]


def test_uncertainty_strategies_ask_for_the_closest_calls_and_skip_labelled_ones():
    X = np.arange(10, dtype=float).reshape(5, 2)
    assert query("least_confidence", features=X, labelled=[], batch_size=2, probas=PROBAS) == [1, 2]
    assert query("entropy", features=X, labelled=[2], batch_size=2, probas=PROBAS) == [1, 4]
    assert query("margin", features=X, labelled=np.array([True, True, True, False, False]), batch_size=5,
                 probas=PROBAS) == [3, 4]


def test_coreset_and_typiclust_spread_over_the_clusters():
    rng = np.random.default_rng(0)
    clusters = np.concatenate([rng.normal(c, 0.05, size=(20, 2)) for c in ((0, 0), (5, 5), (0, 5))])
    labelled = np.zeros(60, dtype=bool)
    labelled[0] = True  # one of the first cluster is known
    for strategy in ("coreset", "typiclust"):
        picked = query(strategy, features=clusters, labelled=labelled, batch_size=2, seed=1)
        assert len(picked) == 2 and 0 not in picked
        assert {i // 20 for i in picked} == {1, 2}, strategy  # the two clusters nobody labelled yet


def test_the_mix_is_uncertain_first_then_diverse():
    X = np.array([[0, 0], [0, 0.01], [10, 10], [0, 0.02], [20, 0]], dtype=float)
    probas = np.array([[0.5, 0.5], [0.5, 0.5], [0.55, 0.45], [0.5, 0.5], [0.99, 0.01]])
    picked = query("uncertain_diverse", features=X, labelled=[], batch_size=2, probas=probas, pre_factor=2)
    # the four most uncertain are 0, 1, 3 (a tight clump) and 2; diversity keeps one of the clump and 2
    assert 2 in picked and len({0, 1, 3} & set(picked)) == 1 and 4 not in picked


def test_random_is_seeded_and_bad_input_is_refused():
    X = np.zeros((30, 2))
    assert query("random", features=X, labelled=[], batch_size=5, seed=3) == \
        query("random", features=X, labelled=[], batch_size=5, seed=3)
    with pytest.raises(StrategyError, match="strategy must be one of"):
        query("badge", features=X, labelled=[], batch_size=1)
    with pytest.raises(StrategyError, match="needs the model's probabilities"):
        query("entropy", features=X, labelled=[], batch_size=1)
    assert query("random", features=X, labelled=np.ones(30, dtype=bool), batch_size=4) == []
