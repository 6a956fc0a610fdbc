"""Image classification training in a child process: `python -m core.training.classification.run spec.json`.

As for detection, a child keeps Paddle's memory and threads out of the Celery worker and can be
killed to cancel. It reports JSON lines on stdout:
    {"event": "backbone", "loaded": n, "unused": m, "path": ...}   (with a pretrained_backbone)
    {"event": "step", "epoch": e, "iter": i, "iters": n, "epochs": E, "loss": {"loss": x}, "lr": y}
    {"event": "epoch", "epoch": e, "epochs": E, "loss": x, "train_accuracy": a[, "val_accuracy", "val_loss"]}
    {"event": "stopped", "epoch": e}   (the last whole epoch, when spec.stop_file appeared)
    {"event": "trained", "weights": ...}
    {"event": "exported", "paddle_dir": ..., "onnx": ..., "backbone": ...}
    {"event": "done"}
and, when it refuses its inputs, {"event": "error", "message": ...} and exit status 2.

Spec keys: dataset_dir (with images/), train_items and val_items ([[file name under images/,
class index], ...]; val_items may be empty), num_classes, out_dir, epochs, batch_size,
optimizer ("adamw" or "momentum"), learning_rate (by optimizer, lower with a pretrained
backbone: OPTIMIZERS), weight_decay (by optimizer), input_size (96), scale (PP-LCNet width:
0.25, 0.5, 0.75 or 1.0), dropout (0.2), crop_scale (0.75: the smallest area of the random
resized crop; 1 turns it off), flip (false), mean and std (ImageNet), seed, threads,
pretrained_backbone (a state dict keyed as LCNet(scale).state_dict(): a preset's .npz or a
.pdparams; every backbone tensor must be there with its shape), freeze_backbone_epochs (0:
epochs in which only the head learns and the backbone's batch-norm statistics stay as loaded)
and stop_file (a path: when it appears, training stops and what it has is exported)."""
import json
import math
import os
import random
import sys
from pathlib import Path

SCALES = (0.25, 0.5, 0.75, 1.0)
# Learning rates from scratch and from a pre-trained backbone (a loaded backbone is nudged, not
# relearnt). From scratch, AdamW at 0.01 reached 0.93 training accuracy in 90 steps on digits
# upscaled to 64 px where 0.002 reached 0.88 (and 0.81 against 0.73 on held-back training images).
OPTIMIZERS = {"adamw": {"learning_rate": 0.01, "fine_tune": 0.002, "weight_decay": 0.01},
              "momentum": {"learning_rate": 0.1, "fine_tune": 0.02, "weight_decay": 4e-5}}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
ONNX_OPSET = 13
EVAL_BATCH = 64
# Images whose batch statistics replace the batch-norm running averages before each evaluation.
PRECISE_BN_IMAGES = 1024


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class Refused(ValueError):
    """The spec or its files cannot be trained on; reported as an error event."""


def seed_everything(seed):
    import numpy as np
    import paddle

    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)


def batches(order, batch_size):
    """Consecutive slices of order; a last batch of one joins the one before (batch norm
    cannot train on a single image)."""
    cuts = list(range(0, len(order), batch_size))
    if len(cuts) > 1 and len(order) - cuts[-1] == 1:
        cuts.pop()
    return [order[c:(cuts[n + 1] if n + 1 < len(cuts) else len(order))] for n, c in enumerate(cuts)]


def build(spec):
    from .net import Classifier

    scale = float(spec.get("scale", 0.5))
    if scale not in SCALES:
        raise Refused(f"scale {scale} is not one of {', '.join(map(str, SCALES))}")
    return Classifier(int(spec["num_classes"]), scale=scale, dropout=float(spec.get("dropout", 0.2)))


def default_learning_rate(optimizer, pretrained) -> float:
    return OPTIMIZERS[optimizer]["fine_tune" if pretrained else "learning_rate"]


def schedule(spec, total_steps):
    import paddle

    name = spec.get("optimizer", "adamw")
    if name not in OPTIMIZERS:
        raise Refused(f"optimizer {name!r} is not one of {', '.join(OPTIMIZERS)}")
    lr = float(spec.get("learning_rate") or default_learning_rate(name, bool(spec.get("pretrained_backbone"))))
    # A short warm-up keeps the first steps of a from-scratch net (or a new head on a loaded
    # backbone) from blowing its batch-norm statistics away; a run of a few steps has none.
    warmup = min(total_steps // 10, 200) if total_steps >= 20 else 0
    sched = paddle.optimizer.lr.CosineAnnealingDecay(learning_rate=lr, T_max=max(1, total_steps - warmup))
    if warmup:
        sched = paddle.optimizer.lr.LinearWarmup(sched, warmup_steps=warmup, start_lr=lr / 10, end_lr=lr)
    return name, sched, float(spec.get("weight_decay", OPTIMIZERS[name]["weight_decay"]))


def optimizer(name, sched, weight_decay, parameters):
    import paddle

    if name == "momentum":
        return paddle.optimizer.Momentum(learning_rate=sched, momentum=0.9, parameters=parameters,
                                         weight_decay=weight_decay)
    return paddle.optimizer.AdamW(learning_rate=sched, parameters=parameters, weight_decay=weight_decay)


def precise_bn(model, data):
    """Set the batch-norm running statistics of the model to the plain average of its batch
    statistics over (up to PRECISE_BN_IMAGES of) the training images, unaugmented. Batch norm's
    running averages (momentum 0.9) lag far behind the weights in a run of a few hundred steps,
    and a net at 95% on its training batches then scores near chance in eval mode."""
    import paddle
    from paddle import nn

    norms = [m for m in model.sublayers() if isinstance(m, nn.BatchNorm2D)]
    if not norms or len(data) < 2:
        return
    saved = [m._momentum for m in norms]
    picked = batches(list(range(min(len(data), PRECISE_BN_IMAGES))), EVAL_BATCH)
    model.train()
    try:
        with paddle.no_grad():
            for k, idx in enumerate(picked):
                for m in norms:
                    m._momentum = k / (k + 1)  # running = mean of the k + 1 batches seen so far
                model(paddle.to_tensor(data.batch(idx)[0]))
    finally:
        for m, momentum in zip(norms, saved):
            m._momentum = momentum


def evaluate(model, data):
    """(accuracy, mean loss) of the model on an ImageSet, unaugmented."""
    import numpy as np
    import paddle
    import paddle.nn.functional as F

    model.eval()
    correct, loss_sum = 0, 0.0
    with paddle.no_grad():
        for start in range(0, len(data), EVAL_BATCH):
            x, y = data.batch(range(start, min(start + EVAL_BATCH, len(data))))
            logits = model(paddle.to_tensor(x))
            labels = paddle.to_tensor(y)
            loss_sum += float(F.cross_entropy(logits, labels, reduction="sum"))
            correct += int((np.argmax(logits.numpy(), axis=1) == y).sum())
    return correct / max(1, len(data)), loss_sum / max(1, len(data))


def train_epoch(model, opt, sched, data, rng, spec, *, stop, frozen, where):
    """One pass over the training images: {"loss", "train_accuracy"}, or None when the stop
    file appeared first (a search pruned the trial: it stops at the next step, not the next epoch)."""
    import numpy as np
    import paddle
    import paddle.nn.functional as F

    crop_scale, flip = float(spec.get("crop_scale", 0.75)), bool(spec.get("flip", False))
    model.train()
    if frozen:
        model.backbone.eval()
    seen = correct = 0
    loss_sum = 0.0
    for it, idx in enumerate(batches(rng.permutation(len(data)).tolist(), int(spec["batch_size"]))):
        if stop is not None and stop.exists():
            return None
        x, y = data.batch(idx, rng, crop_scale=crop_scale, flip=flip)
        logits = model(paddle.to_tensor(x))
        loss = F.cross_entropy(logits, paddle.to_tensor(y))
        loss.backward()
        opt.step()
        opt.clear_grad()
        lr = opt.get_lr()
        sched.step()
        value = float(loss)
        if not math.isfinite(value):
            raise Refused(f"the loss diverged (epoch {where['epoch'] + 1}, iteration {it + 1}): lower the "
                          "learning rate")
        seen, loss_sum = seen + len(idx), loss_sum + value * len(idx)
        correct += int((np.argmax(logits.numpy(), axis=1) == y).sum())
        emit(event="step", iter=it, loss={"loss": round(value, 5)}, lr=lr, **where)
    return {"loss": round(loss_sum / seen, 5), "train_accuracy": round(correct / seen, 5)}


def train(spec, out_dir):
    import numpy as np
    import paddle

    from .data import ImageSet
    from .net import BackboneMismatch, load_backbone, save_backbone

    size, mean, std = int(spec.get("input_size", 96)), spec.get("mean", IMAGENET_MEAN), spec.get("std", IMAGENET_STD)
    folder = Path(spec["dataset_dir"]) / "images"
    train_set = ImageSet(folder, spec["train_items"], size=size, mean=mean, std=std)
    val_set = ImageSet(folder, spec.get("val_items") or [], size=size, mean=mean, std=std)
    if len(train_set) < 2:
        raise Refused("at least two training images are needed")
    model = build(spec)
    if spec.get("pretrained_backbone"):
        try:
            loaded = load_backbone(model.backbone, spec["pretrained_backbone"])
        except BackboneMismatch as exc:
            raise Refused(f"pretrained backbone refused: {exc}") from None
        emit(event="backbone", path=str(spec["pretrained_backbone"]), **loaded)
    epochs, batch_size = int(spec["epochs"]), int(spec["batch_size"])
    freeze = int(spec.get("freeze_backbone_epochs", 0))
    rng = np.random.default_rng(int(spec.get("seed", 0)))
    iters = len(batches(list(range(len(train_set))), batch_size))
    name, sched, weight_decay = schedule(spec, epochs * iters)
    opt = optimizer(name, sched, weight_decay, model.parameters())
    stop = Path(spec["stop_file"]) if spec.get("stop_file") else None
    for epoch in range(epochs):
        frozen = epoch < freeze
        for p in model.backbone.parameters():
            p.stop_gradient = frozen
        report = train_epoch(model, opt, sched, train_set, rng, spec, stop=stop, frozen=frozen,
                             where={"epoch": epoch, "epochs": epochs, "iters": iters})
        if not frozen:  # a frozen backbone keeps the statistics it was loaded with
            precise_bn(model, train_set)
        if report is None:
            emit(event="stopped", epoch=epoch - 1)
            break
        if len(val_set):
            accuracy, val_loss = evaluate(model, val_set)
            report.update(val_accuracy=round(accuracy, 5), val_loss=round(val_loss, 5))
        emit(event="epoch", epoch=epoch, epochs=epochs, **report)
    weights = out_dir / "model.pdparams"
    paddle.save(model.state_dict(), str(weights))
    save_backbone(model.backbone, out_dir / "backbone.npz")
    emit(event="trained", weights=str(weights))
    return weights


def export(spec, out_dir, weights):
    import paddle
    from paddle.static import InputSpec

    from .net import Probabilities

    model = build(spec)
    model.set_state_dict(paddle.load(str(weights)))
    net = Probabilities(model)
    net.eval()
    size = int(spec.get("input_size", 96))
    static = paddle.jit.to_static(net, input_spec=[InputSpec([None, 3, size, size], "float32", "image")],
                                  full_graph=True)
    paddle_dir = out_dir / "export"
    paddle.jit.save(static, str(paddle_dir / "model"))
    onnx_path = out_dir / "model.onnx"
    import paddle2onnx

    paddle2onnx.export(str(paddle_dir / "model.json"), str(paddle_dir / "model.pdiparams"), str(onnx_path),
                       opset_version=ONNX_OPSET, enable_onnx_checker=True, optimize_tool="onnxoptimizer")
    emit(event="exported", paddle_dir=str(paddle_dir), onnx=str(onnx_path), backbone=str(out_dir / "backbone.npz"))


def main(spec_path):
    spec = json.loads(Path(spec_path).read_text())
    out_dir = Path(spec["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    threads = str(spec.get("threads", 2))
    os.environ.setdefault("OMP_NUM_THREADS", threads)
    os.environ.setdefault("CPU_NUM", threads)
    import paddle

    paddle.set_device("cpu")
    seed_everything(int(spec.get("seed", 0)))
    try:
        weights = train(spec, out_dir)
        export(spec, out_dir, weights)
    except Refused as exc:
        emit(event="error", message=str(exc))
        sys.exit(2)
    emit(event="done")


if __name__ == "__main__":
    main(sys.argv[1])
