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
