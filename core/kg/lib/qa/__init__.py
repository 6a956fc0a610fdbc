"""Question answering over a knowledge graph, in Chinese and English. Pure: no Django.

    from core.kg.lib.qa.index import QAIndex
    from core.kg.lib.qa.answer import answer

    index = QAIndex(g, embed, ontology=onto, vocabulary=..., class_words=..., structure=...)  # once per version
    result = answer(index, "Which sensors monitor Pump 7?")

It knows no domain: the relation phrasings (intents), the class words, the kinds of question
to refuse and the structure (which class people name by bare numbers, what joins two of
them, units, what "out of operation" looks like, and the topology and what-if engines) come
from the vertical whose ontology types the graph (its qa.py, made into QAIndex arguments by
core/kg/questions.py).

The modules, in the order a question meets them:

- text.py: normalisation, grams, bilingual names, and the question's own checks.
- index.py: QAIndex, the names (each numbered entity also as "<word> no N", a short form
  "B5", "N号<字>", "<字>N"), grams and template embeddings of one graph version, and the
  vertical's topology of its numbered class, built on first use.
- linking.py: names found in the question, exactly (the longest) or fuzzily (rare grams
  shared, confirmed by the sentence embedding of the span against the name).
- slots.py: what the question names: entities (by name, by number, or as "the <class>
  between A and B" / "A-B<class>", resolved to what joins both), classes ("pumps", "泵"),
  quantities ("135 kV", "longer than 10 km"), and numbered mentions nothing answers to.
- parse.py: a structural query from the question's frame words (bilingual, domain-free)
  and its slots: what_if (delegated to the vertical's engine), path (and hop count),
  yes_no, count, neighbours (through the vertical's topology), entities of a class next
  to an entity, class listing with a filter. None when no frame fits.
- execute.py: runs that query over the graph, the topology or the engine.
- answer.py: orchestrates; a question with no structural frame goes to relation matching:
  the question with the mention as "X" is embedded and compared with the bilingual
  templates of every relation or attribute the entity's class may have (0.3 link + 0.7
  intent similarity, cue words required below STRONG_INTENT); the relation is followed
  and its triples cited.

The answer (a dict): `answer` (None when it does not know; then `reason` starts with
"unknown entity" or "unsupported question", or says the graph holds no such fact), `intent`
(attribute | relation | neighbours | list | count | path | what_if | yes_no), `entities`
([{key, label, cls}]), `number` (a count, a hop count, a numeric attribute), `value`,
`boolean`, `path` (keys in order), `text` in the question's language (numbered and joining
entities said the way people say them: "7号泵", "4-7管"), `triples` cited, `query` run.
Entity lists the graph does not hold ("which pumps feed X" with none) are "I don't know"
(the graph may simply not record them); computed answers (a trip, a count) may be "none".

`embed(texts: list[str])` returns an (n, d) numpy array of L2-normalised rows; it is
injected (core/kg/embeddings.py loads the sentence encoder) so the package stays pure.
Every step is bounded by the question's length (at most MAX_QUESTION_CHARS) or by one
query over the graph, never by a search over all names, so no question can hang a worker.
"""
