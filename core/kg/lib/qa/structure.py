"""What a vertical tells the parser about its graphs' structure, beyond relation phrasings
(core/kg/questions.py fills it from the vertical's qa.py): the class named by bare numbers,
short forms, what joins two entities, units, what "out of operation" looks like, and the
engines (topology, what-if) that answer questions the graph's edges alone cannot."""
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Outcome:
    words: tuple
    says_en: str
    says_zh: str


@dataclass(frozen=True)
class Structure:
    numbered: str = ""
    abbreviations: dict = field(default_factory=dict)   # class -> ("b",)
    joins: dict = field(default_factory=dict)           # class -> (relation, (short words,))
    units: dict = field(default_factory=dict)           # "kv" -> "vn_kv"
    inactive: tuple = ()                                # (("in_service", False),)
    topology: Callable | None = None
    what_if: Callable | None = None
    what_if_words: tuple = ()
    outcomes: dict = field(default_factory=dict)        # name -> Outcome, the first the default
    synonyms: tuple = ()                                # (("电流互感器", "ct"), ...)
    class_aliases: dict = field(default_factory=dict)   # class -> ("generating unit", ...)
    number_suffixes: dict = field(default_factory=dict)  # class -> ("m",): "8M" is the eighth

    def active(self, data):
        attrs = (data or {}).get("attributes") or {}
        return not any(attrs.get(a) == v for a, v in self.inactive)


NONE = Structure()
