"""The HTTP half of .ci/production-smoke: calls a running production layout the way a
client behind the TLS proxy would (X-Forwarded-Proto: https) and fails loudly.
Usage: production_smoke.py BASE_URL QUEUES. Standard library only."""
import json
import random
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE, QUEUES = sys.argv[1], sys.argv[2].split(",")
PROXY = {"X-Forwarded-Proto": "https"}
USER, PASSWORD = "smoke-dev", "smoke-dev-password-1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, path, body=None, token=None, headers=None, content_type="application/json"):
    data = None
    hdrs = {**PROXY, **(headers or {})}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs["Content-Type"] = content_type
    if token:
        hdrs["Authorization"] = f"Token {token}"
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=hdrs)
    try:
        response = OPENER.open(request, timeout=60)
    except urllib.error.HTTPError as err:
        response = err
    raw = response.read()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = raw.decode(errors="replace")[:300]
    return response.status, response.headers, payload


def expect(condition, what, detail=""):
    if not condition:
        sys.exit(f"FAIL: {what} {detail}")
    print(f"ok   {what}")


def wait_for_server(seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            call("GET", "/accounts/login/")
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("FAIL: gunicorn did not answer")


def multipart(fields, filename, content):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def credit_table(rows=400, seed=7):
    rng = random.Random(seed)
    lines = ["age,income,debt_ratio,bad"]
    for _ in range(rows):
        age, income, debt = rng.randint(20, 70), round(rng.uniform(1, 20), 2), round(rng.uniform(0, 1), 3)
        risk = 0.6 * debt - 0.02 * income - 0.005 * (age - 20) + rng.gauss(0, 0.15)
        lines.append(f"{age},{income},{debt},{int(risk > 0.15)}")
    return ("\n".join(lines) + "\n").encode()


wait_for_server()

request = urllib.request.Request(BASE + "/api/v1/models/")
try:
    OPENER.open(request, timeout=30)
    status, location = 200, ""
except urllib.error.HTTPError as err:
    status, location = err.status, err.headers.get("Location", "")
expect(status == 301 and location.startswith("https://"), "plain HTTP is redirected to HTTPS", (status, location))

status, headers, body = call("POST", "/api/v1/auth/token/", {"username": USER, "password": PASSWORD})
expect(status == 200 and body.get("token") and body.get("expires_at"), "token issued behind the proxy", (status, body))
token = body["token"]
expect("max-age=31536000" in (headers.get("Strict-Transport-Security") or ""), "HSTS header",
       headers.get("Strict-Transport-Security"))
status, headers, _ = call("GET", "/accounts/login/")
expect("script-src 'self'" in (headers.get("Content-Security-Policy") or ""), "CSP on pages")
cookies = headers.get_all("Set-Cookie") or []
expect(cookies and all("Secure" in c for c in cookies), "cookies are Secure", cookies)

status, _, body = call("GET", "/api/v1/models/", token=token)
expect(status == 200, "token authenticates", (status, body))

status, _, dataset = call("POST", "/api/v1/datasets/", {"name": "smoke-credit", "organisation": "smoke",
                                                          "kind": "tabular", "vertical": "finance"}, token=token)
expect(status == 201, "dataset created", (status, dataset))
form, ctype = multipart({"source": "production smoke"}, "credit.csv", credit_table())
status, _, version = call("POST", f"/api/v1/datasets/{dataset['id']}/import-table/", form, token=token,
                          content_type=ctype)
expect(status == 201, "table imported over HTTP", (status, version))

status, _, job = call("POST", "/api/v1/jobs/", {"trainer": "finance.scorecard", "organisation": "smoke", "params": {
    "dataset_version": version["id"], "target": "bad", "cv_folds": 0, "seed": 0}}, token=token)
expect(status == 201 and job["queue"] == "finance", "scorecard job queued on the finance queue", (status, job))
deadline = time.time() + 120
while time.time() < deadline:
    status, _, job = call("GET", f"/api/v1/jobs/{job['id']}/", token=token)
    if job["status"] in ("succeeded", "failed", "cancelled", "lost"):
        break
    time.sleep(1)
expect(job["status"] == "succeeded", "the worker ran the job", (job["status"], job.get("error"), job.get("log_tail", "")[-800:]))
expect("auc" in job["result"]["metrics"], "the job recorded its metrics", job["result"])

for attempt in range(1, 4):
    status, _, body = call("POST", "/api/v1/auth/token/", {"username": USER, "password": "wrong"})
    expect(status == (429 if attempt == 3 else 400), f"wrong password {attempt} -> {status}", body)
status, headers, body = call("POST", "/api/v1/auth/token/", {"username": USER, "password": PASSWORD})
expect(status == 429 and "Too many failed sign-ins" in body["message"] and headers.get("Retry-After"),
       "locked out: even the right password gets 429 JSON", (status, body))

status, _, _ = call("DELETE", "/api/v1/auth/token/", token=token)
expect(status == 204, "token revoked")
status, _, body = call("GET", "/api/v1/models/", token=token)
expect(status == 401, "a revoked token is refused", (status, body))
