"""Tuning family "paraphrase_h": distribution-grid (配网) and substation operators asking in
Chinese while typing fast on a phone: short, elliptical questions that often drop particles,
spoken word order, northern/regional colloquialisms (咋、啥、多大、整、瞅瞅、给我、帮我查),
repeated-question forms (有没…、…没、…不、是不是…啊), full-width punctuation, stray spaces
("3 号母线"), measure words (条/回/台/个) and field shorthand ("3#母", "主变", "出线") mixed with
English borrowings (kV, MVA, km, slack). The English side is a terse English-speaking dispatcher
typing on a phone."""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "Bus {n}", "bus #{n}", "bus no. {n}"],
        "zh": ["{n}号母线", "{n} 号母线", "{n}号母", "母线{n}", "{n}#母", "#{n}母线", "{n}母线"],
    },
    "line": {
        "en": ["line {a}-{b}", "the {a}-{b} line", "the line from bus {a} to bus {b}"],
        "zh": ["{a}-{b}线", "{a}—{b}号线路", "{a}母到{b}母的线", "{a}号母线到{b}号母线那条线",
               "{a}、{b}母之间的线路"],
    },
    "trafo": {
        "en": ["trafo {a}-{b}", "the {a}/{b} transformer", "the transformer between bus {a} and bus {b}"],
        "zh": ["{a}-{b}变", "{a}母和{b}母之间那台变压器", "{a}号至{b}号母线的主变", "{a}/{b}母线间变压器"],
    },
    "kb": {
        "en": ["{lower}", "the {lower}"],
        "zh": ["{name}", "“{name}”"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "en": ["what kV is {bus}", "{bus} voltage level?", "quick one - nominal kV on {bus}?"],
        "zh": ["{bus}多少kV", "{bus}电压等级多少啊", "{bus} 额定电压是多少", "帮我查下{bus}的电压等级",
               "{bus}是几千伏的", "{bus}啥电压等级？", "告诉我{bus}标称电压多大", "瞅瞅{bus}几kV的"],
    },
    "line_length": {
        "en": ["how long is {line}", "{line} length in km?", "what's the length on {line}"],
        "zh": ["{line}多长", "{line}有多少公里", "{line}长度多少km", "帮我查下{line}的长度",
               "{line}整条多少公里啊", "{line}线路长度是多少？", "瞅瞅{line}有多长"],
    },
    "trafo_sn": {
        "en": ["what's the MVA rating on {trafo}", "{trafo} capacity?", "how big is {trafo} in MVA"],
        "zh": ["{trafo}容量多大", "{trafo}多少MVA", "{trafo}额定容量是多少", "帮我查下{trafo}的容量",
               "{trafo}是多大容量的？", "告诉我{trafo}额定容量 多少MVA", "{trafo}铭牌容量多少"],
    },
    "bus_lines": {
        "en": ["which lines hang off {bus}", "lines connected to {bus}?", "what lines come into {bus}"],
        "zh": ["{bus}上接了哪些线", "{bus}出的线路都有哪些", "哪些线路连在{bus}上", "{bus}挂了哪几条线路",
               "帮我查下{bus}连着的线路", "{bus}上都有啥线", "给我列一下{bus}的出线"],
    },
    "line_buses": {
        "en": ["what buses does {line} connect", "which buses are at the ends of {line}",
               "{line} - which buses is it tied to?"],
        "zh": ["{line}连的哪两条母线", "{line}两头是哪个母线", "{line}接在哪些母线上", "{line}两端母线是啥",
               "帮我查下{line}连着哪几个母线", "{line}从哪条母线到哪条母线", "{line}的首末端母线是哪些？"],
    },
    "bus_loads": {
        "en": ["what loads are on {bus}", "which loads does {bus} feed", "loads hanging off {bus}?"],
        "zh": ["{bus}带哪些负荷", "{bus}上挂了啥负荷", "{bus}供哪些负荷啊", "帮我查下{bus}的负荷都有哪些",
               "瞅瞅{bus}下面带的负荷", "哪些负荷接在{bus}上", "{bus}上的用户负荷是哪几个"],
    },
    "gen_bus": {
        "en": ["the gen at {bus} - which bus is it on", "which bus is the generator at {bus} tied into",
               "{bus} generator: connected to what bus?"],
        "zh": ["{bus}那台发电机接在哪个母线上", "{bus}上的机组并在哪条母线", "{bus}的发电机连的是哪个母线啊",
               "帮我查下{bus}那台机组挂哪条母线", "{bus}发电机接入的母线是哪个", "{bus}上那台发电机接哪条母",
               "{bus}的机组并网在哪条母线上？"],
    },
    "fault_alarms": {
        "en": ["what alarms does {fault} throw", "which alarms come up with {fault}",
               "{fault} - what alarms would I see"],
        "zh": ["{fault}会报啥告警", "{fault}出哪些告警信号", "{fault}了会来哪些报警", "帮我查下{fault}对应的告警",
               "{fault}时后台弹哪些告警", "{fault}一般报什么信号啊", "发生{fault}会有哪些告警"],
    },
    "fault_procedure": {
        "en": ["how do I handle {fault}", "what's the procedure for {fault}", "{fault} - what do we do"],
        "zh": ["{fault}咋处理", "{fault}怎么整", "{fault}处理流程是啥", "碰到{fault}该咋办",
               "帮我查下{fault}的处置步骤", "{fault}了 下一步咋操作", "告诉我{fault}的处理方法"],
    },
    "alarm_faults": {
        "en": ["what faults could {alarm} mean", "{alarm} came up - which faults cause that",
               "which faults point to {alarm}"],
        "zh": ["{alarm}是啥故障引起的", "报{alarm}可能是哪些故障", "{alarm}来了 可能是啥故障",
               "帮我查下{alarm}对应哪些故障", "出{alarm}说明啥故障啊", "{alarm}这个信号可能是哪几种故障",
               "{alarm}一般是什么故障导致的？"],
    },
    "bus_neighbours": {
        "en": ["which buses are right next to {bus}", "neighbouring buses of {bus}?",
               "what buses connect straight to {bus}"],
        "zh": ["{bus}跟哪些母线直接连着", "{bus}相邻母线有哪些", "{bus}直连的母线是哪几个",
               "帮我查下{bus}的邻接母线", "和{bus}直接相连的母线都有啥",
               "{bus}直接通过线路或变压器连着哪些母线", "{bus}旁边直连着哪几条母线啊"],
    },
    "gen_buses": {
        "en": ["which buses have gens", "list the buses with generation on them",
               "where are the generators - what buses"],
        "zh": ["哪些母线有发电机", "有机组的母线都有哪些", "发电机都挂在哪些母线上", "帮我查下哪几条母线上有机组",
               "哪几个母线接了发电机啊", "给我列一下有发电机的母线", "发电机接在哪几条母上？"],
    },
    "buses_at_kv": {
        "en": ["which buses are {kv} kV", "list the {kv}kV buses", "what buses sit at {kv} kV"],
        "zh": ["{kv}kV的母线有哪些", "哪些母线是{kv}千伏的", "{kv} kV母线都有哪几条",
               "帮我查下{kv}kV电压等级的母线", "电压等级{kv}kV的母线是哪些啊", "给我列下{kv}千伏母线",
               "瞅瞅{kv}kV那一级的母线"],
    },
    "lines_longer": {
        "en": ["which lines are longer than {km} km", "lines over {km}km?",
               "anything longer than {km} km - which lines"],
        "zh": ["超过{km}公里的线路有哪些", "哪些线长于{km}km", "长度大于{km}km的线", "帮我查下比{km}公里长的线路",
               "长度超{km}km的线都有哪几条", "线路长度超过{km}公里的 给我列一下", "有哪些线比{km}km还长啊"],
    },
    "count_buses": {
        "en": ["how many buses in total", "bus count?", "how many buses does the grid have"],
        "zh": ["一共几条母线", "全网多少条母线", "母线总共有多少个", "帮我查下系统里母线数量",
               "这个网有几条母线啊", "母线一共多少条？"],
    },
    "count_lines": {
        "en": ["how many lines are there", "line count for the whole system?", "total number of lines?"],
        "zh": ["一共多少条线路", "全网几回线", "线路总数多少", "帮我查下系统里线路条数",
               "这网里有多少条线啊", "线路一共几条？"],
    },
    "count_gens": {
        "en": ["how many gens are there", "generator count?", "how many generating units in the grid"],
        "zh": ["一共几台发电机", "全网多少台机组", "发电机总共有几台", "帮我查下系统里发电机数量",
               "这网有几台发电机啊", "机组一共多少台？"],
    },
    "count_trafos": {
        "en": ["how many transformers", "trafo count?", "total number of transformers in the system?"],
        "zh": ["一共几台变压器", "全网多少台主变", "变压器总共多少台", "帮我查下系统里变压器数量",
               "这网有几台变压器啊", "主变一共几台？"],
    },
    "bus_line_count": {
        "en": ["how many lines on {bus}", "number of lines into {bus}?", "{bus} - how many lines connect there"],
        "zh": ["{bus}接了几条线", "{bus}出几回线", "{bus}上有多少条线路", "帮我查下{bus}连着几条线路",
               "{bus}一共挂几条线啊", "连在{bus}上的线路数量是多少", "{bus}的出线有几回？"],
    },
    "path_hops": {
        "en": ["how many hops from {a} to {b}", "shortest path {a} to {b}, how many branches?",
               "min number of branches between {a} and {b}?"],
        "zh": ["{a}到{b}最少经过几条支路", "{a}到{b}最短路径几跳", "从{a}到{b}最短要走几个支路",
               "帮我查下{a}和{b}之间最短路径上有几条支路", "{a}到{b}最近隔几跳啊", "{a}跟{b}之间最少隔几段支路",
               "{a}→{b}最短路几跳？"],
    },
    "path_buses": {
        "en": ["which buses are on the shortest path from {a} to {b}",
               "shortest route {a} to {b} - what buses does it pass through",
               "list buses along the shortest path between {a} and {b}"],
        "zh": ["{a}到{b}最短路径经过哪些母线", "从{a}走到{b}最短要过哪几条母线", "{a}到{b}最短路上的母线有哪些",
               "帮我查下{a}和{b}之间最短路径的母线", "{a}→{b}最短路都经过啥母线",
               "{a}到{b}最近的那条路径 途经哪些母线", "给我列一下{a}至{b}最短路径上的母线"],
    },
    "trip_lose_supply": {
        "en": ["if {branch} trips, which buses lose supply", "{branch} trips out - what buses go dark",
               "which buses are de-energised if we lose {branch}"],
        "zh": ["{branch}跳了哪些母线失电", "{branch}跳闸的话 哪些母线会停电", "要是{branch}跳开，哪几条母线没电了",
               "帮我查下{branch}跳了会造成哪些母线失压", "{branch}一跳，哪些母线失去供电啊",
               "{branch}断开后哪些母线失电？", "{branch}掉了会导致哪些母线停电"],
    },
    "trip_cut_slack": {
        "en": ["if {branch} trips which buses get cut off from the slack bus",
               "{branch} out - what buses lose connection to the slack",
               "which buses are islanded from the reference bus when {branch} trips"],
        "zh": ["{branch}跳了哪些母线跟平衡节点断开", "{branch}跳闸后哪些母线和平衡母线不连通了",
               "要是{branch}断开 哪几条母线脱离slack母线", "帮我查下{branch}跳了哪些母线与参考母线断开",
               "{branch}一跳，哪些母线连不到平衡节点了", "{branch}跳开后跟slack bus断开的母线有哪些",
               "{branch}断了哪些母线就和平衡母线隔开了？"],
    },
    "adjacent": {
        "en": ["are {a} and {b} directly connected", "is there a branch straight between {a} and {b}?",
               "{a} and {b} - adjacent or not?"],
        "zh": ["{a}和{b}直接连着没", "{a}跟{b}是不是直连的啊", "{a}到{b}有没有直接连的支路",
               "{a}与{b}之间有直接相连的线或变压器不", "帮我看下{a}和{b}是不是相邻",
               "{a}和{b}中间有没有一条支路直接连", "{a}、{b}直接相连吗？"],
    },
    "has_gen": {
        "en": ["does {bus} have a gen", "any generator on {bus}?", "is there generation at {bus}"],
        "zh": ["{bus}有发电机没", "{bus}上有没有机组", "{bus}是不是有发电机啊", "帮我查下{bus}带不带发电机",
               "{bus}接没接发电机", "{bus}有机组吗？", "{bus}上挂发电机了不"],
    },
    "unsupported": {
        "en": ["who makes the switchgear on {bus}", "when was {line} last patrolled",
               "what did {line} cost to build"],
        "zh": ["{bus}是哪个厂家的", "{line}上次巡线是啥时候", "{bus}归哪个班组管", "{line}造价多少钱",
               "帮我查下{line}今天巡线的是谁", "{bus}啥时候投运的", "{line}沿线今天天气咋样"],
    },
}
