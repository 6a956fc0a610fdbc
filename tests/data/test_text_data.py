"""Text datasets (issue 20): JSON Lines import with every bad line named and nothing stored on
refusal, a canonical form (same records in another order: the same hash), the version page
lists texts with their class and entity spans highlighted, and a labelling project picks a class
and marks spans (checked: inside the text, types of the schema), cutting a version from them."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.data import gallery
from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_text_jsonl
from core.data.actions.labelling import create_project, cut_version, review, save_labels
from core.platform.errors import BadInput

RECORDS = [
    {"id": 1, "text": "借款人张三，借款金额50000元。", "label": "loan",
     "entities": [{"start": 3, "end": 5, "label": "person"}, {"start": 10, "end": 15, "label": "amount"}]},
    {"id": 2, "text": "Guarantee by ACME Ltd for the loan.", "label": "guarantee"},
    {"id": 3, "text": "Repayment monthly over 24 months."},
]


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@pytest.fixture
def text_version(orgs, users):
    dataset = create_dataset(name="contracts", organisation=orgs["a"], kind="text", acting_user=users["a_dev"])
    return import_text_jsonl(jsonl(RECORDS), dataset=dataset, acting_user=users["a_dev"])


def test_import_canonical_and_refusals(text_version, users):
    again = import_text_jsonl(jsonl(list(reversed(RECORDS))), dataset=text_version.dataset, acting_user=users["a_dev"])
    assert again.artifact_id == text_version.artifact_id  # order does not change the content hash
    index = gallery.texts_of(text_version)
    assert index.categories == ["guarantee", "loan"] and index.entity_types == ["amount", "person"]
    assert index.by_id[1].segments()[1] == ("张三", "person")
    bad = jsonl([{"text": "ok"}]) + b"not json\n" + jsonl([{"text": "short", "entities": [
        {"start": 2, "end": 9, "label": "x"}]}, {"text": "", "label": "a"}])
    with pytest.raises(ValidationError) as exc:
        import_text_jsonl(bad, dataset=text_version.dataset, acting_user=users["a_dev"])
    messages = " ".join(exc.value.message_dict["dataset"])
    assert "line 2: not JSON" in messages and "line 3: entities[0] [2, 9) is not a span" in messages
    assert "line 4: text is missing or empty" in messages
    assert text_version.dataset.versions.count() == 2


def test_the_version_page_lists_texts_with_spans(client, users, text_version):
    client.force_login(users["a_viewer"])
    url = reverse("ui:dataset_version", args=[text_version.dataset_id, 1])
    page = client.get(url).content.decode()
    assert '<mark data-entity="person" title="person">张三</mark>' in page and page.count("data-text=") == 3
    assert client.get(url, {"class": "guarantee"}).content.decode().count("data-text=") == 1
    assert client.get(url, {"state": "unlabelled"}).content.decode().count("data-text=") == 1


def test_labelling_texts_classes_and_spans(text_version, users, make_user, orgs):
    annotator = make_user("a_annotator", orgs["a"], "annotator")
    with pytest.raises(BadInput, match="lacks: amount, person"):
        create_project(name="x", source=text_version, classes=["loan", "guarantee"], acting_user=users["a_dev"])
    project = create_project(name="contract-fields", source=text_version, classes=["loan", "guarantee", "repayment"],
                             entity_types=["person", "amount", "term"], acting_user=users["a_dev"],
                             annotators=[annotator])
    task = project.tasks.get(sample_id=3)
    with pytest.raises(BadInput, match="not inside the 33-character text"):
        save_labels(task, labels=[{"entity": "term", "start": 20, "end": 40}], revision=0, acting_user=annotator)
    with pytest.raises(BadInput, match="not an entity type"):
        save_labels(task, labels=[{"entity": "rate", "start": 0, "end": 5}], revision=0, acting_user=annotator)
    task = save_labels(task, labels=[{"entity": "term", "start": 23, "end": 32}, {"category": "repayment"}],
                       revision=0, acting_user=annotator, submit=True)
    assert task.labels[0] == {"category": "repayment"}
    review(task, accept=True, acting_user=users["a_approver"])
    version = cut_version(project, acting_user=users["a_dev"])
    cut = gallery.texts_of(version).by_id[3]
    assert cut.label == "repayment" and cut.segments()[1] == ("24 months", "term")


def test_the_api_imports_json_lines(client, users, text_version):
    import io

    client.force_login(users["a_dev"])
    upload = io.BytesIO(jsonl([{"text": "another contract", "label": "loan"}]))
    upload.name = "more.jsonl"
    r = client.post(f"/api/v1/datasets/{text_version.dataset_id}/import-text/", {"file": upload})
    assert r.status_code == 201 and r.json()["num_records"] == 1
    bad = io.BytesIO(b"{broken\n")
    bad.name = "bad.jsonl"
    r = client.post(f"/api/v1/datasets/{text_version.dataset_id}/import-text/", {"file": bad})
    assert r.status_code == 400 and "bad.jsonl line 1: not JSON" in r.json()["message"]
