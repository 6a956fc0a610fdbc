"""The evidence pack an auditor takes away for one model version: one zip with the
lineage graph, data checksums, training parameters and environment, approvals,
deployments, the audit events that concern them and the audit chain's verification,
plus a manifest of every file's SHA-256 signed with the platform's Ed25519 key
(manifest.sig, base64) and that key's public half (public_key.pem), so anyone holding
the platform's published public key can check the pack offline."""
import hashlib
import hmac
import io
import json
import zipfile

from django.db.models import Q
from django.utils import timezone

from core.platform import signing
from core.platform.actions.audit import verify
from core.platform.models import AuditEvent

from . import lineage
from .models import AliasChangeRequest, ModelAlias

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FORMAT = "zhongtai-evidence/2"


def verify_pack(data: bytes, public_pem: str | None = None) -> tuple[bool, str]:
    """(ok, reason): the manifest is signed by the trusted key and every file matches
    it. The trusted key is `public_pem` (what the platform publishes; no database or
    private key needed) or, when not given, the key the manifest names if this
    platform signs with it or has rotated it out (its keyring). The key inside the
    pack only says which key signed: a pack re-signed with another key fails."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return False, "not a zip file"
    with zf:
        names = set(zf.namelist())
        if not {"manifest.json", "manifest.sig"} <= names:
            return False, "not an evidence pack (manifest missing)"
        manifest_bytes = zf.read("manifest.json")
        try:
            manifest = json.loads(manifest_bytes)
            named_key = manifest["signature"]["key_id"]
            files = dict(manifest["files"])
        except (ValueError, KeyError, TypeError):
            return False, "the manifest is not an evidence manifest"
        trusted = public_pem or signing.trusted_public_pem(named_key)
        if trusted is None:
            return False, f"signed by key {named_key}, which this platform never used"
        signature = zf.read("manifest.sig").decode(errors="replace").strip()
        if "public_key.pem" in names and not hmac.compare_digest(
                signing.key_id(zf.read("public_key.pem").decode()), signing.key_id(trusted)):
            return False, "signed by a different key than the trusted one"
        if not signing.verify(manifest_bytes, signature, trusted):
            return False, "manifest signature does not match"
        for name, digest in files.items():
            if name not in names or hashlib.sha256(zf.read(name)).hexdigest() != digest:
                return False, f"{name} was altered"
    return True, f"intact (signed by key {signing.key_id(trusted)})"


def _dump(value):
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, default=str).encode()


def build(model_version, *, exported_by) -> bytes:
    nodes, edges, _ = lineage.walk("model_version", model_version.pk, depth=lineage.MAX_DEPTH, direction="both")
    by_kind = {}
    for kind, pk in nodes:
        by_kind.setdefault(kind, []).append(pk)
    objs = {kind: lineage.resolve(kind, ids) for kind, ids in by_kind.items()}
    model = model_version.model

    datasets = [{"id": dv.pk, "dataset": dv.dataset.name, "version": dv.version, "sha256": dv.artifact_id,
                 "size_bytes": dv.artifact.size, "records": dv.num_records, "source": dv.source, "stats": dv.stats,
                 "created_by": getattr(dv.created_by, "username", None), "created_at": dv.created_at}
                for dv in objs.get("dataset_version", {}).values()]
    runs = [{"id": r.pk, "job": r.job_id, "trainer": r.job.trainer, "attempt": r.attempt,
             "code_revision": r.code_revision, "params": r.params, "seed": r.seed, "environment": r.environment,
             "started_by": getattr(r.job.started_by, "username", None), "started_at": r.job.started_at,
             "finished_at": r.job.finished_at, "status": r.job.status}
            for r in objs.get("training_run", {}).values()]
    versions = [{"id": v.pk, "model": v.model.name, "version": v.version, "artifact_sha256": v.artifact_id,
                 "artifact_size": v.artifact.size, "metrics": v.metrics, "params": v.params, "tags": v.tags,
                 "created_by": getattr(v.created_by, "username", None), "created_at": v.created_at}
                for v in objs.get("model_version", {}).values()]
    deployments = [{"id": d.pk, "name": d.name, "profile": d.profile, "config": d.config, "status": d.status,
                    "model_version": d.model_version_id, "created_by": getattr(d.created_by, "username", None),
                    "created_at": d.created_at} for d in objs.get("deployment", {}).values()]
    approvals = [{"id": r.pk, "alias": r.alias, "version": r.version.version, "status": r.status, "reason": r.reason,
                  "requested_by": r.requested_by.username, "requested_at": r.requested_at,
                  "decided_by": getattr(r.decided_by, "username", None), "decided_at": r.decided_at,
                  "comment": r.comment}
                 for r in AliasChangeRequest.objects.filter(model=model).select_related(
                     "version", "requested_by", "decided_by")]
    aliases = [{"alias": a.name, "version": a.version.version, "updated_by": getattr(a.updated_by, "username", None),
                "approved_by": getattr(a.approved_by, "username", None), "updated_at": a.updated_at}
               for a in ModelAlias.objects.filter(model=model).select_related("version", "updated_by", "approved_by")]
    refs = Q(object_type="hub.registeredmodel", object_id=str(model.pk))
    for kind, label in (("model_version", "hub.modelversion"), ("dataset_version", "data.datasetversion"),
                        ("deployment", "inference.deployment")):
        ids = [str(pk) for pk in by_kind.get(kind, [])]
        if ids:
            refs |= Q(object_type=label, object_id__in=ids)
    job_ids = [str(r["job"]) for r in runs]
    if job_ids:
        refs |= Q(object_type="training.job", object_id__in=job_ids)
    refs |= Q(object_type="hub.aliaschangerequest", object_id__in=[str(a["id"]) for a in approvals])
    events = [{"seq": e.seq, "at": e.at, "actor": e.actor_name, "action": e.action, "object_type": e.object_type,
               "object_id": e.object_id, "data": e.data, "body": e.body, "prev_hash": e.prev_hash,
               "hash": e.hash}
              for e in AuditEvent.objects.filter(refs).order_by("seq")]
    result = verify()
    broken, checkpoint = result.broken, result.checkpoint
    chain = {"intact": broken is None, "events_checked": result.checked,
             "first_broken": {"seq": broken[0], "reason": broken[1]} if broken else None,
             # The signed checkpoint lets an auditor check the chain's head later with the public key alone.
             "latest_checkpoint": checkpoint,
             "events_after_checkpoint": result.after_checkpoint if broken is None else None}

    files = {
        "model_version.json": _dump({"model": {"id": model.pk, "name": model.name, "organisation": model.organisation.code,
                                               "vertical": model.vertical, "model_type": model.model_type},
                                     "version": next(v for v in versions if v["id"] == model_version.pk)}),
        "lineage.json": _dump({"nodes": [{"kind": k, "id": pk} for k, pk in sorted(nodes)],
                               "edges": [{"source": f"{e.src_kind}:{e.src_id}", "target": f"{e.dst_kind}:{e.dst_id}",
                                          "relation": e.relation} for e in edges]}),
        "data.json": _dump(datasets),
        "training_runs.json": _dump(runs),
        "model_versions.json": _dump(versions),
        "deployments.json": _dump(deployments),
        "approvals.json": _dump({"requests": approvals, "aliases": aliases}),
        "audit_events.json": _dump(events),
        "audit_verification.json": _dump(chain),
    }
    files["README.txt"] = _readme(model, model_version, exported_by, files).encode()
    public_pem = signing.public_key_pem()
    manifest = {"format": FORMAT, "model_version": model_version.pk,
                "exported_at": timezone.now().isoformat(), "exported_by": exported_by.get_username(),
                "signature": {"algorithm": signing.ALGORITHM, "key_id": signing.key_id(public_pem),
                              "file": "manifest.sig", "public_key": "public_key.pem"},
                "files": {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}}
    manifest_bytes = _dump(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in [*files.items(), ("manifest.json", manifest_bytes),
                           ("manifest.sig", signing.sign(manifest_bytes).encode()),
                           ("public_key.pem", public_pem.encode())]:
            zf.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE), body)
    return out.getvalue()


def _readme(model, model_version, exported_by, files) -> str:
    """What an auditor who has only the zip needs to know: what is in it and how to
    check it without the platform."""
    listing = "\n".join(f"  {name:<26} {WHAT.get(name, '')}" for name in sorted([*files, "README.txt"]))
    return f"""Evidence pack: {model.name} version {model_version.version} ({model.organisation.code})
Exported {timezone.now():%Y-%m-%d %H:%M} UTC by {exported_by.get_username()}.

Files
{listing}
  manifest.json              the SHA-256 of every file above, and which key signed
  manifest.sig               Ed25519 signature of manifest.json (base64)
  public_key.pem             the public half of the signing key (it only names the key:
                             trust the key the platform publishes, not this copy)

Checking it
  On the platform:   python manage.py verify_evidence this-pack.zip
  Anywhere, with the platform's published public key (published.pem) and OpenSSL 3:
    unzip this-pack.zip -d pack && cd pack
    base64 -d manifest.sig > manifest.sig.bin
    openssl pkeyutl -verify -pubin -inkey published.pem -rawin -in manifest.json -sigfile manifest.sig.bin
    sha256sum README.txt *.json   # each must equal its entry in manifest.json
"""


WHAT = {
    "README.txt": "this file",
    "model_version.json": "the model and this version (artifact SHA-256, metrics, parameters)",
    "lineage.json": "the lineage graph: data -> training runs -> versions -> deployments -> predictions",
    "data.json": "dataset versions used, with content hashes and statistics",
    "training_runs.json": "training runs: code revision, parameters, seed, environment",
    "model_versions.json": "every version in the lineage",
    "deployments.json": "deployments serving them",
    "approvals.json": "alias change requests and who approved them",
    "audit_events.json": "the audit events about these objects, with their hashes",
    "audit_verification.json": "the audit chain's verification and its latest signed checkpoint",
}
