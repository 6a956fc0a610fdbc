"""The grids measured and their knowledge-graph documents, exactly as the energy vertical
imports them (grid_import.net_to_triples), with the dispatch fault knowledge base merged
into case14's document (as the demo loads it into its case14 graph)."""
from verticals.energy.lib.grid_import import net_to_triples, quiet_pandapower

# All ship with pandapower.networks (no download). grid_import.CASES lacks case9, case30
# and case57, so the networks are loaded here directly.
GRIDS = ("case9", "case14", "case30", "case57", "case118", "mv_oberrhein")
KB_GRID = "case14"   # the grid whose graph also holds the fault knowledge base


def load_net(case):
    """The pandapower network `case` (pandapower's chatter silenced)."""
    with quiet_pandapower():
        import pandapower.networks as pn

        return getattr(pn, case)()


def kb_document():
    """The shipped dispatch fault knowledge base as a triples document."""
    from verticals.energy.lib.fault_kb import read_kb

    return read_kb()


def document(case, net, kb=None):
    """The grid's import document ({"entities", "relations"}), plus the knowledge base's
    entities and relations when `kb` is given."""
    doc = net_to_triples(net, case=case)
    if kb is not None:
        doc = {"entities": doc["entities"] + kb["entities"], "relations": doc["relations"] + kb["relations"]}
    return doc
