"""Tuning family "paraphrase_c": a dispatcher or field engineer on shift, in their own jargon
("base kV", "SOP", "gens", "xfmr", "swing bus", "pls"; 出线几回, 对侧母线, 掉闸, 失压, 挂机组,
麻烦查一下), with "busbar 5" / "bus no. 5" / "bus #5" / "B5" and "5母" / "#5母线" / "5#母线" /
"5号母", "the 5-6 line" / "L5-6" / "the tie between bus 5 and 6" and "5至6号母线间线路" /
"5母-6母线路" / "#5-#6线", "xfmr 5-6" / "T5-6" and "5-6联变" / "5/6主变"."""

MENTIONS = {
    "bus": {"en": ["busbar {n}", "bus no. {n}", "bus #{n}", "B{n}"],
            "zh": ["{n}母", "#{n}母线", "{n}#母线", "{n}号母"]},
    "line": {"en": ["the {a}-{b} line", "L{a}-{b}", "the tie between bus {a} and {b}", "line {a} to {b}"],
             "zh": ["{a}至{b}号母线间线路", "{a}母-{b}母线路", "#{a}-#{b}线"]},
    "trafo": {"en": ["xfmr {a}-{b}", "the {a}/{b} transformer", "T{a}-{b}", "the transformer tying bus {a} and {b}"],
              "zh": ["{a}-{b}联变", "{a}/{b}主变", "{a}母-{b}母间变压器"]},
    "kb": {"en": ["{lower}", '"{name}"'], "zh": ["{name}", "“{name}”"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["What's the base kV of {bus}?", "Need the nominal kV at {bus}, pls.",
               "Check the voltage class of {bus} for me.", "{bus} sits at what kV?"],
        "zh": ["麻烦看下{bus}是几千伏的", "{bus}属于哪个电压等级？", "确认一下{bus}的标称电压", "{bus}是多少kV的母线？"],
    },
    "line_length": {
        "en": ["What's the route length of {line}?", "Pull up the length on {line}.", "{line}: how many km?",
               "Need the conductor length of {line}."],
        "zh": ["{line}全长多少？", "帮我查下{line}的线路长度", "{line}长度是多少千米？", "{line}有几公里长"],
    },
    "trafo_sn": {
        "en": ["What's the nameplate MVA of {trafo}?", "Nameplate rating on {trafo}, pls.",
               "How many MVA is {trafo} rated for?", "Check the rated capacity of {trafo} for me."],
        "zh": ["{trafo}铭牌容量多少？", "{trafo}是多大容量的？", "麻烦查一下{trafo}的额定容量（MVA）", "{trafo}额定容量是几兆伏安"],
    },
    "bus_lines": {
        "en": ["Which circuits are landed on {bus}?", "What are the outgoing lines from {bus}?",
               "Give me every line tied into {bus}.", "{bus}: what lines does it have?"],
        "zh": ["{bus}都挂了哪些线路？", "帮我看看{bus}的出线情况", "{bus}上连着哪几回线？", "请列出{bus}所接的全部线路"],
    },
    "line_buses": {
        "en": ["Where does {line} start and end?", "{line}: from-bus and to-bus?",
               "Tell me the two buses {line} ties together.", "Which busbars sit at either end of {line}?"],
        "zh": ["{line}的首末端母线是哪两条？", "{line}是从哪条母线到哪条母线的？", "帮我看看{line}两头接的是哪两条母线",
               "请问{line}的起点和终点母线"],
    },
    "bus_loads": {
        "en": ["What load is served from {bus}?", "Which consumers are fed by {bus}?", "{bus}: loads connected?",
               "Pls pull the load list for {bus}."],
        "zh": ["{bus}下挂了哪些负荷？", "{bus}供电的用户负荷有哪些", "帮我看看{bus}接的负荷", "{bus}这边带的是哪些负荷？"],
    },
    "gen_bus": {
        "en": ["The unit at {bus} is synchronised onto which bus?", "Gen at {bus}: which bus is it tied to?",
               "Which busbar does the machine at {bus} connect to?"],
        "zh": ["{bus}的机组接入哪条母线？", "{bus}那台机子并网点在哪条母线", "请问{bus}上的发电机组连接在哪条母线"],
    },
    "fault_alarms": {
        "en": ["Which signals come up on {fault}?", "What alarms accompany {fault}?",
               "Pls list the indications for {fault}.", "What would SCADA show for {fault}?"],
        "zh": ["{fault}时会报哪些信号？", "发生{fault}时监控后台会出什么告警", "{fault}的典型告警有哪些",
               "请问{fault}一般伴随哪些告警信号"],
    },
    "fault_procedure": {
        "en": ["What's the SOP for {fault}?", "Walk me through handling {fault}.", "Dispatch procedure for {fault}, pls.",
               "How do we clear {fault}?"],
        "zh": ["{fault}按什么规程处置？", "遇到{fault}调度该怎么处理", "{fault}的处置步骤麻烦给一下", "出现{fault}，处理流程是什么？"],
    },
    "alarm_faults": {
        "en": ["Got {alarm} on the board, what faults could be behind it?", "{alarm} came in: likely faults?",
               "Which faults trigger {alarm}?", "What fault does {alarm} usually point to?"],
        "zh": ["后台报{alarm}，可能是什么故障？", "{alarm}一般是什么故障引起的", "出了{alarm}，要考虑哪些故障？",
               "请问{alarm}可能对应哪些故障类型"],
    },
    "bus_neighbours": {
        "en": ["Which buses does {bus} tie to directly?", "What buses are one hop from {bus}?",
               "Adjacent busbars to {bus}, pls.", "{bus}: directly connected buses?"],
        "zh": ["{bus}的对侧母线有哪些？", "跟{bus}有直接电气连接的母线", "帮我看看{bus}周边直连哪些母线",
               "与{bus}直接联络的母线是哪几条？"],
    },
    "gen_buses": {
        "en": ["Which buses have gens on them?", "Where are the generating units tied in?", "Gen buses, pls.",
               "What buses are the units connected at?"],
        "zh": ["机组都并在哪几条母线上？", "哪几条母线上挂有发电机？", "帮我列一下带机组的母线", "请问接有发电机组的母线有哪些"],
    },
    "buses_at_kv": {
        "en": ["Which busbars are {kv}kV?", "Pls list all the {kv} kV busbars.", "What buses sit on the {kv}kV system?",
               "Give me the buses rated {kv} kilovolts."],
        "zh": ["{kv}千伏电压等级有哪些母线？", "帮我看看哪些母线是{kv}KV的", "{kv}kV系统的母线都列一下", "请问额定{kv} kV的母线有哪些"],
    },
    "lines_longer": {
        "en": ["Which circuits run longer than {km}km?", "Pls list lines with length over {km} km.",
               "Any lines longer than {km} kilometres? Which ones?", "Lines exceeding {km}km, pls."],
        "zh": ["线路长度在{km}公里以上的有哪些？", "帮我筛一下长度超过{km} km的线路", "哪几条线长于{km}千米？",
               "请列出全长大于{km}km的线路"],
    },
    "count_buses": {
        "en": ["How many busbars in the model?", "Total bus count in this case?", "Quick one: how many buses have we got?",
               "Pls give me the number of buses in the system."],
        "zh": ["系统里一共几条母线？", "这个模型母线有多少条", "麻烦统计一下全网母线条数", "请问本网共计多少条母线？"],
    },
    "count_lines": {
        "en": ["How many lines in the model?", "Total line count in this case?", "Quick one: how many lines have we got?",
               "Pls give me the number of lines in the system."],
        "zh": ["系统里一共几条线路？", "这个模型线路有多少条", "麻烦统计一下全网线路条数", "请问本网共计多少回线路？"],
    },
    "count_gens": {
        "en": ["How many gens in the model?", "Total generator count in this case?", "Quick one: how many units have we got?",
               "Pls give me the number of generators in the system."],
        "zh": ["系统里一共几台机组？", "这个模型发电机有多少台", "麻烦统计一下全网发电机台数", "请问本网共计多少台发电机？"],
    },
    "count_trafos": {
        "en": ["How many xfmrs in the model?", "Total transformer count in this case?",
               "Quick one: how many transformers have we got?", "Pls give me the number of transformers in the system."],
        "zh": ["系统里一共几台主变？", "这个模型变压器有多少台", "麻烦统计一下全网变压器台数", "请问本网共计多少台变压器？"],
    },
    "bus_line_count": {
        "en": ["How many circuits land on {bus}?", "{bus}: number of lines connected?", "Pls count the lines tied into {bus}.",
               "How many outgoing lines on {bus}?"],
        "zh": ["{bus}出线几回？", "{bus}上挂了几条线？", "帮我数一下{bus}所接线路的条数", "请问{bus}共有多少回线路"],
    },
    "path_hops": {
        "en": ["Min number of branches between {a} and {b}?", "How many hops from {a} over to {b}, shortest route?",
               "Shortest electrical path {a} to {b}: how many branches?",
               "Pls give me the branch count on the shortest path between {a} and {b}."],
        "zh": ["{a}和{b}之间最短隔了几条支路？", "从{a}走到{b}，最短路径上有几条支路", "帮我算一下{a}至{b}最短路径的跳数",
               "请问{a}与{b}间最短路径包含多少条支路"],
    },
    "path_buses": {
        "en": ["Route from {a} to {b}, shortest, which buses?", "Which buses would the shortest path from {a} to {b} go through?",
               "Pls trace {a} to {b} via the fewest branches.", "Give me the bus sequence on the shortest path between {a} and {b}."],
        "zh": ["{a}到{b}最短走哪几条母线？", "从{a}到{b}的最短路径依次经过哪些母线", "帮我查一下{a}至{b}的最短路径",
               "请给出{a}与{b}之间的最短路径"],
    },
    "trip_lose_supply": {
        "en": ["If {branch} goes out, which buses end up de-energised?",
               "{branch} opens on a fault, which buses are left without power?",
               "Pls check which buses black out on loss of {branch}.", "Trip of {branch}: which buses would be dead?"],
        "zh": ["{branch}要是跳了，哪些母线会失压？", "假如{branch}掉闸，哪几条母线会停电", "帮我看看{branch}跳闸后哪些母线没电",
               "{branch}故障退出，会造成哪些母线失电？"],
    },
    "trip_cut_slack": {
        "en": ["If {branch} goes out, which buses get islanded from the slack?",
               "{branch} trips, which buses lose their path to the swing bus?",
               "Pls check which buses are disconnected from the reference bus if {branch} opens.",
               "Trip of {branch}: which buses no longer see the slack?"],
        "zh": ["{branch}要是跳了，哪些母线与平衡节点失去联系？", "假如{branch}掉闸，哪几条母线跟平衡母线断开",
               "帮我看看{branch}跳闸后哪些母线脱离了平衡节点", "{branch}故障退出，哪些母线和松弛节点不再连通？"],
    },
    "adjacent": {
        "en": ["Is there a branch straight from {a} to {b}?", "{a} and {b}: tied directly or not?",
               "Do {a} and {b} share a branch?", "Pls confirm whether {a} connects directly to {b}."],
        "zh": ["{a}和{b}之间有没有直接联络？", "{a}跟{b}是不是一条支路直连的", "帮我确认下{a}与{b}有无直接连接",
               "{a}、{b}之间直接有支路吗？"],
    },
    "has_gen": {
        "en": ["Any units on {bus}?", "Is {bus} carrying a generator?", "Pls check if there's a gen at {bus}.",
               "Is a generating unit tied in at {bus}?"],
        "zh": ["{bus}上挂机组了没有？", "{bus}有没有接发电机组", "帮我看看{bus}下有无发电机", "请问{bus}是否带有发电机？"],
    },
    "unsupported": {
        "en": ["When was {bus} commissioned?", "Who maintains {line}?", "Which crew patrols {line}?",
               "Who's the duty operator at {bus}?"],
        "zh": ["{bus}哪年投运的？", "{line}归哪个运维班组管？", "{line}上次巡线是什么时候", "{bus}的值班员是谁？"],
    },
}
