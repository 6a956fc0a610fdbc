# HELD-OUT FAMILY. If you tune, train or change the QA engine (core/kg/lib/qa/, the
# energy vertical's qa.py, their vocabularies and templates): DO NOT READ THIS FILE, do not
# copy words from it, and do not print its failures. Its accuracy is the measure of how
# the engine holds up on questions nobody tuned it to (issue 19); once read, it is no
# longer that measure. Tune on the families templates, paraphrase_a and paraphrase_b.
"""Held-out family "heldout": written apart from the tuning families, in other verbs,
sentence structures, politeness and abbreviations ("B5", "bus #5", "5#母线", "5号",
"the 2-4 line", "连接2号母线和4号母线的线路", "xfmr 4-7")."""

MENTIONS = {
    "bus": {"en": ["B{n}", "bus #{n}", "bus no. {n}", "busbar {n}", "Bus {n}"],
            "zh": ["{n}#母线", "母线{n}", "{n}号母线", "{n}号"]},
    "line": {"en": ["the {a}-{b} line", "the line connecting B{a} and B{b}", "the line between bus {a} and bus {b}",
                    "the bus {a} to bus {b} line"],
             "zh": ["连接{a}号母线和{b}号母线的线路", "{a}-{b}线", "{a}号至{b}号母线的线路", "母线{a}到母线{b}之间那条线"]},
    "trafo": {"en": ["the {a}/{b} transformer", "the transformer linking B{a} and B{b}", "xfmr {a}-{b}",
                     "the transformer between bus {a} and bus {b}"],
              "zh": ["{a}-{b}主变", "{a}号与{b}号母线间的主变", "连接母线{a}和母线{b}的变压器"]},
    "kb": {"en": ["{lower}", "{name}"], "zh": ["{name}"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["Could you please check what voltage {bus} is rated at?", "For {bus}, what's the kV rating?",
               "I'd like to know the nominal voltage on {bus}."],
        "zh": ["麻烦查一下{bus}的电压等级", "{bus}是几千伏的母线？", "请告诉我{bus}的标称电压"],
    },
    "line_length": {
        "en": ["How many km does {line} span?", "For {line}, what's the route length?",
               "Could you look up the length of {line}, please?"],
        "zh": ["{line}全长多少？", "麻烦看一下{line}有几公里", "请问{line}的长度是多少公里"],
    },
    "trafo_sn": {
        "en": ["What size is {trafo}, MVA-wise?", "Please give me the nameplate MVA of {trafo}.",
               "For {trafo}, what is the rated MVA?"],
        "zh": ["{trafo}是多大容量的？", "麻烦查下{trafo}的铭牌容量", "请告诉我{trafo}的额定容量"],
    },
    "bus_lines": {
        "en": ["Could you list the lines that end at {bus}?", "Which circuits are terminated on {bus}?",
               "On {bus}, which lines are there?"],
        "zh": ["请列出接在{bus}上的所有线路", "{bus}出来的线路都有哪些？", "和{bus}连着的线路是哪几条"],
    },
    "line_buses": {
        "en": ["Where does {line} start and end?", "Please name the buses at either end of {line}.",
               "{line} ties which buses together?"],
        "zh": ["{line}的两头分别是哪条母线？", "请告诉我{line}两侧的母线", "{line}是从哪条母线到哪条母线的？"],
    },
    "bus_loads": {
        "en": ["Which consumers are fed from {bus}?", "Please list the loads hanging on {bus}.",
               "What demand is served at {bus}? Name the loads."],
        "zh": ["{bus}给哪些用户负荷供电？", "麻烦列一下{bus}上的负荷", "挂在{bus}下面的负荷有哪几个"],
    },
    "gen_bus": {
        "en": ["The unit connected at {bus}: which bus is it on?",
               "Please tell me which bus the generator sitting at {bus} is tied to."],
        "zh": ["接在{bus}的那台机组连的是哪条母线？", "请问位于{bus}的发电机并网在哪条母线"],
    },
    "fault_alarms": {
        "en": ["When {fault} happens, which alarms come up?", "Which alarms or symptoms would point me to {fault}?",
               "Could you list the indications of {fault}?"],
        "zh": ["发生{fault}时会报哪些告警？", "请列出能判断{fault}的告警和现象", "{fault}一般伴随哪些信号？"],
    },
    "fault_procedure": {
        "en": ["Could you walk me through the response to {fault}?", "In case of {fault}, what is the procedure?",
               "What's the right way to handle {fault}?"],
        "zh": ["遇到{fault}该按什么规程处理？", "请给出{fault}的处置方案", "碰到{fault}调度员该怎么做？"],
    },
    "alarm_faults": {
        "en": ["{alarm} has come up. What fault is likely behind it?", "If I see {alarm}, which faults should I suspect?",
               "Please tell me which faults {alarm} can point to."],
        "zh": ["收到{alarm}，可能是哪种故障？", "看到{alarm}时应怀疑哪些故障？", "{alarm}一般提示什么故障"],
    },
    "bus_neighbours": {
        "en": ["Which buses share a branch with {bus}?", "Could you tell me the buses one branch away from {bus}?",
               "{bus}: which buses is it tied to directly?"],
        "zh": ["和{bus}只隔一条支路的母线有哪些？", "请列出与{bus}有直接电气连接的母线", "{bus}直接连到哪几条母线"],
    },
    "gen_buses": {
        "en": ["At which buses are generating units connected?", "Could you list every bus that hosts a generator?",
               "Where in the grid do we have generators? Give me the buses."],
        "zh": ["哪几条母线上接着发电机组？", "请列出所有装有发电机的母线", "全网发电机分别接在哪些母线"],
    },
    "buses_at_kv": {
        "en": ["Please list every {kv} kV bus.", "Which busbars are rated at {kv} kV?",
               "At {kv} kV, which buses do we have?"],
        "zh": ["请列出所有{kv}千伏的母线", "电压等级{kv}kV的母线都有哪几条", "哪些母线属于{kv}kV电压等级？"],
    },
    "lines_longer": {
        "en": ["Could you list the lines that are more than {km} km long?", "Which circuits exceed {km} km?",
               "Lines longer than {km} km: which are they?"],
        "zh": ["请列出长度在{km}公里以上的线路", "哪几条线路长于{km}km？", "超出{km}km的线路有哪些"],
    },
    "count_buses": {
        "en": ["What is the total bus count of this grid?", "Could you tell me how many buses the network contains?",
               "In total, how many buses are modelled?"],
        "zh": ["全网一共有多少条母线？", "请统计一下网络中的母线数量", "该电网包含几条母线"],
    },
    "count_lines": {
        "en": ["What is the total number of lines in this grid?",
               "Could you tell me how many lines the network contains?", "In total, how many lines are modelled?"],
        "zh": ["全网一共有多少条线路？", "请统计一下网络中的线路数量", "该电网包含几条线路"],
    },
    "count_gens": {
        "en": ["What is the total number of generating units?",
               "Could you tell me how many generators the network contains?",
               "In total, how many generators are modelled?"],
        "zh": ["全网一共有多少台发电机？", "请统计一下网络中的发电机数量", "该电网包含几台机组"],
    },
    "count_trafos": {
        "en": ["What is the total transformer count of this grid?",
               "Could you tell me how many transformers the network contains?",
               "In total, how many transformers are modelled?"],
        "zh": ["全网一共有多少台变压器？", "请统计一下网络中的主变数量", "该电网包含几台变压器"],
    },
    "bus_line_count": {
        "en": ["What's the number of circuits terminating at {bus}?", "Could you count how many lines {bus} has?",
               "{bus} has how many lines connected?"],
        "zh": ["{bus}一共接了几条线路？", "请数一下{bus}的出线回数", "连到{bus}上的线路共几回"],
    },
    "path_hops": {
        "en": ["Going from {a} to {b}, how many branches do I cross at least?",
               "What's the minimum number of branches separating {a} and {b}?",
               "Could you tell me how many hops the shortest route from {a} to {b} takes?"],
        "zh": ["从{a}走到{b}最少要经过几条支路？", "{a}与{b}之间至少隔着几条支路", "请问{a}到{b}的最短路径有几段"],
    },
    "path_buses": {
        "en": ["Could you trace the shortest route from {a} to {b} bus by bus?",
               "Going from {a} to {b} the shortest way, which buses do I pass?",
               "List the buses along the shortest path from {a} to {b}, please."],
        "zh": ["请按顺序列出{a}到{b}最短路径上的母线", "从{a}到{b}走最短路径会经过哪些母线？",
               "{a}至{b}的最短通路依次是哪些母线"],
    },
    "trip_lose_supply": {
        "en": ["Suppose {branch} goes out. Which buses are left without power?",
               "Should {branch} be tripped, which buses would be de-energised?",
               "What buses would black out on loss of {branch}?"],
        "zh": ["假设{branch}掉闸，哪些母线会停电？", "万一{branch}跳开了，哪几条母线失去供电？",
               "{branch}一旦断开，会有哪些母线没电"],
    },
    "trip_cut_slack": {
        "en": ["Suppose {branch} goes out. Which buses would be islanded from the slack bus?",
               "Should {branch} trip, which buses would no longer be connected to the slack?",
               "On loss of {branch}, which buses get separated from the reference bus?"],
        "zh": ["假设{branch}掉闸，哪些母线会与平衡节点失去联系？", "万一{branch}跳开，哪几条母线和平衡母线解列？",
               "{branch}断开后，哪些母线不再与平衡节点相连"],
    },
    "adjacent": {
        "en": ["Is there a branch running directly between {a} and {b}?", "Do {a} and {b} share a direct connection?",
               "Could you check whether {a} is tied straight to {b}?"],
        "zh": ["{a}和{b}之间有没有直接相连的支路？", "请确认{a}是否与{b}直接相连", "{an}号和{bn}号母线是不是直接连着的"],
    },
    "has_gen": {
        "en": ["Do we have a generating unit at {bus}?", "Could you check whether a generator sits on {bus}?",
               "Is {bus} one of the generator buses?"],
        "zh": ["{bus}有没有接发电机组？", "请确认{bus}上是否装有发电机", "{bus}是不是发电机母线"],
    },
    "unsupported": {
        "en": ["When was {bus} commissioned?", "Which company maintains {line}?", "How old is {bus}?"],
        "zh": ["{bus}是哪年投运的？", "{line}由哪家公司维护？", "{bus}用了多少年了？"],
    },
}
