"""A tiny image-classification set from scikit-learn's digits (8x8 scans upscaled to PNGs in
class folders), and PP-LCNet state dicts made by a child process (ppdet is never imported in
the test process, as the training children are the only code that imports it)."""
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def digits_png(index, size=32):
    from PIL import Image
    from sklearn.datasets import load_digits

    pixels = (load_digits().images[index] / 16.0 * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).resize((size, size), Image.BICUBIC).save(buf, format="PNG")
    return buf.getvalue()


def digits_zip(path, *, digits=(0, 1, 2), per_class=16, size=32, names=None):
    """A zip of class folders ("zero/0003.png", ...) with the first per_class scans of each digit."""
    from sklearn.datasets import load_digits

    target = load_digits().target
    names = names or {d: ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][d]
                      for d in digits}
    with zipfile.ZipFile(path, "w") as zf:
        for d in digits:
            for n, i in enumerate(np.flatnonzero(target == d)[:per_class]):
                zf.writestr(f"digits/{names[d]}/{n:04d}.png", digits_png(int(i), size))
    return path


def lcnet_state_dicts(out_dir: Path, files: dict) -> dict:
    """files: {name: scale}; writes each freshly initialised LCNet(scale)'s state dict (a name
    ending .npz as arrays, else paddle.save's .pdparams) and returns {name: tensor count}."""
    code = (
        "import json, sys, numpy as np, paddle\n"
        "from ppdet.modeling.backbones.lcnet import LCNet\n"
        "counts = {}\n"
        "for path, scale in json.loads(sys.argv[1]).items():\n"
        "    state = LCNet(scale=scale, feature_maps=[5]).state_dict()\n"
        "    counts[path] = len(state)\n"
        "    if path.endswith('.npz'):\n"
        "        np.savez(path, **{k: v.numpy() for k, v in state.items()})\n"
        "    else:\n"
        "        paddle.save(state, path)\n"
        "print(json.dumps(counts))\n")
    paths = {str(Path(out_dir) / name): scale for name, scale in files.items()}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(paths)], cwd=ROOT, capture_output=True, text=True,
                         check=False, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    return {Path(p).name: n for p, n in counts.items()}
