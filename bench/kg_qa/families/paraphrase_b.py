"""Tuning family "paraphrase_b": terse dispatcher shorthand and imperatives ("lines at B5",
"{bus}电压等级", "查一下..."), with "B5", "母线5", "line B2-B4", "2至4线路", "4-7主变"."""

MENTIONS = {
    "bus": {"en": ["B{n}", "Bus {n}"], "zh": ["{n}号母线", "母线{n}", "B{n}"]},
    "line": {"en": ["line {a}-{b}", "the line between bus {a} and bus {b}", "line B{a}-B{b}"],
             "zh": ["{a}-{b}线", "母线{a}-母线{b}线路", "{a}至{b}线路"]},
    "trafo": {"en": ["the transformer between bus {a} and bus {b}", "transformer {a}-{b}"],
              "zh": ["{a}-{b}主变", "{a}号和{b}号母线之间的主变"]},
    "kb": {"en": ["{lower}"], "zh": ["{name}"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["{bus} voltage level?", "rated kV of {bus}", "Give me the nominal kV for {bus}."],
        "zh": ["{bus}电压等级", "{bus}额定电压？", "查一下{bus}的额定电压"],
    },
    "line_length": {
        "en": ["{line} length?", "length of {line} in km", "Give me the length of {line}."],
        "zh": ["{line}长度", "{line}长度多少公里", "查{line}的长度"],
    },
    "trafo_sn": {
        "en": ["{trafo} rating?", "MVA rating for {trafo}", "rated power of {trafo}, please"],
        "zh": ["{trafo}容量", "{trafo}额定容量多少", "查一下{trafo}的容量"],
    },
    "bus_lines": {
        "en": ["lines at {bus}", "Lines connected to {bus}?", "List every line on {bus}."],
        "zh": ["{bus}所连线路", "{bus}连接的线路", "查{bus}上的线路"],
    },
    "line_buses": {
        "en": ["{line} endpoints?", "buses of {line}", "Give me both end buses of {line}."],
        "zh": ["{line}两端母线", "{line}的起止母线", "{line}连接的母线"],
    },
    "bus_loads": {
        "en": ["loads on {bus}", "Loads supplied by {bus}?", "List the loads at {bus}."],
        "zh": ["{bus}的负荷", "{bus}所带负荷", "列出{bus}供电的负荷"],
    },
    "gen_bus": {
        "en": ["generator at {bus}: connected bus?", "bus of the generator at {bus}"],
        "zh": ["{bus}发电机所在母线", "{bus}发电机的并网母线"],
    },
    "fault_alarms": {
        "en": ["alarms for {fault}", "{fault}: indicating alarms?", "List the alarms that point to {fault}."],
        "zh": ["{fault}的告警", "{fault}对应哪些告警信号", "列出指示{fault}的告警"],
    },
    "fault_procedure": {
        "en": ["procedure for {fault}", "{fault} handling?", "Give me the procedure for {fault}."],
        "zh": ["{fault}处置流程", "{fault}处理方法", "给出{fault}的处置规程"],
    },
    "alarm_faults": {
        "en": ["faults indicated by {alarm}", "{alarm}: possible faults?", "List the faults {alarm} points to."],
        "zh": ["{alarm}对应的故障", "{alarm}可能的故障", "列出{alarm}表明的故障"],
    },
    "bus_neighbours": {
        "en": ["neighbours of {bus}", "Buses adjacent to {bus}?", "List the buses next to {bus}."],
        "zh": ["{bus}相邻母线", "{bus}的邻近母线", "列出与{bus}直接相连的母线"],
    },
    "gen_buses": {
        "en": ["generator buses", "Buses with generators?", "List all generator buses."],
        "zh": ["发电机母线", "有发电机的母线", "列出所有发电机所在母线"],
    },
    "buses_at_kv": {
        "en": ["{kv} kV buses", "buses at {kv} kV?", "List all buses at {kv} kV."],
        "zh": ["{kv}kV母线", "{kv}千伏电压等级的母线", "列出所有{kv}kV母线"],
    },
    "lines_longer": {
        "en": ["lines > {km} km", "lines longer than {km} km?", "List lines above {km} km."],
        "zh": ["长度大于{km}km的线路", "超过{km}公里的线路", "列出长度>{km}km的线路"],
    },
    "count_buses": {
        "en": ["bus count", "number of buses?", "Total number of buses in the grid."],
        "zh": ["母线数量", "母线总数？", "统计母线数"],
    },
    "count_lines": {
        "en": ["line count", "number of lines?", "Total number of lines in the grid."],
        "zh": ["线路数量", "线路总数？", "统计线路数"],
    },
    "count_gens": {
        "en": ["generator count", "number of generators?", "Total number of generators in the grid."],
        "zh": ["发电机数量", "发电机总数？", "统计发电机台数"],
    },
    "count_trafos": {
        "en": ["transformer count", "number of transformers?", "Total number of transformers in the grid."],
        "zh": ["变压器数量", "变压器总数？", "统计变压器台数"],
    },
    "bus_line_count": {
        "en": ["number of lines at {bus}", "line count for {bus}?", "How many lines on {bus}?"],
        "zh": ["{bus}线路数", "{bus}连接线路数量", "{bus}出线数"],
    },
    "path_hops": {
        "en": ["hops from {a} to {b}", "shortest path length {a} to {b}?",
               "Number of branches on the shortest path {a} -> {b}."],
        "zh": ["{a}到{b}跳数", "{a}至{b}最短路径长度", "{a}到{b}最短路径支路数"],
    },
    "path_buses": {
        "en": ["shortest path {a} to {b}", "path from {a} to {b}?", "Buses on the shortest path from {a} to {b}."],
        "zh": ["{a}到{b}最短路径", "{a}至{b}路径", "{a}到{b}最短路径上的母线"],
    },
    "trip_lose_supply": {
        "en": ["{branch} trips: buses without supply?", "trip {branch}: which buses lose supply",
               "Buses de-energised by a trip of {branch}?"],
        "zh": ["{branch}跳闸失电母线", "{branch}跳闸：失电母线有哪些", "{branch}跳闸影响哪些母线供电"],
    },
    "trip_cut_slack": {
        "en": ["{branch} trips: buses cut from slack?", "trip {branch}: which buses separate from the slack bus",
               "Buses disconnected from the slack bus by a trip of {branch}?"],
        "zh": ["{branch}跳闸后脱离平衡节点的母线", "{branch}跳闸：与平衡节点断开的母线",
               "{branch}跳闸后哪些母线与平衡节点失去连接"],
    },
    "adjacent": {
        "en": ["{a} adjacent to {b}?", "{a} and {b} directly connected?", "Is {a} a neighbour of {b}?"],
        "zh": ["{a}与{b}相连？", "{a}和{b}是否相邻", "{a}、{b}是否直接连接？"],
    },
    "has_gen": {
        "en": ["generator at {bus}?", "{bus} has a generator?", "Is {bus} a generator bus?"],
        "zh": ["{bus}有发电机？", "{bus}是否为发电机母线", "{bus}接发电机吗"],
    },
    "unsupported": {
        "en": ["owner of {bus}?", "price of {line}", "weather at {bus}?"],
        "zh": ["{bus}的业主", "{line}价格", "{bus}天气怎么样"],
    },
}
