"""What a question may ask (an Intent: a relation in one direction, or an attribute), the
intents made for relations no vertical phrases, and the kinds of question to refuse."""
from dataclasses import dataclass

from .text import STOP_WORDS, stem


@dataclass(frozen=True)
class Intent:
    """What a question asks: follow `relation` from the subject ("out": subject is the
    source, "in": the target), keeping answers of class `target`; or read `attribute`."""

    id: str
    en: tuple
    zh: tuple
    says_en: str
    says_zh: str
    relation: str | None = None
    direction: str = "out"
    target: str | None = None
    attribute: str | None = None
    cues: frozenset = frozenset()  # words (stemmed) or Chinese phrases that show this intent


def intent(*, en, zh, says_en, says_zh, relation=None, direction="out", target=None, attribute=None, cues=""):
    """An Intent from a phrasing (the fields of core.platform.verticals.QAPhrasing, which
    a vertical's qa.py declares): its id, and its cue words stemmed."""
    if attribute:
        iid, direction = f"attribute:{attribute}", "attr"
    else:
        iid = f"{relation}:{direction}" + (f":{target}" if target else "")
    return Intent(iid, tuple(en), tuple(zh), says_en, says_zh, relation=relation, direction=direction, target=target,
                  attribute=attribute, cues=frozenset(stem(w) for w in cues.split()))


# Questions about an entity that no graph holds (price, maker, age, staff, ...): when one
# of these fits better than every relation, the answer is "I don't know" rather than the
# nearest relation's facts. A vertical's qa.py may add kinds its own graphs never hold.
REJECT = (
    "what is the price of X", "how much does X cost", "who built X", "who manufactured X", "who owns X",
    "when was X built", "when was X commissioned", "how old is X", "how many employees work at X",
    "what is the population of X", "what is the GDP of X", "what is the phone number of X", "what is the address of X",
    "tell me a joke about X", "what is the history of X", "is X good",
    "X多少钱", "X的价格是多少", "X是谁建的", "X是哪个厂家生产的", "X归谁所有", "X是哪一年建成的", "X什么时候投运的",
    "X用了多少年", "X有多少名员工", "X有多少人口", "X的GDP是多少", "X的电话是多少", "X的地址在哪里", "讲一个关于X的笑话",
    "X的历史",
)


def derived_intents(relation, description=""):
    """English templates for a relation the vocabulary does not know, from its name; the
    words of its name are its cues ("where is X located" asks located_in)."""
    words = relation.replace("_", " ")
    cues = " ".join(w for w in words.split() if w not in STOP_WORDS)
    en_out = [f"X {words} what", f"what does X {words}", f"what is X {words}"]
    en_in = [f"what {words} X", f"which things {words} X"]
    if description:
        en_out.append(f"X: {description}")
    return (intent(relation=relation, direction="out", en=en_out, zh=[f"X{words}什么"], says_en=f"{{x}} {words}",
                   says_zh=f"{{x}} {words}", cues=cues),
            intent(relation=relation, direction="in", en=en_in, zh=[f"什么{words}X"], says_en=f"{words} {{x}}",
                   says_zh=f"{words} {{x}}", cues=cues))
