"""Tuning family "paraphrase_l": many Chinese voices (a veteran dispatcher in his fifties, a new graduate,
a substation operator, a planning engineer from another province, a maintenance foreman, a trainer
writing exam questions, a product manager who is not an engineer); relation questions worded twelve
ways each, in varied sentence structures and vocabulary."""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "Bus {n}"],
        "zh": ["{n}号母线", "母线{n}", "{n}#母线", "{n}母", "第{n}号母线", "{n}号母"],
    },
    "line": {
        "en": ["line {a}-{b}", "the line between bus {a} and bus {b}"],
        "zh": ["{a}-{b}线", "{a}号母线至{b}号母线的线路", "{a}母和{b}母之间的线路",
               "连接{a}号与{b}号母线的线路", "线路{a}-{b}"],
    },
    "trafo": {
        "en": ["transformer {a}-{b}", "the transformer between bus {a} and bus {b}"],
        "zh": ["{a}-{b}主变", "{a}号与{b}号母线间的变压器", "变压器{a}-{b}"],
    },
    "kb": {
        "en": ["{lower}", "\"{name}\""],
        "zh": ["{name}", "“{name}”", "【{name}】"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "en": [
            "What is the rated voltage of {bus} in kV?",
            "Which voltage level is {bus} at?",
            "Tell me the nominal kV rating of {bus}.",
        ],
        "zh": [
            "{bus}的额定电压是多少千伏？",
            "{bus}属于哪个电压等级？",
            "请问{bus}的电压等级为多少kV？",
        ],
    },
    "line_length": {
        "en": [
            "How long is {line}?",
            "What is the length of {line} in km?",
            "Give me the length of {line} in kilometres.",
        ],
        "zh": [
            "{line}有多长？",
            "{line}的长度是多少公里？",
            "请问{line}全长几千米？",
        ],
    },
    "trafo_sn": {
        "en": [
            "What is the rated capacity of {trafo} in MVA?",
            "How many MVA is {trafo} rated for?",
            "Tell me the rated apparent power of {trafo}.",
        ],
        "zh": [
            "{trafo}的额定容量是多少MVA？",
            "{trafo}的容量有多大？",
            "请问{trafo}额定容量为多少兆伏安？",
        ],
    },
    "bus_lines": {
        "en": [
            "Which lines are connected to {bus}?",
            "List the lines that terminate at {bus}.",
            "What feeders leave {bus}?",
        ],
        "zh": [
            "{bus}上接了哪些出线？",
            "请列出与{bus}相连的所有线路。",
            "连到{bus}的线路都有哪几条？",
            "{bus}，出线清单给我一下。",
            "哪些线路接在{bus}上？",
            "麻烦查一下{bus}挂着哪些馈线。",
            "由{bus}引出的线路分别是？",
            "{bus}所连接之输电线路为何？",
            "帮我看看{bus}上都连着啥线路。",
            "{bus}上连着的回路有哪些，我想知道一下。",
            "被接入{bus}的线路是哪些？",
            "给我{bus}的出线名单。",
        ],
    },
    "line_buses": {
        "en": [
            "Which buses does {line} connect?",
            "What are the two end buses of {line}?",
            "Between which buses does {line} run?",
        ],
        "zh": [
            "{line}连接的是哪两条母线？",
            "{line}两端分别是哪条母线？",
            "请问{line}的首末端母线是什么？",
            "{line}的起止母线叫什么？",
            "哪两条母线由{line}连接起来？",
            "{line}两侧接的是啥母线？",
            "帮我查一下{line}的端点母线。",
            "{line}，它两头各接在哪个母线上？",
            "被{line}连起来的是哪些母线？",
            "麻烦告诉我{line}从哪条母线出发、到哪条母线为止。",
            "{line}所连母线为何？",
            "我想知道一下{line}架在哪两条母线之间。",
        ],
    },
    "bus_loads": {
        "en": [
            "Which loads are supplied by {bus}?",
            "What loads hang off {bus}?",
            "List the consumers fed from {bus}.",
        ],
        "zh": [
            "{bus}带了哪些负荷？",
            "{bus}上接的负载有哪些？",
            "请列出由{bus}供电的用户。",
            "哪些负荷挂在{bus}下面？",
            "{bus}供的用电负荷是哪些？",
            "帮我查查{bus}都给哪些负荷供电。",
            "给我{bus}的负荷清单。",
            "被{bus}带着的负荷分别是？",
            "{bus}所供负荷为何？",
            "{bus}下面都有啥用户？",
            "麻烦看一下接在{bus}上的负载是哪些。",
            "说说{bus}吧，它带的负荷我想知道一下。",
        ],
    },
    "gen_bus": {
        "en": [
            "Which bus is the generator at {bus} connected to?",
            "The generator at {bus}: what bus does it feed into?",
            "Tell me the connection bus of the generating unit at {bus}.",
        ],
        "zh": [
            "{bus}上的发电机接在哪条母线？",
            "{bus}处的机组并在哪个母线上？",
            "请问{bus}那台发电机连接的是哪条母线？",
            "{bus}的电源接入的是哪条母线？",
            "位于{bus}的发电单元挂在哪条母线上？",
            "{bus}的机组，它的并网母线叫什么？",
            "帮我查一下{bus}这台发电机所在的母线。",
            "{bus}上那台机组是从哪条母线并网的？",
            "由{bus}接入的发电机，其所连母线为何？",
            "麻烦告诉我{bus}发电机的接入母线。",
            "{bus}那台发电机接哪儿了？是哪条母线？",
            "把{bus}机组的接入母线告诉我一下。",
        ],
    },
    "fault_alarms": {
        "en": [
            "Which alarms does {fault} raise?",
            "What alarm signals appear when {fault} occurs?",
            "List the alarms triggered by {fault}.",
        ],
        "zh": [
            "{fault}会引发哪些告警？",
            "发生{fault}时会出现什么报警信号？",
            "{fault}对应的告警有哪些？",
            "请列出{fault}会产生的告警信号。",
            "出了{fault}，监控上能看到啥报警？",
            "哪些告警是由{fault}引起的？",
            "{fault}的告警现象分别是？",
            "帮我查一下{fault}一般会报哪些信号。",
            "把{fault}会触发的告警列给我。",
            "{fault}发生后，后台会弹出哪些告警信息？",
            "{fault}，其告警表现为何？",
            "我想知道一下{fault}都伴随有哪些报警。",
        ],
    },
    "fault_procedure": {
        "en": [
            "How should {fault} be handled?",
            "What is the procedure for dealing with {fault}?",
            "What steps should the operator take after {fault}?",
        ],
        "zh": [
            "{fault}该怎么处理？",
            "发生{fault}后应如何处置？",
            "{fault}的处置措施是什么？",
            "请给出{fault}的处理步骤。",
            "遇到{fault}咋办？",
            "{fault}有什么应对预案？",
            "帮我查一下{fault}的处理流程。",
            "出现{fault}时，运行人员应采取哪些措施？",
            "{fault}这种异常，现场应该怎么应对？",
            "麻烦说一下{fault}的事故处理方法。",
            "{fault}之处置方法为何？",
            "把{fault}的处理预案发给我，我想知道一下标准流程。",
        ],
    },
    "alarm_faults": {
        "en": [
            "Which faults could cause {alarm}?",
            "If {alarm} shows up, what fault might be behind it?",
            "What faults does {alarm} indicate?",
        ],
        "zh": [
            "出现{alarm}可能是什么故障？",
            "{alarm}可能由哪些故障引起？",
            "{alarm}报出来，一般是啥毛病？",
            "请问{alarm}对应哪些故障？",
            "哪些故障会导致{alarm}？",
            "后台报了{alarm}，可能的故障原因有哪些？",
            "帮我分析一下{alarm}背后可能是什么异常。",
            "{alarm}这个信号，可能说明发生了哪些故障？",
            "由{alarm}可以推断出哪些可能的故障？",
            "{alarm}所指示之故障为何？",
            "我看到{alarm}了，想知道一下可能是哪类事故。",
            "把可能引起{alarm}的故障列一下。",
        ],
    },
    "bus_neighbours": {
        "en": [
            "Which buses are directly connected to {bus}?",
            "What are the neighbouring buses of {bus}?",
            "List the buses one branch away from {bus}.",
        ],
        "zh": [
            "与{bus}直接相连的母线有哪些？",
            "{bus}的相邻母线是哪几条？",
            "从{bus}只隔一条支路能到达哪些母线？",
        ],
    },
    "gen_buses": {
        "en": [
            "Which buses have generators?",
            "List all buses with a generating unit connected.",
            "At which buses are the generators located?",
        ],
        "zh": [
            "哪些母线上接有发电机？",
            "装有机组的母线都有哪些？",
            "请列出所有带电源的母线。",
        ],
    },
    "buses_at_kv": {
        "en": [
            "Which buses are at {kv} kV?",
            "List every bus with a rated voltage of {kv} kV.",
            "What buses operate at the {kv} kV level?",
        ],
        "zh": [
            "哪些母线的电压等级是{kv}kV？",
            "{kv}千伏的母线有哪些？",
            "请列出额定电压为{kv}kV的全部母线。",
        ],
    },
    "lines_longer": {
        "en": [
            "Which lines are longer than {km} km?",
            "List the lines exceeding {km} km in length.",
            "What lines run for more than {km} kilometres?",
        ],
        "zh": [
            "长度超过{km}公里的线路有哪些？",
            "哪些线路比{km}km长？",
            "请列出长于{km}千米的所有线路。",
        ],
    },
    "count_buses": {
        "en": [
            "How many buses are in the grid?",
            "What is the total number of buses?",
            "Count the buses in the system.",
        ],
        "zh": [
            "电网里一共有多少条母线？",
            "系统中母线总数是多少？",
            "请问这个网络有几条母线？",
        ],
    },
    "count_lines": {
        "en": [
            "How many lines does the network have?",
            "What is the total number of transmission lines?",
            "Count the lines in the grid.",
        ],
        "zh": [
            "系统共有多少条线路？",
            "网里总共有几条输电线路？",
            "请统计一下线路的总条数。",
        ],
    },
    "count_gens": {
        "en": [
            "How many generators are there?",
            "What is the total number of generating units in the system?",
            "Count the generators in the grid.",
        ],
        "zh": [
            "系统中有多少台发电机？",
            "全网一共有几台机组？",
            "请统计发电机的总台数。",
        ],
    },
    "count_trafos": {
        "en": [
            "How many transformers does the grid have?",
            "What is the total number of transformers?",
            "Count the transformers in the system.",
        ],
        "zh": [
            "电网中有几台变压器？",
            "系统一共有多少台主变？",
            "请问变压器的总数是多少？",
        ],
    },
    "bus_line_count": {
        "en": [
            "How many lines are connected to {bus}?",
            "What is the number of lines terminating at {bus}?",
            "Count the lines at {bus}.",
        ],
        "zh": [
            "{bus}连着几条线路？",
            "{bus}上有多少回出线？",
            "接在{bus}上的线路共有几条？",
        ],
    },
    "path_hops": {
        "en": [
            "How many branches are on the shortest path from {a} to {b}?",
            "What is the minimum number of hops between {a} and {b}?",
            "At the least, how many branches separate {a} and {b}?",
        ],
        "zh": [
            "从{a}到{b}最少要经过几条支路？",
            "{a}和{b}之间的最短路径有几跳？",
            "{a}到{b}最短要走多少个支路？",
        ],
    },
    "path_buses": {
        "en": [
            "Which buses lie on the shortest path from {a} to {b}?",
            "List the buses along the shortest route between {a} and {b}.",
            "What is the sequence of buses on the shortest path between {a} and {b}?",
        ],
        "zh": [
            "从{a}到{b}的最短路径经过哪些母线？",
            "{a}到{b}最短路径上的母线依次是哪些？",
            "请列出{a}与{b}之间最短路径途经的母线。",
        ],
    },
    "trip_lose_supply": {
        "en": [
            "If {branch} trips, which buses lose supply?",
            "Which buses would be de-energised if {branch} were tripped?",
            "Suppose {branch} goes out of service: which buses are left without power?",
        ],
        "zh": [
            "如果{branch}跳闸，哪些母线会失电？",
            "{branch}一旦断开，会导致哪些母线停电？",
            "假如{branch}退出运行，哪些母线将失去供电？",
        ],
    },
    "trip_cut_slack": {
        "en": [
            "If {branch} trips, which buses are cut off from the slack bus?",
            "Which buses would be separated from the reference bus if {branch} opened?",
            "After {branch} trips, which buses no longer connect to the balance bus?",
        ],
        "zh": [
            "{branch}跳开后，哪些母线会与平衡节点断开连接？",
            "如果{branch}断开，哪些母线将与平衡母线失去联系？",
            "假设{branch}跳闸，哪些母线会和参考母线隔离开？",
        ],
    },
    "adjacent": {
        "en": [
            "Are {a} and {b} directly connected?",
            "Is there a single branch between {a} and {b}?",
            "Do {a} and {b} share a branch?",
        ],
        "zh": [
            "{a}和{b}是否直接相连？",
            "{a}与{b}之间有没有直接连接的支路？",
            "{a}跟{b}是相邻母线吗？",
        ],
    },
    "has_gen": {
        "en": [
            "Does {bus} have a generator?",
            "Is there a generating unit at {bus}?",
            "Is any generator connected to {bus}?",
        ],
        "zh": [
            "{bus}上有发电机吗？",
            "{bus}是否接有机组？",
            "{bus}有没有电源接入？",
        ],
    },
    "unsupported": {
        "en": [
            "When was {bus} last inspected?",
            "What conductor type is used on {line}?",
            "Who is the operator on duty at the substation of {bus}?",
        ],
        "zh": [
            "{bus}上次检修是什么时候？",
            "{line}用的导线型号是什么？",
            "{bus}所在变电站的值班负责人是谁？",
        ],
    },
}
