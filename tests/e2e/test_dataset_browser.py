"""A dataset version's gallery in Debian's Chromium: thumbnails load with their boxes drawn
over them, the class filter narrows the gallery without a page load, and both charts draw."""
import pytest
from django.urls import reverse

from ..data.conftest import write_coco, zip_folder
from .test_grid_browser import assert_only_local_requests, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def version(orgs, users, tmp_path):
    from core.data.actions.datasets import create_dataset
    from core.data.actions.importers import import_coco

    dataset = create_dataset(name="separator", organisation=orgs["a"], kind="detection", acting_user=users["a_dev"])
    folder = write_coco(tmp_path / "coco")
    return import_coco(zip_folder(folder, tmp_path / "coco.zip"), dataset=dataset, acting_user=users["a_dev"])


def test_the_gallery_shows_boxes_filters_by_class_and_charts(live_server, page, screenshot, version):
    url = reverse("ui:dataset_version", args=[version.dataset_id, version.version])
    sign_in(page, live_server.url, "a_viewer", "pw-a_viewer", url)
    page.wait_for_selector(".gallery .sample img")
    page.wait_for_function("() => [...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator(".gallery .sample").count() == 3
    assert page.locator(".gallery .sample rect").count() == 3
    # the overlay covers the thumbnail exactly, so a box drawn at 31%-94% of the width sits on the image
    frame = page.locator(".gallery .sample").first.locator(".frame").bounding_box()
    svg = page.locator(".gallery .sample").first.locator("svg").bounding_box()
    assert abs(frame["width"] - svg["width"]) < 1 and abs(frame["height"] - svg["height"]) < 1
    page.wait_for_function("() => document.querySelectorAll('[data-chart] canvas').length === 2")
    page.select_option("select[name=class]", "black_spot")
    page.wait_for_function("() => document.querySelectorAll('.gallery .sample').length === 1")
    assert "img_001.png" in page.locator(".gallery").inner_text()
    assert "class=black_spot" in page.url
    screenshot("dataset-gallery")
    assert_only_local_requests(page)
