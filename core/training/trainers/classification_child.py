"""The classification training child as a job sees it: started in its own session (so a
cancelled job kills it whole), its JSON lines turned into the job's progress and log, a stop
asked for by a search passed on through the stop file, its refusals raised as errors."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def run_child(ctx, spec_path, spec, report=None):
    """Streams the child's JSON lines into progress and the job log; kills it on cancel."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS=str(spec["threads"]))
    out_dir = Path(spec["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    Path(spec["stop_file"]).unlink(missing_ok=True)  # a stop meant for an earlier run in this job's folder
    log_path = out_dir.parent / "child.log"
    events = {"loss_first": None, "loss_last": None, "history": [], "stopped": False}
    with open(log_path, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "core.training.classification.run", str(spec_path)],
                                cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                start_new_session=True)
        _follow(ctx, proc, spec, events, report)
    if "error" in events:
        raise ValueError(events["error"])
    if proc.returncode != 0 or "exported" not in events:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"image classification training process failed (exit {proc.returncode}):\n{tail}")
    return events


def _follow(ctx, proc, spec, events, report):
    try:
        for line in proc.stdout:
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            kind = event.get("event")
            if kind == "step":
                _step(ctx, event, events)
            elif kind == "epoch":
                events["history"].append({k: event[k] for k in event if k not in ("event", "epochs")})
                ctx.log(f"epoch {event['epoch'] + 1}/{event['epochs']}: loss {event['loss']:.4f}, train accuracy "
                        f"{event['train_accuracy']:.3f}" + (f", validation accuracy {event['val_accuracy']:.3f}"
                                                            if "val_accuracy" in event else ""))
                if report is not None and report(event["epoch"] + 1, event.get("val_accuracy", 0.0)) is False:
                    Path(spec["stop_file"]).touch()
            elif kind == "stopped":
                events["stopped"] = True
                ctx.log(f"stopped after epoch {event['epoch'] + 1} as asked")
            elif kind == "backbone":
                ctx.log(f"{event['loaded']} backbone tensors loaded"
                        + (f" ({event['unused']} other tensors in the file unused)" if event["unused"] else ""))
            elif kind == "trained":
                ctx.progress(0.84, "training finished; exporting (Paddle PIR and ONNX)")
            elif kind == "exported":
                events["exported"] = event
            elif kind == "error":
                events["error"] = event["message"]
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _step(ctx, event, events):
    total = event["epochs"] * event["iters"]
    done = event["epoch"] * event["iters"] + event["iter"] + 1
    loss = event["loss"]["loss"]
    events["loss_first"] = loss if events["loss_first"] is None else events["loss_first"]
    events["loss_last"] = loss
    if done == 1 or done == total:
        ctx.progress(0.03 + 0.8 * done / total, f"epoch {event['epoch'] + 1}/{event['epochs']} "
                                                 f"iter {event['iter'] + 1}/{event['iters']} loss {loss:.4f}")
    else:
        ctx.progress(0.03 + 0.8 * done / total)
