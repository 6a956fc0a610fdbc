"""A 10,000-image detection dataset: how fast it imports (images/s) and how fast its gallery
page answers (server time, in-process test client), against a baseline measured in the same
run: the dataset list page, which reads no samples.

    .venv/bin/python bench/data_gallery.py [--images 10000] [--requests 60] [--quick]

Target (issue 20): gallery page p95 under 300 ms server time on 10,000 images. The images are
small PNGs (96x72) with 0-3 boxes of 4 classes, made here; the first gallery request reads and
caches the version's sample index (timed apart as "first page")."""
import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from django_env import setup_django  # noqa: E402

CLASSES = ["scratch", "dent", "spot", "crack"]


def make_coco(folder: Path, n: int, seed=0):
    from PIL import Image

    rng = random.Random(seed)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    images, anns = [], []
    for i in range(1, n + 1):
        shade = rng.randrange(60, 200)
        buf = io.BytesIO()
        Image.new("RGB", (96, 72), (shade, shade, shade)).save(buf, format="PNG")
        (folder / "images" / f"img_{i:05d}.png").write_bytes(buf.getvalue())
        images.append({"id": i, "file_name": f"img_{i:05d}.png", "width": 96, "height": 72})
        for _ in range(rng.randrange(0, 4)):
            w, h = rng.randrange(4, 30), rng.randrange(4, 30)
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": rng.randrange(1, 5),
                         "bbox": [rng.randrange(0, 96 - w), rng.randrange(0, 72 - h), w, h], "area": w * h,
                         "iscrowd": 0})
    doc = {"images": images, "annotations": anns,
           "categories": [{"id": k + 1, "name": c} for k, c in enumerate(CLASSES)]}
    (folder / "annotations.json").write_text(json.dumps(doc))
    return len(anns)


def timed(client, url, n):
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="1,000 images, 20 requests per page")
    args = parser.parse_args()
    n, reps = (1_000, 20) if args.quick else (args.images, args.requests)
    old_db = setup_django(extra_env={"DJANGO_ALLOWED_HOSTS": "testserver"})
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_coco
    from core.platform.actions.organisations import create_organisation, create_user

    print(f"machine: {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        org = create_organisation(name="Bench HQ", code="bench", kind="hq", acting_user=None)
        user = create_user(username="bench-dev", password="pw-bench", acting_user=None, organisation=org,
                           role="developer")
        dataset = create_dataset(name="gallery-bench", organisation=org, kind="detection", acting_user=user)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            boxes = make_coco(Path(tmp) / "coco", n)
            made = time.perf_counter() - started
            started = time.perf_counter()
            version = import_coco(Path(tmp) / "coco", dataset=dataset, acting_user=user)
            took = time.perf_counter() - started
        print(f"{n:,} images, {boxes:,} boxes made in {made:.1f} s; import_coco {took:.1f} s = {n / took:,.0f} images/s "
              f"(validation decodes every image, the canonical zip is written and hashed)")
        client = Client()
        client.force_login(user)
        base = reverse("ui:dataset_version", args=[dataset.pk, version.version])
        started = time.perf_counter()
        assert client.get(base).status_code == 200
        first = (time.perf_counter() - started) * 1000
        pages = {"dataset list (baseline)": reverse("ui:datasets"), "gallery page 1": base,
                 "gallery, class filter": base + "?class=crack", "gallery, page 100": base + "?page=100",
                 "gallery, without boxes": base + "?state=unlabelled"}
        print(f"first gallery request (materialize + parse the sample index): {first:.0f} ms\n")
        print(f"  {'page':<26}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}   vs baseline p50")
        baseline = None
        rows = {}
        for label, url in pages.items():
            ms = timed(client, url, reps)
            rows[label] = ms
            p50 = statistics.median(ms)
            baseline = baseline or p50
            print(f"  {label:<26}{len(ms):>5}{p50:>9.1f}{pct(ms, 95):>9.1f}   {p50 / baseline:5.2f}x")
        worst = max(pct(ms, 95) for label, ms in rows.items() if label.startswith("gallery"))
        print(f"\ntarget: gallery p95 < 300 ms on {n:,} images: worst {worst:.0f} ms -> "
              f"{'PASS' if worst < 300 else 'MISS'}{'' if n >= 10_000 else ' (quick run: fewer images)'}")
    finally:
        connection.creation.destroy_test_db(old_db, verbosity=0)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}; VAR_DIR {settings.VAR_DIR}")


if __name__ == "__main__":
    main()
