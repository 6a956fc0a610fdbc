"""A tiny, easy detection dataset (dark squares and bright discs on noise) and a model
trained on it once per test session: enough to test training, export and serving
without the minutes a real model takes."""
import json
from pathlib import Path

import numpy as np


def make_coco(out: Path, n=24, size=320, seed=0):
    import cv2

    rng = np.random.default_rng(seed)
    (out / "images").mkdir(parents=True, exist_ok=True)
    images, anns = [], []
    for i in range(n):
        img = cv2.cvtColor(rng.normal(128, 10, (size, size)).clip(0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
        for _ in range(int(rng.integers(0, 3)) if i % 4 else 0):
            cls = int(rng.integers(0, 2))
            w = int(rng.integers(14, 34))
            x, y = (int(v) for v in rng.integers(0, size - w - 1, 2))
            if cls == 0:
                cv2.rectangle(img, (x, y), (x + w - 1, y + w - 1), (30, 30, 30), -1)
            else:
                cv2.circle(img, (x + w // 2, y + w // 2), w // 2, (240, 240, 240), -1)
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": cls + 1, "bbox": [x, y, w, w],
                         "area": w * w, "iscrowd": 0})
        cv2.imwrite(str(out / "images" / f"{i:03d}.png"), img)
        images.append({"id": i + 1, "file_name": f"{i:03d}.png", "width": size, "height": size})
    doc = {"images": images, "annotations": anns,
           "categories": [{"id": 1, "name": "dark_square"}, {"id": 2, "name": "bright_disc"}]}
    (out / "annotations.json").write_text(json.dumps(doc))
    return out


def train_bundle(workdir: Path, *, epochs=3, n=24, seed=1) -> Path:
    """Train the tiny detector in the child process and package it; no database."""
    import subprocess
    import sys

    from core.training.detection.metrics import split_coco
    from core.training.trainers.detection import _bundle

    data = make_coco(workdir / "coco", n=n)
    doc = json.loads((data / "annotations.json").read_text())
    train, val = split_coco(doc, val_fraction=0.25, seed=seed)
    (workdir / "train.json").write_text(json.dumps(train))
    (workdir / "val.json").write_text(json.dumps(val))
    spec = {"dataset_dir": str(data), "train_ann": str(workdir / "train.json"), "eval_ann": str(workdir / "val.json"),
            "out_dir": str(workdir / "out"), "num_classes": 2, "epochs": epochs, "batch_size": 6,
            "learning_rate": 0.1, "seed": seed, "threads": 2}
    (workdir / "spec.json").write_text(json.dumps(spec))
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "core.training.detection.run", str(workdir / "spec.json")], cwd=root,
                         capture_output=True, text=True, timeout=900)
    events = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    exported = next((e for e in events if e["event"] == "exported"), None)
    assert exported, out.stderr[-3000:]
    labels = [c["name"] for c in doc["categories"]]
    return _bundle(workdir, exported, labels, {"threshold": 0.5}), data
