"""Tuning family "paraphrase_g": Chinese engineering students, planning engineers and managers
who learned power systems from textbooks (电力系统分析) and ask in written, sometimes
long-winded, sometimes academic Chinese. They speak of 节点/母线/支路/线路/变压器/发电机组/
平衡节点/PV节点, of 拓扑结构, 邻接, 最短路径, 跳数, N-1 开断, 失去电源 and 孤岛; they open with
试问/请列出/求/已知…问…, add context such as "在本算例中" or "对于IEEE标准系统", push the object
deep into the sentence, and freely mix English terms ("bus 5", "slack bus", "N-1") into Chinese.
Their English is the same academic register: "Determine…", "Enumerate…", "What is the
cardinality of…". Written apart from the other families, without reading them.
"""

MENTIONS = {
    "bus": {
        "en": ["bus {n}", "Bus {n}", "node {n}", "bus no. {n}", "B{n}"],
        "zh": ["节点{n}", "{n}号节点", "母线{n}", "第{n}号母线", "{n}号母线节点", "bus {n}", "B{n}",
               "{n}号母线"],
    },
    "line": {
        "en": ["line {a}-{b}", "branch {a}-{b}", "the line between bus {a} and bus {b}",
               "line {a}–{b}", "the transmission line connecting nodes {a} and {b}"],
        "zh": ["支路{a}-{b}", "线路{a}–{b}", "节点{a}与节点{b}之间的线路", "{a}号、{b}号节点间的输电线路",
               "以{a}号和{b}号母线为端点的线路", "线路{a}-{b}"],
    },
    "trafo": {
        "en": ["transformer {a}-{b}", "the transformer between bus {a} and bus {b}",
               "transformer branch {a}–{b}", "the {a}-{b} transformer"],
        "zh": ["变压器支路{a}-{b}", "节点{a}与{b}之间的变压器", "{a}–{b}变压器", "接于{a}号与{b}号母线之间的变压器",
               "变压器{a}-{b}"],
    },
    "kb": {
        "en": ["{lower}", "\"{name}\"", "'{lower}'"],
        "zh": ["{name}", "“{name}”", "「{name}」", "‘{name}’"],
    },
}

TEMPLATES = {
    "bus_kv": {
        "en": [
            "Determine the nominal voltage level, in kV, of {bus}.",
            "What is the rated voltage of {bus} in the given test system?",
            "In this case study, at which voltage level (kV) does {bus} operate?",
        ],
        "zh": [
            "试问{bus}的额定电压是多少千伏？",
            "在本算例中，{bus}所属的电压等级为多少kV？",
            "请给出{bus}的标称电压。",
            "{bus}的基准电压等级是多少？",
            "对于IEEE标准系统，{bus}运行在哪一电压等级？",
            "求{bus}的额定电压值（单位kV）。",
            "已知系统中含有{bus}，问该母线的电压等级为多少千伏？",
        ],
    },
    "line_length": {
        "en": [
            "Determine the length, in kilometres, of {line}.",
            "What is the total route length of {line}?",
            "How long, in km, is {line} in this network model?",
        ],
        "zh": [
            "试问{line}的长度为多少公里？",
            "请给出{line}的线路长度（km）。",
            "在本算例中，{line}全长多少千米？",
            "求{line}的长度。",
            "{line}的输电距离是多少km？",
            "已知{line}为架空线路，问其长度为多少公里？",
            "对于该系统，{line}有多长？",
        ],
    },
    "trafo_sn": {
        "en": [
            "Determine the rated apparent power, in MVA, of {trafo}.",
            "What is the nominal capacity of {trafo}?",
            "State the MVA rating of {trafo} in this system.",
        ],
        "zh": [
            "试问{trafo}的额定容量是多少MVA？",
            "请给出{trafo}的额定视在功率。",
            "在本算例中，{trafo}的容量为多少兆伏安？",
            "求{trafo}的额定容量。",
            "{trafo}的铭牌容量是多少？",
            "已知系统中装设有{trafo}，问其额定容量为多少MVA？",
            "对于IEEE标准系统，{trafo}的额定值（容量）为多少？",
        ],
    },
    "bus_lines": {
        "en": [
            "List all transmission lines that terminate at {bus}.",
            "Enumerate the lines incident to {bus} in the network topology.",
            "Which lines are connected to {bus}?",
        ],
        "zh": [
            "请列出与{bus}相连的全部线路。",
            "试问以{bus}为端点的线路有哪几条？",
            "在本算例的拓扑结构中，接于{bus}的输电线路分别是什么？",
            "{bus}上连接了哪些线路？",
            "求与{bus}直接相连的所有线路。",
            "对于IEEE标准系统，从{bus}出线的线路有哪几条？",
            "已知{bus}为一个网络节点，问与之关联的线路分别是哪些？",
        ],
    },
    "line_buses": {
        "en": [
            "Determine the two terminal buses of {line}.",
            "Between which buses does {line} run?",
            "Which buses does {line} connect?",
        ],
        "zh": [
            "试问{line}连接了哪两个母线节点？",
            "请给出{line}两端所接的母线。",
            "{line}的首末端节点分别是什么？",
            "在本算例中，{line}跨接在哪两条母线之间？",
            "求{line}的两个端点母线。",
            "{line}连接的是哪几个母线节点？",
            "已知{line}为系统中的一条支路，问其起止节点分别是哪两个？",
        ],
    },
    "bus_loads": {
        "en": [
            "List all loads connected to {bus}.",
            "Which loads are supplied from {bus} in this test case?",
            "Enumerate the load components attached to {bus}.",
        ],
        "zh": [
            "试问{bus}上接入了哪些负荷？",
            "请列出由{bus}供电的全部负荷。",
            "在本算例中，{bus}所带的负荷分别是什么？",
            "{bus}上挂接的负荷有哪几个？",
            "求接于{bus}的所有负荷。",
            "对于IEEE标准系统，连接在{bus}上的负荷有哪些？",
            "已知{bus}为负荷节点，问该节点上接有哪些负荷？",
        ],
    },
    "gen_bus": {
        "en": [
            "The generator at {bus}: to which bus is it connected?",
            "Determine the bus to which the generating unit at {bus} is connected.",
            "Which bus does the generator located at {bus} feed into?",
        ],
        "zh": [
            "{bus}处的发电机组接在哪条母线上？",
            "试问装设于{bus}的发电机连接到哪一个节点？",
            "请指出{bus}上的发电机所接入的母线。",
            "在本算例中，位于{bus}的电源接于哪个母线节点？",
            "{bus}的发电机组并网于哪条母线？",
            "已知{bus}装有发电机，问该机组连接的是哪一条母线？",
        ],
    },
    "fault_alarms": {
        "en": [
            "Which alarms are raised when {fault} occurs?",
            "List all alarm signals triggered by {fault}.",
            "Enumerate the alarms associated with the occurrence of {fault}.",
        ],
        "zh": [
            "试问发生{fault}时会产生哪些告警？",
            "请列出{fault}所触发的全部告警信号。",
            "{fault}会引起哪几种告警？",
            "出现{fault}后，监控系统会发出哪些告警信息？",
            "求{fault}对应的告警。",
            "已知系统发生了{fault}，问会出现哪些告警？",
            "与{fault}相关联的告警分别是什么？",
        ],
    },
    "fault_procedure": {
        "en": [
            "What is the prescribed handling procedure for {fault}?",
            "Describe the steps to be taken when {fault} occurs.",
            "Determine the standard operating procedure for dealing with {fault}.",
        ],
        "zh": [
            "试问{fault}的处理流程是什么？",
            "发生{fault}时应当如何处置？",
            "请给出{fault}的处理步骤。",
            "{fault}的标准处置程序是怎样的？",
            "已知系统出现了{fault}，问运行人员应按何种程序处理？",
            "针对{fault}，规定的处理方法有哪些步骤？",
            "对于{fault}，应采取怎样的处理措施？",
        ],
    },
    "alarm_faults": {
        "en": [
            "Which faults may be indicated by {alarm}?",
            "Enumerate the possible faults that could give rise to {alarm}.",
            "Determine the candidate faults behind the alarm {alarm}.",
        ],
        "zh": [
            "试问出现{alarm}信号时，可能对应哪些故障？",
            "出现{alarm}时，可能是发生了哪几种故障？",
            "请列出可能引起{alarm}的全部故障。",
            "{alarm}这一告警说明系统可能存在哪些故障？",
            "已知监控系统发出{alarm}，问可能的故障原因有哪些？",
            "求与{alarm}相对应的故障类型。",
            "告警信号{alarm}所指示的故障分别是什么？",
        ],
    },
    "bus_neighbours": {
        "en": [
            "List all buses adjacent to {bus}.",
            "Which buses are directly connected to {bus} via a single line or transformer?",
            "Enumerate the neighbouring nodes of {bus} in the network graph.",
        ],
        "zh": [
            "请列出与{bus}相邻的母线。",
            "试问与{bus}直接相连的节点有哪几个？",
            "在本算例的拓扑结构中，{bus}的邻接节点分别是什么？",
            "通过一条支路即可与{bus}相连的母线有哪些？",
            "求{bus}的全部相邻母线节点。",
            "对于IEEE标准系统，与{bus}之间有直接支路连接的母线有哪些？",
            "已知{bus}，问经由线路或变压器与其直接相连的节点分别是哪些？",
        ],
    },
    "gen_buses": {
        "en": [
            "List all buses at which generators are installed.",
            "Which buses in this test system have a generating unit connected?",
            "Enumerate the generator buses of the network.",
        ],
        "zh": [
            "哪些母线装设有发电机？",
            "请列出本算例中接有发电机组的全部母线。",
            "试问系统中有哪几个节点接入了电源？",
            "在该网络中，发电机分别接在哪些母线上？",
            "求所有装有发电机组的母线节点。",
            "对于IEEE标准系统，带有发电机的节点分别是什么？",
            "系统中有发电机接入的母线分别是哪几条？",
        ],
    },
    "buses_at_kv": {
        "en": [
            "List all buses whose nominal voltage is {kv} kV.",
            "Which buses operate at the {kv} kV voltage level?",
            "Enumerate the {kv} kV buses in this network.",
        ],
        "zh": [
            "请列出电压等级为{kv}kV的母线。",
            "试问额定电压为{kv}千伏的节点有哪几个？",
            "在本算例中，属于{kv}kV电压等级的母线分别是什么？",
            "系统中有哪些{kv}kV母线？",
            "求标称电压等于{kv}kV的全部母线节点。",
            "已知系统包含多个电压等级，问{kv}千伏电压等级下有哪些母线？",
            "对于IEEE标准系统，运行在{kv}kV的节点有哪些？",
        ],
    },
    "lines_longer": {
        "en": [
            "List all lines longer than {km} km.",
            "Which transmission lines exceed {km} km in length?",
            "Enumerate the lines whose length is greater than {km} kilometres.",
        ],
        "zh": [
            "请列出长度大于{km}公里的线路。",
            "试问长度超过{km}km的输电线路有哪几条？",
            "在本算例中，线路长度在{km}千米以上的支路分别是什么？",
            "系统中哪些线路的长度超过{km}km？",
            "求所有长度大于{km}km的线路。",
            "已知规划中关注长距离输电，问长度超过{km}公里的线路有哪些？",
            "对于该网络，请找出长度大于{km}km的所有线路。",
        ],
    },
    "count_buses": {
        "en": [
            "How many buses does this test system contain?",
            "What is the cardinality of the bus set of the network?",
            "Determine the total number of buses in the grid model.",
        ],
        "zh": [
            "试问本系统共有多少个母线？",
            "该电网模型中节点的数量为多少？",
            "请统计系统中母线节点的总数。",
            "在本算例中，母线共计多少条？",
            "求网络中母线的个数。",
            "对于IEEE标准系统，一共包含多少个节点（母线）？",
        ],
    },
    "count_lines": {
        "en": [
            "How many transmission lines does the network contain?",
            "Determine the total number of lines in this test system.",
            "What is the cardinality of the set of lines in the grid?",
        ],
        "zh": [
            "试问系统中共有多少条线路？",
            "该电网中输电线路的数量为多少？",
            "请统计本算例中线路的总条数。",
            "在本算例中，线路共计多少条？",
            "求网络中输电线路的条数。",
            "对于IEEE标准系统，一共有多少条线路？",
        ],
    },
    "count_gens": {
        "en": [
            "How many generators are there in this test system?",
            "Determine the total number of generating units in the network.",
            "What is the cardinality of the generator set of the grid?",
        ],
        "zh": [
            "试问系统中共有多少台发电机？",
            "该电网中发电机组的数量为多少？",
            "请统计本算例中发电机的总台数。",
            "在本算例中，发电机组共计多少台？",
            "求网络中发电机的台数。",
            "对于IEEE标准系统，一共装有多少台发电机组？",
        ],
    },
    "count_trafos": {
        "en": [
            "How many transformers does this test system contain?",
            "Determine the total number of transformers in the network.",
            "What is the cardinality of the transformer set of the grid?",
        ],
        "zh": [
            "试问系统中共有多少台变压器？",
            "该电网中变压器的数量为多少？",
            "请统计本算例中变压器的总台数。",
            "在本算例中，变压器共计多少台？",
            "求网络中变压器支路的条数。",
            "对于IEEE标准系统，一共包含多少台变压器？",
        ],
    },
    "bus_line_count": {
        "en": [
            "How many lines are connected to {bus}?",
            "Determine the number of transmission lines incident to {bus}.",
            "What is the number of lines terminating at {bus}?",
        ],
        "zh": [
            "试问与{bus}相连的线路共有多少条？",
            "{bus}上连接的线路数量为多少？",
            "请统计以{bus}为端点的线路条数。",
            "在本算例中，从{bus}出线的线路共计几条？",
            "求接于{bus}的输电线路的条数。",
            "已知{bus}为网络中的一个节点，问与之关联的线路有多少条？",
        ],
    },
    "path_hops": {
        "en": [
            "Determine the number of branches on the shortest path from {a} to {b}.",
            "How many hops does the shortest path between {a} and {b} contain?",
            "What is the minimum number of branches that must be traversed to go from {a} to {b}?",
        ],
        "zh": [
            "试问{a}到{b}的最短路径包含多少条支路？",
            "求{a}与{b}之间最短路径的跳数。",
            "在本算例中，从{a}出发到达{b}最少需要经过几条支路？",
            "{an}号节点到{bn}号节点的最短路径共有几跳？",
            "请计算{a}至{b}之间的最短路径长度（以支路数计）。",
            "已知网络拓扑结构，问{a}和{b}之间最少相隔多少条支路？",
            "对于IEEE标准系统，{a}与{b}间最短路径的跳数为多少？",
        ],
    },
    "path_buses": {
        "en": [
            "List the buses on the shortest path from {a} to {b}.",
            "Which buses does the shortest path between {a} and {b} pass through?",
            "Determine the sequence of nodes along the shortest path from {a} to {b}.",
        ],
        "zh": [
            "试问{a}到{b}的最短路径经过哪些节点？",
            "请列出{a}与{b}之间最短路径上的全部母线。",
            "在本算例中，由{a}到{b}的最短路径依次经过哪几个母线节点？",
            "求{an}号节点到{bn}号节点最短路径所经过的母线。",
            "{a}至{b}的最短路径上有哪些节点？",
            "已知网络拓扑结构，问连接{a}和{b}的最短路径途经哪些母线？",
            "对于IEEE标准系统，{a}与{b}之间的最短通路经过的节点分别是什么？",
        ],
    },
    "trip_lose_supply": {
        "en": [
            "If {branch} trips, which buses lose supply?",
            "Under an N-1 outage of {branch}, determine the buses that become de-energised.",
            "Which buses would be left without power following the disconnection of {branch}?",
        ],
        "zh": [
            "若{branch}开断，则哪些母线将失去电源？",
            "试问{branch}退出运行后，哪些节点会供电中断？",
            "在{branch}故障切除后，系统中哪些母线会停电？",
            "对{branch}进行N-1开断校验，问哪些节点失去供电？",
            "假设{branch}跳闸，求因此失电的全部母线。",
            "已知{branch}因故障退出运行，问哪些母线节点将被断电？",
            "在本算例中，如果{branch}断开，会导致哪几个节点失去电源？",
        ],
    },
    "trip_cut_slack": {
        "en": [
            "If {branch} trips, which buses become disconnected from the slack bus?",
            "Under an N-1 outage of {branch}, determine the buses that are separated from the reference (slack) bus.",
            "Which buses would no longer be connected to the slack bus after {branch} is opened?",
        ],
        "zh": [
            "若{branch}开断，则哪些母线将与平衡节点失去连接？",
            "试问{branch}退出运行后，哪些节点与slack bus之间不再连通？",
            "在{branch}故障切除后，有哪些母线与平衡节点断开联系？",
            "对{branch}进行N-1开断分析，问哪些节点会与参考节点（平衡节点）隔离？",
            "假设{branch}跳闸，求与平衡母线不再连通的全部母线节点。",
            "已知{branch}断开，问哪些母线形成孤岛、与平衡节点失去电气联系？",
            "在本算例中，如果{branch}开断，哪几个节点会与松弛节点解列？",
        ],
    },
    "adjacent": {
        "en": [
            "Is there a branch directly connecting {a} and {b}?",
            "Are {a} and {b} adjacent in the network topology?",
            "Determine whether {a} and {b} are joined by a single line or transformer.",
        ],
        "zh": [
            "{a}与{b}之间是否有直接连接的支路？",
            "试问{a}和{b}是否相邻？",
            "是否存在一条支路直接连接{a}与{b}？",
            "在本算例的拓扑结构中，{an}号节点与{bn}号节点是否直接相连？",
            "请判断{a}与{b}之间是否有线路或变压器直接相连。",
            "已知网络结构，问{a}和{b}是否为邻接节点？",
            "{a}和{b}之间有没有一条直接相连的支路？",
        ],
    },
    "has_gen": {
        "en": [
            "Is there a generator connected to {bus}?",
            "Determine whether {bus} has a generating unit installed.",
            "Does {bus} host a generating unit?",
        ],
        "zh": [
            "试问{bus}上是否接有发电机？",
            "{bus}是否装设有发电机组？",
            "请判断{bus}处是否接入了电源（发电机）。",
            "在本算例中，{bus}有没有发电机？",
            "已知{bus}，问该母线是否为发电机节点？",
            "是否存在接于{bus}的发电机组？",
            "对于IEEE标准系统，{bus}上是否连接有发电机？",
        ],
    },
    "unsupported": {
        "en": [
            "Who is the manufacturer of the switchgear installed at {bus}?",
            "When was the last scheduled maintenance carried out on {line}?",
            "What was the construction cost of {line}?",
        ],
        "zh": [
            "试问{bus}的开关设备是由哪家厂商生产的？",
            "{line}上一次检修是在什么时候？",
            "请问{line}由哪个班组负责巡视？",
            "{bus}所在变电站的产权归属于哪家公司？",
            "{line}的建设投资为多少万元？",
            "已知{line}为架空线路，问其沿线明天的天气情况如何？",
            "{bus}所在变电站的值班负责人是谁？",
        ],
    },
}
