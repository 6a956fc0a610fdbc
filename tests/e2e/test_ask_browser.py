"""Asking a knowledge graph in Debian's Chromium: on the viewer of the dispatch fault
knowledge base a question gets its procedure, entity chips and cited triples, and the
graph recentres on the answer with the cited entities ringed; an unanswerable question
says "I don't know" with the reason and clears the rings; bad input shows the API's
message. On a grid page the answer's bus is ringed in the topology."""
import pytest
from django.urls import reverse

from .test_grid_browser import assert_only_local_requests, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITED = "#ffb400"


def ask(page, question):
    """Ask, and wait for this question's answer (not the one still shown)."""
    page.evaluate("() => document.querySelectorAll('[data-kg-answer]').forEach(a => a.dataset.old = 'true')")
    page.fill("#kg-ask-q", question)
    page.click("#kg-ask-submit")
    return page.wait_for_selector("#kg-ask-result [data-kg-answer]:not([data-old])")


def answer_state(page):
    return page.evaluate("""() => {
        const a = document.querySelector('#kg-ask-result [data-kg-answer]');
        const visible = sel => [...a.querySelectorAll(sel)].filter(e => !e.closest('[hidden]'));
        return {
            answered: a.dataset.answered,
            text: visible('[data-field=text]').map(e => e.textContent).join(''),
            chips: visible('[data-chips=entities] [data-kg-entity]').map(e => e.dataset.kgEntity),
            triples: visible('[data-field=triples] tr').map(r => [...r.cells].map(c => c.textContent)),
            unknown: visible('[data-part=unknown]').map(e => e.textContent.replace(/\\s+/g, ' ').trim()).join(''),
            error: visible('[data-part=error]').map(e => e.textContent.trim()).join(''),
        };
    }""")


def ringed(page, chart_id):
    """Node ids the chart draws with the cited ring."""
    return page.evaluate("""([id, colour]) => {
        const chart = echarts.getInstanceByDom(document.getElementById(id));
        return chart.getOption().series[0].data
            .filter(n => n.itemStyle && n.itemStyle.borderColor === colour).map(n => n.id).sort();
    }""", [chart_id, CITED])


@pytest.fixture
def fault_graph(orgs, users):
    from verticals.energy.actions.fault_kb import load_fault_kb

    return load_fault_kb(organisation=orgs["a"], acting_user=users["a_dev"])[0]


def test_ask_on_the_viewer_highlights_the_cited_subgraph(live_server, page, screenshot, fault_graph):
    url = reverse("kg:graph", args=[fault_graph.pk])
    sign_in(page, live_server.url, "a_viewer", "pw-a_viewer", url)
    page.wait_for_selector("#kg-chart[data-rendered=true]")
    assert ringed(page, "kg-chart") == []

    ask(page, "母线故障怎么处理")
    state = answer_state(page)
    assert state["answered"] == "true" and "母线故障处置" in state["text"]
    assert "1. 记录故障时间" in state["text"] and "\n" in state["text"]  # the steps, one a line
    assert "procedure:busbar_fault" in state["chips"]
    assert ["母线故障", "handled_by", "母线故障处置"] in state["triples"]
    # the viewer recentres on the subject and rings what the answer cites
    page.wait_for_function("() => new URL(location.href).searchParams.getAll('mark').length > 0")
    page.wait_for_selector("#kg-cited")
    assert {"fault:busbar", "procedure:busbar_fault"} <= set(ringed(page, "kg-chart"))
    assert page.input_value("#kg-form input[name=entity]") == "fault:busbar"
    assert page.locator("#kg-triples tr.kg-cited-row").count() >= 1
    screenshot("ask-viewer-answer")

    ask(page, "今天午饭吃什么？")
    state = answer_state(page)
    assert state["answered"] == "false" and "不知道" in state["unknown"]
    reason = page.inner_text("#kg-ask-result [data-field=reason]")
    assert reason.strip() and reason in state["unknown"]
    page.wait_for_selector("#kg-cited", state="detached")
    page.wait_for_selector("#kg-chart[data-rendered=true]")
    assert ringed(page, "kg-chart") == []

    # bad input: the API's 400 message in place
    ask(page, "   ")
    assert answer_state(page)["answered"] == "error" and "blank" in answer_state(page)["error"]
    # a hint asks its question
    hint = page.locator("[data-kg-ask-hint]").first
    page.evaluate("() => document.querySelectorAll('[data-kg-answer]').forEach(a => a.dataset.old = 'true')")
    hint.click()
    page.wait_for_selector("#kg-ask-result [data-answered=true]:not([data-old])")
    assert page.input_value("#kg-ask-q") == hint.get_attribute("data-kg-ask-hint")
    assert [e for e in page.errors if "status of 400" not in e] == []
    assert_only_local_requests(page)


def test_ask_on_a_grid_page_rings_the_answers_bus(live_server, page, screenshot, orgs, users):
    from verticals.energy.actions.grids import import_grid

    grid = import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])[0]
    sign_in(page, live_server.url, "a_viewer", "pw-a_viewer", reverse("energy:grid", args=[grid.pk]))
    page.wait_for_selector("#grid-chart[data-rendered=true]")

    ask(page, "What is the rated voltage of Bus 1?")
    state = answer_state(page)
    assert state["answered"] == "true" and "135" in state["text"], state  # case14's high-voltage buses
    subject = page.get_attribute("#kg-ask-result [data-chips=subject] [data-kg-entity]", "data-kg-entity")
    assert subject.startswith("bus:")
    page.wait_for_function("(id) => echarts.getInstanceByDom(document.getElementById('grid-chart')).getOption()"
                           ".series[0].data.some(n => n.id === id && n.cited)", arg=subject)
    assert ringed(page, "grid-chart") == [subject]
    screenshot("ask-grid-answer")

    ask(page, "What is the capital of France?")
    state = answer_state(page)
    assert state["answered"] == "false" and "I don't know" in state["unknown"]
    page.wait_for_function("() => !echarts.getInstanceByDom(document.getElementById('grid-chart')).getOption()"
                           ".series[0].data.some(n => n.cited)")
    assert page.errors == []
    assert_only_local_requests(page)
