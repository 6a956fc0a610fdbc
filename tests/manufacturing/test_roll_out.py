"""The separator pipeline's roll_out targets are checked before any training: each names
an organisation below the job's, and a station code."""
import pytest

from verticals.manufacturing.trainers import _roll_out_targets


def test_roll_out_reaches_only_organisations_below(orgs, db):
    spec = {"organisation": "plant-a", "station_code": "a1"}
    assert _roll_out_targets([spec], orgs["hq"]) == [(spec, orgs["a"])]
    for bad, org, reason in (
            ([{"organisation": "plant-b", "station_code": "b1"}], orgs["a"], "not an organisation below"),
            ([{"organisation": "hq", "station_code": "x"}], orgs["hq"], "not an organisation below"),
            ([{"organisation": "nowhere", "station_code": "x"}], orgs["hq"], "not an organisation below"),
            ([{"organisation": "plant-a"}], orgs["hq"], "station_code"),
            ("plant-a", orgs["hq"], "must be a list")):
        with pytest.raises(ValueError, match=reason):
            _roll_out_targets(bad, org)
