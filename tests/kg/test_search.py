"""Knowledge search (issue 19 item 6): an entity found by its name in either language, its
alias or code, a bus by any numbering people use, a branch by its two ends; ranked, with
names that merely contain the text last."""
import warnings

import pytest

from core.kg.lib.graph import from_rows
from core.kg.lib.qa.search import search
from core.kg.lib.triples import parse_json
from core.kg.questions import index_words


@pytest.fixture(scope="module")
def index():
    from core.kg.embeddings import get_embedder
    from core.kg.lib.qa.index import QAIndex
    from core.kg.ontologies import get_ontology
    from verticals.energy.lib.fault_kb import read_kb
    from verticals.energy.lib.grid_import import net_to_triples

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandapower.networks as pn

        grid = net_to_triples(pn.case14(), case="case14")
    kb = read_kb()
    ents, rels, errs = parse_json({"entities": grid["entities"] + kb["entities"],
                                   "relations": grid["relations"] + kb["relations"]})
    assert errs == []
    return QAIndex(from_rows(ents, rels), get_embedder("use"), ontology=get_ontology("energy"),
                   **index_words("energy"))


def top(index, text, **kw):
    found = search(index, text, **kw)
    return found[0]["key"] if found else None


@pytest.mark.parametrize("text", ["Bus 5", "bus 5", "B5", "b5", "5号母线", "母线5", "bus no. 5", "5号母线的"])
def test_a_bus_by_every_numbering(index, text):
    assert top(index, text) == "bus:4"  # IEEE bus 5, pandapower index 4


@pytest.mark.parametrize("text,key", [("the 2-4 line", "line:3"), ("line between bus 2 and bus 4", "line:3"),
                                      ("2-4线", "line:3"), ("连接2号母线和4号母线的线路", "line:3"),
                                      ("transformer between bus 4 and bus 7", "trafo:0"), ("4-7主变", "trafo:0"),
                                      ("变压器4-7", "trafo:0")])
def test_a_branch_by_its_two_ends(index, text, key):
    assert top(index, text) == key


def test_names_in_both_languages_and_codes(index):
    assert top(index, "母线故障") == "fault:busbar"
    assert top(index, "busbar fault") == "fault:busbar"
    code = index.g.nodes["alarm:bus_diff"]["attributes"]["code"]
    assert top(index, code) == "alarm:bus_diff"


def test_classes_restrict_and_substrings_come_last(index):
    assert top(index, "bus 5", classes=["Load"]) == "load:3"  # "Load at Bus 5" contains it
    found = search(index, "Bus 1", limit=5)
    assert found[0]["key"] == "bus:0" and found[0]["method"] == "number"
    assert all(r["method"] in ("words", "substring") for r in found[1:]) and {"bus:9", "bus:10"} <= {r["key"] for r in found}
    assert search(index, "nothing like this at all") == []


def test_the_viewer_search_ranks_what_the_text_names(client, users, orgs, db):
    import re

    from django.urls import reverse

    from verticals.energy.actions.grids import import_grid

    grid, _ = import_grid(case="case14", organisation=orgs["a"], acting_user=users["a_dev"])
    client.force_login(users["a_viewer"])
    url = reverse("kg:search", args=[grid.graph.pk])
    found = lambda q: re.findall(r'data-kg-entity="([^"]+)"', client.get(url, {"q": q}, HTTP_HX_REQUEST="true")  # noqa: E731
                                 .content.decode())
    assert found("5号母线")[0] == "bus:4"
    assert found("the 2-4 line")[0] == "line:3"
    assert found("Bus 1")[:1] == ["bus:0"] and {"bus:9", "bus:10"} <= set(found("Bus 1"))
