"""A CSV saved by Excel on a Chinese Windows (GBK/GB18030) is refused with what to do,
or imported when the request names the encoding; the encoding travels with the version."""
import io

import pandas as pd

from core.data.actions.datasets import create_dataset
from core.data.actions.tables import load_table, read_columns
from core.data.models import DatasetVersion

ROWS = "客户编号,职业,违约\n1,教师,0\n2,工程师,1\n3,医生,0\n"


def upload(api, user, ds, body, name="客户.csv", **extra):
    f = io.BytesIO(body)
    f.name = name
    return api(user).post(f"/api/v1/datasets/{ds.pk}/import-table/", {"file": f, **extra}, format="multipart")


def test_gbk_csv_is_refused_unless_the_encoding_is_named(api, users, orgs):
    ds = create_dataset(name="gbk", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    body = ROWS.encode("gb18030")
    r = upload(api, users["a_dev"], ds, body)
    assert r.status_code == 400, r.content
    assert "re-save as UTF-8 or pass encoding=gb18030" in r.json()["message"]
    assert "encoding" in r.json()["errors"]
    assert DatasetVersion.objects.count() == 0

    r = upload(api, users["a_dev"], ds, body, encoding="gb18030")
    assert r.status_code == 201, r.content
    version = r.json()
    assert version["stats"]["encoding"] == "gb18030" and "gb18030" in version["source"]
    assert list(version["stats"]["columns"]) == ["客户编号", "职业", "违约"]
    assert version["stats"]["rows"] == 3

    dv = DatasetVersion.objects.get(pk=version["id"])
    frame = load_table(dv)  # the worker reads it back with the recorded encoding
    assert frame["职业"].tolist() == ["教师", "工程师", "医生"]
    header, column, truncated = read_columns(dv, ["违约", "absent"])
    assert header == ["客户编号", "职业", "违约"] and list(column.columns) == ["违约"] and not truncated


def test_utf8_is_detected_first_and_recorded(api, users, orgs):
    ds = create_dataset(name="utf8", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    # UTF-8 wins even when the request says gb18030: strict UTF-8 decoding is the better evidence.
    r = upload(api, users["a_dev"], ds, ROWS.encode("utf-8"), encoding="gb18030")
    assert r.status_code == 201, r.content
    assert r.json()["stats"]["encoding"] == "utf-8" and "encoding" not in r.json()["source"]
    assert load_table(DatasetVersion.objects.get(pk=r.json()["id"]))["职业"].tolist() == ["教师", "工程师", "医生"]


def test_unknown_encoding_and_undecodable_bytes_are_400(api, users, orgs):
    ds = create_dataset(name="bad", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    r = upload(api, users["a_dev"], ds, ROWS.encode("gb18030"), encoding="latin-1")
    assert r.status_code == 400 and "encoding" in r.json()["errors"]
    r = upload(api, users["a_dev"], ds, b"a,b\n\xff\xff,1\n", name="x.csv", encoding="gb18030")
    assert r.status_code == 400 and "not UTF-8" in r.json()["message"], r.content
    assert DatasetVersion.objects.count() == 0


def test_parquet_has_no_encoding(api, users, orgs):
    ds = create_dataset(name="pq", organisation=orgs["a"], kind="tabular", acting_user=users["a_dev"])
    buf = io.BytesIO()
    pd.DataFrame({"a": [1, 2]}).to_parquet(buf)
    r = upload(api, users["a_dev"], ds, buf.getvalue(), name="t.parquet")
    assert r.status_code == 201 and "encoding" not in r.json()["stats"]
    header, frame, _ = read_columns(DatasetVersion.objects.get(pk=r.json()["id"]), ["a"])
    assert header == ["a"] and frame["a"].tolist() == [1, 2]
