"""Drives Debian's Chromium through the lineage pages as an auditor would: sign in,
open a model version, follow its lineage, and check the graph is drawn from the
vendored assets alone."""
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_only_local_requests
from tests.ui import scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def sign_in(page, base_url, username):
    page.goto(base_url + reverse("ui:home"))
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", scene.PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(base_url + reverse("ui:home"))


def chart_nodes(page):
    return page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('lineage-graph')).getOption().series[0].data"
        ".filter(n => !n.frame).map(n => n.name)"
    )


def test_version_page_leads_to_a_drawn_lineage_graph(live_server, page, screenshot):
    world = scene.build()
    a = world["a"]
    sign_in(page, live_server.url, "a_dev")

    page.goto(live_server.url + reverse("ui:version", args=[a["version"].pk]))
    page.wait_for_selector("#lineage-graph canvas")
    page.click("#full-lineage")
    page.wait_for_url(live_server.url + reverse("ui:lineage", args=["model_version", a["version"].pk]))

    canvas = page.wait_for_selector("#lineage-graph canvas")
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    nodes_text = page.inner_text("#lineage-nodes")
    for label in ["plant-a-images v1", "plant-a-detector v1", "deployment plant-a-line-1"]:
        assert label in nodes_text
    assert set(chart_nodes(page)) >= {"plant-a-images v1", "plant-a-detector v1", "deployment plant-a-line-1"}
    assert "plant-b" not in page.content()
    screenshot("lineage-en")

    # A click on a node opens that node's own lineage page.
    page.wait_for_selector("#lineage-graph[data-rendered=true]")
    point = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('lineage-graph'));
        const node = chart.getOption().series[0].data.find(n => n.name === 'plant-a-images v1');
        return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
    }""")
    graph_box = page.locator("#lineage-graph").bounding_box()
    page.mouse.click(graph_box["x"] + point[0], graph_box["y"] + point[1])
    page.wait_for_url(live_server.url + reverse("ui:lineage", args=["dataset_version", a["dataset_version"].pk]))
    page.wait_for_selector("#lineage-graph canvas")

    assert page.errors == []
    assert_only_local_requests(page)


def test_auditor_verifies_the_chain_in_chinese(live_server, page, screenshot):
    world = scene.build()
    sign_in(page, live_server.url, "hq_auditor")
    page.click("button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")

    page.goto(live_server.url + reverse("ui:audit"))
    assert "审计日志" in page.inner_text("h1")
    page.click("#verify-chain")
    outcome = page.wait_for_selector("#verify-outcome")
    assert outcome.get_attribute("data-intact") == "true"
    assert "审计哈希链完整" in outcome.inner_text()

    # The filter reloads only the table, through HTMX.
    page.fill("input[name=action]", "deployment.create")
    page.wait_for_function("() => document.querySelectorAll('#audit-table tbody tr').length === 2")
    assert page.locator("#verify-outcome").count() == 1  # the rest of the page stayed
    screenshot("audit-zh")

    page.goto(live_server.url + reverse("ui:lineage", args=["model_version", world["a"]["version"].pk]))
    page.wait_for_selector("#lineage-graph canvas")
    assert "血缘" in page.inner_text("h1")
    screenshot("lineage-zh")

    assert page.errors == []
    assert_only_local_requests(page)

