"""Question answering over a knowledge graph, in Chinese and English. Pure: no Django.

    from core.kg.lib.qa.index import QAIndex
    from core.kg.lib.qa.answer import answer

    index = QAIndex(g, embed, ontology=onto, vocabulary=..., class_words=...)  # once per graph version
    result = answer(index, "Which sensors monitor Pump 7?")

It knows no domain: the relation phrasings (intents), the class words and the kinds of
question to refuse come from the vertical whose ontology types the graph (its qa.py,
made into QAIndex arguments by core/kg/questions.py).

The modules, in the order a question meets them:

- text.py: normalisation, grams, bilingual names, and the question's own checks.
- index.py: the intents (what a question may ask) and QAIndex, the names, grams and
  template embeddings of one graph version.
- linking.py: 1. entity linking. Every name a node answers to is looked for in the
  normalised question (each part of a bilingual "English / 中文" name, the name without
  its parenthesised part, the key, a code or title attribute, and "<word>3" / "3号<word>"
  for a "<Class> 3" when the vertical gives the class Chinese words). The longest exact
  mentions win. Without one, names that share enough rare character bigrams (Chinese)
  or words (English) with the question are candidates, scored half by that overlap and
  half by the sentence-embedding similarity of the covering question span and the name,
  above LINK_THRESHOLD.
- answer.py: 2. relation matching. The question with the mention replaced by "X" is
  embedded and compared with bilingual templates of every relation (direction and
  answer class) or attribute the entity's class may have in the ontology (a relation
  without a phrasing gets English templates made from its name). The best (entity,
  intent) pair by 0.3 link + 0.7 intent similarity is taken when its intent similarity
  reaches INTENT_THRESHOLD. 3. The answer: the projection is followed along the
  relation; the answer lists the entities (or the attribute value) and cites each
  triple used. Below a threshold, or with no matching fact, the answer is null with
  "I don't know" / "不知道".

`embed(texts: list[str])` returns an (n, d) numpy array of L2-normalised rows; it is
injected (core/kg/embeddings.py loads the sentence encoder) so the package stays pure.
Every step is bounded by the question's length (at most MAX_QUESTION_CHARS), never by
a search over the graph, so no question can hang a worker.
"""
