"""Detection training in a child process: `python -m core.training.detection.run spec.json`.

A child keeps ppdet's global config, Paddle's memory and threads out of the Celery
worker, and can be killed to cancel. It reports JSON lines on stdout:
    {"event": "step", "epoch": e, "iter": i, "iters": n, "loss": {...}}
    {"event": "exported", "paddle_dir": ..., "onnx": ...}
    {"event": "done", ...}
Spec keys: dataset_dir (with images/), train_ann, eval_ann, out_dir, num_classes,
epochs, batch_size, learning_rate, seed, threads, config (path of the base YAML),
static_assigner_epoch (default a third of the epochs: ATSS first, then task-aligned),
small_box_sampling (default false: see compat patch 6), presence_target (default 0: see
compat patch 7), pretrained_backbone (a preset's .npz of arrays under ppdet's LCNet keys, see
core/training/presets.py: the backbone starts from it, every tensor or none) with
backbone_scale (the preset's LCNet width, which replaces the config's)."""
import json
import os
import random
import sys
from pathlib import Path

import yaml

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
BASE_CONFIG = CONFIG_DIR / "picodet_s_320_lcnet.yml"
# What a job may ask for as `architecture`: the config file and how the model is described.
ARCHITECTURES = {
    "picodet-s": (BASE_CONFIG, "PicoDet-S LCNet x0.75, 320 px, strides 8-64"),
    "picodet-s-p2": (CONFIG_DIR / "picodet_s_320_lcnet_p2.yml",
                     "PicoDet-S LCNet x0.75, 320 px, strides 4-32, 64-channel neck (small defects)"),
    "picodet-s-p2-384": (CONFIG_DIR / "picodet_s_384_lcnet_p2.yml",
                         "PicoDet-S LCNet x0.75, strides 4-32, 64-channel neck, trained at 320-384 px and "
                         "served at 384 px (defects 1-2 px across)"),
}


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def load_yaml(path: Path) -> dict:
    """A config with its `_BASE_` files merged in, key by key as ppdet merges them, so that a
    variant names only what differs and the rendered config is whole."""
    doc = yaml.safe_load(path.read_text())
    merged = {}
    for base in doc.pop("_BASE_", []):
        _merge(merged, load_yaml(path.parent / base))
    return _merge(merged, doc)


def _merge(into: dict, doc: dict) -> dict:
    for key, value in doc.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def render_config(spec, out_path: Path) -> Path:
    cfg = load_yaml(Path(spec.get("config") or BASE_CONFIG))
    epochs = int(spec["epochs"])
    cfg["num_classes"] = int(spec["num_classes"])
    if spec.get("backbone_scale"):
        cfg["LCNet"]["scale"] = float(spec["backbone_scale"])
    cfg["epoch"] = epochs
    cfg["save_dir"] = str(Path(spec["out_dir"]) / "checkpoints")
    cfg["PicoHeadV2"]["static_assigner_epoch"] = int(spec.get("static_assigner_epoch", max(1, epochs // 3)))
    cfg["LearningRate"]["base_lr"] = float(spec["learning_rate"])
    cfg["LearningRate"]["schedulers"][0]["max_epochs"] = epochs
    cfg["LearningRate"]["schedulers"][1]["steps"] = int(spec.get("warmup_steps", 20))
    cfg["TrainReader"]["batch_size"] = int(spec["batch_size"])
    for key, ann in (("TrainDataset", spec["train_ann"]), ("EvalDataset", spec["eval_ann"]),
                     ("TestDataset", spec["eval_ann"])):
        cfg[key]["dataset_dir"] = str(spec["dataset_dir"])
        cfg[key]["anno_path"] = ann
    out_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return out_path


def load_backbone(backbone, npz_path) -> int:
    """Set every tensor of the backbone from the preset, or fail: a preset of another family
    or width, half loaded, would train a network nobody asked for."""
    import numpy as np
    import paddle

    own = backbone.state_dict()
    with np.load(npz_path, allow_pickle=False) as weights:
        missing = sorted(set(own) - set(weights.files))
        wrong = [k for k in own if k in weights.files and tuple(weights[k].shape) != tuple(own[k].shape)]
        if missing or wrong:
            raise ValueError(f"the preset does not fit this backbone: {len(missing)} tensors missing "
                             f"{missing[:3]}, {len(wrong)} of another shape {wrong[:3]}")
        backbone.set_state_dict({k: paddle.to_tensor(weights[k]).astype(own[k].dtype) for k in own})
    return len(own)


def seed_everything(seed):
    import numpy as np
    import paddle

    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)


def main(spec_path, export_only=False):
    spec = json.loads(Path(spec_path).read_text())
    out_dir = Path(spec["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    threads = str(spec.get("threads", 2))
    os.environ.setdefault("OMP_NUM_THREADS", threads)
    os.environ.setdefault("CPU_NUM", threads)
    import paddle

    from core.training.detection import compat

    compat.apply()
    paddle.set_device("cpu")
    seed_everything(int(spec.get("seed", 0)))
    from ppdet.core.workspace import load_config
    from ppdet.engine import Trainer
    from ppdet.engine.callbacks import Callback

    config_path = render_config(spec, out_dir / "config.yml")
    cfg = load_config(str(config_path))
    strides = (cfg.get("PicoHeadV2") or {}).get("fpn_stride")
    if strides and spec.get("small_box_sampling", False):
        compat.set_min_assign_size(min(strides))
    compat.set_presence_floor(float(spec.get("presence_target", 0.0)))

    class Report(Callback):
        def on_step_end(self, status):
            if status.get("mode") != "train":
                return
            stats = status.get("training_staus")
            losses = {k: round(float(v), 5) for k, v in stats.get().items()} if stats and stats.meters else {}
            emit(event="step", epoch=int(status["epoch_id"]), iter=int(status["step_id"]),
                 iters=int(status["steps_per_epoch"]), epochs=int(cfg.epoch), loss=losses)

    weights = Path(cfg.save_dir) / cfg.filename / "model_final.pdparams"
    if not export_only:
        trainer = Trainer(cfg, mode="train")
        if spec.get("pretrained_backbone"):
            loaded = load_backbone(trainer.model.backbone, spec["pretrained_backbone"])
            emit(event="pretrained", tensors=loaded, path=spec["pretrained_backbone"])
        trainer.register_callbacks([Report(trainer)])
        trainer.train(validate=False)
        emit(event="trained", weights=str(weights))
        # dy2static fails to convert LCPAN after a training run in the same process
        # (a fresh process exports the same weights cleanly), so export in a new one.
        import subprocess

        sys.stdout.flush()
        done = subprocess.run([sys.executable, "-m", "core.training.detection.run", spec_path, "--export"])
        sys.exit(done.returncode)

    export_dir = out_dir / "export"
    exporter = Trainer(cfg, mode="test")
    exporter.load_weights(str(weights))
    exporter.export(str(export_dir))
    paddle_dir = export_dir / cfg.filename
    onnx_path = out_dir / "model.onnx"
    import paddle2onnx

    paddle2onnx.export(str(paddle_dir / "model.json"), str(paddle_dir / "model.pdiparams"), str(onnx_path),
                       opset_version=11, enable_onnx_checker=True, optimize_tool="onnxoptimizer")
    emit(event="exported", paddle_dir=str(paddle_dir), onnx=str(onnx_path), config=str(config_path))
    emit(event="done")


if __name__ == "__main__":
    main(sys.argv[1], export_only="--export" in sys.argv[2:])
