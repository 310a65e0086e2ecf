"""Real Celery workers and a real SMTP server for the delivery tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import dj_database_url
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection


def exiger_redis() -> None:
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests: .ci/run sets REDIS_URL")
        pytest.skip("needs REDIS_URL (set by .ci/run)")


def url_base_de_test() -> str:
    """The worker must read this test's database (committed rows, transaction=True)."""
    url = os.environ.get("DATABASE_URL") or ""
    if not url:
        pytest.skip("the worker tests need DATABASE_URL (a server both processes reach)")
    parties = dj_database_url.parse(url)
    nom = connection.settings_dict["NAME"]
    hote = parties.get("HOST") or "127.0.0.1"
    port = parties.get("PORT") or 5432
    utilisateur = parties.get("USER") or ""
    mot = parties.get("PASSWORD") or ""
    identite = f"{utilisateur}:{mot}@" if mot else f"{utilisateur}@" if utilisateur else ""
    return f"postgres://{identite}{hote}:{port}/{nom}"


def demarrer_worker(
    *, concurrence: int = 2, nom: str = "celery", **env_en_plus: str
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_base_de_test(),
        **env_en_plus,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrence}",
            f"--hostname={nom}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        ],
        env=env,
        cwd=Path(settings.BASE_DIR),
        start_new_session=True,  # its own process group: killed whole, children included
    )


def enfants(pid: int) -> list[int]:
    chemin = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in chemin.read_text().split()] if chemin.exists() else []


def tuer_enfants(worker: subprocess.Popen) -> list[int]:
    """SIGKILL the pool's children (the processes running tasks): the parent lives on."""
    tues = enfants(worker.pid)
    for pid in tues:
        os.kill(pid, signal.SIGKILL)
    return tues


def tuer_tout(worker: subprocess.Popen) -> None:
    """SIGKILL the whole worker (parent and children) at once, like a lost machine."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def arreter(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        try:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


class BoiteSmtp:
    """aiosmtpd handler: records each accepted message's Message-ID. A message whose
    subject is in `lents` is held, the first time, before the server's reply: the client
    waits for the 250 that never comes until it dies. The server then drops the message
    (aiosmtpd cancels the handler when the connection is lost), as a real MTA that never
    sent its 250 has not accepted it."""

    def __init__(self, lents: set[str]):
        self.lents = set(lents)
        self.en_vol = {sujet: threading.Event() for sujet in lents}
        self.abandonnes: list[str] = []
        self.recus: list[str] = []
        self.courriels: list = []  # the accepted messages themselves (EmailMessage)
        self._verrou = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        sujet = str(message["Subject"])
        if sujet in self.lents:
            self.lents.discard(sujet)
            self.en_vol[sujet].set()
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                with self._verrou:
                    self.abandonnes.append(sujet)
                raise
        with self._verrou:
            self.recus.append(str(message["Message-ID"]))
            self.courriels.append(message)
        return "250 Message accepted for delivery"

    def compte(self) -> Counter:
        with self._verrou:
            return Counter(self.recus)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serveur_smtp(boite: BoiteSmtp) -> Controller:
    controleur = Controller(boite, hostname="127.0.0.1", port=port_libre())
    controleur.start()
    return controleur
