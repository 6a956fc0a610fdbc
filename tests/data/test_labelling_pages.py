"""Labelling pages: the project list and page show progress, an annotator's project page and
workspace show only their tasks, the workspace hands the browser the boxes, schema and
revision, a reviewer accepts or sends back on the page (never their own labels), and a
developer cuts a version from the accepted labels."""
import json

import pytest
from django.urls import reverse

from core.data.actions.labelling import create_project, save_labels
from core.data.models import LabelTask

from .test_labelling import source  # noqa: F401  (fixture)


@pytest.fixture
def annotators(make_user, orgs):
    return make_user("a_annotator", orgs["a"], "annotator"), make_user("a_annotator2", orgs["a"], "annotator")


@pytest.fixture
def project(source, users, annotators):  # noqa: F811
    return create_project(name="relabel", source=source, classes=["scratch", "black_spot"],
                          acting_user=users["a_dev"], annotators=list(annotators))


def workspace(response):
    return json.loads(response.content.decode().split('id="labeler-data" type="application/json">')[1]
                      .split("</script>")[0])


def test_lists_and_pages_show_progress_and_only_ones_own_tasks(client, project, annotators, users):
    first, second = annotators
    client.force_login(first)
    listing = client.get(reverse("ui:label_projects")).content.decode()
    assert "relabel" in listing and "0 accepted, 0 to review, of 3" in listing
    page = client.get(reverse("ui:label_project", args=[project.pk])).content.decode()
    mine = [t.file_name for t in project.tasks.filter(assignee=first)]
    theirs = [t.file_name for t in project.tasks.filter(assignee=second)]
    assert mine and theirs and all(f in page for f in mine) and not any(f in page for f in theirs)
    client.force_login(users["a_viewer"])
    assert "No task of this project is yours." in client.get(reverse("ui:label_project", args=[project.pk])).content.decode()
    client.force_login(users["b_dev"])
    assert "relabel" not in client.get(reverse("ui:label_projects")).content.decode()


def test_the_workspace_hands_over_boxes_schema_and_revision(client, project, annotators, users):
    first, second = annotators
    task = project.tasks.filter(assignee=first).order_by("sample_id").first()
    client.force_login(first)
    data = workspace(client.get(reverse("ui:label_task", args=[task.pk])))
    assert data["editable"] is True and data["revision"] == 0 and data["classes"] == ["scratch", "black_spot"]
    assert data["labels"] == task.labels and (data["width"], data["height"]) == (64, 48)
    other = project.tasks.filter(assignee=second).first()
    assert client.get(reverse("ui:label_task", args=[other.pk])).status_code == 404
    client.force_login(users["a_dev"])  # a developer sees every task, edits none that is not theirs
    assert workspace(client.get(reverse("ui:label_task", args=[other.pk])))["editable"] is False


def test_review_on_the_page_and_cut(client, project, annotators, users):
    first, _ = annotators
    task = project.tasks.filter(assignee=first).order_by("sample_id").first()
    save_labels(task, labels=task.labels, revision=0, acting_user=first, submit=True)
    client.force_login(first)
    page = client.get(reverse("ui:label_task", args=[task.pk])).content.decode()
    assert 'name="decision"' not in page  # no review form for one's own labels
    client.force_login(users["a_approver"])
    assert 'value="accept"' in client.get(reverse("ui:label_task", args=[task.pk])).content.decode()
    refused = client.post(reverse("ui:label_task_review", args=[task.pk]), {"decision": "send_back"}, follow=True)
    assert "say what to change" in refused.content.decode()
    client.post(reverse("ui:label_task_review", args=[task.pk]), {"decision": "accept"})
    assert LabelTask.objects.get(pk=task.pk).status == "accepted"
    client.force_login(users["a_approver"])
    denied = client.post(reverse("ui:label_project_cut", args=[project.pk]), follow=True)
    assert "a developer adds dataset versions" in denied.content.decode()
    client.force_login(users["a_dev"])
    response = client.post(reverse("ui:label_project_cut", args=[project.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "ui:dataset_version", args=[project.source.dataset_id, 2])
