"""Tuning family "paraphrase_k": Chinese dispatch-centre written requests and shift-handover
notes -- formal requests with context clauses ("请核实…", "烦请告知…", "根据当前运行方式，…",
"值班员询问：…", "【查询】…", "交接班时请说明…"), "该"-references back to an object named
earlier, targets stated as "…情况"; plus a few formal English requests."""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "Bus {n}", "bus No. {n}", "busbar {n}"],
        "zh": ["{n}号母线", "{n}#母线", "母线{n}", "第{n}号母线", "{n}母"],
    },
    "line": {
        "en": ["line {a}-{b}", "the {a}-{b} line", "the line between bus {a} and bus {b}"],
        "zh": ["{a}-{b}线", "{a}号与{b}号母线间线路", "{a}母-{b}母联络线", "线路{a}-{b}"],
    },
    "trafo": {
        "en": ["transformer {a}-{b}", "the {a}-{b} transformer",
               "the transformer between bus {a} and bus {b}"],
        "zh": ["{a}-{b}主变", "{a}号与{b}号母线间的变压器", "变压器{a}-{b}"],
    },
    "kb": {
        "en": ["{lower}", "{name}", "\"{name}\""],
        "zh": ["{name}", "“{name}”", "【{name}】"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "zh": [
            "请核实{bus}的额定电压等级。",
            "烦请告知{bus}的电压等级（kV）。",
            "根据当前运行方式，{bus}的额定电压为多少千伏？",
            "值班员询问：{bus}属于哪一电压等级？",
            "【查询】{bus}额定电压",
            "交接班时请说明{bus}的额定电压情况。",
            "现需了解{bus}的标称电压，请问为多少kV？",
            "经查{bus}已投运，请问该母线额定电压是多少？",
        ],
        "en": [
            "Kindly confirm the rated voltage (kV) of {bus}.",
            "Please advise the nominal voltage level of {bus}.",
            "For the handover, state the rated kV of {bus}.",
        ],
    },
    "line_length": {
        "zh": [
            "请核实{line}的线路长度。",
            "烦请告知{line}全长多少公里。",
            "根据线路台账，{line}长度为多少千米？",
            "值班员询问：{line}的长度是多少km？",
            "【查询】{line}线路长度",
            "交接班时请说明{line}的长度情况。",
            "{line}目前在运，该线路长度是多少公里？",
            "现需了解{line}的长度，请予答复。",
        ],
        "en": [
            "Kindly confirm the length of {line} in km.",
            "Please advise how long {line} is (km).",
            "For the handover, state the length of {line}.",
        ],
    },
    "trafo_sn": {
        "zh": [
            "请核实{trafo}的额定容量。",
            "烦请告知{trafo}的容量为多少MVA。",
            "根据当前运行方式，{trafo}额定容量是多少兆伏安？",
            "值班员询问：{trafo}容量多大？",
            "【查询】{trafo}额定容量（MVA）",
            "交接班时请说明{trafo}的容量情况。",
            "{trafo}正在运行，该变压器的额定容量是多少？",
            "现需了解{trafo}的铭牌容量，请告知。",
        ],
        "en": [
            "Kindly confirm the rated capacity (MVA) of {trafo}.",
            "Please advise the MVA rating of {trafo}.",
            "For the handover, state the rated power of {trafo} in MVA.",
        ],
    },
    "bus_lines": {
        "zh": [
            "{bus}目前运行中，该母线所接的线路有哪些？",
            "请确认{bus}所连接的全部线路。",
            "烦请告知{bus}上接有哪些线路。",
            "根据当前运行方式，{bus}出线有哪些？",
            "值班员询问：与{bus}相连的线路是哪几条？",
            "【查询】{bus}所连线路清单",
            "交接班时请说明{bus}的线路接入情况。",
            "现需了解{bus}上挂接的线路，请列出。",
        ],
        "en": [
            "Kindly confirm which lines are connected to {bus}.",
            "Please advise the lines terminating at {bus}.",
            "For the handover, list the lines connected to {bus}.",
        ],
    },
    "line_buses": {
        "zh": [
            "请核实{line}两端所连接的母线。",
            "烦请告知{line}连接哪两条母线。",
            "{line}目前在运，该线路的起止母线是哪些？",
            "值班员询问：{line}接于哪些母线之间？",
            "【查询】{line}两侧母线",
            "交接班时请说明{line}的端点母线情况。",
            "现需了解{line}所连母线，请予确认。",
        ],
        "en": [
            "Kindly confirm which buses {line} connects.",
            "Please advise the terminal buses of {line}.",
            "For the handover, state the buses at either end of {line}.",
        ],
    },
    "bus_loads": {
        "zh": [
            "请说明{bus}的负荷接入情况。",
            "请确认{bus}所供负荷有哪些。",
            "烦请告知{bus}上接有哪些负荷？",
            "根据当前运行方式，{bus}带哪些负荷？",
            "值班员询问：由{bus}供电的负荷是哪些？",
            "【查询】{bus}所带负荷",
            "{bus}目前运行中，该母线所带负荷有哪些？",
            "交接班时请说明{bus}所带负荷。",
        ],
        "en": [
            "Kindly confirm which loads are supplied from {bus}.",
            "Please advise the loads connected at {bus}.",
            "For the handover, state the loads fed by {bus}.",
        ],
    },
    "gen_bus": {
        "zh": [
            "请核实{bus}处发电机所接入的母线。",
            "烦请告知{bus}上的发电机接于哪条母线。",
            "{bus}处有机组运行，该机组并网于哪一母线？",
            "值班员询问：{bus}处发电机的接入母线是哪条？",
            "【查询】{bus}发电机并网母线",
            "交接班时请说明{bus}处发电机的接入母线情况。",
        ],
        "en": [
            "Kindly confirm the bus to which the generator at {bus} is connected.",
            "Please advise which bus the generator at {bus} connects to.",
        ],
    },
    "fault_alarms": {
        "zh": [
            "请确认发生{fault}时会触发哪些告警。",
            "烦请告知{fault}对应的告警信号。",
            "值班员询问：{fault}会引起哪些告警？",
            "【查询】{fault}相关告警",
            "交接班时请说明{fault}的告警情况。",
            "如发生{fault}，监控系统将报出哪些告警？请核实。",
            "现需了解{fault}所产生的告警信息。",
        ],
        "en": [
            "Kindly confirm which alarms are raised by {fault}.",
            "Please advise the alarms associated with {fault}.",
            "For the handover, state the alarms that {fault} triggers.",
        ],
    },
    "fault_procedure": {
        "zh": [
            "请说明{fault}的处置流程。",
            "烦请告知发生{fault}后应如何处理。",
            "值班员询问：{fault}的处理步骤是什么？",
            "【查询】{fault}处置方法",
            "交接班时请说明{fault}的处理要点。",
            "如遇{fault}，现场应采取哪些措施？请确认。",
            "现需了解{fault}的应急处置方案。",
        ],
        "en": [
            "Kindly advise the procedure for handling {fault}.",
            "Please advise how {fault} should be dealt with.",
            "For the handover, state the response steps for {fault}.",
        ],
    },
    "alarm_faults": {
        "zh": [
            "请核实{alarm}可能对应哪些故障。",
            "烦请告知出现{alarm}时可能的故障原因。",
            "值班员询问：{alarm}提示的是哪类故障？",
            "【查询】{alarm}对应故障",
            "经查监控出现{alarm}，请问可能是何种故障？",
            "交接班时请说明{alarm}可能指示的故障情况。",
            "现需了解{alarm}所反映的故障类型。",
        ],
        "en": [
            "Kindly confirm which faults {alarm} may indicate.",
            "Please advise the possible faults behind {alarm}.",
            "For the handover, state what faults {alarm} can point to.",
        ],
    },
    "bus_neighbours": {
        "zh": [
            "请确认与{bus}直接相连的母线有哪些。",
            "{bus}目前运行中，该母线的相邻母线是哪些？",
            "烦请告知经线路或变压器与{bus}直接相连的母线。",
            "根据当前运行方式，{bus}的相邻母线有哪些？",
            "值班员询问：与{bus}直接联络的母线是哪几条？",
            "【查询】{bus}相邻母线",
            "交接班时请说明{bus}的相邻母线情况。",
        ],
        "en": [
            "Kindly confirm which buses are directly connected to {bus}.",
            "Please advise the neighbouring buses of {bus}.",
            "For the handover, list the buses adjacent to {bus}.",
        ],
    },
    "gen_buses": {
        "zh": [
            "请核实接有发电机的母线有哪些。",
            "烦请告知哪些母线上有发电机。",
            "根据当前运行方式，机组分别接于哪些母线？",
            "值班员询问：装有发电机的母线是哪几条？",
            "【查询】有发电机接入的母线清单",
            "交接班时请说明哪些母线接有发电机。",
            "现需了解全网有机组并网的母线，请列出。",
        ],
        "en": [
            "Kindly confirm which buses have generators connected.",
            "Please advise the buses at which generators are installed.",
            "For the handover, list the buses with generation.",
        ],
    },
    "buses_at_kv": {
        "zh": [
            "请核实{kv}kV电压等级的母线有哪些。",
            "烦请告知额定电压为{kv}千伏的母线。",
            "根据当前运行方式，{kv}kV母线分别是哪些？",
            "值班员询问：电压等级为{kv}kV的母线是哪些？",
            "【查询】{kv}kV母线清单",
            "交接班时请列明{kv}千伏电压等级的全部母线。",
            "现需了解全网{kv}kV的母线，请列出。",
        ],
        "en": [
            "Kindly confirm which buses are rated at {kv} kV.",
            "Please advise the list of {kv} kV buses.",
            "For the handover, list all buses at the {kv} kV level.",
        ],
    },
    "lines_longer": {
        "zh": [
            "请核实长度超过{km}公里的线路有哪些。",
            "烦请告知全长大于{km}km的线路。",
            "根据线路台账，长于{km}千米的线路有哪些？",
            "值班员询问：哪些线路长度超过{km}km？",
            "【查询】长度大于{km}km的线路",
            "交接班时请列明长度超过{km}公里的线路。",
            "现需了解长度超过{km}公里的线路，请列出。",
        ],
        "en": [
            "Kindly confirm which lines are longer than {km} km.",
            "Please advise the lines exceeding {km} km in length.",
            "For the handover, list the lines with a length above {km} km.",
        ],
    },
    "count_buses": {
        "zh": [
            "请核实全网母线总数。",
            "烦请告知系统中共有多少条母线。",
            "根据当前运行方式，电网母线数量是多少？",
            "值班员询问：本网共有几条母线？",
            "【查询】母线数量",
            "交接班时请说明全网母线的数量情况。",
            "现需了解电网母线总数，请予确认。",
        ],
        "en": [
            "Kindly confirm the total number of buses in the grid.",
            "Please advise how many buses the network has.",
            "For the handover, state the bus count of the system.",
        ],
    },
    "count_lines": {
        "zh": [
            "请核实全网线路总数。",
            "烦请告知系统中共有多少条线路。",
            "根据当前运行方式，电网线路条数是多少？",
            "值班员询问：本网共有几条线路？",
            "【查询】线路数量",
            "交接班时请说明全网线路的数量情况。",
            "现需了解电网线路总条数，请予确认。",
        ],
        "en": [
            "Kindly confirm the total number of lines in the grid.",
            "Please advise how many lines the network has.",
            "For the handover, state the line count of the system.",
        ],
    },
    "count_gens": {
        "zh": [
            "请核实全网发电机总台数。",
            "烦请告知系统中共有多少台发电机。",
            "根据当前运行方式，电网机组数量是多少？",
            "值班员询问：本网共有几台发电机？",
            "【查询】发电机台数",
            "交接班时请说明全网发电机的数量情况。",
            "现需了解电网发电机组总数，请予确认。",
        ],
        "en": [
            "Kindly confirm the total number of generators in the grid.",
            "Please advise how many generators the network has.",
            "For the handover, state the generator count of the system.",
        ],
    },
    "count_trafos": {
        "zh": [
            "请核实全网变压器总台数。",
            "烦请告知系统中共有多少台变压器。",
            "根据当前运行方式，电网主变数量是多少？",
            "值班员询问：本网共有几台变压器？",
            "【查询】变压器台数",
            "交接班时请说明全网变压器的数量情况。",
            "现需了解电网变压器总数，请予确认。",
        ],
        "en": [
            "Kindly confirm the total number of transformers in the grid.",
            "Please advise how many transformers the network has.",
            "For the handover, state the transformer count of the system.",
        ],
    },
    "bus_line_count": {
        "zh": [
            "请核实{bus}所接线路的条数。",
            "烦请告知{bus}共连接多少条线路。",
            "{bus}目前运行中，该母线接有几条线路？",
            "值班员询问：{bus}出线数量是多少？",
            "【查询】{bus}所连线路数量",
            "交接班时请说明{bus}的出线条数。",
            "现需了解与{bus}相连的线路共几条。",
        ],
        "en": [
            "Kindly confirm how many lines are connected to {bus}.",
            "Please advise the number of lines at {bus}.",
            "For the handover, state the line count of {bus}.",
        ],
    },
    "path_hops": {
        "zh": [
            "请核实{a}至{b}最短路径所经支路数。",
            "烦请告知从{a}到{b}最少需经过几条支路。",
            "根据当前运行方式，{a}与{b}之间最短路径共几跳？",
            "值班员询问：{a}到{b}的最短电气路径包含几条支路？",
            "【查询】{a}至{b}最短路径跳数",
            "交接班时请说明{a}至{b}最短路径的支路数。",
            "现需了解{a}与{b}间最短路径的跳数，请予确认。",
        ],
        "en": [
            "Kindly confirm the number of branches on the shortest path from {a} to {b}.",
            "Please advise how many hops separate {a} and {b} along the shortest path.",
            "For the handover, state the hop count of the shortest path between {a} and {b}.",
        ],
    },
    "path_buses": {
        "zh": [
            "请核实{a}至{b}最短路径所经过的母线。",
            "烦请告知从{a}到{b}的最短路径依次经过哪些母线。",
            "根据当前运行方式，{a}与{b}之间的最短路径途经哪些母线？",
            "值班员询问：{a}到{b}最短路径上有哪些母线？",
            "【查询】{a}至{b}最短路径母线序列",
            "交接班时请说明{a}至{b}最短路径的途经母线情况。",
            "现需了解{a}与{b}间最短路径所含母线，请列出。",
        ],
        "en": [
            "Kindly confirm the buses along the shortest path from {a} to {b}.",
            "Please advise which buses the shortest route between {a} and {b} passes through.",
            "For the handover, list the buses on the shortest path from {a} to {b}.",
        ],
    },
    "trip_lose_supply": {
        "zh": [
            "请核实若{branch}跳闸，哪些母线将失去供电。",
            "烦请告知{branch}跳开后失电的母线。",
            "根据当前运行方式，如{branch}故障跳闸，哪些母线会失电？",
            "值班员询问：{branch}跳闸后哪些母线停电？",
            "【查询】{branch}跳闸失电母线",
            "交接班时请说明{branch}跳闸后的母线失电情况。",
            "假设{branch}跳闸，现需了解将失去供电的母线，请列出。",
        ],
        "en": [
            "Kindly confirm which buses would lose supply if {branch} trips.",
            "Please advise the buses left de-energised should {branch} trip.",
            "For the handover, state which buses lose supply on a trip of {branch}.",
        ],
    },
    "trip_cut_slack": {
        "zh": [
            "请核实若{branch}跳闸，哪些母线将与平衡节点失去联系。",
            "烦请告知{branch}跳开后与平衡母线断开的母线。",
            "根据当前运行方式，如{branch}跳闸，哪些母线将脱离平衡节点？",
            "值班员询问：{branch}跳闸后哪些母线与参考母线不再连通？",
            "【查询】{branch}跳闸后与平衡节点解列的母线",
            "交接班时请说明{branch}跳闸后与平衡母线隔离的母线情况。",
            "假设{branch}断开，现需了解无法连通平衡节点的母线，请列出。",
        ],
        "en": [
            "Kindly confirm which buses would be cut off from the slack bus if {branch} trips.",
            "Please advise the buses separated from the reference bus should {branch} trip.",
            "For the handover, state which buses lose connection to the balance bus on a trip of {branch}.",
        ],
    },
    "adjacent": {
        "zh": [
            "请确认{a}与{b}之间是否有直接相连的支路。",
            "烦请核实{a}和{b}是否直接相连。",
            "根据当前运行方式，{a}与{b}是否经一条线路或变压器直接连接？",
            "值班员询问：{a}与{b}是否相邻？",
            "【查询】{a}与{b}是否直连",
            "交接班时请说明{a}与{b}之间是否存在直接联络。",
            "现需了解{a}与{b}是否直接相连，请答复是或否。",
        ],
        "en": [
            "Kindly confirm whether {a} and {b} are directly connected by a single branch.",
            "Please advise if {a} is adjacent to {b}.",
            "For the handover, state whether there is a direct branch between {a} and {b}.",
        ],
    },
    "has_gen": {
        "zh": [
            "请确认{bus}是否接有发电机。",
            "烦请核实{bus}上有无发电机组。",
            "根据当前运行方式，{bus}是否有机组接入？",
            "值班员询问：{bus}有没有发电机？",
            "【查询】{bus}是否有发电机",
            "交接班时请说明{bus}是否接有发电机。",
            "{bus}目前运行中，该母线是否带有发电机？",
        ],
        "en": [
            "Kindly confirm whether {bus} has a generator.",
            "Please advise if any generator is connected at {bus}.",
            "For the handover, state whether {bus} has generation connected.",
        ],
    },
    "unsupported": {
        "zh": [
            "请核实{bus}的产权单位。",
            "烦请告知{line}的生产厂家。",
            "值班员询问：{line}本周由哪位巡视人员负责？",
            "【查询】{bus}上次检修日期",
            "交接班时请说明{line}的建设造价。",
            "现需了解{line}沿线今日天气情况。",
            "{bus}目前运行中，该母线的运维班组负责人是谁？",
        ],
        "en": [
            "Kindly confirm the owner of {bus}.",
            "Please advise the manufacturer of {line}.",
            "For the handover, state when {bus} was last maintained.",
        ],
    },
}
