"""The words the energy knowledge graph is asked in (the vertical contract's qa.py):
what each grid and dispatch-knowledge relation or attribute sounds like as a question,
in English and Chinese, and the class words that name numbered assets ("Bus 3" is also
"母线3" and "3号母线"). core/kg/lib/qa/ parses questions with these and knows no domain."""
import weakref

from core.platform.verticals import QAOutcome, QAPhrasing, QAWords


def _rel(relation, direction, target, en, zh, says_en, says_zh, cues=""):
    """Follow `relation` from the subject ("out": it is the source, "in": the target),
    keeping answers of class `target`. X stands for the subject in the templates, {x} in
    how the answer is said; cues are the words that show the question asks this."""
    return QAPhrasing(en=tuple(en), zh=tuple(zh), says_en=says_en, says_zh=says_zh, relation=relation,
                      direction=direction, target=target, cues=cues)


def _attr(attribute, en, zh, says_en, says_zh, cues=""):
    """Read the subject's `attribute`."""
    return QAPhrasing(en=tuple(en), zh=tuple(zh), says_en=says_en, says_zh=says_zh, attribute=attribute, cues=cues)


# Offered only when the graph's ontology declares the relation (or attribute) for the
# subject's class. A relation whose templates a question only loosely fits is taken only
# when one of its cue words stands in the question outside the mention.
PHRASINGS = (
    _rel("handled_by", "out", None,
         ["how to handle X", "how should X be handled", "what is the procedure for X", "what are the handling steps "
          "for X", "what should the dispatcher do after X", "how do I deal with X", "what to do when X happens",
          "what steps follow X", "how is X handled", "what is the handling procedure for X", "X, what now?",
          "what do I do about X"],
         ["X怎么处理", "X的处理步骤是什么", "X如何处置", "发生X后调度员应该如何处置", "X后怎么办", "X的处置流程",
          "X的处理方法是什么", "X应该怎么处置", "X的处理步骤有哪些", "X时如何处置"],
         "{x} is handled by", "{x}的处置规程",
         "handle handling procedure step deal dealt do sop respond response plan guidance measure action follow 处理 处置 "
         "怎么办 咋办 咋处理 咋弄 应对 措施 流程 步骤 做什么 怎么做 工作 如何 方法 要点 办法"),
    _rel("handled_by", "in", None,
         ["which fault does X handle", "what is X used for", "which faults is X for"],
         ["X用于处理什么故障", "X适用于哪种故障"], "{x} handles", "{x}用于处理",
         "handle used for 处理 用于 适用"),
    _rel("indicates", "in", None,
         ["which alarms indicate X", "what alarms point to X", "what are the symptoms of X", "which signals show X",
          "how can I recognise X", "what evidence suggests X", "what alarms does X raise", "what are the signs of X",
          "how do we know there is X", "what tells us that X happened"],
         ["哪些告警表明X", "X有哪些告警信号", "X的特征现象有哪些", "X会出现哪些告警", "如何判断X", "X有哪些告警",
          "X会有什么告警", "X有什么现象"],
         "{x} is indicated by", "表明{x}的告警和现象",
         "alarm signal symptom sign recognise recognize spot detect indicate indication indications evidence tell know "
         "show trigger point "
         "告警 信号 现象 表现 判断 特征 知道 报"),
    _rel("indicates", "out", None,
         ["what fault does X indicate", "what could cause X", "what does X mean", "which faults can X indicate",
          "what faults are indicated by X", "X points to which fault"],
         ["X说明可能发生了什么故障", "X可能是什么故障引起的", "出现X可能是哪些故障", "X意味着什么故障",
          "X可能导致什么故障", "X表明什么故障"],
         "{x} indicates", "{x}表明的故障",
         "fault cause mean indicate suggest behind why reason possible likely wrong problem problems 故障 原因 意味 说明 表明 "
         "导致 引起 毛病 问题"),
    _rel("located_in", "out", "Substation",
         ["which substation is X in", "in which substation is X", "which station does X belong to"],
         ["X在哪个变电站", "X位于哪个变电站", "X属于哪个变电站"], "{x} is in", "{x}所在的变电站",
         "substation station where house 变电站 哪里 位于 属于 在哪"),
    _rel("located_in", "out", "Region",
         ["which region is X in", "which area does X belong to", "which zone is X in"],
         ["X属于哪个区域", "X在哪个区域", "X位于哪个片区"], "{x} is in", "{x}所在的区域",
         "region area zone district part belong 区域 片区 地区 属于"),
    _rel("located_in", "out", None,
         ["where is X located", "where is X", "where can I find X"],
         ["X在哪里", "X位于哪里", "X的位置"], "{x} is located in", "{x}位于",
         "where located location find 哪里 位于 在哪 位置"),
    _rel("located_in", "in", "Bus",
         ["which buses are in X", "what buses does X have", "list the buses of X"],
         ["X有哪些母线", "X里有哪些母线", "X包括哪些母线"], "buses in {x}", "{x}的母线",
         "bus 母线"),
    _rel("located_in", "in", "Transformer",
         ["which transformers are in X", "what transformers does X have"],
         ["X有哪些主变", "X有哪些变压器"], "transformers in {x}", "{x}的变压器",
         "transformer 主变 变压器"),
    _rel("located_in", "in", "Substation",
         ["which substations are in X", "what substations does X have"],
         ["X有哪些变电站", "X包括哪些变电站"], "substations in {x}", "{x}的变电站",
         "substation 变电站"),
    _rel("located_in", "in", None,
         ["what is in X", "what equipment is in X", "what does X contain"],
         ["X有哪些设备", "X包括哪些设备", "X里有什么"], "in {x}", "{x}内的设备",
         "equipment contain 设备 包括 有什么"),
    _rel("connects", "out", None,
         ["which buses does X connect", "what are the ends of X", "which buses is X connected to",
          "what does X connect"],
         ["X连接哪些母线", "X两端接哪些母线", "X连接哪里", "X接在哪些母线上"], "{x} connects", "{x}连接的母线",
         "connect end endpoint terminal link bus 连接 两端 端点 母线"),
    _rel("connects", "in", "Line",
         ["which lines are connected to X", "what lines are connected to X", "which lines end at X"],
         ["哪些线路接在X上", "X上接了哪些线路", "哪些线路连接X"], "lines connected to {x}", "接在{x}上的线路",
         "line connect 线路"),
    _rel("connects", "in", "Transformer",
         ["which transformers are connected to X", "which transformer connects to X"],
         ["哪些主变接在X上", "X上接了哪些变压器"], "transformers connected to {x}", "接在{x}上的变压器",
         "transformer 主变 变压器"),
    _rel("connects", "in", None,
         ["what is connected to X", "which branches connect to X"],
         ["X上接了哪些设备", "哪些设备连接X"], "connected to {x}", "接在{x}上的设备",
         "connect attach 接 连接 设备"),
    _rel("feeds", "out", None,
         ["which bus does X feed", "where does X inject power", "which bus is X connected to"],
         ["X向哪条母线供电", "X接在哪条母线", "X并网在哪条母线"], "{x} feeds", "{x}供电的母线",
         "feed inject bus connect 供电 母线 并网"),
    _rel("feeds", "in", None,
         ["what feeds X", "which generators supply X", "which source feeds X", "where does X get power from"],
         ["哪个电源给X供电", "X由哪个电源供电", "哪些机组向X供电", "X的电源是什么"], "{x} is fed by", "给{x}供电的电源",
         "feed fed supply source generator power 电源 供电 机组 送电"),
    _rel("supplies", "out", None,
         ["which loads does X supply", "what loads are on X", "which customers does X serve"],
         ["X带哪些负荷", "X供哪些负荷", "X上有哪些负荷"], "{x} supplies", "{x}所带负荷",
         "load supply serve customer hang 负荷 供"),
    _rel("supplies", "in", None,
         ["which bus supplies X", "which bus serves X", "where is X connected", "where does X get its power from"],
         ["X由哪条母线供电", "X接在哪条母线上", "哪条母线带X"], "{x} is supplied by", "供{x}的母线",
         "bus supply serve power connect 母线 供电 接"),
    _rel("affects", "out", None,
         ["which equipment did X affect", "where did X happen", "what did X hit"],
         ["X影响了哪些设备", "X发生在哪个设备上", "X涉及哪些设备"], "{x} affected", "{x}涉及的设备",
         "affect equipment happen hit 影响 设备 发生 涉及"),
    _rel("affects", "in", None,
         ["what faults have affected X", "what faults happened on X", "which faults did X have"],
         ["X发生过哪些故障", "X有哪些故障记录", "X出过什么故障"], "faults on {x}", "{x}的故障",
         "fault affect happen 故障"),
    _rel("raised_by", "out", None,
         ["which device raised X", "where did X come from"],
         ["X是哪个设备发出的", "X来自哪个设备"], "{x} was raised by", "发出{x}的设备",
         "raise device come 发出 设备 来自"),
    _rel("raised_by", "in", None,
         ["what alarms did X raise", "which alarms came from X"],
         ["X发出了哪些告警", "X有哪些告警记录"], "alarms raised by {x}", "{x}发出的告警",
         "alarm raise 告警 发出"),
    _rel("applies_to", "out", None,
         ["which equipment does X apply to", "what is X for"],
         ["X适用于哪些设备", "X针对哪些设备"], "{x} applies to", "{x}适用的设备",
         "apply equipment 适用 针对 设备"),
    _rel("applies_to", "in", None,
         ["which procedures apply to X", "what procedures cover X"],
         ["哪些规程适用于X", "X有哪些操作规程"], "procedures for {x}", "适用于{x}的规程",
         "procedure apply cover 规程 适用"),
    _rel("switches", "out", None,
         ["which line does X switch", "what does X switch", "what does X control", "which element does X open"],
         ["X控制哪条线路", "X控制哪个元件", "X断开哪条线路"], "{x} switches", "{x}控制的元件",
         "switch control open 控制 断开"),
    _rel("switches", "in", None,
         ["which switch controls X", "which breaker opens X"],
         ["哪个开关控制X", "X由哪个断路器控制"], "{x} is switched by", "控制{x}的开关",
         "switch breaker control 开关 断路器 控制"),
    _rel("carries", "out", None,
         ["which lines does X carry", "what does X hold up"], ["X架设了哪些线路", "X上有哪些线路"],
         "{x} carries", "{x}架设的线路",
         "carry hold line 架设 线路"),
    _rel("carries", "in", None,
         ["which towers carry X", "what are the towers of X"], ["X有哪些杆塔", "哪些杆塔架设X"],
         "towers carrying {x}", "架设{x}的杆塔",
         "tower carry 杆塔 架设"),
    _rel("observed_on", "out", None,
         ["where was X observed", "which line or tower was X found on"], ["X是在哪里发现的", "X在哪条线路或杆塔上"],
         "{x} was observed on", "发现{x}的位置",
         "where observe found 哪里 发现 位置"),
    _rel("observed_on", "in", None,
         ["what defects were found on X", "which patrol defects does X have"], ["X有哪些缺陷", "巡检在X上发现了什么缺陷"],
         "defects found on {x}", "{x}上发现的缺陷",
         "defect found patrol 缺陷 发现 巡检"),
    _attr("vn_kv", ["what is the rated voltage of X", "what voltage is X", "what is the voltage level of X"],
          ["X的额定电压是多少", "X是多少千伏", "X的电压等级是多少"], "rated voltage of {x} (kV)", "{x}的额定电压（kV）",
          "voltage kv 电压 千伏"),
    _attr("length_km", ["how long is X", "what is the length of X"], ["X有多长", "X的长度是多少"],
          "length of {x} (km)", "{x}的长度（km）",
          "long length km distance far runs span 长 公里 全长 总长 多长"),
    _attr("sn_mva", ["what is the capacity of X", "what is the rating of X in MVA", "how big is X"],
          ["X的容量是多少", "X的额定容量是多少"], "rated capacity of {x} (MVA)", "{x}的额定容量（MVA）",
          "capacity rating nameplate mva big size rated power 容量 多大 铭牌 额定功率"),
    _attr("p_mw", ["how much power does X draw", "what is the active power of X", "how many megawatts is X"],
          ["X的有功功率是多少", "X的出力是多少", "X有多少兆瓦"], "active power of {x} (MW)", "{x}的有功功率（MW）",
          "mw power megawatt output produce draw 出力 有功 兆瓦 功率"),
    _attr("max_i_ka", ["what is the current limit of X", "what is the ampacity of X"],
          ["X的载流量是多少", "X的电流限额是多少"], "current limit of {x} (kA)", "{x}的电流限额（kA）",
          "current limit ampacity 载流量 电流"),
    _attr("code", ["what is the code of X", "what is the alarm code of X"], ["X的告警代码是什么", "X的编码是什么"],
          "code of {x}", "{x}的代码",
          "code 代码 编码"),
    _attr("severity", ["how severe is X", "what is the severity of X"], ["X的告警级别是什么", "X有多严重"],
          "severity of {x}", "{x}的告警级别",
          "severe severity level critical 级别 严重"),
    _attr("fault_type", ["what type of fault is X", "what kind of fault was X"], ["X是什么类型的故障"],
          "fault type of {x}", "{x}的故障类型",
          "type kind 类型"),
)


# Words that may stand next to a mention as part of it ("the alarm ALM-DC-GND"), and
# that number an asset in Chinese, as pandapower imports name them.
CLASS_WORDS = {
    "Bus": ("bus", ("母线", "节点")), "Line": ("line", ("线路", "出线")), "Transformer": ("transformer", ("变压器", "主变")),
    "Branch": ("branch", ("支路",)), "Switch": ("switch", ("开关",)), "Generator": ("generator", ("发电机", "机组")),
    "ExternalGrid": ("external grid", ("外部电网", "外网")), "StaticGenerator": ("static generator", ("静态发电机",)),
    "Load": ("load", ("负荷",)), "Substation": ("substation", ("变电站",)), "Alarm": ("alarm", ("告警", "信号")),
    "Tower": ("tower", ("杆塔",)), "Procedure": ("procedure", ("规程", "预案")),
}


_topologies = weakref.WeakKeyDictionary()  # projection -> its bus-branch topology (a projection never changes)


def _topology_of(g):
    from .lib.restoration import topology

    topo = _topologies.get(g)
    if topo is None:
        topo = _topologies[g] = topology(g)
    return topo


def _bus_graph(g):
    """Buses joined by their closed, in-service lines, transformers and bus-bus switches
    (the restoration module's topology), each edge's "via" the elements between."""
    import networkx as nx

    topo = _topology_of(g)
    out = nx.Graph()
    out.add_nodes_from(topo.nodes)
    for a, b, _, d in topo.edges(keys=True, data=True):
        if d["closed"] and a != b:
            if out.has_edge(a, b):
                out.edges[a, b]["via"].append(d["element"])
            else:
                out.add_edge(a, b, via=[d["element"]])
    return out


def _trip(g, elements):
    """What the dispatcher loses when `elements` trip: buses that lose supply, and buses cut
    off from the reference (external grid or slack machine)."""
    from .lib.restoration import GridError, outage_effect

    try:
        lost, cut = outage_effect(_topology_of(g), elements)
    except GridError as exc:
        raise ValueError(f"{exc} (a what-if question trips a line, transformer or bus switch)") from None
    cited = [[e, "connects", b] for e in elements for _, b, d in g.out_edges(e, data=True)
             if d.get("type") == "connects"]
    return {"lost": lost, "cut": cut, "cited": cited}


OUTCOMES = {
    "lost": QAOutcome(words=("lose supply", "lose power", "lost supply", "loses supply", "without supply",
                             "without power", "de energised", "de energized", "deenergised", "deenergized",
                             "blackout", "black out", "go dark", "goes dark", "unsupplied", "lose their supply", "失压", "掉电",
                             "lose their power", "lose electricity", "lost power", "no supply", "no power", "失电", "停电", "断电", "失去供电", "失去电源", "没电",
                             "供电中断", "中断供电", "left without", "without electricity", "go dead", "goes dead"),
                      says_en="If {x} trips, these lose supply", says_zh="{x}跳闸后失电的母线"),
    "cut": QAOutcome(words=("slack", "reference bus", "reference", "swing bus", "cut off from", "separated from",
                            "disconnected from the", "平衡节点", "平衡母线", "参考节点", "参考母线", "主网", "解列",
                            "松弛节点", "松弛母线", "不再连通", "脱离", "分开", "隔开", "isolated from", "islanded",
                            "island", "孤岛", "隔离", "失去连接", "失去联系", "断开联系", "reference node", "balance bus"),
                     says_en="If {x} trips, these are cut off from the slack bus",
                     says_zh="{x}跳闸后与平衡节点断开的母线"),
}

WORDS = QAWords(
    phrasings=PHRASINGS, class_words=CLASS_WORDS,
    numbered="Bus", abbreviations={"Bus": ("b", "bb", "busbar", "node")}, number_suffixes={"Bus": ("m",)},
    class_aliases={"Bus": ("busbar", "node", "母"), "Branch": ("connection",), "Generator": ("generating unit", "unit", "gen", "machine", "generation", "发电机组", "电源", "发电单元"),
                   "Line": ("feeder", "tie", "circuit", "输电线", "联络线"), "Transformer": ("trafo", "xfmr", "联变"),
                   "Load": ("demand", "consumer", "负载", "用户")},
    joins={"Line": ("connects", ("线", "l")), "Transformer": ("connects", ("变", "t")), "Branch": ("connects", ())},
    units={"kv": "vn_kv", "kilovolt": "vn_kv", "kilovolts": "vn_kv", "千伏": "vn_kv", "km": "length_km",
           "kilometre": "length_km", "kilometres": "length_km", "kilometer": "length_km", "kilometers": "length_km",
           "公里": "length_km", "千米": "length_km", "mva": "sn_mva", "兆伏安": "sn_mva", "mw": "p_mw",
           "megawatts": "p_mw", "兆瓦": "p_mw",
           # words that name the attribute without a unit
           "length": "length_km", "distance": "length_km", "长度": "length_km", "全长": "length_km",
           "总长": "length_km", "多长": "length_km", "nameplate": "sn_mva", "rating": "sn_mva", "容量": "sn_mva",
           "rated voltage": "vn_kv", "voltage level": "vn_kv", "voltage": "vn_kv", "额定电压": "vn_kv",
           "电压等级": "vn_kv", "电压": "vn_kv", "megavolt amperes": "sn_mva", "power rating": "sn_mva",
           "多大功率": "sn_mva", "视在功率": "sn_mva", "apparent power": "sn_mva"},
    inactive=(("in_service", False),),
    topology=_bus_graph, what_if=_trip,
    what_if_words=("trip", "trips", "tripped", "tripping", "fails", "failed", "fail", "goes out", "go out",
                   "lose", "loses", "lost", "losing", "loss of", "drop", "drops", "dropped", "drop out",
                   "drops out", "goes offline", "is out", "taken offline", "de energised", "de energized",
                   "knocked out", "knocked off", "were to trip", "went out", "out",
                   "is lost", "are lost", "is opened", "opens", "is switched off", "switched out", "taken out",
                   "out of service", "outage of", "goes down", "跳闸", "跳开", "停运", "断开", "退出运行", "故障跳",
                   "切除", "掉闸", "跳了", "退出", "跳开了", "失去", "断了", "没了",
                   # an N-1 contingency names the one element out
                   "n 1", "contingency", "开断", "分闸", "检修停运", "disconnection", "disconnected", "disconnect",
                   "removal of", "is removed", "outage", "open", "opened", "go off", "goes off", "went off", "is tripped"),
    outcomes=OUTCOMES,
    # what dispatchers write for the long names (a name holding one is found by the other)
    synonyms=(("电流互感器", "ct"), ("电压互感器", "pt"), ("变压器", "主变"), ("断路器", "开关"),
              ("current transformer", "ct"), ("voltage transformer", "vt", "pt")))
