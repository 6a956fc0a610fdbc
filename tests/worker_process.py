"""Starts a real Celery worker process against the test database and broker."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_database_url():
    d = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{d['NAME']}"
    auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


class WorkerProcess:
    def __init__(self, queues="default,dummy", name="w1"):
        self.queues = queues
        self.name = name
        self.proc = None
        self.log_path = Path(settings.VAR_DIR) / f"worker-{name}-{time.time_ns()}.log"

    def env(self):
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "core.settings.test",
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "ZHONGTAI_VAR_DIR": str(settings.VAR_DIR),
            "ZHONGTAI_VERTICALS": ",".join(settings.ZHONGTAI_VERTICALS),
        })
        return env

    def start(self, timeout=60):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "core", "worker", "-Q", self.queues, "-c", "1",
             "--pool", "prefork", "-n", f"{self.name}@%h", "--without-gossip", "--without-mingle",
             "--loglevel", "INFO"],
            cwd=ROOT, env=self.env(), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.output()}")
            if " ready." in self.output():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.output()}")

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self):
        """SIGKILL the whole process group: what a machine crash looks like."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()


def purge_queues(queues=("default", "dummy")):
    from core.celery import app

    with app.connection_for_write() as conn:
        for q in queues:
            try:
                conn.default_channel.queue_purge(q)
            except Exception:  # a queue that was never declared has nothing to purge
                pass
