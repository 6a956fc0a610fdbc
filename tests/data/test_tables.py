import io

import pandas as pd

from core.data.actions.datasets import create_dataset
from core.data.models import DatasetVersion


def test_csv_and_parquet_import_with_stats(api, users, orgs):
    ds = create_dataset(name="credit", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    frame = pd.DataFrame({"age": [25, 40, None], "purpose": ["car", "tv", "car"], "bad": [0, 1, 0]})
    csv = frame.to_csv(index=False).encode()
    f = io.BytesIO(csv)
    f.name = "credit.csv"
    r = api(users["a_dev"]).post(f"/api/v1/datasets/{ds.pk}/import-table/", {"file": f}, format="multipart")
    assert r.status_code == 201, r.content
    stats = r.json()["stats"]
    assert stats["rows"] == 3 and stats["columns"]["age"]["missing"] == 1 and stats["columns"]["age"]["max"] == 40
    assert stats["columns"]["purpose"]["distinct"] == 2
    pq = io.BytesIO()
    frame.to_parquet(pq)
    pq.seek(0)
    pq.name = "credit.parquet"
    r = api(users["a_dev"]).post(f"/api/v1/datasets/{ds.pk}/import-table/", {"file": pq}, format="multipart")
    assert r.status_code == 201 and r.json()["stats"]["format"] == "parquet"


def test_bad_tables_are_refused(api, users, orgs):
    ds = create_dataset(name="t", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    for body, name, expect in ((b"\xff\xfe\x00garbage\x00", "x.csv", "not"), (b"a,a\n1,2\n", "dup.csv", "unique"),
                               (b"PAR1notparquet", "x.parquet", "not a readable")):
        f = io.BytesIO(body)
        f.name = name
        r = api(users["a_dev"]).post(f"/api/v1/datasets/{ds.pk}/import-table/", {"file": f}, format="multipart")
        assert r.status_code == 400 and expect in r.json()["message"], (name, r.content)
    assert DatasetVersion.objects.count() == 0
    f = io.BytesIO(b"a,b\n1,2\n")
    f.name = "ok.csv"
    assert api(users["a_viewer"]).post(f"/api/v1/datasets/{ds.pk}/import-table/", {"file": f},
                                       format="multipart").status_code == 403
