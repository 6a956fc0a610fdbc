"""The question-answering benchmark of issue 19: questions generated over pandapower grids
in several paraphrase families (three to tune on, one held out), with the expected answers
computed independently of the QA code (pandapower tables and the networkx bus graph), and
the scorer that reads the engine's answer contract. bench/kg_qa.py runs it.

Modules: grids (the cases and their knowledge-graph documents), truth (expected answers),
families/ (the wordings), generate (seeded sampling into questions), score (strict
scoring and tables), search_set / search_heldout (entity search queries).

QA tuners: never read families/heldout.py or search_heldout.py, and never print their
failures (bench/kg_qa.py refuses to unless told --allow-heldout)."""
