"""Labelling throughput in the browser: a scripted annotator in Debian's Chromium labels 50
boxes (25 images, 2 boxes each) from scratch — pick the class by key, drag the box, submit —
and then the same 50 boxes on other images where a model's pre-labels are already right, so
one key takes them (A) and Enter submits. Prints seconds per box for each and the ratio
(from scratch is the baseline, measured in the same run).

    .venv/bin/python bench/labelling_throughput.py [--images 25]

The script moves as fast as the page lets it: the figures are what the interface costs per
box (drawing, saving, loading the next image), not a person's thinking time. A live server
runs in a thread over a throw-away SQLite file."""
import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from django_env import setup_django  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"]
SIZE = (160, 120)


def boxes_of(i):
    """The two true boxes of image i (in pixels), as a model that is right would propose them."""
    return [{"category": "dent", "bbox": [10 + i % 20, 10, 30, 24]},
            {"category": "scratch", "bbox": [90, 60 + i % 20, 40, 20]}]


def make_set(folder, n, offset):
    from PIL import Image

    (folder / "images").mkdir(parents=True, exist_ok=True)
    images = []
    for i in range(n):
        buf = io.BytesIO()
        Image.new("RGB", SIZE, (120 + i % 60, 120, 120)).save(buf, format="PNG")
        (folder / "images" / f"img_{offset + i:03d}.png").write_bytes(buf.getvalue())
        images.append({"id": offset + i + 1, "file_name": f"img_{offset + i:03d}.png", "width": SIZE[0],
                       "height": SIZE[1]})
    doc = {"images": images, "annotations": [], "categories": [{"id": 1, "name": "dent"}, {"id": 2, "name": "scratch"}]}
    (folder / "annotations.json").write_text(json.dumps(doc))
    return folder


def drag(page, box, canvas):
    x, y, w, h = box["bbox"]
    sx, sy = canvas["width"] / SIZE[0], canvas["height"] / SIZE[1]
    page.mouse.move(canvas["x"] + x * sx, canvas["y"] + y * sy)
    page.mouse.down()
    page.mouse.move(canvas["x"] + (x + w / 2) * sx, canvas["y"] + (y + h / 2) * sy)
    page.mouse.move(canvas["x"] + (x + w) * sx, canvas["y"] + (y + h) * sy)
    page.mouse.up()


def label(page, base, task_ids, *, prelabelled):
    """Label each task in turn; returns the seconds taken from the first page load to the last save."""
    started = time.perf_counter()
    for pk in task_ids:
        page.goto(f"{base}/data/labelling/tasks/{pk}/")
        page.wait_for_selector("#labeler[data-ready=true]")
        if prelabelled:
            page.keyboard.press("a")
        else:
            canvas = page.locator("#labeler-svg").bounding_box()
            sample = int(page.get_attribute("#labeler", "data-sample") or 0)
            for n, box in enumerate(boxes_of(sample)):
                page.keyboard.press("Escape")
                page.keyboard.press("1" if box["category"] == "dent" else "2")
                drag(page, box, canvas)
                page.wait_for_selector(f"#labeler[data-boxes='{n + 1}']")
        page.keyboard.press("Enter")
        page.wait_for_selector("#labeler[data-editable=false]")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=25)
    parser.add_argument("--quick", action="store_true", help="5 images each way")
    args = parser.parse_args()
    n = 5 if args.quick else args.images
    setup_django(test_db=False, extra_env={"DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread

    call_command("migrate", verbosity=0)
    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_coco
    from core.data.actions.labelling import create_project
    from core.data.models import LabelTask
    from core.platform.actions.organisations import create_organisation, create_user

    org = create_organisation(name="Bench HQ", code="bench", kind="hq", acting_user=None)
    dev = create_user(username="bench-dev", password="pw-bench-dev", acting_user=None, organisation=org,
                      role="developer")
    annotator = create_user(username="bench-annotator", password="pw-bench-annotator", acting_user=None,
                            organisation=org, role="annotator")
    projects = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, offset in (("scratch", 0), ("prelabelled", 100)):
            dataset = create_dataset(name=f"throughput-{key}", organisation=org, kind="detection", acting_user=dev)
            version = import_coco(make_set(Path(tmp) / key, n, offset), dataset=dataset, acting_user=dev)
            projects[key] = create_project(name=f"throughput-{key}", source=version, classes=["dent", "scratch"],
                                           acting_user=dev, annotators=[annotator])
    for task in projects["prelabelled"].tasks.all():
        task.prelabels = boxes_of(task.sample_id)
        task.save()

    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    # the ids first: inside Playwright's loop this thread counts as async and may not query
    ids = {key: list(projects[key].tasks.order_by("sample_id").values_list("pk", flat=True)) for key in projects}
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", "bench-annotator")
            page.fill("#id_password", "pw-bench-annotator")
            page.click("#sign-in")
            page.wait_for_load_state()
            times = {}
            for key in ("scratch", "prelabelled"):
                times[key] = label(page, base, ids[key], prelabelled=key == "prelabelled")
            browser.close()
    finally:
        server.terminate()
    boxes = 2 * n
    for key in ("scratch", "prelabelled"):
        done = LabelTask.objects.filter(project=projects[key], status="submitted")
        right = sum(1 for t in done for a, b in zip(sorted(t.labels, key=lambda x: x["category"]),
                                                    sorted(boxes_of(t.sample_id), key=lambda x: x["category"]))
                    if a["category"] == b["category"] and all(abs(u - v) <= 2 for u, v in zip(a["bbox"], b["bbox"])))
        print(f"  {key:<12} {boxes} boxes on {n} images in {times[key]:6.1f} s = {times[key] / boxes:5.2f} s per box; "
              f"{done.count()} tasks submitted, {right} of {boxes} boxes within 2 px of the truth")
    print(f"  pre-labelled vs from scratch: {times['prelabelled'] / times['scratch']:.2f}x the time (baseline: scratch)")


if __name__ == "__main__":
    main()
