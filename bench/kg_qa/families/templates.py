"""Tuning family "templates": the plain wordings a question generator would produce, one
or two per kind, with the canonical mentions ("bus 5", "5号母线", "the line between bus 2
and bus 4", "2号母线和4号母线之间的线路")."""

MENTIONS = {
    "bus": {"en": ["bus {n}"], "zh": ["{n}号母线"]},
    "line": {"en": ["the line between bus {a} and bus {b}"], "zh": ["{a}号母线和{b}号母线之间的线路"]},
    "trafo": {"en": ["the transformer between bus {a} and bus {b}"], "zh": ["{a}号母线和{b}号母线之间的变压器"]},
    "kb": {"en": ["{lower}"], "zh": ["{name}"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["What is the rated voltage of {bus}?", "What is the nominal voltage of {bus} in kV?"],
        "zh": ["{bus}的额定电压是多少？", "{bus}的额定电压是多少千伏？"],
    },
    "line_length": {
        "en": ["What is the length of {line}?", "How long is {line} in km?"],
        "zh": ["{line}的长度是多少？", "{line}有多长（公里）？"],
    },
    "trafo_sn": {
        "en": ["What is the rated power of {trafo}?", "What is the rated capacity of {trafo} in MVA?"],
        "zh": ["{trafo}的额定容量是多少？", "{trafo}的额定容量是多少MVA？"],
    },
    "bus_lines": {
        "en": ["Which lines are connected to {bus}?", "List the lines connected to {bus}."],
        "zh": ["哪些线路连接到{bus}？", "与{bus}相连的线路有哪些？"],
    },
    "line_buses": {
        "en": ["Which buses does {line} connect?", "What are the end buses of {line}?"],
        "zh": ["{line}连接哪些母线？", "{line}两端是哪些母线？"],
    },
    "bus_loads": {
        "en": ["Which loads does {bus} supply?", "What loads are connected to {bus}?"],
        "zh": ["{bus}供哪些负荷？", "{bus}上接有哪些负荷？"],
    },
    "gen_bus": {
        "en": ["Which bus does the generator at {bus} feed?", "Which bus is the generator at {bus} connected to?"],
        "zh": ["{bus}上的发电机接在哪条母线上？", "{bus}的发电机向哪条母线供电？"],
    },
    "fault_alarms": {
        "en": ["Which alarms indicate {fault}?", "What are the alarms and symptoms of {fault}?"],
        "zh": ["哪些告警表明{fault}？", "{fault}有哪些告警和现象？"],
    },
    "fault_procedure": {
        "en": ["How should {fault} be handled?", "What is the handling procedure for {fault}?"],
        "zh": ["{fault}应该如何处置？", "{fault}的处置规程是什么？"],
    },
    "alarm_faults": {
        "en": ["What faults can {alarm} indicate?", "Which faults are indicated by {alarm}?"],
        "zh": ["{alarm}可能表明哪些故障？", "{alarm}说明可能发生了什么故障？"],
    },
    "bus_neighbours": {
        "en": ["Which buses are directly connected to {bus}?", "What are the neighbouring buses of {bus}?"],
        "zh": ["哪些母线与{bus}直接相连？", "{bus}的相邻母线有哪些？"],
    },
    "gen_buses": {
        "en": ["Which buses have generators?", "List the buses with a generator."],
        "zh": ["哪些母线上有发电机？", "列出接有发电机的母线。"],
    },
    "buses_at_kv": {
        "en": ["Which buses are at {kv} kV?", "List the buses with a rated voltage of {kv} kV."],
        "zh": ["哪些母线的电压等级是{kv}kV？", "列出额定电压为{kv}千伏的母线。"],
    },
    "lines_longer": {
        "en": ["Which lines are longer than {km} km?", "List the lines longer than {km} km."],
        "zh": ["哪些线路长度超过{km}公里？", "列出长于{km}km的线路。"],
    },
    "count_buses": {
        "en": ["How many buses does the grid have?", "How many buses are there in the grid?"],
        "zh": ["电网有多少条母线？", "这个电网共有几条母线？"],
    },
    "count_lines": {
        "en": ["How many lines does the grid have?", "How many lines are there in the grid?"],
        "zh": ["电网有多少条线路？", "这个电网共有几条线路？"],
    },
    "count_gens": {
        "en": ["How many generators does the grid have?", "How many generators are there in the grid?"],
        "zh": ["电网有多少台发电机？", "这个电网共有几台发电机？"],
    },
    "count_trafos": {
        "en": ["How many transformers does the grid have?", "How many transformers are there in the grid?"],
        "zh": ["电网有多少台变压器？", "这个电网共有几台变压器？"],
    },
    "bus_line_count": {
        "en": ["How many lines are connected to {bus}?", "How many lines does {bus} have?"],
        "zh": ["{bus}连接了几条线路？", "有多少条线路连到{bus}？"],
    },
    "path_hops": {
        "en": ["How many branches lie on the shortest path from {a} to {b}?",
               "How many hops is the shortest path between {a} and {b}?"],
        "zh": ["从{a}到{b}的最短路径经过几条支路？", "{a}和{b}之间的最短路径有几跳？"],
    },
    "path_buses": {
        "en": ["Which buses lie on the shortest path from {a} to {b}?", "What is the shortest path from {a} to {b}?"],
        "zh": ["从{a}到{b}的最短路径经过哪些母线？", "{a}到{b}的最短路径是什么？"],
    },
    "trip_lose_supply": {
        "en": ["If {branch} trips, which buses lose supply?", "Which buses lose power if {branch} trips?"],
        "zh": ["如果{branch}跳闸，哪些母线会失电？", "{branch}跳闸后哪些母线失去供电？"],
    },
    "trip_cut_slack": {
        "en": ["If {branch} trips, which buses are cut off from the slack bus?",
               "Which buses lose their connection to the slack bus if {branch} trips?"],
        "zh": ["如果{branch}跳闸，哪些母线与平衡节点断开？", "{branch}跳闸后哪些母线失去与平衡母线的连接？"],
    },
    "adjacent": {
        "en": ["Is {a} directly connected to {b}?", "Are {a} and {b} directly connected?"],
        "zh": ["{a}和{b}是否直接相连？", "{a}与{b}直接相连吗？"],
    },
    "has_gen": {
        "en": ["Is there a generator at {bus}?", "Does {bus} have a generator?"],
        "zh": ["{bus}上有发电机吗？", "{bus}是否接有发电机？"],
    },
    "unsupported": {
        "en": ["Who built {bus}?", "What is the price of {line}?"],
        "zh": ["{bus}是谁建造的？", "{line}的价格是多少？"],
    },
}
