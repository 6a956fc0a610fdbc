"""Separator defect QC: which detector recipe beats the classic inspection, and at what cost.

Trains each variant from scratch on the same synthetic separator film (with benign marks),
exports it, and scores it as served (ONNX Runtime, through the engine) on other held-out
parts, next to the classic flat-field threshold inspection on the same parts. For each
escape target it prints the over-kill (good parts rejected) at the highest threshold that
keeps escapes within the target, and the training time per iteration as a ratio to the
base model in the same run.

    variants   base          PicoDet-S, strides 8-64 (core.detection's default)
               p2            + stride-4 level, 64-channel neck (architecture picodet-s-p2)
                             + small-box sampling
               p2-presence   p2 + presence_target 1.0
               p2-384        p2-presence trained at 320-384 px and served at 384
                             at learning rate 0.05 (picodet-s-p2-384: what the separator
                             pipeline trains)

    .venv/bin/python bench/separator_recipe.py [--variants base,p2,p2-presence,p2-384]
        [--train-images 320] [--epochs 8] [--val-images 200] [--seed 0] [--train-seed N]
        [--learning-rate R] [--work DIR]

--seed makes the data (training film from seed, held-out parts from seed + 7) and, unless
--train-seed says otherwise, the weight initialisation and sampling order. --learning-rate
overrides each variant's own (0.1; p2-384 0.05, as the separator pipeline trains it).

About 12 minutes per variant for base, 18 for p2 and p2-presence and 25 for p2-384 on 2
cores at the defaults (320 iterations). Not part of `make bench`: it trains models for over an hour."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.computed")

VARIANTS = {
    "base": {"architecture": "picodet-s"},
    "p2": {"architecture": "picodet-s-p2", "small_box_sampling": True},
    "p2-presence": {"architecture": "picodet-s-p2", "small_box_sampling": True, "presence_target": 1.0},
    "p2-384": {"architecture": "picodet-s-p2-384", "small_box_sampling": True, "presence_target": 1.0,
               "learning_rate": 0.05},
}
ESCAPES = (0.02, 0.05, 0.10)
SMALL = ("dent", "black_spot", "bright_spot", "pinhole")


def train(name, recipe, train_dir, work, epochs, seed, learning_rate):
    from core.training.detection.run import ARCHITECTURES
    from core.training.trainers.detection import PARAM_DEFAULTS

    out = work / name
    out.mkdir(parents=True, exist_ok=True)
    ann = str(train_dir / "annotations.json")
    spec = {"dataset_dir": str(train_dir), "train_ann": ann, "eval_ann": ann, "out_dir": str(out / "out"),
            "num_classes": 7, "epochs": epochs, "batch_size": 8, "seed": seed, "threads": 2,
            "learning_rate": (learning_rate if learning_rate is not None
                              else recipe.get("learning_rate", PARAM_DEFAULTS["learning_rate"])),
            "small_box_sampling": recipe.get("small_box_sampling", False),
            "presence_target": recipe.get("presence_target", 0.0),
            "config": str(ARCHITECTURES[recipe["architecture"]][0])}
    (out / "spec.json").write_text(json.dumps(spec))
    started = time.monotonic()
    with open(out / "child.log", "w") as log:
        done = subprocess.run([sys.executable, "-m", "core.training.detection.run", str(out / "spec.json")],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{name}: training failed, see {out / 'child.log'}")
    events = [json.loads(line) for line in open(out / "child.log") if line.startswith("{")]
    steps = sum(1 for e in events if e.get("event") == "step")
    # The child's wall time includes the export; per iteration it is close enough for a ratio.
    return out, next(e for e in events if e.get("event") == "exported"), steps, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="base,p2,p2-presence,p2-384")
    parser.add_argument("--train-images", type=int, default=320)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--val-images", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train-seed", type=int, help="initialisation and sampling seed (default: --seed)")
    parser.add_argument("--learning-rate", type=float, help="for every variant (default: each variant's own)")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown or not names:
        parser.error(f"unknown variant(s) {unknown}; choose from {', '.join(VARIANTS)}")

    import django

    django.setup()
    import cv2

    from core.training.detection.metrics import (coco_metrics, detector_operating_point, guarded_scores,
                                                 operating_point, part_scores)
    from core.training.trainers.detection import _bundle, calibrate_guard, served_detections
    from verticals.manufacturing.lib.classic_qc import ClassicInspection
    from verticals.manufacturing.lib.synth.separator import CLASSES, generate

    train_seed = args.seed if args.train_seed is None else args.train_seed
    work = args.work or Path(tempfile.mkdtemp(prefix="separator-recipe-"))
    train_dir, val_dir = work / "train", work / "val"
    generate(train_dir, n_images=args.train_images, seed=args.seed, nuisance=1.0)
    generate(val_dir, n_images=args.val_images, seed=args.seed + 7, nuisance=1.0)
    val_doc = json.loads((val_dir / "annotations.json").read_text())
    classic = ClassicInspection()
    classic_scores = {im["id"]: float(classic.score(cv2.imread(str(val_dir / "images" / im["file_name"]))))
                      for im in val_doc["images"]}
    good = len(val_doc["images"]) - len({a["image_id"] for a in val_doc["annotations"]})
    # The guard's level comes from the training film's good parts, never from the held-out ones.
    guard = calibrate_guard(classic, train_dir, json.loads((train_dir / "annotations.json").read_text()))
    print(f"work dir {work}; {args.train_images} training images, {args.val_images} held-out parts "
          f"({good} good), {args.epochs} epochs, learning rate {'per variant' if args.learning_rate is None else args.learning_rate}, "
          f"data seed {args.seed}, training seed {train_seed}")

    rows = []
    for name in names:
        print(f"training {name} ...", flush=True)
        out, exported, steps, seconds = train(name, VARIANTS[name], train_dir, work, args.epochs, train_seed,
                                              args.learning_rate)
        bundle = _bundle(out, exported, list(CLASSES), {"threshold": 0.5, **VARIANTS[name]})
        detections = served_detections(bundle, val_dir, val_doc)  # ONNX Runtime, as the trainer scores it
        ops = {e: detector_operating_point(val_doc, detections, max_escape=e) for e in ESCAPES}
        guarded = guarded_scores(part_scores(val_doc, detections), classic_scores, guard["level"])
        ops_guarded = {e: operating_point(val_doc, guarded, max_escape=e) for e in ESCAPES}
        rows.append((name, steps, seconds, coco_metrics(val_doc, detections), ops, ops_guarded))
        (work / name / "val_detections.json").write_text(json.dumps(detections))

    classic_ops = {e: operating_point(val_doc, classic_scores, max_escape=e, lowest=0.0,
                                      highest=max(classic_scores.values())) for e in ESCAPES}
    base_rate = next((sec / max(steps, 1) for n, steps, sec, *_ in rows if n == "base"), None)
    head = f"{'variant':<14}{'iters':>6}{'s/iter':>8}{'x base':>8}{'mAP@.5':>8}{'small AP':>9}" + "".join(
        f"{'OK@' + format(e, '.0%'):>9}" for e in ESCAPES)
    print("\nover-kill (OK) at the highest threshold whose escape rate stays within the target\n" + head)
    print("-" * len(head))
    for name, steps, seconds, m, ops, ops_guarded in rows:
        rate = seconds / max(steps, 1)
        small = sum(m["ap50_per_class"][c] for c in SMALL) / len(SMALL)
        ratio = f"{rate / base_rate:8.2f}" if base_rate else f"{'-':>8}"
        print(f"{name:<14}{steps:>6}{rate:>8.2f}{ratio}{m['map50']:>8.3f}{small:>9.3f}"
              + "".join(f"{ops[e]['over_kill_rate']:>9.1%}" for e in ESCAPES))
        print(f"{'  + guard':<14}{'':>6}{'':>8}{'':>8}{'':>8}{'':>9}"
              + "".join(f"{ops_guarded[e]['over_kill_rate']:>9.1%}" for e in ESCAPES))
    print(f"{'classic':<14}{'':>6}{'':>8}{'':>8}{'':>8}{'':>9}"
          + "".join(f"{classic_ops[e]['over_kill_rate']:>9.1%}" for e in ESCAPES))
    caught = sum(1 for i in classic_scores if classic_scores[i] >= guard["level"]
                 and i in {a["image_id"] for a in val_doc["annotations"]})
    print(f"+ guard: the classic check's level {guard['level']:.2f} (1.1 x the highest of {guard['good_parts']} good "
          f"training parts) rejects {caught} of {len(val_doc['images']) - good} defective held-out parts by itself")
    head = f"{'variant':<14}{'escape':>8}{'thresh':>8}" + "".join(f"{c[:11]:>12}" for c in CLASSES)
    print("\ndefects found (a detection at the threshold on them, IoU >= 0.1) by class\n" + head)
    print("-" * len(head))
    for name, _, _, _, ops, _ in rows:
        for e in ESCAPES:
            found = ops[e]["found_by_class"]
            print(f"{name:<14}{e:>8.0%}{ops[e]['threshold']:>8.3f}" + "".join(
                f"{found[c]['found']:>7}/{found[c]['defects']:<4}" for c in CLASSES))


if __name__ == "__main__":
    main()
