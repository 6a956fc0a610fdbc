"""Model-risk owners and approvers hold their role in the model's organisation, and
nobody takes a model through validation and approval alone."""
import pytest
from django.core.exceptions import ValidationError

from core.hub.actions.registry import create_model
from verticals.finance.actions import risk_inventory


@pytest.mark.django_db
def test_owner_must_be_a_developer_of_the_models_organisation(orgs, users):
    model = create_model(name="card", organisation=orgs["a"], vertical="finance", acting_user=users["a_dev"])
    for outsider in (users["b_dev"], users["a_viewer"], users["hq_auditor"]):
        with pytest.raises(ValidationError, match="owner must hold"):
            risk_inventory.register_model_risk(model, owner=outsider, acting_user=users["hq_admin"])
    rec = risk_inventory.register_model_risk(model, owner=users["a_dev"], acting_user=users["hq_admin"])
    assert rec.owner == users["a_dev"]


@pytest.mark.django_db
def test_whoever_sent_a_model_to_validation_cannot_approve_it(orgs, users):
    model = create_model(name="card", organisation=orgs["a"], vertical="finance", acting_user=users["a_dev"])
    rec = risk_inventory.register_model_risk(model, owner=users["a_dev"], acting_user=users["hq_admin"])
    risk_inventory.change_status(rec, "validation", acting_user=users["hq_admin"])
    with pytest.raises(PermissionError, match="maker-checker"):
        risk_inventory.change_status(rec, "approved", acting_user=users["hq_admin"])
    with pytest.raises(PermissionError):
        risk_inventory.change_status(rec, "approved", acting_user=users["b_dev"])
    assert risk_inventory.change_status(rec, "approved", acting_user=users["a_approver"]).status == "approved"
