"""The text side of question answering: normalisation, grams, bilingual names, and the
checks every question passes first. Pure string work, no graph."""
import re
import unicodedata

MAX_QUESTION_CHARS = 500

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
_TOKEN_RE = re.compile(f"[{CJK}]+|[a-z0-9]+(?:\\.[0-9]+)?")
PAREN_RE = re.compile(r"\s*[\(（][^\)）]*[\)）]\s*")
_SPLIT_RE = re.compile(r"\s+/\s+|\s*／\s*")
_WORD_CHAR = re.compile(r"[a-z0-9]")
STOP_WORDS = frozenset("a an the of is are was were be to in on at by for with and or what which who whom how "
                       "does do did can could should would will i we you it its this that these those there when "
                       "where why after before from into than then so as no not".split())


class QAError(ValueError):
    """Bad input (an empty or over-long question, an unknown entity key): answered 400."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def check_question(question):
    if not isinstance(question, str) or not question.strip():
        raise QAError("question", "question is required (text in Chinese or English)")
    if len(question) > MAX_QUESTION_CHARS:
        raise QAError("question", f"question is {len(question)} characters; at most {MAX_QUESTION_CHARS}")
    return question.strip()


def language(text):
    return "zh" if CJK_RE.search(text or "") else "en"


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# a number written in Chinese where it numbers something: "三号", "十二#", "第三段"; not "一下", "统一", "一台"
_ZH_NUMBER_RE = re.compile(r"(?<![零〇一二三四五六七八九十百])([零〇一二三四五六七八九十百]{1,6})(?=号|#|＃)"
                           r"|(?<=第)([零〇一二三四五六七八九十百]{1,6})")


def zh_number(text):
    """The value of a Chinese numeral below 1000 ("十二" 12, "一百零八" 108, "三五" 35), or None."""
    if not text:
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(_ZH_DIGITS[c]) for c in text)) if all(c in _ZH_DIGITS for c in text) else None
    total, digit = 0, None
    for c in text:
        if c in _ZH_DIGITS:
            digit = _ZH_DIGITS[c]
        elif c in "十百":
            total += (1 if digit is None else digit) * (10 if c == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def arabic_numbers(text):
    """Chinese numerals that number something as digits: "三号泵" -> "3号泵", "第十二段" -> "第12段"."""
    def digits(m):
        value = zh_number(m.group(1) or m.group(2))
        return m.group(0) if value is None else str(value)
    return _ZH_NUMBER_RE.sub(digits, text)


def norm(text):
    """Lower case, NFKC (full-width -> ASCII), Chinese numerals that number something as digits,
    punctuation -> space, and spaces kept only between two Latin letters or digits ("泵 3" ->
    "泵3", "Pump  3" -> "pump 3")."""
    text = arabic_numbers(unicodedata.normalize("NFKC", str(text)).lower())
    text = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)  # keep decimal points
    text = re.sub(r"\s*[,;!?、。]+\s*", " | ", text)  # clause ends (NFKC made "，" ","): no name spans them
    text = re.sub(f"[^a-z0-9{CJK}\0|]+", " ", text).replace("\0", ".")
    text = re.sub(r"\s+", " ", text).strip(" |")
    text = re.sub(r"(?:\s*\|\s*)+", "|", text)
    return re.sub(r"(?<![a-z0-9.]) | (?![a-z0-9])", "", text)


def stem(word):
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text):
    """(gram, start, end) over normalised text: character bigrams of Chinese runs (the
    character itself for a run of one), stemmed Latin words without stop words."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        run, start = m.group(), m.start()
        if CJK_RE.match(run):
            if len(run) == 1:
                out.append((run, start, start + 1))
            out.extend((run[i:i + 2], start + i, start + i + 2) for i in range(len(run) - 1))
        elif run not in STOP_WORDS:
            out.append((stem(run), start, m.end()))
    return out


def boundary_ok(text, start, end):
    """A mention may not cut a Latin word or a number in two ("pump 1" in "pump 12")."""
    if _WORD_CHAR.match(text[start]) and start > 0 and _WORD_CHAR.match(text[start - 1]):
        return False
    if _WORD_CHAR.match(text[end - 1]) and end < len(text) and _WORD_CHAR.match(text[end]):
        return False
    return True


def split_name(name):
    """The parts of a bilingual "English / 中文" name; a name whose parts are not one in
    Chinese and one without ("Valve Pump 4 / Pump 7") is one name."""
    parts = [p.strip() for p in _SPLIT_RE.split(name or "") if p.strip()]
    if len(parts) == 2 and bool(CJK_RE.search(parts[0])) != bool(CJK_RE.search(parts[1])):
        return parts
    return [name.strip()] if name and name.strip() else []


def display(data, lang):
    """A node's name in the wanted language (the other part when it has only one)."""
    parts = split_name((data or {}).get("name") or "")
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    zh = [p for p in parts if CJK_RE.search(p)]
    en = [p for p in parts if p not in zh]
    return ((zh if lang == "zh" else en) or parts)[0]
