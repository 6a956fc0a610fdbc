"""Tuning family "paraphrase_e": weighted to Chinese (six Chinese wordings per kind, two
English), as dispatchers, operators, engineers and managers type into a chat box: topic first
("3号母线，它的…"), question particles and A-not-A forms (吗/呢/没/不/有没有/有无/是不是/带不带/
直连不), short imperatives (查一下…, …列一下), colloquial verbs (挂/接/带/并/搭/连), and 掉闸/停运/
被切除/跳开 for a trip. Buses: "3号母线" / "#3母" / "3M" / "母3" / "第3段母线" and "Bus 3" /
"bus-3" / "bus nr. 3"; lines: "3-4线" / "3母至4母线路" / "3、4号母线间的联络线" and "line 3-4" /
"circuit 3-4" / "line between Bus 3 and Bus 4"; transformers: "3-4号变压器" / "3母与4母之间的主变" /
"3、4号母线间的变压器" and "transformer 3-4" / "the Bus 3/Bus 4 transformer"."""

MENTIONS = {
    "bus": {"en": ["Bus {n}", "bus-{n}", "bus nr. {n}"],
            "zh": ["{n}号母线", "#{n}母", "{n}M", "母{n}", "第{n}段母线"]},
    "line": {"en": ["line {a}-{b}", "circuit {a}-{b}", "line between Bus {a} and Bus {b}"],
             "zh": ["{a}-{b}线", "{a}母至{b}母线路", "{a}、{b}号母线间的联络线", "{a}号母线—{b}号母线线路"]},
    "trafo": {"en": ["transformer {a}-{b}", "the Bus {a}/Bus {b} transformer"],
              "zh": ["{a}-{b}号变压器", "{a}母与{b}母之间的主变", "{a}、{b}号母线间的变压器"]},
    "kb": {"en": ["{lower}", "'{name}'"], "zh": ["{name}", "「{name}」", "【{name}】"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["Voltage level of {bus}?", "{bus}: rated kV?"],
        "zh": ["{bus}，电压等级多少？", "{bus}额定电压几kV？", "问一下{bus}的额定电压是多少呢", "查一下{bus}电压等级",
               "{bus}是哪一级电压的，多少千伏？", "{bus}的额定电压有多少千伏"],
    },
    "line_length": {
        "en": ["Length of {line} in km?", "{line}: how long?"],
        "zh": ["{line}，线路长度多少？", "{line}有多少公里呢", "{line}多长啊？", "查下{line}的长度",
               "{line}的线路全长是几公里？", "{line}这回线长度是多少km"],
    },
    "trafo_sn": {
        "en": ["Rated MVA of {trafo}?", "{trafo}: capacity?"],
        "zh": ["{trafo}，容量多大？", "{trafo}多少兆伏安？", "{trafo}的额定容量是多少MVA呢", "查一下{trafo}的容量",
               "{trafo}这台变压器额定容量有多大？", "{trafo}容量是几MVA的"],
    },
    "bus_lines": {
        "en": ["Lines at {bus}?", "{bus}: which lines are on it?"],
        "zh": ["{bus}上都有哪些出线？", "{bus}，它的出线都有哪些", "{bus}接了哪些线路呢", "{bus}上面搭着哪几条线路？",
               "查一下{bus}所连的线路", "{bus}的出线清单给一下"],
    },
    "line_buses": {
        "en": ["End buses of {line}?", "{line}: which buses does it join?"],
        "zh": ["{line}，两端分别是哪条母线？", "{line}接的是哪两段母线呢", "{line}连着哪几条母线？", "{line}两侧的母线是啥",
               "查下{line}两头的母线", "{line}是连在哪两条母线之间的？"],
    },
    "bus_loads": {
        "en": ["Loads on {bus}?", "{bus}: which loads does it carry?"],
        "zh": ["{bus}上都带了哪些负荷？", "{bus}，它下面有哪些负荷", "{bus}接着什么负荷呢", "{bus}所带负荷有哪些？",
               "查一下{bus}上的负荷", "{bus}挂的负荷都是哪些"],
    },
    "gen_bus": {
        "en": ["Which bus is the generator at {bus} on?", "Gen at {bus}: connected bus?"],
        "zh": ["{bus}那台发电机并在哪段母线上？", "{bus}的发电机，接的是哪条母线", "{bus}上的机组是并到哪条母线的呢？",
               "查下{bus}发电机所在的母线", "{bus}的那台机组挂在哪条母线上", "{bus}的机组并网母线是哪条？"],
    },
    "fault_alarms": {
        "en": ["Alarms for {fault}?", "{fault}: what alarms come up?"],
        "zh": ["出现{fault}一般会报啥？", "{fault}，会出哪些告警信号", "{fault}有啥告警现象？", "{fault}会报什么信号呢",
               "查一下{fault}对应的告警", "{fault}时后台能看到哪些告警？"],
    },
    "fault_procedure": {
        "en": ["Procedure for {fault}?", "{fault}: how do we handle it?"],
        "zh": ["{fault}该咋处理？", "{fault}的处置要点是什么", "{fault}，处理步骤有哪些", "发生{fault}后应该怎么处置呢？",
               "查一下{fault}的处置方案", "{fault}怎么处理才对"],
    },
    "alarm_faults": {
        "en": ["Faults behind {alarm}?", "{alarm}: what fault could it be?"],
        "zh": ["告警{alarm}可能是什么毛病？", "{alarm}，一般是哪种故障", "报了{alarm}是啥故障？", "{alarm}可能对应什么故障呢",
               "查一下{alarm}可能是哪些故障引起的", "来了{alarm}，可能出了哪些故障？"],
    },
    "bus_neighbours": {
        "en": ["Neighbours of {bus}?", "{bus}: which buses is it directly tied to?"],
        "zh": ["{bus}，它的相邻母线都有哪些？", "{bus}跟哪些母线直接连着？", "{bus}直连的母线有哪几条呢", "查下{bus}的邻接母线",
               "和{bus}直接相连的母线都列出来", "{bus}周围直接相邻的是哪几段母线？"],
    },
    "gen_buses": {
        "en": ["Buses with generators?", "Which buses have a gen connected?"],
        "zh": ["哪几段母线上并着发电机？", "有发电机的母线都有哪些", "发电机都接在哪些母线上呢？", "带机组的母线列一下",
               "查一下装有发电机的母线", "机组都挂在哪些母线上？"],
    },
    "buses_at_kv": {
        "en": ["Buses at {kv} kV?", "{kv}kV buses: which ones?"],
        "zh": ["{kv}kV的母线都有哪些？", "电压等级为{kv}千伏的母线有哪几条呢", "{kv}千伏这一级，有哪些母线",
               "查一下{kv}kV电压等级的母线", "额定电压{kv}kV的母线列一下", "哪几段母线是{kv}千伏的？"],
    },
    "lines_longer": {
        "en": ["Lines over {km} km?", "Which lines exceed {km} km in length?"],
        "zh": ["长度超过{km}公里的线路都有哪些？", "{km}km以上的线路有哪几条呢", "哪几回线长度大于{km}公里？",
               "查一下长于{km}km的线路", "超过{km}公里长的线路列一下", "线路里头比{km}公里还长的有哪些"],
    },
    "count_buses": {
        "en": ["Number of buses?", "Bus count in this grid?"],
        "zh": ["全网一共多少段母线？", "母线总共有几条呢", "这个网，母线有多少条", "统计一下母线数量",
               "系统母线总数是多少？", "电网里母线一共有几条啊"],
    },
    "count_lines": {
        "en": ["Number of lines?", "Line count in this grid?"],
        "zh": ["全网一共多少回线路？", "线路总共有几条呢", "这个网，线路有多少条", "统计一下线路数量",
               "系统线路总数是多少？", "电网里线路一共有几条啊"],
    },
    "count_gens": {
        "en": ["Number of generators?", "Gen count in this grid?"],
        "zh": ["全网一共多少台发电机？", "机组总共有几台呢", "这个网，发电机有多少台", "统计一下发电机数量",
               "系统发电机总数是多少？", "电网里机组一共有几台啊"],
    },
    "count_trafos": {
        "en": ["Number of transformers?", "Transformer count in this grid?"],
        "zh": ["全网一共多少台变压器？", "主变总共有几台呢", "这个网，变压器有多少台", "统计一下变压器数量",
               "系统变压器总数是多少？", "电网里主变一共有几台啊"],
    },
    "bus_line_count": {
        "en": ["Number of lines at {bus}?", "{bus}: how many lines?"],
        "zh": ["{bus}出了几回线？", "{bus}，一共接了多少条线路", "{bus}上有几条线路呢", "统计一下{bus}的出线数",
               "{bus}连着几回线路？", "{bus}所接线路总共几条"],
    },
    "path_hops": {
        "en": ["Hops on the shortest path from {a} to {b}?", "Min branch count between {a} and {b}?"],
        "zh": ["从{a}到{b}最少要过几段支路？", "{a}到{b}，最短路径是几跳", "{a}跟{b}之间最短要经过几条支路呢",
               "从{a}走到{b}最少跨几条支路？", "算一下{a}到{b}最短路径的支路数", "{a}与{b}间最短路径有多少跳？"],
    },
    "path_buses": {
        "en": ["Shortest path {a} to {b}?", "Buses on the shortest route from {a} to {b}?"],
        "zh": ["{a}到{b}最短怎么连过去？", "从{a}到{b}，最短要经过哪些母线", "{a}和{b}之间最短路径都过哪几段母线呢",
               "查一下{a}至{b}的最短路径", "{a}去{b}的最短通路是怎样的？", "从{a}到{b}最近要途经哪些母线？"],
    },
    "trip_lose_supply": {
        "en": ["Buses de-energised if {branch} trips?", "{branch} out: which buses lose supply?"],
        "zh": ["若{branch}掉闸，哪些母线失电？", "一旦{branch}停运，会有哪些母线停电呢", "{branch}被切除后，哪几段母线会失压？",
               "{branch}跳开的话，哪些母线就没电了", "假设{branch}跳闸，失电的母线有哪些？", "要是{branch}断开，会导致哪些母线停电"],
    },
    "trip_cut_slack": {
        "en": ["Buses cut off from the slack bus if {branch} trips?", "{branch} out: which buses are separated from the slack?"],
        "zh": ["若{branch}掉闸，哪些母线与平衡节点断开？", "一旦{branch}停运，哪些母线和平衡母线失去连接呢",
               "{branch}被切除后，哪几段母线连不到平衡节点？", "{branch}跳开的话，哪些母线跟平衡节点不连通了",
               "假设{branch}跳闸，与平衡母线隔断的母线有哪些？", "要是{branch}断开，哪些母线会脱离平衡节点"],
    },
    "adjacent": {
        "en": ["{a} and {b} adjacent?", "Is there a direct branch between {a} and {b}?"],
        "zh": ["{a}和{b}直接连不连着？", "{a}跟{b}直连不？", "{a}与{b}之间有没有直接的支路？", "{a}和{b}是不是直接连着的",
               "{a}、{b}两者直接相连没？", "{a}与{b}之间直接通不通（中间不经过别的母线）？"],
    },
    "has_gen": {
        "en": ["Gen on {bus}?", "{bus}: any generator connected?"],
        "zh": ["{bus}有没有挂机组？", "{bus}上接没接发电机", "{bus}，它上面有发电机没", "{bus}带不带发电机？",
               "{bus}是不是有机组并着？", "{bus}有无发电机组接入呢"],
    },
    "unsupported": {
        "en": ["Who owns {line}?", "Manufacturer of {bus}?"],
        "zh": ["{bus}的设备厂家是哪家？", "{line}造价多少钱", "{bus}由谁负责巡视？", "{line}下次停电检修安排在哪天",
               "{bus}所在变电站的站长是谁", "{line}今年跳过几次闸？"],
    },
}
