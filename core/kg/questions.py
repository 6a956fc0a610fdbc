"""The words a graph is asked in: the qa.py of the vertical whose ontology types it
(registered by the vertical contract as a QAWords) made into the question index's
vocabulary, class words, refusals and structure (numbering, joins, units, engines). A graph
of a vertical without one gets templates derived from its relation names and the generic
refusals only."""
from core.platform.verticals import registry

from .lib.qa.intents import REJECT, intent
from .lib.qa.structure import NONE, Outcome, Structure


def index_words(vertical):
    """QAIndex keyword arguments (vocabulary, class_words, reject, structure) for a graph of `vertical`."""
    words = registry["qa"].get(vertical)
    if words is None:
        return {"vocabulary": (), "class_words": {}, "reject": REJECT, "structure": NONE}
    vocabulary = tuple(
        intent(en=p.en, zh=p.zh, says_en=p.says_en, says_zh=p.says_zh, relation=p.relation, direction=p.direction,
               target=p.target, attribute=p.attribute, cues=p.cues) for p in words.phrasings)
    structure = Structure(
        numbered=words.numbered, abbreviations=dict(words.abbreviations), joins=dict(words.joins),
        units=dict(words.units), inactive=tuple(words.inactive), topology=words.topology, what_if=words.what_if,
        what_if_words=tuple(words.what_if_words), synonyms=tuple(tuple(g) for g in words.synonyms),
        class_aliases={k: tuple(v) for k, v in words.class_aliases.items()},
        number_suffixes={k: tuple(v) for k, v in words.number_suffixes.items()},
        outcomes={k: Outcome(o.words, o.says_en, o.says_zh) for k, o in words.outcomes.items()})
    return {"vocabulary": vocabulary, "class_words": dict(words.class_words), "reject": REJECT + tuple(words.reject),
            "structure": structure}
