"""From slots to a query: which of the structural intents a question asks (what-if, path,
yes/no, count, neighbours, entities of a class next to an entity, class listing with a
filter), decided by the question's frame words (bilingual, domain-free) and the kinds of
slot it holds. Questions with none of these frames go to relation matching (answer.py)."""
import re
from dataclasses import dataclass

from .text import CJK_RE

COUNT = re.compile(r"(?<![a-z])(?:how many|how much|number of|count|total|cardinality|tally)(?![a-z])|多少|几个|几条|几台|几座|几回|有几|数量|总数|总共几"
                   r"|共计|合计|总计")
YES_NO = re.compile(r"^(?:is|are|was|were|does|do|did|can|could|has|have|will|would)(?![a-z])|吗$|吗\|"
                    r"|是否|是不是|有没有|有无|能否|没有$|了没$|没$"
                    r"|([\u4e00-\u9fff])[没不]\1")  # A-not-A: 挂没挂, 带不带, 通不通
PATH = re.compile(r"(?<![a-z])(?:shortest|path|route|hops?|electrical distance|how far|steps? away|fewest|quickest"
                  r"|minimum|minimal|least|until"
                  r"|least number|minimum number|min number|min [a-z]+ count|get from|go from|travel from)(?![a-z])"
                  r"|最短|路径|几跳|跳数|距离|经过|途经|路过|要过|隔着几|相隔几|之间隔|最少|最近|几步|走到|连到|连过去|到达"
                  r"|怎么走|怎么连|如何连")
WHERE = re.compile(r"(?<![a-z])where(?![a-z])|在哪|哪里|位置|位于哪")
# English verbs whose particle is no outage: "when was maintenance carried out on X"
PHRASAL = re.compile(r"(?<![a-z])(?:carr(?:y|ied|ies|ying)|find|found|figure[sd]?|check(?:ed)?|point(?:ed)?|lay|laid"
                     r"|turn(?:ed|s)?|work(?:ed|s)?|set|spell(?:ed)?|sort(?:ed)?|print(?:ed)?|read|fill(?:ed)?"
                     r"|rule[sd]?|ma[dk]e|tr(?:y|ied)|br(?:ing|ought)|hand(?:ed)?|roll(?:ed)?) out(?![a-z])")
RELATIVE = re.compile(r"(?:at|on|in|to|from|with|by|of|for|under|behind) (?:which|what)")
WH_BEFORE = re.compile(r"(?:(?<![a-z])(?:which|what) (?:of the )?|哪(?:些|几|条|个|台|座)(?:条|个|台|座)?)$")
ADJACENT = re.compile(r"(?<![a-z])(?:connected|connects?|adjacent|neighbou?rs?|neighbou?ring|next to|linked|links?"
                      r"|directly|tied|ties|tie|attached|joined)(?![a-z])|相邻|相连|连接|相接|直连|邻近|连着|接着|毗邻|直接")
LIST = re.compile(r"(?<![a-z])(?:which|what|list|all|show|name|find|give|tell)(?![a-z])|哪些|哪几|列出|所有|有哪|哪个|哪条|哪台")
HAVE = re.compile(r"(?<![a-z])(?:have|has|having|with|hosts?|hosting|carry|carries|own|equipped)(?![a-z])"
                  r"|有|带|接有|装有|连有|挂|接着|连着")


SURE = 0.999
# what may stand around a bare mention ("the motor at pump 7?", "查P7的电机"): nothing asked but the entity
CONTENT = re.compile(r"(?<![a-z])(?:what|which|is|are|the|show|me|give|find|tell|about|please|a|an|list|all|of|advise"
                     r"|kindly|state)(?![a-z])"
                     r"|[\s|?]|查一下|查询|查下|查|请问|请|显示|给出|是|哪个|什么|一下|都有啥|有啥|啥"
                     r"|都有哪些|有哪些|哪些|都是|列出|接入情况|情况|说明|告知|接入|接在|所接|连接到|连接|的|在|上|分别"
                     r"|^(?:对于|在)[^|]{0,12}(?:中|系统|里)?\||本算例中?|本例中?|系统中")  # context: "在本算例中，"
WH = re.compile(r"(?<![a-z])(?:which|what|who|whom|whose|where|when|why|how|list|show|name|give|tell|find)(?![a-z])"
                r"|哪|什么|多少|多[高长大重远久宽]|几|怎么|怎样|如何|列出|为何|为什么|告诉我|说说")
NEIGHBOUR = re.compile(r"(?<![a-z])(?:neighbou?rs?|neighbou?ring|adjacent|next to|directly connected|directly linked"
                       r"|other ends?|far ends?|opposite ends?)(?![a-z])|相邻|邻近|毗邻|邻接|直接相连|直连|相连的|对侧|对端|周边"
                       r"|直接联络|挨着|紧挨|旁边|直接连|immediately|straight to|wired (?:straight|directly)")
PATH_COUNT = re.compile(r"(?<![a-z])(?:hops?|length|distance|how far|how many|how much|number of|count|fewest|least number"
                        r"|minimum number|min number)(?![a-z])"
                        r"|跳数|几跳|多少跳|长度|距离|多远|几条|多少条|条数|几个|多少|几级|几步|多少步|步数|几段|多少段|几站|几次")
EXISTS = re.compile(r"(?<![a-z])(?:is there|are there|there s|there is|there are|exists?|whether"
                    r"|(?:know|see|check|tell me|wonder|confirm|ask|advise|verify|say) if)(?![a-z])|(?:^|\|)any(?![a-z])|有没有|是否有|存在")
THERE_IS = re.compile(r"(?<![a-z])(?:is there|are there|there s|there is|there are|exists?)(?![a-z])|有没有|是否有|存在")
_MEASURE = r"(?:个|条|台|座|回|组|处|名|段)?"
_COUNT_BEFORE = re.compile(r"(?:how many|how much|number of|count(?: of)?|total(?: number of)?|cardinality of|tally of)"
                           r"(?: the| all(?: the)?)?"
                           r"(?: [a-z]+)?(?: [a-z]+)? ?$"
                           rf"|(?<!哪)(?:多少|几){_MEASURE}$")  # "哪几条" asks which, not how many
_COUNT_AFTER = re.compile(rf"^ ?(?:的)?总?(?:数量|总数|个数|数目|条数|台数|回数|数(?!据))|^ ?(?:count|number|total)(?![a-z])"
                          rf"|^(?:一共|总共|共计|合计|总计|共)?有?(?:多少|几){_MEASURE}(?:$|\||吗|啊|呢|呀)")


def _counted_class(text, classes):
    """The class a count asks about: right after "how many" / "几条", or right before "有多少条"
    ("多少名员工" counts no class of the graph)."""
    for c in classes:
        if _COUNT_BEFORE.search(text[:c.start]) or _COUNT_AFTER.search(text[c.end:]):
            return c
    return None


@dataclass
class Query:
    intent: str                 # what_if | path | yes_no | count | neighbours | adjacent | list
    refs: list                  # the entity slots used, in question order
    cls: str | None = None      # the class asked about
    having: str | None = None   # list: ... that have an entity of this class
    quantity: object = None     # list: ... whose attribute compares with this
    outcome: str | None = None  # what_if: which outcome
    count: bool = False         # answer with the number of entities
    attribute: str | None = None  # attribute: which one
    absent: bool = False        # yes_no: the entity asked about is not there

    def describe(self):
        out = {"intent": self.intent, "entities": [r.nodes for r in self.refs]}
        for key in ("cls", "having", "outcome", "attribute"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.quantity is not None:
            q = self.quantity
            out["where"] = {"attribute": q.attribute, "op": q.op, "value": q.value}
        if self.count:
            out["count"] = True
        return out


def _outside(q, slots):
    """The question with every sure entity mention blanked (class words and frames remain)."""
    chars = list(q)
    for r in slots.refs:
        if r.score < SURE:
            continue
        for i in range(max(r.start, 0), r.end):
            chars[i] = " "
    return "".join(chars)


def _what_if_outcome(index, text):
    outcomes = index.structure.outcomes
    for name, outcome in outcomes.items():
        if any(_has_word(text, w) for w in outcome.words):
            return name
    return next(iter(outcomes), None)


def _has_word(text, word):
    if CJK_RE.search(word):
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None


def parse(index, q, slots, asked=False):
    """A Query for the structural intents, or None when the question has none of their frames.
    `asked`: the question ends in a question mark (a terse "B5 and B3 connected?" is yes/no)."""
    text = _outside(q, slots)
    # a structural query rests on what the question surely names; near names are for relation matching
    refs, classes = [r for r in slots.refs if r.score >= SURE], slots.classes
    numbered = index.structure.numbered
    is_numbered = lambda r: index.g.nodes[r.node].get("cls") == numbered  # noqa: E731
    numbered_refs = [r for r in refs if is_numbered(r)]
    counted = _counted_class(text, classes)
    asks_count = counted is not None or bool(COUNT.search(text))
    topology = index.topology is not None

    takeable = takeable_refs(index, refs)
    plain = PHRASAL.sub(" ", text)
    if index.structure.what_if is not None and takeable and any(
            _has_word(plain, w) for w in index.structure.what_if_words):
        return Query("what_if", takeable[:1], cls=classes[0].cls if classes else None,
                     outcome=_what_if_outcome(index, text), count=asks_count)
    # "直接通不通（中间不经过别的）": a yes/no on a direct link, whatever else it mentions
    direct_yes_no = len(numbered_refs) >= 2 and YES_NO.search(q) and not WH.search(q) and (
        NEIGHBOUR.search(text) or re.search(r"(?<![a-z])directly(?![a-z])|直接", text))
    if len(numbered_refs) >= 2 and PATH.search(text) and topology and not direct_yes_no:
        return Query("path", numbered_refs[:2], count=asks_count or bool(PATH_COUNT.search(text)))
    terse = asked and not WH.search(q)
    if counted is not None:
        if refs:
            intent = "neighbours" if _same_numbered(index, refs[0], counted.cls) else "adjacent"
            return Query(intent, refs[:1], cls=counted.cls, count=True)
        head, having = _head_and_filter(text, classes[classes.index(counted):])
        return Query("list", [], cls=head, having=having, quantity=_one(slots.quantities), count=True)
    # "X: any Y connected?": "any" opens what is asked once the mention is set aside
    exists = bool(EXISTS.search(q) or EXISTS.search(text.lstrip()))
    if ((YES_NO.search(q) or exists) and not WH.search(q)) or terse:
        query = _yes_no(index, refs, classes, slots, text, explicit=not terse or bool(YES_NO.search(q) or exists))
        if query is not None:
            return query
    if len(refs) == 1 and refs[0].method == "attached" and not classes and not CONTENT.sub("", text):
        return Query("entities", refs)  # "P7的电机", "the motor at pump 7?": the entity itself
    if len(refs) == 1 and refs[0].method == "attached" and not classes and WHERE.search(text) and numbered:
        return Query("adjacent", refs, cls=numbered)  # "where is the motor at pump 7 connected": pump 7
    if numbered_refs and not classes and NEIGHBOUR.search(text) and topology:
        return Query("neighbours", numbered_refs[:1], cls=numbered)
    if classes and refs and (LIST.search(text) or ADJACENT.search(text) or NEIGHBOUR.search(text) or terse
                             or _possessive(text, classes, refs)):
        cls_ref = _asked_class(text, [c for c in classes if not _is_own_class(index, refs[0], c, q)])
        if cls_ref is not None:
            if _same_numbered(index, refs[0], cls_ref.cls):
                return Query("neighbours", refs[:1], cls=cls_ref.cls)
            return Query("adjacent", refs[:1], cls=cls_ref.cls)
        if numbered_refs and ADJACENT.search(text) and topology:
            return Query("neighbours", numbered_refs[:1], cls=numbered)
    others = [c for c in classes if c.cls != numbered]
    if others and not refs and WHERE.search(text) and numbered and len(classes) - len(others) <= 1:
        # "where are the pumps (by site)": the numbered entities that have one
        return Query("list", [], cls=numbered, having=others[0].cls)
    if classes and not refs and (LIST.search(text) or HAVE.search(text) or slots.quantities or len(classes) > 1):
        # only a filtered listing: "which alarms indicate <something unknown>" is no "list all alarms"
        head, having = _head_and_filter(text, classes)
        if having or slots.quantities:
            return Query("list", [], cls=head, having=having, quantity=_one(slots.quantities))
    unit = _unit_word(index, text, refs[0]) if refs else None
    if unit is not None:
        return Query("attribute", refs[:1], attribute=unit)
    return None


def _yes_no(index, refs, classes, slots, text, explicit=True):
    """A yes/no query, or None. A terse question ("B2 has a gen?") is one only when it names
    the entity before the class and says it has one ("Lines incident to bus 5?" lists lines)."""
    if slots.absent and not any(r.method == "attached" for r in refs):
        return Query("yes_no", refs[:1], cls=slots.absent[0][0], absent=True)
    if len(refs) > 1:
        return Query("yes_no", refs[:2])
    if refs:
        own = index.g.nodes[refs[0].node].get("cls")
        # "a line or trafo between 4 and 9": a class named as an alternative of the entity is not asked
        classes = [c for c in classes if not (c.end <= refs[0].start and re.fullmatch(
            r" ?(?:or|或|或者) ?", text[c.end:refs[0].start]))]
        other = next((c for c in classes if not index.is_a(own, c.cls)), None)
        if not explicit and other is not None and (other.start < refs[0].start or not HAVE.search(text)):
            return None
        # "any guidance for X?" asks for the guidance; only "is there X" asks whether X is there
        if other or refs[0].method == "attached" or THERE_IS.search(text):
            return Query("yes_no", refs[:1], cls=other.cls if other else None)
    return None


def _asked_class(text, classes):
    """Which of the classes a question lists: the one right after "which" / "哪些", else in
    Chinese the one after the last 的 ("通过管道相连的泵" lists pumps), else the first."""
    if not classes:
        return None
    for c in classes:
        if WH_BEFORE.search(text[:c.start].rstrip() + (" " if not CJK_RE.search(text[c.start]) else "")):
            return c
    last = classes[-1]
    if len(classes) > 1 and CJK_RE.search(text[last.start]) and text[:last.start].endswith("的"):
        return last
    return classes[0]


def _possessive(text, classes, refs):
    """"pumps of pipe 15-12", "5号泵的管道": the class is owned by the entity next to it."""
    for c in classes:
        for r in refs:
            if c.end <= r.start and re.fullmatch(r" ?(?:of|on|at|for|in)(?: the)? ?", text[c.end:r.start]):
                return True
            if r.end <= c.start and re.fullmatch(r"的|上的| ?'?s ?", text[r.end:c.start]):
                return True
    return False


def _head_and_filter(text, classes):
    """(the class listed, the class its members must have): "pumps with motors", "motor
    pumps", "有电机的泵", "电机所在泵" all list pumps that have a motor."""
    classes = [c for n, c in enumerate(classes) if all(c.cls != o.cls for o in classes[:n])]  # "水泵（泵）"
    if len(classes) < 2:
        return classes[0].cls, None
    a, b = classes[0], classes[1]
    before_b = text[:b.start].rstrip()
    relative = RELATIVE.fullmatch(text[a.end:b.start].strip())  # "buses at which generators ...": lists buses
    if WH_BEFORE.search(before_b + (" " if not CJK_RE.search(text[b.start]) else "")) and not relative:
        return b.cls, a.cls  # "电机都装在哪些泵上": the class after "which" is listed
    between = text[a.end:b.start]
    if not between.strip() or "的" in between or "所在" in between:
        return b.cls, a.cls
    return a.cls, b.cls


def _unit_word(index, text, ref):
    """The attribute a unit or attribute word alone asks for ("the kW of pump 5", "5号泵多少千瓦"):
    of the words present, longest first, the first whose attribute the entity has."""
    from .execute import _value

    for word in sorted(index.structure.units, key=len, reverse=True):
        attribute = index.structure.units[word]
        if _has_word(text, word) and any(v is not None for v in _value(index, ref.node, attribute)):
            return attribute
    return None


def _one(items):
    return items[0] if items else None


def takeable_refs(index, refs):
    """The mentions of what can be taken out: entities of a class that joins numbered ones."""
    return [r for r in refs if any(index.is_a(index.g.nodes[r.node].get("cls"), c) for c in index.structure.joins)]


def _same_numbered(index, ref, cls):
    own = index.g.nodes[ref.node].get("cls")
    return bool(index.structure.numbered) and own == index.structure.numbered and cls == own \
        and index.topology is not None


def _is_own_class(index, ref, class_ref, q):
    """The class word that only names the entity's own kind ("the pump X" / "X pump"), right
    next to its mention, is not the class asked about."""
    own = index.g.nodes[ref.node].get("cls")
    if not index.is_a(own, class_ref.cls):
        return False
    gap = q[class_ref.end:ref.start] if class_ref.end <= ref.start else q[ref.end:class_ref.start]
    return re.sub(r"\s|的|号|(?<![a-z])(?:the|no|number)(?![a-z])", "", gap) == ""
