"""Tuning family "paraphrase_f": Chinese field staff and control-room dispatchers of a provincial
grid company typing in a work chat (钉钉/企业微信) -- colloquial, subjects dropped, topic-comment
order, 请问/麻烦/帮忙看下, sentence-final 呢/啊/吧, A不A and 有没有 questions, 把/被 constructions,
"…的话"/"万一…"/"如果…了" conditionals, dispatcher jargon (出线, 机组, 失压, 掉闸, 解列, 平衡节点,
N-1) -- mixed with a few lines in the terse formal register of dispatching logs and 调度规程
("若…，将造成…", "共计多少", "请列出", "有无"). Buses are named as a Chinese grid engineer names
IEEE test-case buses (5号母线, 母线5, 5#母线, 5母, 节点5); the English questions come from an
English-speaking dispatcher in the same chat, short and informal ("any gen on…", "N-1 on…",
"hop count…").
"""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "bus #{n}", "Bus {n}", "bus no. {n}"],
        "zh": ["{n}号母线", "母线{n}", "{n}#母线", "{n}母", "#{n}母线", "{n}号母", "节点{n}"],
    },
    "line": {
        "en": ["line {a}-{b}", "the {a}-{b} line", "the line between bus {a} and bus {b}",
               "the line from {a} to {b}"],
        "zh": ["{a}-{b}线路", "{a}号和{b}号母线之间的那条线", "{a}母—{b}母联络线",
               "连接{a}号、{b}号母线的线路", "{a}至{b}线"],
    },
    "trafo": {
        "en": ["transformer {a}-{b}", "the {a}/{b} transformer",
               "the transformer between buses {a} and {b}", "xfmr {a}-{b}"],
        "zh": ["{a}-{b}主变", "{a}号与{b}号母线间的变压器", "连接{a}母和{b}母的变压器",
               "{a}-{b}变压器"],
    },
    "kb": {
        "en": ["{lower}", "\"{name}\"", "the {lower}"],
        "zh": ["{name}", "“{name}”"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "en": [
            "what's the nominal kV on {bus}?",
            "tell me the voltage level of {bus}",
            "{bus} - what voltage is it rated at?",
        ],
        "zh": [
            "请问{bus}的额定电压是多少kV？",
            "{bus}，电压等级多少啊",
            "麻烦帮忙看下{bus}是几千伏的",
            "{bus}是哪个电压等级的呢？",
            "能不能告诉我{bus}的标称电压",
            "查询{bus}额定电压（kV）。",
            "{bus}运行在多少千伏电压等级下？",
            "{bus}的基准电压是多少kV哈",
        ],
    },
    "line_length": {
        "en": [
            "how long is {line}?",
            "what's the length of {line} in km",
            "tell me how many km {line} runs",
        ],
        "zh": [
            "{line}多长啊？",
            "请问{line}的长度是多少公里",
            "麻烦查下{line}有几公里长",
            "{line}，全长多少km？",
            "能不能告诉我{line}的线路长度呢",
            "{line}的长度（km）为多少？",
            "{line}总长多少千米？",
        ],
    },
    "trafo_sn": {
        "en": [
            "what's the MVA rating of {trafo}?",
            "how big is {trafo}, rated capacity?",
            "tell me the rated power of {trafo} in MVA",
        ],
        "zh": [
            "{trafo}容量多大？",
            "请问{trafo}的额定容量是多少MVA",
            "麻烦帮忙看下{trafo}是多大容量的",
            "{trafo}的铭牌容量多少兆伏安啊",
            "查询{trafo}额定容量。",
            "{trafo}，额定视在功率是多少？",
            "能不能告诉我{trafo}有多少MVA呢",
        ],
    },
    "bus_lines": {
        "en": [
            "which lines hang off {bus}?",
            "list the lines connected to {bus}",
            "what lines terminate at {bus}?",
        ],
        "zh": [
            "{bus}上接了哪些线路？",
            "请问和{bus}相连的线路有哪些",
            "{bus}出线都有哪几条啊",
            "麻烦列一下挂在{bus}上的所有线路",
            "哪些线路接在{bus}上呢？",
            "{bus}所连接的输电线路有哪些？请列出。",
            "帮忙看下{bus}都连着哪几回线",
        ],
    },
    "line_buses": {
        "en": [
            "which buses does {line} tie together?",
            "what are the two end buses of {line}?",
            "{line} - which buses is it connected between?",
        ],
        "zh": [
            "{line}两端分别是哪两条母线？",
            "请问{line}连接的是哪些母线",
            "{line}是接在哪两个母线之间的啊",
            "麻烦确认下{line}的首末端母线",
            "{line}，两侧母线是哪两个？",
            "{line}起止母线为何？",
            "帮忙看下{line}挂接在哪几条母线上呢",
        ],
    },
    "bus_loads": {
        "en": [
            "what loads are fed from {bus}?",
            "which loads does {bus} supply?",
            "list the loads hooked up to {bus}",
        ],
        "zh": [
            "{bus}上带了哪些负荷？",
            "请问{bus}供哪些负荷",
            "{bus}下面挂了哪些负荷啊",
            "麻烦查下由{bus}供电的负荷有哪些",
            "{bus}带的负荷都有哪些呢？",
            "接入{bus}的负荷有哪些？请列出。",
            "哪些负荷是接在{bus}上的",
        ],
    },
    "gen_bus": {
        "en": [
            "the generator at {bus} - which bus is it connected to?",
            "what bus is the unit at {bus} tied into?",
            "tell me which bus the gen at {bus} sits on",
        ],
        "zh": [
            "{bus}那台发电机是接在哪条母线上的？",
            "请问{bus}的机组并在哪个母线上",
            "{bus}处的发电机组，接入的是哪条母线啊",
            "麻烦确认下{bus}上的发电机连在哪条母线",
            "{bus}这台机组挂在哪段母线上呢？",
            "位于{bus}的发电机所接母线为？",
            "帮忙看下{bus}那个机组的并网母线是哪个",
        ],
    },
    "fault_alarms": {
        "en": [
            "what alarms come up with {fault}?",
            "which alarms does {fault} trigger?",
            "if we get {fault}, what alarms should we see?",
        ],
        "zh": [
            "{fault}会报哪些告警？",
            "请问发生{fault}时会出现哪些告警信号",
            "出了{fault}的话，后台会弹什么告警啊",
            "麻烦帮忙看下{fault}对应哪些告警",
            "{fault}一般伴随哪些报警呢？",
            "{fault}发生后，监控系统会上送哪些告警信息？",
            "如果出现{fault}，能看到哪些告警",
        ],
    },
    "fault_procedure": {
        "en": [
            "what's the procedure for {fault}?",
            "how do we handle {fault}?",
            "{fault} just happened - what are the steps?",
        ],
        "zh": [
            "{fault}怎么处理？",
            "请问{fault}的处置流程是什么",
            "出现{fault}了，该怎么处理啊",
            "麻烦发一下{fault}的处理步骤",
            "遇到{fault}的话按什么程序处置呢？",
            "{fault}的事故处理规程是什么？",
            "万一发生{fault}，应该怎么操作",
        ],
    },
    "alarm_faults": {
        "en": [
            "what faults could {alarm} point to?",
            "we're seeing {alarm} - which faults might cause it?",
            "which faults does {alarm} indicate?",
        ],
        "zh": [
            "出现{alarm}，可能是什么故障引起的？",
            "请问报{alarm}说明可能有哪些故障",
            "报了{alarm}，可能是哪些故障啊",
            "麻烦看下{alarm}对应的故障有哪些",
            "{alarm}一般是啥故障导致的呢？",
            "{alarm}信号动作，可能反映哪些故障？",
            "后台弹出{alarm}了，会是什么故障",
        ],
    },
    "bus_neighbours": {
        "en": [
            "which buses are directly connected to {bus}?",
            "what are the neighbouring buses of {bus}?",
            "which buses are one branch away from {bus}?",
        ],
        "zh": [
            "{bus}和哪些母线直接相连？",
            "请问与{bus}直连的母线有哪些",
            "{bus}相邻的母线都有哪几个啊",
            "麻烦看下{bus}挨着哪些母线",
            "通过线路或变压器跟{bus}直接连接的母线有哪些呢？",
            "{bus}的相邻母线有哪些？请列出。",
            "{bus}一条支路就能到的母线有哪些",
        ],
    },
    "gen_buses": {
        "en": [
            "which buses have generators on them?",
            "list the buses with gens",
            "where are the generators connected - which buses?",
        ],
        "zh": [
            "哪些母线上有发电机？",
            "请问接有发电机组的母线有哪些",
            "麻烦列一下带机组的母线",
            "发电机都接在哪些母线上啊",
            "有机组并网的是哪几条母线呢？",
            "全网电源点（接发电机的母线）有哪些？",
            "帮忙看下哪几个母线挂了发电机",
        ],
    },
    "buses_at_kv": {
        "en": [
            "which buses are at {kv} kV?",
            "list all the {kv}kV buses",
            "what buses run at {kv} kV?",
        ],
        "zh": [
            "{kv}kV的母线有哪些？",
            "请问电压等级为{kv}千伏的母线都有哪些",
            "麻烦列一下所有{kv}kV母线",
            "哪些母线是{kv}kV的啊",
            "{kv}千伏电压等级的母线有哪几条呢？",
            "额定电压{kv}kV的母线有哪些？请列出。",
            "帮忙看下{kv}kV这一层有哪些母线",
        ],
    },
    "lines_longer": {
        "en": [
            "which lines are longer than {km} km?",
            "any lines over {km} km? list them",
            "show me lines exceeding {km} km in length",
        ],
        "zh": [
            "长度超过{km}公里的线路有哪些？",
            "请问哪些线路长于{km}km",
            "麻烦列一下{km}公里以上的线路",
            "有哪些线路比{km}km还长啊",
            "线路长度大于{km}千米的都有哪几条呢？",
            "全长超过{km}km的输电线路有哪些？请列出。",
            "帮忙筛一下长度在{km}公里以上的线",
        ],
    },
    "count_buses": {
        "en": [
            "how many buses in the grid?",
            "what's the total bus count?",
            "tell me the number of buses in this system",
        ],
        "zh": [
            "这个电网一共有多少条母线？",
            "请问系统里总共几条母线",
            "全网母线有多少个啊",
            "麻烦统计下母线总数",
            "模型里母线数量是多少呢？",
            "本网母线共计多少条？",
            "帮忙数一下一共有几个母线",
        ],
    },
    "count_lines": {
        "en": [
            "how many lines does the grid have?",
            "total number of transmission lines?",
            "what's the line count in this network?",
        ],
        "zh": [
            "一共有多少条线路？",
            "请问全网线路总共几条",
            "系统里输电线路有多少回啊",
            "麻烦统计下线路数量",
            "网架中线路总数是多少呢？",
            "本网输电线路共计多少条？",
            "帮忙数下总共有几条线",
        ],
    },
    "count_gens": {
        "en": [
            "how many generators are there?",
            "what's the gen count?",
            "tell me the number of generating units in the grid",
        ],
        "zh": [
            "一共有几台发电机？",
            "请问系统里发电机组总共多少台",
            "全网有多少台机组啊",
            "麻烦统计下发电机数量",
            "模型中发电机总数是多少呢？",
            "本网发电机组共计多少台？",
            "帮忙数下一共有几台机",
        ],
    },
    "count_trafos": {
        "en": [
            "how many transformers are in the model?",
            "what's the total number of xfmrs?",
            "transformer count for this grid?",
        ],
        "zh": [
            "一共有几台变压器？",
            "请问全网变压器总共多少台",
            "系统里有多少台主变啊",
            "麻烦统计下变压器数量",
            "网中变压器总数是多少呢？",
            "本网变压器共计多少台？",
            "帮忙数一下有几台变压器",
        ],
    },
    "bus_line_count": {
        "en": [
            "how many lines connect to {bus}?",
            "what's the line count at {bus}?",
            "number of lines on {bus}?",
        ],
        "zh": [
            "{bus}上接了几条线路？",
            "请问{bus}有多少回出线",
            "{bus}一共连了几条线啊",
            "麻烦数下和{bus}相连的线路有几条",
            "{bus}的出线数是多少呢？",
            "接入{bus}的线路共计多少条？",
            "{bus}这边挂了几回线",
        ],
    },
    "path_hops": {
        "en": [
            "how many hops from {a} to {b} on the shortest path?",
            "hop count between {a} and {b}?",
            "what's the fewest branches you need to get from {a} to {b}?",
        ],
        "zh": [
            "{a}到{b}最少要经过几条支路？",
            "请问从{a}到{b}最短路径有几跳",
            "{a}和{b}之间最少隔了几条边啊",
            "麻烦算下{a}至{b}的最短路径支路数",
            "从{a}走到{b}，最短要几跳呢？",
            "{a}与{b}间最短电气路径包含多少条支路？",
            "{a}跟{b}最少几条支路能连上",
        ],
    },
    "path_buses": {
        "en": [
            "which buses are on the shortest path from {a} to {b}?",
            "trace the shortest route {a} to {b} - what buses does it go through?",
            "list the buses along the shortest path between {a} and {b}",
        ],
        "zh": [
            "{a}到{b}的最短路径经过哪些母线？",
            "请问从{a}到{b}最短要途经哪几条母线",
            "{a}和{b}之间最短路由上有哪些母线啊",
            "麻烦列一下{a}至{b}最短路径上的母线",
            "从{a}走到{b}，最近的那条路要过哪些母线呢？",
            "{a}与{b}间最短路径所经母线依次为？",
            "帮忙看下{a}到{b}最短走哪些母线",
        ],
    },
    "trip_lose_supply": {
        "en": [
            "if {branch} trips, which buses lose supply?",
            "N-1 on {branch} - what buses go dark?",
            "which buses get de-energised if {branch} goes out?",
        ],
        "zh": [
            "{branch}跳闸的话，哪些母线会失电？",
            "如果{branch}跳开了，哪些母线会停电",
            "万一{branch}掉闸，会有哪些母线没电啊",
            "{branch}被切除后，哪些母线失压？",
            "请问{branch}退出运行的话哪几条母线会断电",
            "若{branch}故障跳闸，将造成哪些母线失电？",
            "把{branch}拉开的话，哪些母线会失去供电呢",
            "{branch} N-1，哪些母线会停电",
        ],
    },
    "trip_cut_slack": {
        "en": [
            "if {branch} trips, which buses are cut off from the slack bus?",
            "N-1 on {branch}: what gets islanded from the reference bus?",
            "which buses lose their connection to the slack if {branch} goes out?",
        ],
        "zh": [
            "{branch}跳闸的话，哪些母线会和平衡节点失去联系？",
            "如果{branch}跳开，哪些母线会与平衡母线断开",
            "万一{branch}掉闸，哪些母线就连不到参考节点了啊",
            "{branch}退出运行后，哪些母线与平衡节点解列？",
            "请问{branch}停运的话，哪几个母线到slack母线没有通路了",
            "若{branch}分闸，哪些母线将与平衡母线失去电气联系？",
            "把{branch}断开的话，哪些母线跟平衡节点不再连通呢",
        ],
    },
    "adjacent": {
        "en": [
            "are {a} and {b} directly connected?",
            "is there a branch straight between {a} and {b}?",
            "are {a} and {b} neighbours, one branch apart?",
        ],
        "zh": [
            "{a}和{b}是直接相连的吗？",
            "请问{a}与{b}之间有没有直连支路",
            "{a}跟{b}是不是相邻的啊",
            "麻烦确认下{a}和{b}是否直接连接",
            "{a}同{b}之间有无直接联络的线路或变压器？",
            "{a}和{b}直连不直连？",
            "{a}与{b}是否相邻？",
        ],
    },
    "has_gen": {
        "en": [
            "does {bus} have a generator?",
            "any gen on {bus}?",
            "is there a generating unit connected at {bus}?",
        ],
        "zh": [
            "{bus}上有发电机吗？",
            "请问{bus}有没有接机组",
            "{bus}挂没挂发电机啊",
            "麻烦确认下{bus}是否接有发电机",
            "{bus}是不是电源点，有机组吗？",
            "{bus}有无发电机组接入？",
            "{bus}下面带不带发电机呢",
        ],
    },
    "unsupported": {
        "en": [
            "who owns {line}?",
            "when was {bus} last serviced?",
            "which crew patrols {line}?",
        ],
        "zh": [
            "{bus}的设备是哪个厂家的？",
            "请问{line}归哪个运维班组巡视",
            "{line}上次检修是什么时候啊",
            "麻烦问下{bus}所在变电站明天天气怎么样",
            "{line}当时建设花了多少钱呢？",
            "{bus}的运维单位是哪家？",
            "{line}沿线这几天有没有山火隐患",
        ],
    },
}
