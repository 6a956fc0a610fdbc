"""Tuning family "paraphrase_j": non-native English writers (Chinese, Indian, Latin-American,
German grid engineers) asking in English with typical learner grammar -- dropped articles,
mixed singular/plural, "then" for "than", odd prepositions, question word at the end -- plus
short plain Chinese questions by the same people."""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "Bus{n}", "bus no {n}", "bus number {n}", "the bus {n}", "b{n}"],
        "zh": ["{n}号母线", "母线{n}"],
    },
    "line": {
        "en": ["line {a}-{b}", "line from bus {a} to bus {b}", "the line of bus {a} and bus {b}",
               "{a}-{b} line", "line bus{a}-bus{b}"],
        "zh": ["{a}-{b}线路"],
    },
    "trafo": {
        "en": ["transformer {a}-{b}", "trafo {a}-{b}", "transformer of bus {a} and bus {b}",
               "the transformer bus {a} to bus {b}"],
        "zh": ["{a}-{b}变压器"],
    },
    "kb": {
        "en": ["{lower}", "the {lower}", "{name}"],
        "zh": ["{name}", "“{name}”"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "en": [
            "what is voltage of {bus}?",
            "{bus} voltage is how much?",
            "{bus} is how many kV?",
            "please tell me rated voltage for {bus}",
            "kindly tell nominal kV of {bus}",
            "voltage level of {bus} is what?",
            "{bus} is working in which kV level?",
        ],
        "zh": [
            "{bus}电压多少？",
            "{bus}是多少kV的？",
            "{bus}额定电压是多少",
            "{bus}电压等级是什么？",
        ],
    },
    "line_length": {
        "en": [
            "how long is {line}?",
            "{line} length is how much?",
            "what is length of {line} in km?",
            "{line} have how many km?",
            "please tell the length for {line}",
            "how much kilometer is {line}?",
            "{line} is how long, in km?",
        ],
        "zh": [
            "{line}多长？",
            "{line}长度是多少公里",
            "{line}有几公里？",
            "{line}的长度多少km",
        ],
    },
    "trafo_sn": {
        "en": [
            "what is capacity of {trafo}?",
            "{trafo} rating is how much MVA?",
            "{trafo} have how many MVA?",
            "please tell rated power for {trafo}",
            "how big is capacity of {trafo}, in MVA?",
            "MVA of {trafo} is what?",
            "rated capacity of {trafo} how much?",
        ],
        "zh": [
            "{trafo}容量多少？",
            "{trafo}是多少MVA的",
            "{trafo}额定容量是多少？",
            "{trafo}的容量有多大",
        ],
    },
    "bus_lines": {
        "en": [
            "{bus} connect which lines?",
            "which lines is connected on {bus}?",
            "please tell the lines of {bus}",
            "what lines are going out from {bus}?",
            "lines connecting with {bus} are which?",
            "give me all line that connect to {bus}",
            "{bus} have which line connected?",
        ],
        "zh": [
            "{bus}连哪些线路？",
            "{bus}接了哪些线路",
            "跟{bus}相连的线路有哪些？",
            "{bus}上有什么线路",
        ],
    },
    "line_buses": {
        "en": [
            "{line} connect which buses?",
            "which bus is at two end of {line}?",
            "{line} is between which buses?",
            "please tell the buses of {line}",
            "what buses {line} is connecting?",
            "the end buses for {line} are which?",
        ],
        "zh": [
            "{line}连接哪些母线？",
            "{line}两头是哪两个母线",
            "{line}接在哪些母线上？",
        ],
    },
    "bus_loads": {
        "en": [
            "please tell the loads on {bus}",
            "which load is supplied by {bus}?",
            "{bus} feed which loads?",
            "what loads connect at {bus}?",
            "{bus} have which load on it?",
            "loads under {bus} are what?",
            "give me list of load at {bus}",
        ],
        "zh": [
            "{bus}带哪些负荷？",
            "{bus}上有什么负荷",
            "{bus}供哪些负荷",
            "{bus}接的负荷是哪些？",
        ],
    },
    "gen_bus": {
        "en": [
            "generator of {bus} is connect to which bus?",
            "the generator on {bus}, it sit on which bus?",
            "which bus the generator at {bus} is connected?",
            "gen at {bus} connect to what bus?",
            "for generator in {bus}, tell me its bus",
            "generator on {bus} belong to which bus?",
        ],
        "zh": [
            "{bus}的发电机接在哪条母线？",
            "{bus}上那台发电机连哪个母线",
            "{bus}那个机组是接在哪个母线上？",
        ],
    },
    "fault_alarms": {
        "en": [
            "{fault} will give which alarms?",
            "when {fault} happen, what alarm come?",
            "which alarm is raised for {fault}?",
            "{fault} happen, system show what alarms?",
            "please tell alarms of {fault}",
            "what alarms we get if have {fault}?",
        ],
        "zh": [
            "{fault}会出什么告警？",
            "发生{fault}有哪些告警",
            "{fault}报什么警？",
        ],
    },
    "fault_procedure": {
        "en": [
            "how to handle {fault}?",
            "{fault} happen, what should we do?",
            "what is procedure for {fault}?",
            "please tell steps to deal {fault}",
            "how we treat {fault}?",
            "when occur {fault}, how to process?",
        ],
        "zh": [
            "{fault}怎么处理？",
            "发生{fault}要怎么办",
            "{fault}的处理步骤是什么？",
        ],
    },
    "alarm_faults": {
        "en": [
            "{alarm} mean which fault?",
            "if {alarm} come, what fault it can be?",
            "which faults make {alarm}?",
            "{alarm} appear, maybe what fault?",
            "please tell possible fault for {alarm}",
            "what fault is reason of {alarm}?",
        ],
        "zh": [
            "{alarm}可能是什么故障？",
            "出现{alarm}是哪些故障引起的",
            "{alarm}对应什么故障？",
        ],
    },
    "bus_neighbours": {
        "en": [
            "which bus is neighbor with {bus}?",
            "{bus} is directly connect with which buses?",
            "what buses are next to {bus}?",
            "neighbour buses of {bus} are which?",
            "give me buses adjacent to {bus}",
            "{bus} link to which other bus directly?",
        ],
        "zh": [
            "{bus}相邻母线有哪些？",
            "跟{bus}直接连的母线是哪些",
            "{bus}旁边有哪些母线？",
        ],
    },
    "gen_buses": {
        "en": [
            "which buses have generator?",
            "generator are on which bus?",
            "please tell all bus with generators",
            "what buses is having gen?",
            "bus with generator, which ones?",
            "list the buses where generator connected",
        ],
        "zh": [
            "哪些母线有发电机？",
            "发电机都在哪些母线上",
            "有机组的母线是哪几个？",
        ],
    },
    "buses_at_kv": {
        "en": [
            "which bus is {kv} kV?",
            "buses of {kv}kV level are which?",
            "please tell all bus with voltage {kv} kV",
            "what buses working at {kv} kV?",
            "give me list of {kv} kV bus",
            "{kv} kV buses is which ones?",
        ],
        "zh": [
            "哪些母线是{kv}kV的？",
            "{kv}千伏母线有哪些",
            "电压{kv}kV的母线是哪几个？",
        ],
    },
    "lines_longer": {
        "en": [
            "the lines which are longer then {km} km",
            "which line is more long then {km} km?",
            "lines over {km}km length, which?",
            "give me lines longer then {km} kilometer",
            "what lines have length more than {km} km?",
            "please tell line with length bigger {km} km",
        ],
        "zh": [
            "哪些线路长度超过{km}公里？",
            "比{km}km长的线路有哪些",
            "长度大于{km}公里的线路是哪些？",
        ],
    },
    "count_buses": {
        "en": [
            "how many bus in this grid?",
            "total of buses is how much?",
            "this network have how many buses?",
            "please tell count of bus",
            "how much buses are there totally?",
            "number of bus in grid is what?",
        ],
        "zh": [
            "电网有几条母线？",
            "一共多少母线",
            "母线总数是多少？",
        ],
    },
    "count_lines": {
        "en": [
            "how many line in this grid?",
            "this network have how many lines?",
            "total lines number is how much?",
            "please tell how much line are there",
            "count of line in system?",
            "lines in grid totally is how many?",
        ],
        "zh": [
            "电网一共有几条线路？",
            "线路总共多少条",
            "有多少条线路？",
        ],
    },
    "count_gens": {
        "en": [
            "how many generator in this grid?",
            "this system have how many gen?",
            "total generators is how much?",
            "please tell number of generator",
            "generator in network, how many totally?",
            "how much generators are there?",
        ],
        "zh": [
            "有几台发电机？",
            "发电机总共多少台",
            "电网里机组数量是多少？",
        ],
    },
    "count_trafos": {
        "en": [
            "how many transformer in this grid?",
            "this network have how many trafo?",
            "total transformers number is how much?",
            "please tell count of transformer",
            "transformer in system, how many?",
            "how much trafos are there totally?",
        ],
        "zh": [
            "有几台变压器？",
            "变压器一共多少台",
            "电网变压器总数是多少？",
        ],
    },
    "bus_line_count": {
        "en": [
            "how many line connect to {bus}?",
            "{bus} have how many lines?",
            "number of line on {bus} is how much?",
            "please tell count of lines at {bus}",
            "lines connected with {bus} are how many?",
            "how much lines go out from {bus}?",
        ],
        "zh": [
            "{bus}连了几条线路？",
            "{bus}有多少条线",
            "{bus}接几回线路？",
        ],
    },
    "path_hops": {
        "en": [
            "how many hop from {a} to {b}?",
            "shortest way {a} to {b} have how many branch?",
            "from {a} until {b}, minimum how many branches?",
            "number of hops between {a} and {b} in shortest path is how much?",
            "please tell how many step is shortest route {a} to {b}",
            "{a} go to {b} need minimum how many branch?",
        ],
        "zh": [
            "{a}到{b}最短要经过几条支路？",
            "{a}到{b}最少几跳",
            "从{a}到{b}最短路径有几个支路？",
        ],
    },
    "path_buses": {
        "en": [
            "give me shortest way {a} to {b}",
            "shortest path from {a} to {b} pass which buses?",
            "which buses is on shortest route between {a} and {b}?",
            "from {a} go to {b}, shortest way via what buses?",
            "please tell the buses in shortest path {a} to {b}",
            "shortest road of {a} and {b}, buses are which?",
        ],
        "zh": [
            "{a}到{b}最短路径经过哪些母线？",
            "从{a}去{b}最短走哪些母线",
            "{a}和{b}之间最短路径上的母线有哪些？",
        ],
    },
    "trip_lose_supply": {
        "en": [
            "if trip {branch}, what buses will lose power?",
            "{branch} trip, which bus lose supply?",
            "when {branch} is tripped, which buses become no power?",
            "suppose {branch} go out, buses losing supply are which?",
            "if {branch} open, what bus have blackout?",
            "after tripping of {branch}, which buses don't have supply?",
        ],
        "zh": [
            "{branch}跳闸，哪些母线失电？",
            "如果{branch}跳了，哪些母线会停电",
            "{branch}断开后哪些母线没电？",
        ],
    },
    "trip_cut_slack": {
        "en": [
            "if trip {branch}, which buses is cut from slack bus?",
            "{branch} trip, what buses lose connection with balance bus?",
            "after {branch} tripped, which bus cannot reach slack bus any more?",
            "when {branch} out, buses separated from reference bus are which?",
            "suppose {branch} open, which buses is not connect to slack bus?",
            "if {branch} go off, what buses lose link to the balance bus?",
        ],
        "zh": [
            "{branch}跳闸后哪些母线和平衡节点断开？",
            "如果{branch}跳了，哪些母线跟平衡母线断开了",
            "{branch}断开，哪些母线连不到平衡节点？",
        ],
    },
    "adjacent": {
        "en": [
            "{a} and {b} is directly connected or not?",
            "is {a} connect with {b} directly?",
            "{a} and {b} have one branch between or no?",
            "{a} with {b} are direct neighbour, yes or no?",
            "there is direct line or trafo between {a} and {b}?",
            "{a} link directly to {b}, yes or no?",
        ],
        "zh": [
            "{a}和{b}直接相连吗？",
            "{a}跟{b}有没有直接连",
            "{a}与{b}之间是直连的吗？",
        ],
    },
    "has_gen": {
        "en": [
            "{bus} have generator or not?",
            "is there generator on {bus}?",
            "{bus} has gen, yes or no?",
            "does {bus} having a generator?",
            "any generator connect at {bus}?",
            "generator is there in {bus} or no?",
        ],
        "zh": [
            "{bus}有没有发电机？",
            "{bus}上有发电机吗",
            "{bus}接了机组没有？",
        ],
    },
    "unsupported": {
        "en": [
            "who is owner of {bus}?",
            "{line} is made by which manufacturer?",
            "how much cost {line} for build?",
            "when is next maintenance of {bus}?",
            "who patrol {line} this week?",
            "what is weather today near {bus}?",
            "{bus} was installed which year?",
        ],
        "zh": [
            "{bus}归谁管？",
            "{line}是哪个厂家生产的",
            "{line}建设花了多少钱？",
            "{bus}下次检修什么时候",
        ],
    },
}
