"""A second opinion on truth.py, from other code (bench/kg_qa.py --check-truth):

- the buses cut from the slack by each trip agree with pandapower.topology.unsupplied_buses
  on the network with that branch out of service;
- each bus's neighbours agree with a scan of the line, transformer and switch tables;
- each bus's number is the one its knowledge-graph name carries ("Bus <n>").
"""


def _table_neighbours(net):
    """bus -> buses one in-service branch (or closed bus-bus switch) away, from the tables."""
    open_lines = set()
    if "switch" in net and len(net.switch):
        sw = net.switch
        open_lines = {int(e) for e in sw[(sw["et"] == "l") & (~sw["closed"].astype(bool))]["element"]}
    adj = {}

    def join(a, b):
        if a != b:
            adj.setdefault(int(a), set()).add(int(b))
            adj.setdefault(int(b), set()).add(int(a))

    for i, r in net.line.iterrows():
        if bool(r["in_service"]) and int(i) not in open_lines:
            join(r["from_bus"], r["to_bus"])
    if "trafo" in net:
        for _, r in net.trafo.iterrows():
            if bool(r["in_service"]):
                join(r["hv_bus"], r["lv_bus"])
    if "trafo3w" in net:
        for _, r in net.trafo3w.iterrows():
            if bool(r["in_service"]):
                join(r["hv_bus"], r["mv_bus"])
                join(r["hv_bus"], r["lv_bus"])
                join(r["mv_bus"], r["lv_bus"])
    if "switch" in net and len(net.switch):
        for _, r in net.switch.iterrows():
            if r["et"] == "b" and bool(r["closed"]):
                join(r["bus"], r["element"])
    return adj


def cross_check(truth, doc):
    """Problems found (strings); [] when truth.py agrees with the second opinion."""
    import pandapower.topology as top

    net, problems = truth.net, []
    base = {int(b) for b in top.unsupplied_buses(net)}
    trips = 0
    for _, _, (table, i) in list(truth.graph.edges(keys=True)):
        if table not in ("line", "trafo"):
            continue
        trips += 1
        net[table].at[i, "in_service"] = False
        try:
            cut = {int(b) for b in top.unsupplied_buses(net)} - base
        finally:
            net[table].at[i, "in_service"] = True
        if cut != truth.trip((table, i))["cut_from_slack"]:
            problems.append(f"{truth.case}: trip of {table} {i}: pandapower cuts {sorted(cut)}, truth "
                            f"{sorted(truth.trip((table, i))['cut_from_slack'])}")
    adj = _table_neighbours(net)
    for b in truth.buses():
        if adj.get(b, set()) != truth.neighbours(b):
            problems.append(f"{truth.case}: bus index {b}: tables give neighbours {sorted(adj.get(b, ()))}, "
                            f"truth {sorted(truth.neighbours(b))}")
    names = {e["key"]: e["name"] for e in doc["entities"] if e["cls"] == "Bus"}
    for b, n in truth.number.items():
        if names.get(f"bus:{b}") != f"Bus {n}":
            problems.append(f"{truth.case}: bus:{b} is named {names.get(f'bus:{b}')!r}, truth calls it bus {n}")
    return problems, trips
