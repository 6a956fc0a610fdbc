# HELD-OUT SEARCH SET. If you tune the QA engine's entity linking or search: DO NOT READ
# THIS FILE and do not copy its forms; it measures search on wordings nobody tuned to
# (issue 19 item 6). Tune on search_set.py.
"""Held-out split of the knowledge-search set: other abbreviations and word orders than
search_set.py, same format (forms over {n} / {a} {b}; fixed knowledge-base queries)."""

FORMS = (
    ("bus", "bus #{n}"), ("bus", "busbar {n}"), ("bus", "bus no. {n}"), ("bus", "{n}#母线"), ("bus", "第{n}号母线"),
    ("line", "the {a}-{b} line"), ("line", "line from B{a} to B{b}"), ("line", "连接{a}号母线和{b}号母线的线路"),
    ("line", "{a}号-{b}号线路"),
    ("trafo", "the {a}/{b} transformer"), ("trafo", "xfmr {a}-{b}"), ("trafo", "{a}号-{b}号主变"),
    ("trafo", "连接母线{a}和母线{b}的变压器"),
    ("gen", "the generator on B{n}"), ("gen", "{n}#母线上的发电机"),
    ("load", "the load on bus #{n}"), ("load", "母线{n}的负荷"),
)

KB = (
    ("bird nest flashover", "fault:bird_nest_flashover"),
    ("ALM-SF6-LOCK", "alarm:sf6_lockout"),
    ("SF6 lockout", "alarm:sf6_lockout"),
    ("heavy gas trip", "alarm:heavy_gas"),
    ("Buchholz alarm", "alarm:light_gas"),
    ("rtu offline", "alarm:rtu_offline"),
    ("绝缘子污闪", "fault:insulator_flashover"),
    ("WAMS oscillation", "alarm:oscillation"),
    ("主变喷油", "symptom:oil_spray"),
    ("zero sequence overcurrent", "alarm:zero_seq_oc"),
    ("零序过流", "alarm:zero_seq_oc"),
    ("差流越限", "alarm:diff_current"),
    ("直流系统接地", "fault:dc_ground"),
    ("breaker failure", "fault:breaker_failure"),
)
