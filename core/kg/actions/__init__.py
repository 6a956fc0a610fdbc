"""Every write to a knowledge graph: validated against the vertical's ontology, atomic,
audited, and bumping the graph's version. Split by subject: graphs, facts, imports."""
