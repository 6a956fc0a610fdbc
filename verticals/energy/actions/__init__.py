"""Energy writes, by subject: grids (importing a pandapower case as a graph), faults
(incidents a dispatcher opens and clears), fault_kb (loading the dispatch fault
knowledge base), patrol (detector findings recorded as graph events). Each validates,
runs in one transaction and records who did it in the audit log."""
