"""The power-grid ontology: network assets (bus-branch model, as pandapower holds it),
where they sit, and the dispatch knowledge around them (faults, alarms, procedures).

Keys used by lib/grid_import.py: "<element>:<pandapower index>", e.g. "bus:12",
"line:3", "trafo:0", "switch:5", "gen:1", "ext_grid:0", "sgen:7", "load:4".
"""
from core.kg.ontologies import validate

ASSET = {"in_service": "bool", "pp_index": "int", "description": "str"}

ONTOLOGY = {
    "classes": {
        # -- where things are -------------------------------------------------------------
        "Region": {"attributes": {"code": "str"}, "description": "a dispatch area or zone"},
        "Substation": {"attributes": {"code": "str", "voltage_levels_kv": "json"}},
        # -- network assets ------------------------------------------------------------------
        "Asset": {"attributes": ASSET, "description": "any piece of the network"},
        "Bus": {"parent": "Asset", "attributes": {"vn_kv": "float", "zone": "str", "bus_type": "str",
                                                  "min_vm_pu": "float", "max_vm_pu": "float", "geo": "json"}},
        "Branch": {"parent": "Asset", "description": "what joins two buses: a line or a transformer"},
        "Line": {"parent": "Branch", "attributes": {"length_km": "float", "max_i_ka": "float", "r_ohm_per_km": "float",
                                                    "x_ohm_per_km": "float", "std_type": "str", "parallel": "int"}},
        "Transformer": {"parent": "Branch", "attributes": {"sn_mva": "float", "vn_hv_kv": "float", "vn_lv_kv": "float",
                                                           "vk_percent": "float", "std_type": "str"}},
        "Switch": {"parent": "Asset", "attributes": {"closed": "bool", "normally_open": "bool", "switch_type": "str",
                                                     "element_type": "str"}},
        "Source": {"parent": "Asset", "attributes": {"p_mw": "float"}, "description": "what can energise a bus"},
        "Generator": {"parent": "Source", "attributes": {"vm_pu": "float", "slack": "bool", "max_p_mw": "float",
                                                         "min_p_mw": "float"}},
        "ExternalGrid": {"parent": "Source", "attributes": {"vm_pu": "float"}},
        "StaticGenerator": {"parent": "Source", "attributes": {"q_mvar": "float", "sgen_type": "str"},
                            "description": "inverter-connected generation (PV, wind): cannot form an island"},
        "Load": {"parent": "Asset", "attributes": {"p_mw": "float", "q_mvar": "float", "priority": "int"}},
        # -- dispatch knowledge -----------------------------------------------------------
        "Event": {"attributes": {"at": "datetime", "description": "str"}},
        "Fault": {"parent": "Event", "attributes": {"fault_type": "str", "phases": "str", "cleared": "bool",
                                                    "location_km": "float"}},
        "Alarm": {"parent": "Event", "attributes": {"code": "str", "severity": "str", "message": "str"}},
        "Procedure": {"attributes": {"title": "str", "steps": "json", "document": "str"}},
    },
    "relations": {
        "connects": {"domain": ["Branch", "Switch"], "range": "Bus",
                     "attributes": {"side": "str"},
                     "description": "a line/transformer end (side from/to or hv/lv) or a switch's bus"},
        "switches": {"domain": "Switch", "range": ["Branch", "Bus"],
                     "description": "the element a switch opens: a line or transformer end, or a second bus"},
        "feeds": {"domain": "Source", "range": "Bus", "description": "a source injects at a bus"},
        "supplies": {"domain": "Bus", "range": "Load", "description": "a bus serves a load"},
        "located_in": {"domain": ["Asset", "Substation"], "range": ["Substation", "Region"]},
        "affects": {"domain": "Fault", "range": "Asset", "description": "the asset a fault is on"},
        "indicates": {"domain": "Alarm", "range": "Fault", "attributes": {"confidence": "float"}},
        "raised_by": {"domain": "Alarm", "range": "Asset"},
        "handled_by": {"domain": "Fault", "range": "Procedure"},
        "applies_to": {"domain": "Procedure", "range": "Asset"},
    },
}

# Line patrol: defects a detector finds on patrol images, as events on a line or tower.
PATROL = {
    "classes": {
        "Tower": {"parent": "Asset", "attributes": {"number": "str", "tower_type": "str", "geo": "json"},
                  "description": "a transmission tower carrying one or more lines"},
        "PatrolDefect": {"parent": "Event",
                         "attributes": {"category": "str", "sub_category": "str", "score": "float", "box": "json",
                                        "image_sha256": "str", "prediction_id": "int", "model_version": "int"},
                         "description": "a defect a patrol-image detector found (at: when the image was taken)"},
    },
    "relations": {
        "carries": {"domain": "Tower", "range": "Line", "description": "a tower holds up a line's conductors"},
        "observed_on": {"domain": "PatrolDefect", "range": ["Line", "Tower"],
                        "description": "the line or tower a patrol defect was seen on"},
    },
}

for _section in ("classes", "relations"):
    ONTOLOGY[_section].update(PATROL[_section])

validate(ONTOLOGY, "energy")  # a malformed ontology fails at start-up, with the reason
