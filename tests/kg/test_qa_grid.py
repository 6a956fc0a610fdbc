"""Topology questions over the IEEE 14-bus case as a dispatcher asks them (issue 19): buses
numbered as people number them, transformers named by both ends, neighbours through any
branch, a trip, a shortest path, a class listing, and questions it must refuse. Expected
answers come from pandapower's own tables and topology, not from the QA code."""
import warnings

import pytest

from core.kg.lib.graph import from_rows
from core.kg.lib.qa.answer import answer
from core.kg.lib.qa.index import QAIndex
from core.kg.lib.qa.text import display
from core.kg.lib.triples import parse_json
from core.kg.questions import index_words


@pytest.fixture(scope="module")
def net():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandapower.networks as pn

        return pn.case14()


@pytest.fixture(scope="module")
def index(net):
    from core.kg.embeddings import get_embedder
    from core.kg.ontologies import get_ontology
    from verticals.energy.lib.grid_import import net_to_triples

    ents, rels, errs = parse_json(net_to_triples(net, case="case14"))
    assert errs == []
    return QAIndex(from_rows(ents, rels), get_embedder("use"), ontology=get_ontology("energy"),
                   **index_words("energy"))


@pytest.fixture(scope="module")
def bus_graph(net):
    import pandapower.topology as top

    return top.create_nxgraph(net, respect_switches=True)


def key_of(net, ieee_number):
    return f"bus:{int(net.bus.index[net.bus.name == ieee_number][0])}"


def keys(result):
    return sorted(e["key"] for e in result["entities"])


def test_buses_are_named_by_their_ieee_number_in_every_form(index, net):
    bus5 = key_of(net, 5)
    assert bus5 == "bus:4"  # pandapower counts from 0; people and one-line diagrams from 1
    for question in ("What is the rated voltage of bus 5?", "What is the rated voltage of B5?",
                     "5号母线的额定电压是多少？", "母线5的额定电压是多少？", "What is the voltage level of Bus no. 5?"):
        r = answer(index, question)
        assert r["subject"]["key"] == bus5 and r["number"] == float(net.bus.vn_kv[4]), question
    r = answer(index, "10号母线的额定电压是多少？")
    assert r["subject"]["key"] == key_of(net, 10) and r["text"].startswith("10号母线")


def test_a_transformer_is_named_by_both_ends_and_never_cut(index):
    data = index.g.nodes["trafo:0"]
    assert data["name"] == "Transformer Bus 4 - Bus 7" and display(data, "en") == data["name"]
    r = answer(index, "Which buses does the transformer between bus 4 and bus 7 connect?")
    assert keys(r) == ["bus:3", "bus:6"] and r["subject"]["key"] == "trafo:0"
    r = answer(index, "4-7主变连接哪些母线？")
    assert keys(r) == ["bus:3", "bus:6"] and "4-7变压器" in r["text"]


def test_neighbours_count_transformers_too(index, net, bus_graph):
    bus7 = key_of(net, 7)
    expected = sorted(f"bus:{n}" for n in bus_graph.neighbors(6))
    assert expected == ["bus:3", "bus:7", "bus:8"]  # 4 and 9 through transformers, 8 through one too
    for question in ("Which buses are directly connected to bus 7?", "与7号母线直接相连的母线有哪些？"):
        r = answer(index, question)
        assert r["intent"] == "neighbours" and keys(r) == expected, question
    assert answer(index, "Is bus 4 connected to bus 7?")["boolean"] is True
    assert answer(index, "1号母线和14号母线直接相连吗？")["boolean"] is False


def test_a_trip_question_goes_to_the_outage_engine(index, bus_graph):
    import networkx as nx

    cut_graph = bus_graph.copy()
    cut_graph.remove_edge(6, 7)  # the 7-8 transformer: bus 8 hangs on it alone
    slack = 0
    expected = sorted(f"bus:{b}" for b in cut_graph.nodes if not nx.has_path(cut_graph, slack, b))
    r = answer(index, "If the transformer between bus 7 and bus 8 trips, which buses are cut off from the slack bus?")
    assert r["intent"] == "what_if" and r["query"]["outcome"] == "cut" and keys(r) == expected == ["bus:7"]
    lost = answer(index, "如果7-8主变跳闸，哪些母线会失电？")
    assert lost["intent"] == "what_if" and lost["query"]["outcome"] == "lost" and lost["answer"] is not None
    assert set(keys(lost)) <= set(expected)
    none = answer(index, "If the line between bus 1 and bus 2 trips, which buses lose supply?")
    assert none["answer"] == [] and none["text"].endswith("none")  # a meshed line: nothing is lost


def test_shortest_path_and_its_hop_count(index, bus_graph):
    import networkx as nx

    hops = nx.shortest_path_length(bus_graph, 0, 7)
    r = answer(index, "How many branches lie on the shortest path from bus 1 to bus 8?")
    assert r["intent"] == "path" and r["number"] == hops
    r = answer(index, "What is the shortest path from bus 1 to bus 8?")
    path = [int(k.split(":")[1]) for k in r["path"]]
    assert path[0] == 0 and path[-1] == 7 and len(path) == hops + 1
    assert all(bus_graph.has_edge(a, b) for a, b in zip(path, path[1:]))


def test_class_listing_and_counting(index, net):
    with_generators = sorted(f"bus:{b}" for b in net.gen.bus[net.gen.in_service])
    for question in ("Which buses have generators?", "哪些母线接有发电机？"):
        r = answer(index, question)
        assert r["intent"] == "list" and keys(r) == with_generators, question
    assert answer(index, "How many buses does the grid have?")["number"] == len(net.bus)
    assert answer(index, "电网一共有多少条线路？")["number"] == len(net.line)
    at_135 = sorted(f"bus:{b}" for b in net.bus.index[net.bus.vn_kv == 135.0])
    assert keys(answer(index, "Which buses are at 135 kV?")) == at_135


def test_unanswerable_questions_say_why(index):
    r = answer(index, "What is the rated voltage of bus 99?")
    assert r["answer"] is None and r["reason"].startswith("unknown entity")
    r = answer(index, "Who built bus 3?")
    assert r["answer"] is None and r["reason"].startswith("unsupported question")
    r = answer(index, "西山变电站有多少名员工？")
    assert r["answer"] is None


def test_buses_named_the_ways_a_chinese_dispatcher_writes_them(index, net):
    """Chinese numerals, number signs, a bare "5号" and "5号bus" all name IEEE bus 5."""
    bus5 = key_of(net, 5)
    for question in ("五号母线的额定电压是多少？", "第五段母线的电压等级", "#5母线的额定电压是多少？", "5#母线电压多少千伏",
                     "5号bus的额定电压是多少？", "母线编号5的额定电压", "5号的额定电压是多少？"):
        r = answer(index, question)
        assert r["subject"]["key"] == bus5 and r["number"] == float(net.bus.vn_kv[4]), question
    assert answer(index, "十二号母线的额定电压是多少？")["subject"]["key"] == key_of(net, 12)
    assert answer(index, "12月5号检修的是哪条线路？")["answer"] is None  # a day, not bus 5


def test_chinese_yes_no_in_a_not_a_form(index, net, bus_graph):
    has_gen = set(net.gen.bus[net.gen.in_service])
    for bus, expected in ((2, True), (4, False)):  # IEEE 2 has a machine, IEEE 4 none
        r = answer(index, f"{bus}号母线挂没挂发电机")
        assert r["intent"] == "yes_no" and r["boolean"] is ((bus - 1) in has_gen) is expected
    r = answer(index, "4号母线跟7号母线连不连？")
    assert r["intent"] == "yes_no" and r["boolean"] is bus_graph.has_edge(3, 6) is True


def test_a_line_named_by_its_two_ends_and_counts_in_written_chinese(index, net):
    line = net.line[(net.line.from_bus == 3) & (net.line.to_bus == 4)].index[0]  # IEEE 4-5
    r = answer(index, "以4号和5号母线为端点的线路的长度是多少？")
    assert r["subject"]["key"] == f"line:{line}" and r["number"] == float(net.line.length_km[line])
    assert answer(index, "请统计本算例中线路的总条数。")["number"] == len(net.line)
    assert answer(index, "本网输电线路共计多少条？")["number"] == len(net.line)
    assert answer(index, "What is the cardinality of the bus set of the network?")["number"] == len(net.bus)


def test_an_n_minus_1_question_trips_and_maintenance_carried_out_does_not(index):
    r = answer(index, "N-1 on transformer 7-8: which buses are islanded from the reference bus?")
    assert r["intent"] == "what_if" and keys(r) == ["bus:7"]
    r = answer(index, "When was the last maintenance carried out on line 4-5?")
    assert r["answer"] is None


def test_this_bus_refers_back_and_a_request_names_what_it_asks(index, net):
    """"第14号母线目前运行中，该母线…": 该母线 is bus 14; a request that only names the loads at a
    bus ("请说明…的负荷接入情况") answers with those loads."""
    loads_at_14 = sorted(f"load:{i}" for i in net.load.index[net.load.bus == 13])
    assert loads_at_14
    r = answer(index, "第14号母线目前运行中，该母线所带负荷有哪些？")
    assert keys(r) == loads_at_14
    r = answer(index, "请说明14#母线的负荷接入情况。")
    assert keys(r) == loads_at_14 and r["text"].startswith("所问的负荷")
