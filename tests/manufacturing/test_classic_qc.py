"""The classic flat-field threshold inspection: finds real contrast, ignores the film's own
grain and illumination, and (its known weakness) cannot tell benign marks from defects."""
import json

import cv2
import numpy as np
import pytest

from verticals.manufacturing.lib import classic_qc
from verticals.manufacturing.lib.synth import separator as synth


def _film(seed, size=160):
    img = synth.film(np.random.default_rng(seed), size)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def test_grain_and_illumination_stay_below_a_dark_spot():
    clean = _film(1)
    spotted = clean.copy()
    cv2.circle(spotted, (80, 60), 3, int(clean[60, 80]) - 90, -1)
    s_clean, s_spot = classic_qc.part_score(clean), classic_qc.part_score(spotted)
    assert s_spot > 2 * s_clean and s_spot > 8
    blobs = classic_qc.anomalies(spotted, (s_clean + s_spot) / 2)
    assert len(blobs) == 1
    x1, y1, x2, y2 = blobs[0]["box"]
    assert x1 <= 80 < x2 and y1 <= 60 < y2 and x2 - x1 <= 12


def test_score_is_the_highest_level_that_still_rejects():
    img = _film(2)
    cv2.line(img, (20, 20), (120, 40), 120, 1)
    score = classic_qc.part_score(img)
    assert classic_qc.anomalies(img, score - 0.05)
    assert not classic_qc.anomalies(img, score + 0.05)


def test_benign_marks_raise_the_classic_score_of_clean_parts(tmp_path):
    """Same seed, same defects and labels; only the unlabelled benign marks differ."""
    plain = synth.generate(tmp_path / "plain", n_images=16, size=192, seed=5, nuisance=0.0)
    marked = synth.generate(tmp_path / "marked", n_images=16, size=192, seed=5, nuisance=2.0)
    a, b = (json.loads((tmp_path / d / "annotations.json").read_text()) for d in ("plain", "marked"))
    assert a["annotations"] == b["annotations"] and b["info"]["nuisance"] == 2.0
    clean = [im for im in a["images"] if im["id"] not in {x["image_id"] for x in a["annotations"]}]
    assert clean

    def scores(folder):
        return [classic_qc.part_score(cv2.imread(str(tmp_path / folder / "images" / im["file_name"])))
                for im in clean]

    plain_scores, marked_scores = scores("plain"), scores("marked")
    assert max(marked_scores) > max(plain_scores) + 1.0
    assert plain["clean_images"] == marked["clean_images"] == len(clean)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="8x8"):
        classic_qc.part_score(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="nuisance"):
        synth.generate("/tmp/never-written", n_images=1, nuisance=-1)
