"""Tuning family "paraphrase_d": a manager, planner or student who is no specialist, polite
and wordy ("Could you tell me ...", "I'd like to know ...", "For my report ..."; 想了解一下,
能告诉我...吗, 请教一下, 万一...), with "bus number 5" / "node 5" / "the bus labelled 5" /
"busbar no. 5" and "第5条母线" / "编号为5的母线" / "5号节点", "the line from 5 to 6" /
"the connection between node 5 and node 6" and "连接5、6号母线的线路" / "5号和6号之间的那条线",
"the 5-to-6 transformer" and "连接5号和6号母线的变压器"."""

MENTIONS = {
    "bus": {"en": ["bus number {n}", "node {n}", "the bus labelled {n}", "busbar no. {n}"],
            "zh": ["第{n}条母线", "编号为{n}的母线", "{n}号节点"]},
    "line": {"en": ["the line from {a} to {b}", "the line linking bus {a} and bus {b}",
                    "the connection between node {a} and node {b}", "the power line joining bus number {a} and bus number {b}"],
             "zh": ["连接{a}、{b}号母线的线路", "{a}号和{b}号之间的那条线", "从{a}号母线到{b}号母线的线路", "{a}到{b}的输电线"]},
    "trafo": {"en": ["the transformer from bus {a} to bus {b}", "the transformer connecting node {a} and node {b}",
                     "the {a}-to-{b} transformer"],
              "zh": ["连接{a}号和{b}号母线的变压器", "{a}号母线到{b}号母线的变压器", "{a}、{b}号母线之间的那台变压器"]},
    "kb": {"en": ["{lower}", "the {lower}"], "zh": ["{name}", "{name}这种情况"]},
}

TEMPLATES = {
    "bus_kv": {
        "en": ["I'd like to know what voltage {bus} is designed for.", "Could you please tell me how many kilovolts {bus} is rated at?",
               "What's the voltage rating of {bus}?", "For my report, what's the nominal voltage at {bus}?"],
        "zh": ["想了解一下{bus}的电压是多少", "{bus}的额定电压能告诉我吗？", "请问一下，{bus}设计电压是多少千伏？", "我想知道{bus}是多高电压的"],
    },
    "line_length": {
        "en": ["Roughly how long is {line}?", "I'd like to know the distance covered by {line}.",
               "Could you tell me how far {line} runs?", "What's the total length of {line}, in kilometres?"],
        "zh": ["{line}大概有多长？", "想知道{line}一共有多少公里", "能告诉我{line}的长度吗", "请问{line}的总长是多少？"],
    },
    "trafo_sn": {
        "en": ["How much power can {trafo} handle?", "What size is {trafo}?",
               "Could you tell me the capacity of {trafo} in megavolt-amperes?", "I need the power rating of {trafo} for a report."],
        "zh": ["{trafo}能带多大功率？", "{trafo}的规格容量是多少", "想了解{trafo}的容量有多大", "请告诉我{trafo}额定容量是多少兆伏安"],
    },
    "bus_lines": {
        "en": ["Which power lines are hooked up to {bus}?", "Could you show me all the lines that meet at {bus}?",
               "I'd like a list of the lines linked to {bus}.", "What lines run into or out of {bus}?"],
        "zh": ["{bus}连着哪些输电线？", "能帮我列一下和{bus}连在一起的线路吗", "想看看{bus}接出去的线路都有哪些",
               "请问跟{bus}相连的都有哪几条线路？"],
    },
    "line_buses": {
        "en": ["What two buses sit on both sides of {line}?", "Which two buses are linked by {line}?",
               "Could you tell me what {line} joins together?", "I'd like to know the buses on each end of {line}."],
        "zh": ["{line}把哪两条母线连起来？", "{line}两边接的是什么母线", "能告诉我{line}连的是哪两条母线吗", "请问{line}是连接哪些母线的？"],
    },
    "bus_loads": {
        "en": ["What customers or loads does {bus} serve?", "Could you list the loads that draw power from {bus}?",
               "I'd like to see which loads sit on {bus}.", "What is {bus} feeding, load-wise?"],
        "zh": ["{bus}给哪些用户供电？", "{bus}上面都有哪些用电负荷", "想了解{bus}带的负荷有哪些", "能列一下{bus}所供的负荷吗"],
    },
    "gen_bus": {
        "en": ["The generator located at {bus}, which bus is it hooked to?",
               "Could you tell me which bus the generator at {bus} plugs into?",
               "I'd like to know the connection bus of the generator located at {bus}."],
        "zh": ["{bus}那边的发电机连到哪条母线上了？", "想知道位于{bus}的发电机是接在哪条母线的", "请问{bus}处的发电机挂在哪条母线上？"],
    },
    "fault_alarms": {
        "en": ["How can we tell {fault} is happening? What alarms show up?", "What warning signals go off with {fault}?",
               "Could you tell me the alarms linked to {fault}?", "I'd like to know the typical symptoms of {fault}."],
        "zh": ["出现{fault}的时候会有什么报警？", "{fault}会有哪些提示信号", "想了解一下{fault}通常有哪些征兆", "请告诉我{fault}对应的告警有哪些"],
    },
    "fault_procedure": {
        "en": ["What's the right way to respond to {fault}?", "Could you explain how the team should handle {fault}?",
               "If we have {fault}, what do we do?", "I'd like to know the standard response to {fault}."],
        "zh": ["遇到{fault}该怎么办？", "{fault}一般怎么应对", "请教一下，{fault}的正确处理办法是什么？", "想了解{fault}的处置要求"],
    },
    "alarm_faults": {
        "en": ["What could be wrong if we see {alarm}?", "If {alarm} shows up, what faults does it suggest?",
               "Could you explain which faults {alarm} is a sign of?", "I'd like to know what problems {alarm} might point to."],
        "zh": ["看到{alarm}，说明可能出了什么问题？", "{alarm}一般是哪些故障的信号", "请问{alarm}背后可能是什么故障？",
               "想知道{alarm}可能由哪些故障导致"],
    },
    "bus_neighbours": {
        "en": ["Which buses are right next to {bus} on the network?", "Could you tell me the buses that {bus} links to directly?",
               "I'd like to see the buses immediately connected to {bus}.", "What other buses is {bus} wired straight to?"],
        "zh": ["和{bus}直接连着的有哪些母线？", "{bus}旁边紧挨着的母线是哪些", "能告诉我{bus}直接连到哪几条母线吗",
               "想了解与{bus}直接相邻的母线"],
    },
    "gen_buses": {
        "en": ["At which buses do we have generators?", "Could you show me where all the generators sit in the grid, by bus?",
               "I'd like a list of buses that have a generator on them.", "Which buses are the generators plugged into?"],
        "zh": ["电网里的发电机分别在哪些母线？", "能帮我找出装有发电机的母线吗", "想知道哪些母线连着发电机", "请问发电机分布在哪几条母线上？"],
    },
    "buses_at_kv": {
        "en": ["Which buses operate at {kv} kilovolts?", "Could you list all buses on the {kv}-kV network?",
               "I'd like to see the buses whose voltage is {kv}kV.", "Please show every bus with a {kv} KV rating."],
        "zh": ["电压是{kv}千伏的母线有哪些？", "能列出所有{kv} kV的母线吗", "想看看{kv}KV这一级的母线", "请问哪些母线属于{kv}千伏电压等级？"],
    },
    "lines_longer": {
        "en": ["Which lines are more than {km} kilometres long?", "Could you list the lines whose length is above {km}km?",
               "I'd like to know which lines stretch beyond {km} km.", "Any lines longer than {km} km? Please list them."],
        "zh": ["有哪些线路超过{km}公里长？", "能列出长度在{km} km以上的线路吗", "想了解哪些线路长度大于{km}千米", "请问比{km}km还长的线路有哪些？"],
    },
    "count_buses": {
        "en": ["Roughly how many buses are in the whole grid?", "Could you tell me the total number of buses?",
               "I'd like to know how many buses this system has in total.", "What's the total bus count across the network?"],
        "zh": ["整个电网总共有多少条母线？", "能告诉我母线一共有几条吗", "想了解一下系统母线的总数", "请问这张网里母线有多少？"],
    },
    "count_lines": {
        "en": ["Roughly how many power lines are in the whole grid?", "Could you tell me the total number of lines?",
               "I'd like to know how many lines this system has in total.", "What's the total line count across the network?"],
        "zh": ["整个电网总共有多少条线路？", "能告诉我线路一共有几条吗", "想了解一下系统线路的总数", "请问这张网里线路有多少？"],
    },
    "count_gens": {
        "en": ["Roughly how many generators are in the whole grid?", "Could you tell me the total number of generators?",
               "I'd like to know how many generators this system has in total.",
               "What's the total generator count across the network?"],
        "zh": ["整个电网总共有多少台发电机？", "能告诉我发电机一共有几台吗", "想了解一下系统发电机的总数", "请问这张网里发电机有多少？"],
    },
    "count_trafos": {
        "en": ["Roughly how many transformers are in the whole grid?", "Could you tell me the total number of transformers?",
               "I'd like to know how many transformers this system has in total.",
               "What's the total transformer count across the network?"],
        "zh": ["整个电网总共有多少台变压器？", "能告诉我变压器一共有几台吗", "想了解一下系统变压器的总数", "请问这张网里变压器有多少？"],
    },
    "bus_line_count": {
        "en": ["How many power lines connect to {bus}?", "Could you tell me the number of lines hooked up to {bus}?",
               "I'd like to know how many lines meet at {bus}.", "What's the total number of lines going into {bus}?"],
        "zh": ["{bus}一共连了几条线路？", "能告诉我{bus}接了多少条线吗", "想知道{bus}有几条线路相连", "请问跟{bus}相连的线路数量是多少？"],
    },
    "path_hops": {
        "en": ["What's the fewest number of connections needed to get from {a} to {b}?",
               "Could you tell me how many steps the shortest route from {a} to {b} takes?",
               "I'd like to know how many links separate {a} and {b} at minimum.",
               "Going the shortest way, how many branches does it take to reach {b} from {a}?"],
        "zh": ["从{a}到{b}最少要走几步？", "{a}和{b}之间最近隔着几条支路", "能告诉我{a}到{b}的最短路径有几步吗",
               "请问{a}与{b}之间最少相隔多少条支路？"],
    },
    "path_buses": {
        "en": ["What's the quickest route from {a} to {b} through the grid?",
               "Could you show me which buses you pass through going from {a} to {b} by the shortest way?",
               "I'd like to see the shortest connection path between {a} and {b}.",
               "How do I get from {a} to {b} along the fewest branches?"],
        "zh": ["从{a}到{b}最近的路线是怎样的？", "能给我看看{a}到{b}最短要路过哪些母线吗", "想知道{a}和{b}之间最短的连接路径",
               "请问从{a}到{b}最短的路径经过哪几条母线？"],
    },
    "trip_lose_supply": {
        "en": ["If {branch} fails, which buses would have no power?",
               "Could you tell me which buses would go without electricity if {branch} were to trip?",
               "Suppose {branch} is knocked out; which buses end up with no supply?",
               "I'd like to know what buses get blacked out when {branch} trips."],
        "zh": ["万一{branch}断开了，哪些母线会没电？", "如果{branch}出故障跳了，会有哪些母线停电", "能告诉我{branch}跳闸会让哪些母线断电吗",
               "想了解{branch}跳闸后会停电的母线有哪些"],
    },
    "trip_cut_slack": {
        "en": ["Which buses would be left with no connection to the slack bus if {branch} failed?",
               "Could you tell me which buses would be disconnected from the balancing (slack) bus if {branch} tripped?",
               "Suppose {branch} goes down: which buses can no longer reach the slack bus?",
               "I'd like to know which buses lose their link to the slack bus should {branch} trip."],
        "zh": ["万一{branch}断开了，哪些母线就和平衡节点连不上了？", "如果{branch}跳闸，会有哪些母线跟平衡母线隔开",
               "能告诉我{branch}跳闸后和平衡节点断了联系的母线吗", "想知道{branch}一旦跳闸，哪些母线会与平衡节点分开"],
    },
    "adjacent": {
        "en": ["Are {a} and {b} linked to each other directly?", "Could you check whether {a} is wired straight to {b}?",
               "I'd like to know if {a} and {b} are next to each other in the network.",
               "Is {b} one of the buses directly attached to {a}?"],
        "zh": ["{a}和{b}是直接连着的吗？", "能帮我确认{a}跟{b}有没有直接连在一起", "想知道{a}与{b}是不是挨着的", "请问{b}是不是和{a}直接相连？"],
    },
    "has_gen": {
        "en": ["Does {bus} have its own generator?", "Could you check if a generator is attached to {bus}?",
               "I'd like to know whether {bus} has any generator on it.", "Is {bus} one of the buses with a generator?"],
        "zh": ["{bus}那里有没有发电机？", "能帮我查查{bus}有发电机吗", "想知道{bus}是不是接着发电机", "请问{bus}有发电机组吗？"],
    },
    "unsupported": {
        "en": ["How old is {bus}?", "Who is the contractor for {line}?", "How many people work at {bus}?",
               "Is {line} insured?"],
        "zh": ["{bus}已经用了多少年了？", "{line}的施工单位是哪家？", "{bus}归哪个部门管？", "{line}买保险了吗？"],
    },
}
