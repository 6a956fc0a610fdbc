"""Tuning family "paraphrase_a": conversational wordings, as a colleague asks across the
control room ("can you tell me ...", "what ... come into ..."), with "Bus 5" / "母线5",
"line 2-4" / "2-4线", "transformer 4-7" / "4-7主变"."""

MENTIONS = {
    "bus": {"en": ["Bus {n}", "bus {n}"], "zh": ["母线{n}", "{n}号母线"]},
    "line": {"en": ["line {a}-{b}", "the line from bus {a} to bus {b}"], "zh": ["{a}-{b}线", "{a}-{b}线路"]},
    "trafo": {"en": ["transformer {a}-{b}", "the {a}-{b} transformer"], "zh": ["{a}-{b}主变", "变压器{a}-{b}"]},
    "kb": {"en": ["{lower}", "{name}"], "zh": ["{name}"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["Can you tell me the voltage level of {bus}?", "What voltage does {bus} run at?", "What kV is {bus}?"],
        "zh": ["{bus}是什么电压等级？", "请问{bus}的电压等级是多少", "{bus}多少千伏？"],
    },
    "line_length": {
        "en": ["How long is {line}?", "Tell me the length of {line}.", "How many kilometres is {line}?"],
        "zh": ["{line}多长？", "请问{line}的长度", "{line}有多少公里？"],
    },
    "trafo_sn": {
        "en": ["How big is {trafo} in MVA?", "What's the MVA rating of {trafo}?", "Tell me the capacity of {trafo}."],
        "zh": ["{trafo}容量多大？", "{trafo}的容量是多少", "请问{trafo}的额定容量"],
    },
    "bus_lines": {
        "en": ["What lines come into {bus}?", "Show me the lines attached to {bus}.", "Which lines terminate at {bus}?"],
        "zh": ["{bus}上有哪些线路？", "接到{bus}的线路有哪些", "{bus}有哪些出线？"],
    },
    "line_buses": {
        "en": ["Which buses are at the ends of {line}?", "What does {line} connect?", "Between which buses does {line} run?"],
        "zh": ["{line}接在哪两条母线之间？", "{line}的两端母线是什么", "{line}连着哪两条母线？"],
    },
    "bus_loads": {
        "en": ["What load is on {bus}?", "Show me the loads fed from {bus}.", "Which loads hang off {bus}?"],
        "zh": ["{bus}带哪些负荷？", "{bus}下面有什么负荷", "{bus}带了哪些负荷？"],
    },
    "gen_bus": {
        "en": ["The generator at {bus}: which bus does it connect to?", "Where is the generator at {bus} connected?"],
        "zh": ["{bus}那台发电机接在哪条母线？", "{bus}的机组并在哪条母线上？"],
    },
    "fault_alarms": {
        "en": ["What alarms would I see with {fault}?", "What are the signs of {fault}?", "How do I recognise {fault}?"],
        "zh": ["{fault}会出现哪些告警？", "如何判断发生了{fault}？", "{fault}有什么现象？"],
    },
    "fault_procedure": {
        "en": ["What should I do about {fault}?", "What are the steps for handling {fault}?", "How do I deal with {fault}?"],
        "zh": ["{fault}怎么处理？", "发生{fault}后应该怎么办？", "{fault}的处理步骤是什么？"],
    },
    "alarm_faults": {
        "en": ["What could cause {alarm}?", "What does {alarm} mean?", "We got {alarm}: which faults could it be?"],
        "zh": ["出现{alarm}可能是什么故障？", "{alarm}意味着什么故障？", "{alarm}可能是哪些故障引起的？"],
    },
    "bus_neighbours": {
        "en": ["What buses are next to {bus}?", "Which buses are adjacent to {bus}?", "Which buses connect straight to {bus}?"],
        "zh": ["{bus}和哪些母线直接相连？", "{bus}的邻接母线是哪些", "跟{bus}直连的母线有哪些？"],
    },
    "gen_buses": {
        "en": ["Where are the generators?", "Which buses have a generator connected?",
               "Which buses are the generators connected to?"],
        "zh": ["发电机都接在哪些母线上？", "哪些母线接了发电机？", "有发电机的母线是哪些？"],
    },
    "buses_at_kv": {
        "en": ["Which buses run at {kv} kV?", "Show me the {kv} kV buses.", "What buses are rated {kv} kV?"],
        "zh": ["{kv}千伏的母线有哪些？", "哪些母线是{kv}kV的？", "电压等级为{kv}kV的母线有哪些"],
    },
    "lines_longer": {
        "en": ["Which lines are over {km} km long?", "Show me the lines longer than {km} km.",
               "What lines exceed {km} km in length?"],
        "zh": ["长度超过{km}km的线路有哪些？", "哪些线路比{km}公里长？", "{km}公里以上的线路有哪些"],
    },
    "count_buses": {
        "en": ["How many buses are in this network?", "What's the number of buses?", "Count the buses for me."],
        "zh": ["这个网络有几条母线？", "母线总数是多少？", "一共多少条母线"],
    },
    "count_lines": {
        "en": ["How many lines are in this network?", "What's the number of lines?", "Count the lines for me."],
        "zh": ["这个网络有几条线路？", "线路总数是多少？", "一共多少条线路"],
    },
    "count_gens": {
        "en": ["How many generators are in this network?", "What's the number of generators?",
               "Count the generators for me."],
        "zh": ["这个网络有几台发电机？", "发电机总数是多少？", "一共多少台发电机"],
    },
    "count_trafos": {
        "en": ["How many transformers are in this network?", "What's the number of transformers?",
               "Count the transformers for me."],
        "zh": ["这个网络有几台变压器？", "变压器总数是多少？", "一共多少台变压器"],
    },
    "bus_line_count": {
        "en": ["How many lines come into {bus}?", "What's the number of lines at {bus}?",
               "Count the lines connected to {bus}."],
        "zh": ["{bus}有几回出线？", "{bus}上接了多少条线路？", "连接{bus}的线路有几条"],
    },
    "path_hops": {
        "en": ["How many branches are there between {a} and {b} on the shortest route?",
               "What is the hop count from {a} to {b}?", "How far is {a} from {b} in branches?"],
        "zh": ["{a}到{b}最少经过几条支路？", "{a}和{b}之间最短要几跳？", "{a}到{b}的最短距离是几条支路"],
    },
    "path_buses": {
        "en": ["Which route is shortest from {a} to {b}?", "Show me the shortest path between {a} and {b}.",
               "Trace the shortest path from {a} to {b}."],
        "zh": ["{a}到{b}的最短路径怎么走？", "列出{a}到{b}最短路径上的母线", "从{a}到{b}最短要经过哪些母线？"],
    },
    "trip_lose_supply": {
        "en": ["What buses go dark if {branch} trips?", "Which buses lose supply after {branch} trips?",
               "If we lose {branch}, which buses are without supply?"],
        "zh": ["{branch}跳开后哪些母线停电？", "若{branch}跳闸，哪些母线失去电源？", "{branch}故障跳闸会导致哪些母线失电"],
    },
    "trip_cut_slack": {
        "en": ["If {branch} trips, which buses are isolated from the slack bus?",
               "Which buses get separated from the slack after {branch} trips?",
               "After a trip of {branch}, what buses no longer connect to the slack bus?"],
        "zh": ["{branch}跳开后哪些母线与平衡节点解列？", "若{branch}跳闸，哪些母线和平衡母线不再连通？",
               "{branch}跳闸后与平衡节点断开的母线有哪些"],
    },
    "adjacent": {
        "en": ["Is there a direct connection between {a} and {b}?", "Do {a} and {b} connect directly?",
               "Are {a} and {b} neighbours?"],
        "zh": ["{a}和{b}之间有直接连接吗？", "{a}跟{b}是直连的吗", "{a}与{b}相邻吗？"],
    },
    "has_gen": {
        "en": ["Has {bus} got a generator?", "Any generator on {bus}?", "Is a generator connected at {bus}?"],
        "zh": ["{bus}接了发电机吗？", "{bus}有没有发电机？", "{bus}上是否有机组"],
    },
    "unsupported": {
        "en": ["Who manufactured {bus}?", "How much did {line} cost?", "What colour is {bus}?"],
        "zh": ["{bus}是哪家厂商制造的？", "{line}造价多少？", "{bus}是什么颜色的？"],
    },
}
