"""Fault diagnosis over the dispatch fault knowledge base (lib/diagnosis.py, fault_kb.py,
api/diagnosis.py, the load_fault_kb command): scripted alarm sets rank the right fault
first, with evidence paths and the handling procedure path."""
import copy
import json

import pytest
from django.core.management import CommandError, call_command

from core.kg.lib.graph import from_rows
from core.kg.lib.triples import check_batch, parse_json
from verticals.energy.lib.fault_kb import KB_FILE, read_kb
from verticals.energy.lib import diagnosis as d


@pytest.fixture(scope="module")
def kb_doc():
    return json.loads(KB_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model():
    ents, rels, errs = parse_json(read_kb())
    assert errs == []
    return d.fault_model(from_rows(ents, rels))


def test_shipped_kb_is_complete_and_fits_the_ontology(kb_doc):
    from core.kg.ontologies import get_ontology

    assert len(kb_doc["faults"]) >= 15 and len(kb_doc["alarms"]) >= 40 and len(kb_doc["procedures"]) >= 15
    for item in kb_doc["faults"] + kb_doc["alarms"] + kb_doc["procedures"]:
        assert item["en"].strip() and item["zh"].strip(), item["key"]
    for p in kb_doc["procedures"]:
        assert len(p["steps"]) >= 4 and all(s["en"] and s["zh"] for s in p["steps"])
    for f in kb_doc["faults"]:
        assert f["procedures"] and len(f["evidence"]) >= 2
    used = {a for f in kb_doc["faults"] for a in f["evidence"]}
    assert used == {a["key"] for a in kb_doc["alarms"]}  # every alarm is evidence of some fault
    ents, rels, errs = parse_json(read_kb())
    assert check_batch(get_ontology("energy"), ents, rels, existing_entities={}) == []


def test_malformed_kb_lists_every_problem(kb_doc):
    bad = copy.deepcopy(kb_doc)
    bad["faults"][0]["evidence"]["alarm:nope"] = 0.5
    bad["faults"][1]["evidence"]["alarm:ar_failed"] = 1.5
    bad["faults"][2]["procedures"] = ["procedure:nope"]
    bad["alarms"][0]["zh"] = ""
    bad["procedures"][0]["steps"] = []
    bad["alarms"].append(dict(bad["alarms"][1]))
    with pytest.raises(d.KBError) as exc:
        d.kb_to_triples(bad)
    text = "\n".join(exc.value.problems)
    for expected in ("unknown alarm 'alarm:nope'", "must be a number in (0, 1), got 1.5", "unknown procedure "
                     "'procedure:nope'", "'zh' (the Chinese name) is required", "'steps' must be a non-empty list",
                     "duplicate key 'alarm:zero_seq_oc'"):
        assert expected in text
    with pytest.raises(d.KBError) as exc:
        d.kb_to_triples({"alarms": [], "procedures": []})
    assert "'faults' must be a non-empty list" in exc.value.problems
    with pytest.raises(d.KBError):
        d.kb_to_triples(["not", "a", "dict"])


# observed alarms (codes, keys or names in either language) -> the fault that must rank first
SCENARIOS = [
    (["零序过流保护动作", "单相跳闸", "重合闸成功", "零序电压升高", "故障录波器启动"], "fault:line_single_phase_ground"),
    (["ALM-DIST-Z1", "ALM-TRIP-3P", "SYM-I-SURGE", "ALM-FR-START"], "fault:line_phase_to_phase"),
    (["ALM-ZSOC", "ALM-TRIP-1P", "ALM-AR-OK", "ALM-LLS", "SYM-THUNDER"], "fault:lightning_trip"),
    (["Single-pole trip", "Auto-reclose failed", "Heavy fog or pollution", "Flashover marks on insulators found on patrol"],
     "fault:insulator_flashover"),
    (["ALM-TRIP-1P", "ALM-AR-OK", "symptom:bird_nest"], "fault:bird_nest_flashover"),
    (["一相电流为零", "出现负序电流", "重合闸不成功"], "fault:conductor_break"),
    (["ALM-GAS-HEAVY", "ALM-TX-DIFF", "ALM-PRV"], "fault:transformer_internal"),
    (["ALM-OIL-TEMP", "ALM-WDG-TEMP", "ALM-COOLER"], "fault:transformer_overheating"),
    (["ALM-OIL-TEMP", "ALM-TX-OL", "SYM-PEAK"], "fault:transformer_overload"),
    (["ALM-BF", "ALM-BUS-VLOSS", "ALM-CB-POLE"], "fault:breaker_failure"),
    (["ALM-BUS-DIFF", "ALM-BUS-VLOSS", "SYM-I-SURGE"], "fault:busbar"),
    (["ALM-SF6-LOW", "ALM-SF6-LOCK"], "fault:sf6_leak"),
    (["CT断线告警", "差流越限告警"], "fault:ct_secondary_open"),
    (["PT断线告警", "距离保护闭锁", "电压量测异常"], "fault:pt_secondary_failure"),
    (["ALM-GND-SIG", "SYM-3U0", "SYM-V-RISE"], "fault:small_current_ground"),
    (["ALM-LINE-OL", "ALM-SECTION"], "fault:line_overload"),
    (["ALM-OSC", "SYM-P-SWING", "SYM-F-SWING"], "fault:low_frequency_oscillation"),
    (["ALM-TRIP-3P", "SYM-NO-FAULT-I", "SYM-NO-WAVE"], "fault:relay_misoperation"),
    (["ALM-COMM-LOSS", "ALM-DATA-FROZEN"], "fault:communication_loss"),
    (["直流系统接地告警", "直流绝缘电阻降低"], "fault:dc_ground"),
]


@pytest.mark.parametrize("observed,expected", SCENARIOS, ids=[s[1].split(":")[1] for s in SCENARIOS])
def test_scripted_alarm_sets_rank_the_right_fault_first(model, observed, expected):
    result = d.rank(model, d.resolve(model, observed), top=3)
    ranked = result["ranked"]
    assert ranked[0]["fault"] == expected, [(r["fault"], r["score"]) for r in ranked]
    assert ranked[0]["score"] > 0.5 and all(ranked[i]["score"] >= ranked[i + 1]["score"] for i in range(len(ranked) - 1))
    top = ranked[0]
    # each piece of evidence is shown as its path in the graph, strongest first
    for e in top["evidence"]:
        assert e["path"] == [[e["alarm"], "indicates", expected]]
    assert [e["confidence"] for e in top["evidence"]] == sorted((e["confidence"] for e in top["evidence"]), reverse=True)
    assert 0 < top["coverage"] <= 1 and top["unexplained"] == []
    proc = top["procedures"][0]
    assert proc["path"][0] == [expected, "handled_by", proc["key"]] and len(proc["steps"]) >= 4


def test_all_scenarios_rank_first_print_summary(model):
    hits = sum(d.rank(model, d.resolve(model, obs), top=1)["ranked"][0]["fault"] == exp for obs, exp in SCENARIOS)
    print(f"\ndiagnosis: {hits}/{len(SCENARIOS)} scripted alarm sets rank the right fault first")
    assert hits == len(SCENARIOS)


def test_evidence_against_and_unexplained_observations(model):
    # zero-sequence trip, single-pole trip, reclose ok: a ground fault of some cause
    base = d.resolve(model, ["ALM-ZSOC", "ALM-TRIP-1P", "ALM-AR-OK", "ALM-FR-START", "SYM-3U0"])
    plain = {r["fault"]: r["score"] for r in d.rank(model, base, top=5)["ranked"]}
    assert max(plain, key=plain.get) == "fault:line_single_phase_ground"
    # a thunderstorm and a located strike make it a lightning trip...
    storm = d.rank(model, base + d.resolve(model, ["SYM-THUNDER", "ALM-LLS"]), top=5)["ranked"]
    assert storm[0]["fault"] == "fault:lightning_trip"
    # ...and a patrol that reports no bird nest lowers the bird-nest flashover
    absent = d.resolve(model, ["SYM-NEST"])
    against = {r["fault"]: r for r in d.rank(model, base, absent=absent, top=5)["ranked"]}
    assert against["fault:bird_nest_flashover"]["score"] < plain["fault:bird_nest_flashover"]
    missing = {m["alarm"]: m for m in against["fault:bird_nest_flashover"]["missing"]}
    assert missing["symptom:bird_nest"]["reported_absent"] is True
    # an observation no candidate expects is listed as unexplained
    mixed = d.rank(model, d.resolve(model, ["ALM-GAS-HEAVY", "ALM-COMM-LOSS"]), top=2)["ranked"]
    assert {r["fault"] for r in mixed} == {"fault:transformer_internal", "fault:communication_loss"}
    assert all(len(r["unexplained"]) == 1 for r in mixed)


def test_chinese_labels_and_steps(model):
    top = d.rank(model, d.resolve(model, ["重瓦斯保护动作"]), top=1, lang="zh")["ranked"][0]
    assert top["label"] == "变压器内部故障（瓦斯保护动作）" and top["evidence"][0]["label"] == "重瓦斯保护动作"
    assert top["procedures"][0]["title"] == "主变瓦斯保护动作处置"
    assert "重瓦斯动作未查明原因前禁止强送主变" in top["procedures"][0]["steps"]


def test_resolve_names_codes_keys_and_refuses_unknown(model):
    assert d.resolve(model, ["alarm:zero_seq_oc", "ALM-ZSOC", "zero-sequence overcurrent protection operated",
                             "零序过流保护动作"]) == ["alarm:zero_seq_oc"]
    assert d.resolve(model, ["  alm-zsoc "]) == ["alarm:zero_seq_oc"]
    with pytest.raises(d.DiagnosisError) as exc:
        d.resolve(model, ["零序过流", "no such alarm"])
    assert exc.value.unknown == ["零序过流", "no such alarm"]
    assert exc.value.suggestions["零序过流"][0] == "零序过流保护动作"
    with pytest.raises(d.DiagnosisError, match="at most 50"):
        d.resolve(model, ["ALM-ZSOC"] * 51)
    with pytest.raises(d.DiagnosisError, match="non-empty text"):
        d.resolve(model, [""])
    with pytest.raises(d.DiagnosisError, match="at least one"):
        d.rank(model, [])
    with pytest.raises(d.DiagnosisError, match="top"):
        d.rank(model, ["alarm:zero_seq_oc"], top=0)
    assert d.rank(model, d.resolve(model, ["ALM-ZSOC"]), top=20)["candidates"] >= 5


def test_procedure_chains_are_followed_without_looping():
    """A procedure split into step entities joined by next_step (when a graph has them)."""
    ents, rels, _ = parse_json({
        "entities": [{"key": "a", "cls": "Alarm", "name": "Relay tripped / 保护跳闸"},
                     {"key": "f", "cls": "Fault", "name": "Trip / 跳闸"},
                     {"key": "p1", "cls": "Procedure", "name": "Report / 汇报"},
                     {"key": "p2", "cls": "Procedure", "name": "Isolate / 隔离"},
                     {"key": "p3", "cls": "Procedure", "name": "Restore / 恢复送电"}],
        "relations": [{"src": "a", "type": "indicates", "dst": "f"}, {"src": "f", "type": "handled_by", "dst": "p1"},
                      {"src": "p1", "type": "next_step", "dst": "p2"}, {"src": "p2", "type": "next_step", "dst": "p3"},
                      {"src": "p3", "type": "next_step", "dst": "p1"}]})
    model = d.fault_model(from_rows(ents, rels))
    top = d.rank(model, ["a"], lang="zh")["ranked"][0]
    assert top["evidence"][0]["confidence"] == d.DEFAULT_CONFIDENCE
    proc = top["procedures"][0]
    assert proc["chain"] == ["p1", "p2", "p3"] and proc["steps"] == ["隔离", "恢复送电"]
    assert proc["path"] == [["f", "handled_by", "p1"], ["p1", "next_step", "p2"], ["p2", "next_step", "p3"]]


# -- the command and the API -----------------------------------------------------------------------

@pytest.fixture
def fault_graph(orgs, users):
    from verticals.energy.actions.fault_kb import load_fault_kb

    return load_fault_kb(organisation=orgs["a"], acting_user=users["a_dev"])[0]


@pytest.mark.django_db
def test_load_fault_kb_command(orgs, capsys):
    from core.kg.models import Graph

    call_command("load_fault_kb", "--organisation", "plant-b")
    out = capsys.readouterr().out
    assert "loaded the fault knowledge base into graph 'dispatch-faults'" in out and "100 entities" in out
    graph = Graph.objects.get(organisation=orgs["b"], name="dispatch-faults")
    assert graph.vertical == "energy" and graph.entities.filter(cls="Fault").count() == 20
    with pytest.raises(CommandError, match="already has a knowledge graph named 'dispatch-faults'"):
        call_command("load_fault_kb", "--organisation", "plant-b")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("load_fault_kb", "--organisation", "nowhere")
    with pytest.raises(CommandError, match="has no knowledge graph named 'grid-x'"):
        call_command("load_fault_kb", "--organisation", "plant-b", "--into", "grid-x")
    with pytest.raises(CommandError, match="not both"):
        call_command("load_fault_kb", "--organisation", "plant-b", "--into", "a", "--name", "b")


@pytest.mark.django_db
def test_load_into_a_grid_once(orgs, users, capsys):
    from core.kg.actions.graphs import create_graph
    from core.kg.actions.imports import import_triples
    from verticals.energy.actions.fault_kb import load_fault_kb

    grid = create_graph(name="grid-small", organisation=orgs["a"], vertical="energy", acting_user=users["a_dev"])
    ents, rels, errs = parse_json({"entities": [{"key": "bus:0", "cls": "Bus", "name": "Bus 0"}], "relations": []})
    import_triples(grid, entities=ents, relations=rels, acting_user=users["a_dev"], parse_errors=errs)
    graph, figures = load_fault_kb(organisation=orgs["a"], acting_user=users["a_dev"], into="grid-small")
    assert graph.pk == grid.pk and figures["entities"] == 100 and graph.version == 2
    call_command("load_fault_kb", "--organisation", "plant-a", "--into", "grid-small")
    assert "already holds the fault knowledge base" in capsys.readouterr().out
    graph.refresh_from_db()
    assert graph.version == 2


@pytest.mark.django_db
def test_diagnose_api(api, users, fault_graph):
    url = f"/api/v1/energy/graphs/{fault_graph.pk}/diagnose/"
    c = api(users["a_viewer"])
    r = c.post(url, {"alarms": ["ALM-GAS-HEAVY", "主变差动保护动作"], "lang": "zh", "top": 3}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    top = body["ranked"][0]
    assert top["fault"] == "fault:transformer_internal" and top["label"] == "变压器内部故障（瓦斯保护动作）"
    assert top["evidence"][0]["path"] == [["alarm:heavy_gas", "indicates", "fault:transformer_internal"]]
    assert top["procedures"][0]["path"] == [["fault:transformer_internal", "handled_by", "procedure:transformer_gas_trip"]]
    assert body["version"] == fault_graph.version
    # free-text symptoms are linked to the knowledge base's alarms by the sentence encoder
    r = c.post(url, {"symptoms": ["线路沿线雷雨天气", "lightning location system recorded a strike near the line"],
                     "alarms": ["ALM-TRIP-1P", "ALM-AR-OK"]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["ranked"][0]["fault"] == "fault:lightning_trip"
    assert [s["alarm"] for s in r.json()["linked_symptoms"]] == ["symptom:thunderstorm", "alarm:lightning_located"]
    # bad input: clear 400s naming the field
    r = c.post(url, {"alarms": ["零序过流", "ALM-ZSOC"]}, format="json")
    assert r.status_code == 400 and "unknown alarm(s) '零序过流'" in r.json()["message"]
    assert "零序过流保护动作" in r.json()["errors"]["suggestions"][0]
    r = c.post(url, {}, format="json")
    assert r.status_code == 400 and "at least one" in r.json()["message"]
    r = c.post(url, {"alarms": ["ALM-ZSOC"] * 51}, format="json")
    assert r.status_code == 400
    r = c.post(url, {"alarms": ["ALM-ZSOC"], "top": 99}, format="json")
    assert r.status_code == 400 and "top" in r.json()["errors"]
    r = c.post(url, {"symptoms": ["the canteen is closed today"]}, format="json")
    assert r.status_code == 400 and "no alarm or symptom" in r.json()["message"]
    r = c.post(url, {"alarms": "ALM-ZSOC"}, format="json")
    assert r.status_code == 400
    # an invisible graph is 404
    assert api(users["b_dev"]).post(url, {"alarms": ["ALM-ZSOC"]}, format="json").status_code == 404


@pytest.mark.django_db
def test_diagnose_a_graph_without_fault_knowledge(api, users, orgs):
    from core.kg.actions.graphs import create_graph

    empty = create_graph(name="grid-empty", organisation=orgs["a"], vertical="energy", acting_user=users["a_dev"])
    r = api(users["a_viewer"]).post(f"/api/v1/energy/graphs/{empty.pk}/diagnose/", {"alarms": ["ALM-ZSOC"]},
                                    format="json")
    assert r.status_code == 400 and "load_fault_kb --organisation plant-a --into grid-empty" in r.json()["message"]
