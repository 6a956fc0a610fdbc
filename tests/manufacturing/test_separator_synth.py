"""The synthetic separator dataset: deterministic, every class present at its declared
size, the requested share of clean images, and accepted by the COCO importer."""
import hashlib
import json

import cv2
import numpy as np
import pytest

from core.data.lib import coco
from core.data.lib.images import decoded_size
from verticals.manufacturing.lib.synth import separator as synth

N, SIZE = 14, 192


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sep") / "a"
    info = synth.generate(out, n_images=N, size=SIZE, seed=7, clean_fraction=0.25)
    return out, info, json.loads((out / "annotations.json").read_text())


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_images(generated, tmp_path):
    out, _, _ = generated
    again = tmp_path / "b"
    synth.generate(again, n_images=N, size=SIZE, seed=7, clean_fraction=0.25)
    assert _digests(out) == _digests(again)
    other = tmp_path / "c"
    synth.generate(other, n_images=N, size=SIZE, seed=8, clean_fraction=0.25)
    assert (other / "images" / "sep_0000.png").read_bytes() != (out / "images" / "sep_0000.png").read_bytes()


def test_classes_ids_and_counts(generated):
    _, info, doc = generated
    assert len(synth.CLASSES) >= 6
    assert [(c["id"], c["name"]) for c in doc["categories"]] == [(i + 1, n) for i, n in enumerate(synth.CLASSES)]
    assert {a["category_id"] for a in doc["annotations"]} == set(range(1, len(synth.CLASSES) + 1))
    assert info["per_class"] == {c: sum(a["category_id"] == synth.CATEGORY_IDS[c] for a in doc["annotations"])
                                 for c in synth.CLASSES}


def test_clean_images_and_defects_per_image(generated):
    _, info, doc = generated
    per_image = {im["id"]: 0 for im in doc["images"]}
    for a in doc["annotations"]:
        per_image[a["image_id"]] += 1
    assert sum(1 for n in per_image.values() if n == 0) == round(N * 0.25) == info["clean_images"]
    assert all(0 <= n <= 4 for n in per_image.values())


def test_boxes_within_declared_sizes_and_image(generated):
    _, _, doc = generated
    names = {c["id"]: c["name"] for c in doc["categories"]}
    for a in doc["annotations"]:
        x, y, w, h = a["bbox"]
        lo, hi = synth.SIZE_RANGES[names[a["category_id"]]]
        assert lo <= max(w, h) <= hi, a
        assert x >= 0 and y >= 0 and x + w <= SIZE and y + h <= SIZE
        assert a["area"] == w * h and a["iscrowd"] == 0
    small = sum(max(a["bbox"][2:]) <= 30 for a in doc["annotations"])
    assert small / len(doc["annotations"]) > 0.6  # most defects are small


def test_boxes_are_tight(generated):
    """Compare with the same film drawn without defects: every box edge row/column changed."""
    out, _, doc = generated
    checked = 0
    for image_id in sorted({a["image_id"] for a in doc["annotations"]})[:4]:
        clean = synth.film(np.random.default_rng([7, image_id - 1]), SIZE)
        img = cv2.imread(str(out / "images" / f"sep_{image_id - 1:04d}.png"), cv2.IMREAD_GRAYSCALE)
        diff = np.abs(img.astype(np.float32) - clean)
        diff -= np.median(diff)  # the colour tint shifts all pixels a little
        for a in (a for a in doc["annotations"] if a["image_id"] == image_id):
            x, y, w, h = a["bbox"]
            patch = diff[y:y + h, x:x + w]
            for edge in (patch[0], patch[-1], patch[:, 0], patch[:, -1]):
                assert edge.max() >= 1.5, a
            checked += 1
    assert checked >= 4


def test_images_are_film_like(generated):
    out, _, _ = generated
    img = cv2.imread(str(out / "images" / "sep_0001.png"))
    assert img.shape == (SIZE, SIZE, 3)
    grey = img.mean(axis=2)
    assert 140 < grey.mean() < 225 and 2 < grey.std() < 20
    # nearly grey: the channels differ by a small tint only
    assert np.abs(img[..., 0].astype(int) - img[..., 2]).mean() < 8


def test_output_passes_the_validator(generated):
    out, _, doc = generated

    def size(name):
        return decoded_size((out / "images" / name).read_bytes())

    report = coco.validate(doc, size)
    assert report.ok, report.messages()
    assert report.stats["clean_images"] == round(N * 0.25)


def test_output_imports(generated, orgs, users):
    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_coco

    out, info, _ = generated
    ds = create_dataset(name="separator-synth", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    dv = import_coco(out, dataset=ds, acting_user=users["a_dev"])
    assert dv.num_records == N and dv.stats["num_annotations"] == info["num_annotations"]
    assert set(dv.stats["per_category"]) == set(synth.CLASSES)


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError):
        synth.generate(tmp_path, n_images=0)
    with pytest.raises(ValueError):
        synth.generate(tmp_path, clean_fraction=1.5)
