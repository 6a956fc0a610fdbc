"""Roles and what each may do. Pure: no Django imports."""
VIEWER = "viewer"
ANNOTATOR = "annotator"
OPERATOR = "operator"
DEVELOPER = "developer"
APPROVER = "approver"
AUDITOR = "auditor"
ADMIN = "admin"

ROLES = [VIEWER, ANNOTATOR, OPERATOR, DEVELOPER, APPROVER, AUDITOR, ADMIN]
ROLE_LABELS = {
    VIEWER: "Viewer",
    ANNOTATOR: "Annotator",
    OPERATOR: "Operator",
    DEVELOPER: "Model developer",
    APPROVER: "Approver",
    AUDITOR: "Auditor",
    ADMIN: "Administrator",
}

# Capabilities, each granted to the roles listed. Read access to the organisation
# subtree comes with any role; auditors read everything and change nothing.
READ = "read"
PREDICT = "predict"
DEVELOP = "develop"          # create models, versions, artifacts, datasets, start jobs
APPROVE = "approve"          # approve a change someone else asked for (maker-checker)
READ_AUDIT = "read_audit"    # the audit log and evidence
MANAGE = "manage"            # organisations and memberships
LABEL = "label"              # label the samples of the tasks assigned to one
REVIEW_LABELS = "review_labels"  # accept or send back someone else's labels, cut dataset versions from them

CAPABILITIES = {
    READ: set(ROLES),
    PREDICT: {OPERATOR, DEVELOPER, ADMIN},
    DEVELOP: {DEVELOPER, ADMIN},
    APPROVE: {APPROVER, ADMIN},
    READ_AUDIT: {AUDITOR, ADMIN},
    MANAGE: {ADMIN},
    LABEL: {ANNOTATOR, OPERATOR, DEVELOPER, ADMIN},
    REVIEW_LABELS: {DEVELOPER, APPROVER, ADMIN},
}


def roles_granting(capability: str) -> set[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise ValueError(f"unknown capability {capability!r}; known: {sorted(CAPABILITIES)}") from None
