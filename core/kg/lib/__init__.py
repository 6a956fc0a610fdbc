"""Pure knowledge-graph logic: ontology checks, triple parsing, path queries, export. No Django."""
