"""Image classification on real scans: scikit-learn's digits (1,797 8x8 images, 10 classes),
the platform's classifier against a plain scikit-learn baseline on the same split.

A stratified 25% of the images is held out as the test set and never used for a choice (no
validation on it, no early stopping, fixed settings). On the other 75%:

    platform   PP-LCNet trained from scratch in the platform's own training child
               (core/training/classification/run.py) on the scans upscaled to PNGs, exported,
               and scored as served: each test PNG through the classification codec and ONNX
               Runtime (core.training.trainers.classification_bundle.served_probabilities)
    baseline   logistic regression on the 64 raw pixels (standardised), measured in the same run

It prints test accuracy and macro-F1 of both, and the training time as a ratio to the baseline's.

    .venv/bin/python bench/image_classification.py [--epochs 6] [--size 64] [--scale 0.5]
        [--batch-size 32] [--seed 0] [--work DIR]

The trainer's defaults but for the input size (64 px rather than 96: the scans are 8 px) and
the epochs (6: about 260 steps, a few minutes on 2 cores). Not part of `make bench`."""
import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEST_FRACTION = 0.25


def write_pngs(folder, images, size):
    import numpy as np
    from PIL import Image

    (folder / "images").mkdir(parents=True, exist_ok=True)
    names = []
    for i, pixels in enumerate(images):
        name = f"{i:04d}.png"
        scan = Image.fromarray((pixels / 16.0 * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC)
        buf = io.BytesIO()
        scan.save(buf, format="PNG")
        (folder / "images" / name).write_bytes(buf.getvalue())
        names.append(name)
    return names


def train_platform(work, names, y, train_idx, args):
    spec = {"dataset_dir": str(work), "out_dir": str(work / "out"), "num_classes": 10,
            "train_items": [[names[i], int(y[i])] for i in train_idx], "val_items": [],
            "epochs": args.epochs, "batch_size": args.batch_size, "input_size": args.size, "scale": args.scale,
            "seed": args.seed, "threads": 2, "optimizer": "adamw", "crop_scale": 0.75, "flip": False}
    (work / "spec.json").write_text(json.dumps(spec))
    started = time.monotonic()
    with open(work / "child.log", "w") as log:
        done = subprocess.run([sys.executable, "-m", "core.training.classification.run", str(work / "spec.json")],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False,
                              env=dict(os.environ, OMP_NUM_THREADS="2"))
    seconds = time.monotonic() - started
    if done.returncode:
        sys.exit(f"training failed, see {work / 'child.log'}")
    events = [json.loads(line) for line in (work / "child.log").read_text().splitlines() if line.startswith("{")]
    steps = sum(1 for e in events if e.get("event") == "step")
    return next(e for e in events if e.get("event") == "exported"), spec, steps, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()

    from django_env import setup_django  # bench/ is on sys.path as the script's folder

    setup_django(test_db=False)  # a throw-away var dir: the engine unpacks bundles under it
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from core.training.classification.run import default_learning_rate
    from core.training.lib.image_classes import Item, evaluate
    from core.training.trainers.classification_bundle import (
        package,
        served_probabilities,
    )

    digits = load_digits()
    y = digits.target
    train_idx, test_idx = train_test_split(np.arange(len(y)), test_size=TEST_FRACTION, stratify=y,
                                           random_state=args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="image-classification-"))
    work.mkdir(parents=True, exist_ok=True)
    names = write_pngs(work, digits.images, args.size)
    labels = [str(d) for d in range(10)]
    print(f"work dir {work}; digits: {len(train_idx)} training / {len(test_idx)} held-out test images, "
          f"upscaled 8 -> {args.size} px", flush=True)

    started = time.monotonic()
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    baseline.fit(digits.data[train_idx], y[train_idx])
    base_seconds = time.monotonic() - started
    base_pred = baseline.predict(digits.data[test_idx])
    base_acc, base_f1 = accuracy_score(y[test_idx], base_pred), f1_score(y[test_idx], base_pred, average="macro")

    print(f"training PP-LCNet x{args.scale} from scratch: {args.epochs} epochs, batch {args.batch_size}, AdamW at "
          f"{default_learning_rate('adamw', False)} (the trainer's default) ...", flush=True)
    exported, spec, steps, seconds = train_platform(work, names, y, train_idx, args)
    bundle = package(work, exported, labels, spec)
    test_items = [Item(int(i), names[i], int(y[i])) for i in test_idx]
    metrics = evaluate(labels, test_items, served_probabilities(bundle, work, test_items))

    print(f"\nheld-out test set ({len(test_idx)} images, never used for a choice)")
    print(f"  platform  PP-LCNet x{args.scale} {args.size} px, {steps} steps, as served (ONNX Runtime): "
          f"accuracy {metrics['accuracy']:.4f}  macro-F1 {metrics['macro_f1']:.4f}  trained in {seconds:.0f} s")
    print(f"  baseline  logistic regression on the 64 pixels:            accuracy {base_acc:.4f}  "
          f"macro-F1 {base_f1:.4f}  trained in {base_seconds:.2f} s")
    print(f"  accuracy ratio platform / baseline {metrics['accuracy'] / base_acc:.3f}; "
          f"training time ratio {seconds / max(base_seconds, 1e-3):.0f}x")
    worst = ", ".join(f"{w['true']}->{w['predicted']}" for w in metrics["worst"][:6])
    print(f"  platform's least sure test images (true->predicted): {worst}")


if __name__ == "__main__":
    main()
