"""The words a graph is asked in: the qa.py of the vertical whose ontology types it
(registered by the vertical contract as a QAWords) made into the question index's
vocabulary, class words and refusals. A graph of a vertical without one gets templates
derived from its relation names and the generic refusals only."""
from core.platform.verticals import registry

from .lib.qa.intents import REJECT, intent


def index_words(vertical):
    """QAIndex keyword arguments (vocabulary, class_words, reject) for a graph of `vertical`."""
    words = registry["qa"].get(vertical)
    if words is None:
        return {"vocabulary": (), "class_words": {}, "reject": REJECT}
    vocabulary = tuple(
        intent(en=p.en, zh=p.zh, says_en=p.says_en, says_zh=p.says_zh, relation=p.relation, direction=p.direction,
               target=p.target, attribute=p.attribute, cues=p.cues) for p in words.phrasings)
    return {"vocabulary": vocabulary, "class_words": dict(words.class_words), "reject": REJECT + tuple(words.reject)}
