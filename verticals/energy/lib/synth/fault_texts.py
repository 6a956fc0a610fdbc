"""SYNTHETIC dispatch log entries labelled with their fault, built from the shipped dispatch
fault knowledge base (lib/dispatch_faults.json): a labelled text set for text
classification (the core's text_classification recipe), in Chinese and English.

Each entry is what a duty dispatcher writes when a fault arrives: a time, the station and
the equipment, the alarms and symptoms seen, sometimes a handling step taken. The alarms
of a fault are drawn with the knowledge base's own likelihoods (P(alarm | fault)), so a
fault's typical evidence is usually there but not always, and one or two unrelated alarms
(a noisy control room) come in at random; faults of the same equipment share most of their
evidence (eight line faults), which keeps the task from being trivial. The words are the
knowledge base's alarm and procedure texts, so nothing here is measured: the set shows a
text classifier on the vocabulary of dispatch, nothing more. Seeded: the same arguments
give the same records. Pure: stdlib only (the knowledge base is read as JSON)."""
from __future__ import annotations

import json
import random
from pathlib import Path

KB_FILE = Path(__file__).resolve().parent.parent / "dispatch_faults.json"
LANGUAGES = ("zh", "en")

STATIONS = {
    "zh": ["东郊", "西山", "南湖", "北关", "城东", "河口", "青峰", "临江", "白塔", "新港", "金桥", "望海"],
    "en": ["Dongjiao", "Xishan", "Nanhu", "Beiguan", "Chengdong", "Hekou", "Qingfeng", "Linjiang", "Baita",
           "Xingang", "Jinqiao", "Wanghai"],
}
VOLTAGES = ("500", "220", "110", "35", "10")
NUMERALS = "一二三四"
# Where the fault is, by the knowledge base's equipment class: {language: [patterns]}.
PLACES = {
    "Line": {"zh": ["{kv}kV {a}{b}线", "{kv}kV {a}—{b}{n}线"], "en": ["{kv} kV {a}-{b} line", "{kv} kV {a}-{b} line {n}"]},
    "Transformer": {"zh": ["{a}变 #{n}主变", "{kv}kV {a}变{n}号主变"], "en": ["{a} substation transformer T{n}",
                                                                       "{kv} kV {a} main transformer #{n}"]},
    "Switch": {"zh": ["{a}变 {kv}{n}1断路器", "{a}站{kv}kV {n}号开关"], "en": ["{a} substation breaker {kv}{n}1",
                                                                        "{kv} kV breaker {n} at {a}"]},
    "Bus": {"zh": ["{a}变 {kv}kV {nz}母线", "{a}站{kv}kV {nz}母"], "en": ["{a} substation {kv} kV bus {n}",
                                                                     "{kv} kV busbar {n} at {a}"]},
    "Asset": {"zh": ["{a}变 {kv}{n}1间隔", "{a}站{kv}kV {n}号间隔"], "en": ["{a} substation bay {kv}{n}1",
                                                                      "{kv} kV bay {n} at {a}"]},
    "Substation": {"zh": ["{kv}kV {a}变电站", "{a}站"], "en": ["{kv} kV {a} substation", "{a} station"]},
    "Generator": {"zh": ["{a}电厂{n}号机组", "{a}电厂与主网联络线"], "en": ["{a} power plant unit {n}",
                                                                 "{a} plant tie line"]},
}
SAYS = {
    "zh": {"sep": "，", "end": "。", "seen": ["", "现场检查：", "监控发现", "值班员报告"],
           "step": ["已按规程处理：", "处置：", "下一步："], "report": ["{t} {place}", "{t}，{place}", "{place} {t}"]},
    "en": {"sep": "; ", "end": ".", "seen": ["", "field check: ", "monitoring shows ", "operator reports "],
           "step": ["handled per procedure: ", "action: ", "next: "], "report": ["{t} {place}:", "{t}, {place}:",
                                                                                  "{place} at {t}:"]},
}


def read_faults(path=None) -> dict:
    """The knowledge-base document (faults, alarms, procedures) as shipped."""
    return json.loads(Path(path or KB_FILE).read_text(encoding="utf-8"))


def fault_texts(n: int = 2000, *, seed: int = 0, languages=LANGUAGES, noise_alarms: float = 0.6,
                step_share: float = 0.3, kb: dict | None = None) -> list[dict]:
    """n records {"text", "label"} (label: the fault's key without "fault:"), classes in
    turn so each fault has n // 20 or one more; languages drawn at random from `languages`.
    noise_alarms: the chance of one unrelated alarm (and of a second, its square);
    step_share: the share of entries that also name a handling step of the fault's procedure."""
    if n < 1:
        raise ValueError("n must be at least 1")
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise ValueError(f"languages must be among {', '.join(LANGUAGES)}")
    kb = kb or read_faults()
    alarms = {a["key"]: a for a in kb["alarms"]}
    procedures = {p["key"]: p for p in kb["procedures"]}
    faults = kb["faults"]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        fault = faults[i % len(faults)]
        lang = rng.choice(list(languages))
        out.append({"text": _entry(fault, alarms, procedures, lang, rng, noise_alarms, step_share),
                    "label": fault["key"].split(":", 1)[1]})
    rng.shuffle(out)
    return out


def fault_texts_jsonl(n: int = 2000, **kw) -> bytes:
    """The same records as JSON Lines (what a text dataset imports)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in fault_texts(n, **kw)).encode("utf-8")


def _entry(fault, alarms, procedures, lang, rng, noise_alarms, step_share):
    says = SAYS[lang]
    seen = [key for key, p in fault["evidence"].items() if rng.random() < p]
    if not seen:  # a report names at least its strongest sign
        seen = [max(fault["evidence"], key=fault["evidence"].get)]
    others = [key for key in alarms if key not in fault["evidence"]]
    if rng.random() < noise_alarms:
        seen.append(rng.choice(others))
        if rng.random() < noise_alarms:
            seen.append(rng.choice(others))
    rng.shuffle(seen)
    a, b = rng.sample(STATIONS[lang], 2)
    n = rng.randint(1, 4)
    place = rng.choice(PLACES[fault["equipment"]][lang]).format(
        kv=rng.choice(VOLTAGES), a=a, b=b if lang == "en" else b[:1], n=n, nz=NUMERALS[n - 1])
    when = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    head = rng.choice(says["report"]).format(t=when, place=place)
    signs = says["sep"].join(alarms[key][lang] if lang == "zh" else alarms[key][lang].lower() for key in seen)
    text = f"{head} {rng.choice(says['seen'])}{signs}"
    steps = [s for key in fault["procedures"] for s in procedures[key]["steps"][1:]]
    if steps and rng.random() < step_share:
        text += says["sep"] + rng.choice(says["step"]) + rng.choice(steps)[lang]
    return text + says["end"]
