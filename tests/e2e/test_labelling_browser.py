"""Labelling in Debian's Chromium (issue 20): an annotator draws a box with the mouse, picks
its class by number key, takes the pre-labels with A, corrects them, submits with Enter; the
saved boxes are the ones drawn (checked in the database); a second, stale tab is told its
save was refused; a reviewer accepts on the same page."""
import pytest
from django.urls import reverse

from ..data.conftest import write_coco, zip_folder
from .test_grid_browser import assert_only_local_requests, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(orgs, users, make_user, tmp_path):
    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_coco
    from core.data.actions.labelling import create_project

    annotator = make_user("a_annotator", orgs["a"], "annotator")
    dataset = create_dataset(name="separator", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    source = import_coco(zip_folder(write_coco(tmp_path / "coco"), tmp_path / "coco.zip"), dataset=dataset,
                         acting_user=users["a_dev"])
    project = create_project(name="relabel", source=source, classes=["scratch", "black_spot", "dent"],
                             acting_user=users["a_dev"], annotators=[annotator])
    # what a pre-labelling model would have proposed for the clean image
    task = project.tasks.get(file_name="img_003.png")
    task.prelabels = [{"category": "dent", "bbox": [5, 5, 12, 10]}]
    task.save()
    return project


def box_on_screen(page, x0, y0, x1, y1):
    """Drag from image pixel (x0, y0) to (x1, y1)."""
    rect = page.evaluate("() => { const r = document.getElementById('labeler-svg').getBoundingClientRect(); "
                         "return {x: r.x, y: r.y, w: r.width, h: r.height}; }")
    sx, sy = rect["w"] / 40, rect["h"] / 40  # img_003.png is 40x40
    page.mouse.move(rect["x"] + x0 * sx, rect["y"] + y0 * sy)
    page.mouse.down()
    page.mouse.move(rect["x"] + (x0 + x1) / 2 * sx, rect["y"] + (y0 + y1) / 2 * sy)
    page.mouse.move(rect["x"] + x1 * sx, rect["y"] + y1 * sy)
    page.mouse.up()


def test_draw_accept_prelabels_submit_and_review(live_server, page, screenshot, project, users, chromium):
    from core.data.models import LabelTask

    task = project.tasks.get(file_name="img_003.png")
    url = reverse("ui:label_task", args=[task.pk])
    sign_in(page, live_server.url, "a_annotator", "pw-a_annotator", url)
    page.wait_for_selector("#labeler[data-ready=true]")
    page.keyboard.press("2")                      # black_spot
    box_on_screen(page, 20, 20, 30, 36)
    page.wait_for_selector("#labeler[data-boxes='1']")
    assert "black_spot" in page.locator("#labeler-boxes").inner_text()
    page.keyboard.press("s")
    page.wait_for_selector("#labeler[data-revision='1']")
    saved = LabelTask.objects.get(pk=task.pk)
    (box,) = saved.labels
    assert box["category"] == "black_spot"
    assert [round(v) for v in box["bbox"]] == [20, 20, 10, 16]

    # a second tab still on revision 0 is refused, and the first tab's box stays
    other = chromium.new_page()
    sign_in(other, live_server.url, "a_annotator", "pw-a_annotator", url)
    page.keyboard.press("a")                      # take the pre-labels instead
    page.wait_for_selector("#labeler[data-boxes='1']")
    assert "dent" in page.locator("#labeler-boxes").inner_text()
    page.keyboard.press("Enter")                  # submit
    page.wait_for_selector("#labeler[data-revision='2']")
    other.wait_for_selector("#labeler[data-ready=true]")
    other.keyboard.press("1")
    box_on_screen(other, 2, 2, 8, 8)
    other.keyboard.press("s")
    other.wait_for_function("() => document.getElementById('labeler-message').textContent.includes('saved')")
    assert "saved again" in other.locator("#labeler-message").inner_text()
    other.close()
    saved = LabelTask.objects.get(pk=task.pk)
    assert saved.status == "submitted" and saved.labels == [{"category": "dent", "bbox": [5.0, 5.0, 12.0, 10.0]}]
    screenshot("labelling-submitted")
    assert_only_local_requests(page)

    reviewer = chromium.new_page()
    sign_in(reviewer, live_server.url, "a_approver", "pw-a_approver", url)
    reviewer.click("button[name=decision][value=accept]")
    reviewer.wait_for_load_state()
    assert LabelTask.objects.get(pk=task.pk).status == "accepted"
    reviewer.close()


def test_classifying_an_image_by_number_key(live_server, page, orgs, users, make_user, tmp_path):
    import zipfile

    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_class_folders
    from core.data.actions.labelling import create_project
    from core.data.models import LabelTask

    from ..data.conftest import png_bytes

    annotator = make_user("a_annotator", orgs["a"], "annotator")
    dataset = create_dataset(name="ok-ng", organisation=orgs["a"], kind="classification", acting_user=users["a_dev"])
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as zf:
        zf.writestr("ok/a.png", png_bytes(32, 24))
        zf.writestr("dent/b.png", png_bytes(32, 24, 30))
    source = import_class_folders(tmp_path / "c.zip", dataset=dataset, acting_user=users["a_dev"])
    project = create_project(name="ok-ng", source=source, classes=["ok", "dent"], acting_user=users["a_dev"],
                             annotators=[annotator])
    task = project.tasks.get(file_name="ok/a.png")
    sign_in(page, live_server.url, "a_annotator", "pw-a_annotator", reverse("ui:label_task", args=[task.pk]))
    page.wait_for_selector("#labeler[data-ready=true]")
    page.keyboard.press("2")                      # dent
    assert "dent" in page.locator("#labeler-boxes").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector("#labeler[data-editable=false]")
    task = LabelTask.objects.get(pk=task.pk)
    assert task.status == "submitted" and task.labels == [{"category": "dent"}]
    assert_only_local_requests(page)


def test_marking_an_entity_span_in_a_text(live_server, page, orgs, users, make_user):
    import json

    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_text_jsonl
    from core.data.actions.labelling import create_project
    from core.data.models import LabelTask

    annotator = make_user("a_annotator", orgs["a"], "annotator")
    dataset = create_dataset(name="contracts", organisation=orgs["a"], kind="text", acting_user=users["a_dev"])
    text = "Repayment monthly over 24 months."
    source = import_text_jsonl((json.dumps({"text": text}) + "\n").encode(), dataset=dataset,
                               acting_user=users["a_dev"])
    project = create_project(name="terms", source=source, classes=["loan", "repayment"], entity_types=["term"],
                             acting_user=users["a_dev"], annotators=[annotator])
    task = project.tasks.get()
    sign_in(page, live_server.url, "a_annotator", "pw-a_annotator", reverse("ui:label_task", args=[task.pk]))
    page.wait_for_selector("#labeler[data-ready=true]")
    page.keyboard.press("2")                       # the text's class: repayment
    # select "24 months" (with the space before it: trimmed) and mark it with Shift+1
    page.evaluate("""() => {
        const node = document.getElementById('labeler-text').firstChild;
        const range = document.createRange();
        range.setStart(node, 22); range.setEnd(node, 32);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""")
    page.keyboard.press("Shift+Digit1")
    page.wait_for_selector("#labeler-text mark[data-entity=term]")
    assert page.inner_text("#labeler-text mark") == "24 months"
    page.keyboard.press("Enter")
    page.wait_for_selector("#labeler[data-editable=false]")
    task = LabelTask.objects.get(pk=task.pk)
    assert task.labels == [{"category": "repayment"}, {"entity": "term", "start": 23, "end": 32}]
    assert_only_local_requests(page)
