"""Server-rendered pages. Read-only: they filter through core.ui.scope and
core.hub.queries and never write models; the only POSTs (language, audit
verification) change nothing."""
