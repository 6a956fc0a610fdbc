import pytest

from core.kg.lib.graph import from_rows
from core.kg.lib.triples import parse_json


@pytest.fixture(scope="session")
def nets():
    """Each shipped case loaded once per session: name -> pandapower net (treat as read-only)."""
    from verticals.energy.lib.grid_import import load_case

    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = load_case(name)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def topo(nets):
    """name -> bus-branch topology built from the case's knowledge-graph triples."""
    from verticals.energy.lib import restoration
    from verticals.energy.lib.grid_import import net_to_triples

    cache = {}

    def get(name):
        if name not in cache:
            ents, rels, errs = parse_json(net_to_triples(nets(name), case=name))
            assert errs == []
            cache[name] = restoration.topology(from_rows(ents, rels))
        return cache[name]

    return get
