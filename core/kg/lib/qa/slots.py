"""What a normalised question names, before deciding what it asks: entities (by name, by
the number people use for the numbered class, or as "the <class> between A and B"),
classes ("pumps", "泵"), and quantities ("135 kV"). Pure string work over the index's
names and the vertical's structure; bounded by the question's length."""
import re
from dataclasses import dataclass, field

from .execute import adjacent
from .text import CJK, CJK_RE

_NUM = r"([0-9]+[a-z]?)"
_LABELLED = r"(?:labelled|labeled|numbered|named|called|tagged|with number|with the number|nr)"
_ZH_MEASURE = r"(?:号|条|个|座|台|段)"  # "5号泵", "第5台泵"
PAIR = "至"  # "2-4" becomes "2至4" before normalisation (norm drops hyphens)
_HYPHEN_PAIR = re.compile(r"(?<=[0-9])\s*[-–—－~～]\s*(?=[^\W\d_]{0,6}\s?[0-9])")  # 2-4, P6-P7, 泵3-泵4


@dataclass
class Ref:
    """An entity the question names: `nodes` (parallel circuits: several), where, how."""

    nodes: list
    start: int
    end: int
    method: str          # "name" | "number" | "join" | "given"
    score: float = 1.0

    @property
    def node(self):
        return self.nodes[0]


@dataclass
class ClassRef:
    cls: str
    start: int
    end: int


@dataclass
class Quantity:
    value: float
    attribute: str
    op: str              # "eq" | "gt" | "lt"
    start: int
    end: int


@dataclass
class Slots:
    refs: list = field(default_factory=list)
    classes: list = field(default_factory=list)
    quantities: list = field(default_factory=list)
    unknown_numbers: list = field(default_factory=list)  # "pump 999": a numbered mention nothing answers to
    absent: list = field(default_factory=list)  # (class, start, end): "the pump at site 9" where there is none
    missing: list = field(default_factory=list)  # (text, start, end): "the pipe between 2 and 9" where none runs

    def covered(self, start, end, sure=False):
        """Whether a mention (a sure one, when asked: not a near name) spans [start, end)."""
        return any(r.start <= start and end <= r.end for r in self.refs if not sure or r.score >= 0.999)


_COMPARISONS = ((re.compile(r"\s*(?:>=|≥|＞=)\s*"), " at least "), (re.compile(r"\s*(?:<=|≤|＜=)\s*"), " at most "),
                (re.compile(r"\s*[>＞]\s*"), " more than "), (re.compile(r"\s*[<＜]\s*"), " less than "))


# "#5", "5#", "5#泵": the number of something, as "5号" says it ("5号泵", a bare "5号")
_NUMBER_SIGN = re.compile(r"[#＃]\s*([0-9]+)(?:\s*[#＃])?(?!\s*[0-9号])|([0-9]+)\s*[#＃](?!\s*[0-9号])")
_SLASH_PAIR = re.compile(r"(?<=[0-9])\s*/\s*(?=[^\W\d_]{0,6}\s?[0-9])")


_WORDED_PAIR = re.compile(r"([0-9][^\W\d_]{1,3})\s*[-–—－~～]\s*(?=[^\W\d_]{0,6}\s?[0-9])")  # 8母-2母


def mark_pairs(text):
    """"2-4" and "2/4" -> "2至4": a pair of numbers survives normalisation; "#5" is 5; and
    comparison signs become words ("> 2 km" -> "more than 2 km")."""
    text = _NUMBER_SIGN.sub(lambda m: (m.group(1) or m.group(2)) + "号", text)
    for sign, words in _COMPARISONS:
        text = sign.sub(words, text)
    text = _WORDED_PAIR.sub(lambda m: m.group(1) + PAIR, text)
    return _SLASH_PAIR.sub(PAIR, _HYPHEN_PAIR.sub(PAIR, text))


def _alternation(words):
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else "(?!x)x"


def class_words_of(index, cls, short=True):
    """The words that name `cls`; `short`: also one-character Chinese forms ("母" of "5母"), which
    only count right next to a number, never as a class mention of their own."""
    en, zh = index.class_words.get(cls, ("", ()))
    out = [w for w in (en, en + "s", en + "es") if en] + list(zh)
    for alias in index.structure.class_aliases.get(cls, ()):
        if CJK_RE.search(alias):
            if short or len(alias) > 1:
                out.append(alias)
        else:
            out.extend((alias, alias + "s"))
    if cls in index.structure.joins:
        out.extend(index.structure.joins[cls][1])
    return out


def _endpoint_pattern(index):
    """A mention of the numbered class by its number: "pump 5", "p5", "5号泵", "泵5", "5"."""
    numbered = index.structure.numbered
    if not numbered:
        return None
    words = _alternation(class_words_of(index, numbered) + [s for s in index.structure.abbreviations.get(numbered, ())
                                                            if len(s) > 1])
    short = _alternation(index.structure.abbreviations.get(numbered, ()))
    # after the number, the longest class word is taken for good (atomic), except where it would
    # eat the start of a joining class word (with 泵房 a pump word and 房屋 a join word, "2泵房屋" is pump 2's 房屋)
    after = _alternation(class_words_of(index, numbered))
    eaten = [j[1:] for cls in index.structure.joins for j in class_words_of(index, cls)
             if CJK_RE.search(j) and len(j) > 1 and any(w.endswith(j[0]) for w in class_words_of(index, numbered))]
    guard = f"(?!{_alternation(eaten)})" if eaten else ""
    suffix = _alternation(index.structure.number_suffixes.get(numbered, ()))
    return (rf"(?:{words} ?(?:no |number |{_LABELLED} )?|{short}|第|(?:编号|序号)(?:为|是)?)?{_NUM}{_ZH_MEASURE}?"
            rf"(?>的?(?:{after}){guard}|{suffix}(?![a-z])|)")


def _by_number(index, number):
    found = index.by_number.get(number.lstrip("0") or "0", []) or index.by_number.get(number, [])
    if not found and number[-1:].isalpha() and number[-1] in index.structure.number_suffixes.get(
            index.structure.numbered, ()):
        return _by_number(index, number[:-1])  # "15m的泵": the number read with its suffix
    return found


def _numbered_patterns(index):
    numbered = index.structure.numbered
    all_words = class_words_of(index, numbered)
    words = _alternation(all_words)
    zh = _alternation([w for w in all_words if CJK_RE.search(w)])
    shorts = index.structure.abbreviations.get(numbered, ())
    # one letter only right before the number ("b5"); a longer short form also with a space ("node 5")
    short = _alternation([s for s in shorts if len(s) == 1]) if any(len(s) == 1 for s in shorts) else "(?!x)x"
    long_short = _alternation([s for s in shorts if len(s) > 1])
    # "5 pumps" counts pumps; only Chinese puts the number before the class word ("5号泵")
    suffix = _alternation(index.structure.number_suffixes.get(numbered, ()))
    latin = _alternation([w for w in all_words if not CJK_RE.search(w)])
    # a bare "4号" is one of the numbered class unless a word of another class follows ("4号泵房")
    # or it is a day ("5月4号")
    other_words = _alternation([w for cls in index.class_words if cls != numbered
                                for w in class_words_of(index, cls)])
    patterns = (rf"(?<![a-z0-9]){words} ?(?:no |number |{_LABELLED} )?{_NUM}(?:号)?(?![a-z0-9])",
                rf"(?<![a-z0-9.]){_NUM}号 ?{latin}(?![a-z])",  # "4号pump"
                rf"(?<![a-z0-9.月]){_NUM}号(?![0-9]| ?{words}| ?{other_words})",
                rf"(?<![a-z0-9.])([0-9]+){suffix}(?![a-z0-9])",
                rf"(?<![a-z0-9.]){_NUM}{_ZH_MEASURE}?{zh}", rf"(?<![a-z0-9]){short}{_NUM}(?![a-z0-9])",
                rf"(?<![a-z0-9]){long_short} ?(?:no |number |{_LABELLED} )?{_NUM}(?![a-z0-9])",
                rf"(?:编号|序号)(?:为|是)?{_NUM}(?:号)?的?{zh}",
                rf"{zh}(?:编号|序号|no ?|nr ?)(?:为|是)?{_NUM}(?:号)?(?![0-9a-z])")  # "泵编号5", "泵no 5"
    # "pumps 4 and 5", "pump 4, 5 and 7", "4号和5号泵", "4、5号泵": one mention per number
    listed = (rf"(?<![a-z0-9]){words} ?({_NUM}(?: ?(?:,|and|&|or) ?{_NUM})+)(?![a-z0-9])",
              rf"(?<![a-z0-9.])({_NUM}号?(?:(?:和|与|及|、|\||或)?{_NUM}号?)+){zh}")  # norm made 、 a |
    return [re.compile(p) for p in patterns], [re.compile(p) for p in listed]


def numbered_refs(index, q):
    """Mentions of the numbered class by number with its class word or short form next to it."""
    if not index.structure.numbered:
        return [], []
    patterns, listed = index.cached("numbered", lambda: _numbered_patterns(index))
    found, unknown = [], []
    for pattern in patterns:
        for m in pattern.finditer(q):
            keys = _by_number(index, m.group(1))
            if keys:
                found.append(Ref(list(keys), m.start(), m.end(), "number"))
            else:
                unknown.append((m.group(0), m.start(), m.end()))
    for pattern in listed:
        for m in pattern.finditer(q):
            for n in re.finditer(_NUM, m.group(1)):
                keys = _by_number(index, n.group(1))
                start, end = m.start(1) + n.start(), m.start(1) + n.end()
                if keys:
                    found.append(Ref(list(keys), start, end, "number"))
                else:
                    unknown.append((n.group(0), start, end))
    return found, unknown


def join_refs(index, q):
    """"the pipe between pump 2 and pump 4", "2至4管", "pipe 2至4", "连接2号泵和4号泵的管道": the
    entities of a joining class related to both ends; and the spans naming a join nothing
    makes ("the pipe between pump 2 and pump 9" where no pipe runs)."""
    if index.structure.numbered is None or not index.structure.joins:
        return [], []
    found, missing = [], []
    for cls, relation, patterns in index.cached("joins", lambda: _join_patterns(index)):
        for pattern in patterns:
            for m in pattern.finditer(q):
                a, b = (n for n in m.groups() if n)
                ends_a, ends_b = _by_number(index, a), _by_number(index, b)
                nodes = sorted(_joining(index, cls, relation, ends_a, ends_b))
                if not nodes:  # "the line between 7 and 8" where a transformer joins them: that one
                    nodes = sorted({n for other, (rel, _) in index.structure.joins.items()
                                    for n in _joining(index, other, rel, ends_a, ends_b)})
                if nodes:
                    found.append(Ref(nodes, m.start(), m.end(), "join"))
                elif ends_a and ends_b:
                    missing.append((m.group(0), m.start(), m.end()))
    return found, missing


def _join_patterns(index):
    end_pat = _endpoint_pattern(index)
    out = []
    for cls, (relation, _) in index.structure.joins.items():
        words = class_words_of(index, cls)
        cw = _alternation(words)
        # a one-character or Latin word only on its own ("主泵" is no 泵 of its own); a longer Chinese
        # word wherever it stands ("在管道2至4", "输水管道2至4")
        long_zh = [w for w in words if CJK_RE.search(w) and len(w) > 1]
        own = (rf"(?:(?<![{CJK}a-z0-9]){_alternation([w for w in words if w not in long_zh])}"
               rf"|{_alternation(long_zh)})")
        patterns = (
            (rf"(?<![{CJK}a-z0-9]){cw} ?(?:that )?(?:between|connecting|connects|linking|links|joining|joins|from"
             r"|running between|tying|ties|that ties|tied to|of)"
             rf" {end_pat} ?(?:and|to|with|&|和|与) ?{end_pat}"),
            rf"{end_pat} ?{PAIR} ?{end_pat} ?{cw}",
            rf"{own} ?{end_pat} ?{PAIR} ?{end_pat}",
            rf"(?<![{CJK}a-z0-9]){cw} {end_pat} (?:to|and) {end_pat}(?![a-z0-9])",
            rf"(?<![a-z0-9]){end_pat} (?:to|and) {end_pat} {cw}(?![a-z])",  # the 65-to-66 transformer
            rf"(?:连接|连着|联接|接在)?{end_pat}(?:和|与|及|跟|到|至|、|\|){end_pat}(?:之间|间)?(?:的|之)?"
            rf"(?:那条|那个|那台|这条|这个)?{cw}",
            # "以2号泵和4号泵为端点的管道": named by its two ends
            rf"以{end_pat}(?:和|与|及|跟|、|\|){end_pat}为(?:两端|端点|两个端点|首末端|首末端点|起止点|起点和终点)的?{cw}",
            rf"(?<![{CJK}a-z0-9]){cw} (?:between|connecting|linking|joining) {end_pat} ?{PAIR} ?{end_pat}",
        )
        out.append((cls, relation, [re.compile(p) for p in patterns]))
    return out


# between "3号站" and the class word of what stands there: 的, 上的, 处的, 所接的, 这台, 那边的那台 ...
_ZH_AT = (r"(?:上面|下面|那边|这边|那里|这里|那儿|这儿|上|处)?(?:的|所接的?|所连的?|所带的?)?"
          r"(?:那|这)?(?:台|个|条|座)?")


def attached_refs(index, q):
    """"the pump at site 3", "3号站的泵": the entities of a class attached to a numbered one
    (an edge either way); and the spans naming one that is not there ("the pump at site 9"
    where site 9 has none), for yes/no questions."""
    if index.structure.numbered is None:
        return [], []
    found, absent = [], []
    for cls, patterns in index.cached("attached", lambda: _attached_patterns(index)):
        for pattern in patterns:
            for m in pattern.finditer(q):
                buses = _by_number(index, next(n for n in m.groups() if n))
                nodes = sorted({n for b in buses for n in adjacent(index, b, cls)[0]})
                if nodes:
                    found.append(Ref(nodes, m.start(), m.end(), "attached"))
                elif buses:
                    absent.append((cls, m.start(), m.end()))
    return found, absent


def _attached_patterns(index):
    end_pat = _endpoint_pattern(index)
    numbered = index.structure.numbered
    out = []
    for cls in index.class_words:
        if cls == numbered or cls in index.structure.joins or index.is_a(numbered, cls):
            continue
        words = class_words_of(index, cls, short=False)
        latin = _alternation([w for w in words if not CJK_RE.search(w)])
        patterns = [rf"(?<![a-z]){latin} (?:(?:located|sitting|sited|installed|connected|placed) )?(?:at|on|of|in)"
                    rf"(?: the)? {end_pat}(?![a-z0-9])", rf"{end_pat} {latin}(?![a-z])",
                    rf"{end_pat}{_ZH_AT}{_alternation([w for w in words if CJK_RE.search(w)])}"]
        out.append((cls, [re.compile(p) for p in patterns]))
    return out


def _joining(index, cls, relation, ends_a, ends_b):
    g = index.g
    out = set()
    for a in ends_a:
        for src, _, d in g.in_edges(a, data=True):
            if d.get("type") == relation and index.is_a(g.nodes[src].get("cls"), cls) and any(
                    dst in ends_b and dd.get("type") == relation for _, dst, dd in g.out_edges(src, data=True)):
                out.add(src)
    return out


def _class_patterns(index):
    out = []
    for cls in index.class_words:
        for w in class_words_of(index, cls, short=False):
            latin = not CJK_RE.search(w)
            out.append((cls, w, latin, re.compile(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z])" if latin else re.escape(w))))
    return out


def class_refs(index, q, slots):
    found = []
    for cls, w, latin, pattern in index.cached("classes", lambda: _class_patterns(index)):
        if not latin and w not in q:
            continue
        for m in pattern.finditer(q):
            if slots.covered(m.start(), m.end(), sure=True):
                continue
            before = re.search(r"([a-z]+) $", q[:m.start()])
            if latin and before and f"{before.group(1)} {w.rstrip('s')}" in index.word_pairs:
                continue  # "short circuit" in a fault's name is no circuit
            found.append(ClassRef(cls, m.start(), m.end()))
    # the longest word at a place wins ("pumps" over "pump"); words of one class that overlap or
    # touch name it once ("输水管道" holds 输水管 and 管道, "用户水泵" two words: one pump)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept = []
    for c in found:
        if any(k.start <= c.start and c.end <= k.end for k in kept):
            continue
        same = next((k for k in kept if k.cls == c.cls and k.start < c.end and c.start <= k.end), None)
        if same is not None:
            same.end = c.end
        else:
            kept.append(c)
    return kept


_GT = (r"(?:(?:longer|more|greater|higher|larger|bigger|more long) th[ae]n|above|over|beyond|exceeds?"
       r"|exceeding|in excess of|upwards of|at least|超过|超出|大于|高于|多于|长于|大过|长过|不少于|不低于)")
_LT = r"(?:(?:shorter|less|lower|smaller) th[ae]n|below|under|at most|小于|低于|少于|短于|不到|不超过)"
_THAN_MORE = r"(?:还|更|要)?(?:长|大|高|多|远|重)"
_THAN_LESS = r"(?:还|更|要)?(?:短|小|低|少|近|轻)"
_AFTER_GT = r"(?:以上|及以上)"
_AFTER_LT = r"(?:以下|及以下|以内)"


def quantities(index, q):
    units = index.structure.units
    if not units:
        return []
    pattern = index.cached("quantities", lambda: re.compile(
        rf"(?:({_GT}|{_LT}) ?)?([0-9]+(?:\.[0-9]+)?) ?({_alternation(units)})(?![a-z])(?: ?({_AFTER_GT}|{_AFTER_LT}))?"))
    found = []
    for m in pattern.finditer(q):
        before, value, word, after = m.groups()
        op = "eq"
        if q[:m.start()].endswith("比"):  # "比0.8公里长": than 0.8 km, longer / shorter
            rest = q[m.end():]
            if re.match(_THAN_MORE, rest):
                before = "超过"
            elif re.match(_THAN_LESS, rest):
                before = "小于"
        if (before and re.fullmatch(_GT, before)) or (after and re.fullmatch(_AFTER_GT, after)):
            op = "gt"
        elif (before and re.fullmatch(_LT, before)) or (after and re.fullmatch(_AFTER_LT, after)):
            op = "lt"
        found.append(Quantity(float(value), units[word], op, m.start(), m.end()))
    return found


def this_one(index, q):
    """"3号泵运行中，该泵的电机…": "该泵" / "此泵" / "这台泵" said again as the numbered mention
    before it, so that what follows reads as about pump 3."""
    numbered = index.structure.numbered
    if not numbered:
        return q
    patterns, _ = index.cached("numbered", lambda: _numbered_patterns(index))
    pointer = index.cached("this", lambda: re.compile(
        rf"(?:该|此|这|本)(?:条|段|台|个|根|座)?"
        rf"{_alternation([w for w in class_words_of(index, numbered, short=False) if CJK_RE.search(w)])}"))
    out, last, at = [], None, 0
    mentions = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(q) if _by_number(index, m.group(1)))
    for m in pointer.finditer(q):
        before = [span for span in mentions if span[1] <= m.start()]
        if before:
            last = q[before[-1][0]:before[-1][1]]
            out.append(q[at:m.start()] + last)
            at = m.end()
    return "".join(out) + q[at:] if out else q


def find_slots(index, q, name_mentions):
    """The slots of normalised question `q`; name_mentions: linking.mentions() output."""
    slots = Slots()
    joins, no_join = join_refs(index, q)
    attached, slots.absent = attached_refs(index, q)
    numbers, unknown = numbered_refs(index, q)
    names = [Ref([m.node], m.start, m.end, "name" if m.method != "given" else "given", m.score)
             for m in name_mentions]
    # surer mentions first, then longer ones; one that lies inside a taken one is dropped
    for ref in sorted(joins + attached + numbers + names, key=lambda r: (-round(r.score, 6), -(r.end - r.start))):
        if ref.end > ref.start and any(r.start <= ref.start and ref.end <= r.end for r in slots.refs):
            continue
        if any(set(ref.nodes) == set(r.nodes) for r in slots.refs):
            continue
        slots.refs.append(ref)
    slots.refs.sort(key=lambda r: r.start)
    # a near name spanning them does not explain away what the question names and nothing is
    slots.unknown_numbers = [u for u in unknown if not slots.covered(u[1], u[2], sure=True)]
    slots.absent = [a for a in slots.absent if not slots.covered(a[1], a[2], sure=True)]
    slots.missing = [j for j in no_join if not slots.covered(j[1], j[2], sure=True)]
    slots.quantities = [x for x in quantities(index, q) if not slots.covered(x.start, x.end, sure=True)]
    slots.classes = [c for c in class_refs(index, q, slots)
                     if not any(x.start <= c.start and c.end <= x.end for x in slots.quantities)]
    return slots
