"""Active learning for detection, simulated on a small scale: a pool of synthetic shape images
(dark squares and bright discs on noise: tests/detection_fixtures.make_coco) and a separate test
set; each round trains the platform's detector (the same child process a training job runs)
on what is labelled, scores the test set (mAP@0.5) and, for the uncertainty strategies, the
pool (an image is as uncertain as its least decided box, as core.active_round reads it), then
labels the batch the strategy asks for. Random is the baseline, measured in the same run.

    .venv/bin/python bench/active_learning_detection.py [--pool 72] [--start 12] [--batch 12]
        [--rounds 3] [--epochs 4] [--strategies random,entropy,uncertain_diverse] [--seed 0]

Each training is about a minute on 2 CPUs, so the default is one seed and a short curve: a
first look at whether uncertainty beats random on detection, not the issue's full measurement."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from django_env import setup_django  # noqa: E402


def subset(doc, ids):
    ids = set(ids)
    return {"images": [im for im in doc["images"] if im["id"] in ids],
            "annotations": [a for a in doc["annotations"] if a["image_id"] in ids], "categories": doc["categories"]}


PRESET = {}  # --pretrained: the preset backbone every round's detector starts from


def train(work, data_dir, train_doc, epochs, seed):
    """(loaded model, labels) of a detector trained in the child process on train_doc."""
    from core.inference import engine
    from core.inference.profiles import get_profile
    from core.training.trainers.detection import _bundle

    work.mkdir(parents=True, exist_ok=True)
    (work / "train.json").write_text(json.dumps(train_doc))
    # the child's own evaluation runs on the training images (its folder holds only the pool);
    # the benchmark scores the separate test set itself
    spec = {"dataset_dir": str(data_dir), "train_ann": str(work / "train.json"), "eval_ann": str(work / "train.json"),
            "out_dir": str(work / "out"), "num_classes": len(train_doc["categories"]), "epochs": epochs,
            "batch_size": 6, "learning_rate": 0.1, "seed": seed, "threads": 2, **PRESET}
    (work / "spec.json").write_text(json.dumps(spec))
    out = subprocess.run([sys.executable, "-m", "core.training.detection.run", str(work / "spec.json")], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)
    events = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    exported = next((e for e in events if e["event"] == "exported"), None)
    if exported is None:
        raise RuntimeError(out.stderr[-3000:])
    labels = [c["name"] for c in train_doc["categories"]]
    bundle = _bundle(work, exported, labels, {"threshold": 0.5})
    import hashlib

    sha = hashlib.sha256(Path(bundle).read_bytes()).hexdigest()
    return engine.load_bundle(Path(bundle), sha, get_profile("cpu-onnxruntime"))


def predict(loaded, data_dir, doc):
    from core.inference import engine
    from core.inference.actions.predict import run_codec
    from core.inference.codecs import codec_for

    codec = codec_for(loaded)
    out = {}
    for im in doc["images"]:
        data = (Path(data_dir) / "images" / im["file_name"]).read_bytes()
        _, decoded = run_codec(codec, loaded, {"image": data}, {"min_score": 0.01}, engine.run)
        out[im["id"]] = decoded.answer["detections"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=72)
    parser.add_argument("--test", type=int, default=32)
    parser.add_argument("--start", type=int, default=12)
    parser.add_argument("--batch", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strategies", default="random,entropy,uncertain_diverse")
    parser.add_argument("--pretrained", action="store_true",
                        help="each round fine-tunes from the preset backbone (PP-LCNet x1.0, core/training/presets.py)")
    args = parser.parse_args()
    setup_django(test_db=False)
    from core.data.lib.active import query
    from core.training.detection.metrics import coco_metrics
    from core.training.trainers.active_round import image_probas
    from tests.detection_fixtures import make_coco

    print(f"machine: {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.pretrained:
            from core.training.presets import DEFAULT_SOURCE, SOURCES, locate
            from core.training.trainers.preset_backbone import source_weights

            source = SOURCES[DEFAULT_SOURCE]
            np.savez(tmp / "preset.npz", **source_weights(source, locate(source)[0]))
            PRESET.update(pretrained_backbone=str(tmp / "preset.npz"), backbone_scale=source.scale)
            print(f"every detector starts from the preset backbone ({source.package}, PP-LCNet x{source.scale})")
        pool_dir = make_coco(tmp / "pool", n=args.pool, seed=args.seed)
        test_dir = make_coco(tmp / "test", n=args.test, seed=args.seed + 100)
        pool = json.loads((pool_dir / "annotations.json").read_text())
        test = json.loads((test_dir / "annotations.json").read_text())
        # the test images live in their own folder: train on pool_dir, score test_dir
        ids = np.array([im["id"] for im in pool["images"]])
        features = np.array([np.asarray(__import__("PIL.Image", fromlist=["Image"]).open(
            pool_dir / "images" / im["file_name"]).convert("L").resize((16, 16)), dtype=float).ravel() / 255
            for im in pool["images"]])

        def score(loaded):
            return coco_metrics(test, predict(loaded, test_dir, test))["map50"]

        full = score(train(tmp / "full", pool_dir, pool, args.epochs, args.seed))
        print(f"pool {args.pool}, test {args.test} (another seed); full-label mAP@0.5 {full:.3f}; start {args.start}, "
              f"batch {args.batch}, {args.rounds} rounds, {args.epochs} epochs per training")
        rng = np.random.default_rng(args.seed)
        first = rng.choice(len(ids), size=args.start, replace=False)
        curves = {}
        for strategy in args.strategies.split(","):
            labelled = np.zeros(len(ids), dtype=bool)
            labelled[first] = True
            curve = []
            for r in range(args.rounds + 1):
                loaded = train(tmp / f"{strategy}-{r}", pool_dir, subset(pool, ids[labelled]), args.epochs, args.seed)
                curve.append((int(labelled.sum()), score(loaded)))
                if r == args.rounds:
                    break
                probas = None
                if strategy != "random":
                    dets = predict(loaded, pool_dir, pool)
                    probas = np.array([image_probas(dets[i]) for i in ids])
                picked = query(strategy, features=features, labelled=labelled, batch_size=args.batch, probas=probas,
                               seed=args.seed * 100 + r)
                labelled[picked] = True
            curves[strategy] = curve
            print(f"  {strategy:<18} " + "  ".join(f"{n:>3} labels {m:.3f}" for n, m in curve), flush=True)
        base = curves.get("random")
        if base:
            for strategy, curve in curves.items():
                gain = np.mean([m - b for (_, m), (_, b) in zip(curve[1:], base[1:])])
                print(f"  {strategy:<18} mean mAP@0.5 gain over random after the first round: {gain:+.3f}")
    print(f"run took {time.perf_counter() - started:.0f} s; load average at the end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
