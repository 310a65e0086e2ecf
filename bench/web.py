"""Web throughput (issue 5): the catalogue page and a wizard step of a 150-field form
model, against a bare Django view (`HttpResponse("ok")` behind the same middleware),
all served by one gunicorn and measured in one run, interleaved.

The load comes from `wrk` (Debian's package), a separate process written in C that
takes a small share of the CPU; its CPU time is measured and reported, so a generator
that became the bottleneck would show. Seeds the benchmark's own database
(guichet_bench): 10 thématiques, 60 dispositifs, one 150-field form model, a citizen
with a session. Goal: each page ≥ 25 % of the bare view's requests per second.
"""

import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

GOAL = 0.25
WIZARD_SLUG = "bench-formulaire-150"
USER_EMAIL = "usager.bench@guichet.localhost"
THEMATIQUES = [
    "Culture",
    "Sport",
    "Social et solidarité",
    "Enfance et jeunesse",
    "Éducation",
    "Environnement",
    "Urbanisme",
    "Vie associative",
    "Santé",
    "Citoyenneté",
]
OBJETS = [
    "Subvention de fonctionnement",
    "Aide au projet",
    "Location de salle",
    "Prêt de matériel",
    "Inscription",
    "Demande d’autorisation",
]
# The fields of the wizard's step, cycled to 150: most types of the form factory.
TYPES = [
    ("texte", {}),
    ("texte_long", {}),
    ("entier", {"options": {"min": 0, "max": 1000}}),
    ("decimal", {}),
    ("montant", {}),
    ("date", {}),
    ("email", {}),
    ("telephone", {}),
    ("choix_unique_liste", {"liste": "bench-quartiers"}),
    ("choix_unique_radio", {"choix": [["oui", "Oui"], ["non", "Non"], ["nsp", "Ne sait pas"]]}),
    ("choix_multiple", {"choix": [["a", "Matin"], ["b", "Après-midi"], ["c", "Soir"]]}),
    ("oui_non", {}),
    ("case_a_cocher", {}),
    ("civilite", {}),
    ("siret", {}),
]
VUES = {
    "internet": {"visible": True, "modifiable": True, "obligatoire": False},
    "crm": {"visible": True, "modifiable": True, "obligatoire": False},
    "partenaire": {"visible": True, "modifiable": False, "obligatoire": False},
}


# Seeding ------------------------------------------------------------------------------


def _champ(nom, libelle, type_, *, colonne=1, **extra):
    return {
        "nom": nom,
        "libelle": libelle,
        "type": type_,
        "aide": extra.pop("aide", ""),
        "options": extra.pop("options", {}),
        "liste": extra.pop("liste", None),
        "choix": extra.pop("choix", []),
        "condition": extra.pop("condition", None),
        "prefill": extra.pop("prefill", ""),
        "colonne": colonne,
        "ordre": 0,
        "referentiel": None,
        "proprietes": VUES,
    }


def formulaire_150() -> dict:
    """A form model in the import format (F7): one step of 150 fields in 75 rows of two
    columns (every fifth row shown on a condition, a calcul at the end), then a short
    second step."""
    from dossiers import services

    champs = []
    for i in range(149):
        type_, extra = TYPES[i % len(TYPES)]
        champs.append(_champ(f"champ_{i:03d}", f"Question n°{i + 1}", type_, **dict(extra)))
    champs.append(
        _champ(
            "total",
            "Total calculé",
            "calcul",
            options={"formule": "champ_002 + champ_017 * 2", "decimales": 0},
        )
    )
    lignes = []
    for r in range(75):
        gauche, droite = champs[2 * r], dict(champs[2 * r + 1], colonne=2)
        condition = None
        if r % 5 == 4:
            condition = {"champ": "champ_009", "op": "=", "valeur": "oui"}
        lignes.append(
            {
                "ordre": r,
                "colonnes": 2,
                "titre_section": f"Section {r // 10 + 1}" if r % 10 == 0 else "",
                "condition": condition,
                "champs": [gauche, droite],
            }
        )
    return {
        "format": services.FORMAT,
        "version_format": services.FORMAT_VERSION,
        "dispositif": "BW150",
        "listes": [
            {
                "code": "bench-quartiers",
                "libelle": "Quartiers (banc d’essai)",
                "valeurs": [[f"q{i:02d}", f"Quartier n°{i}", i, True] for i in range(30)],
            }
        ],
        "referentiel": [],
        "onglets": [
            {
                "titre": "Votre demande",
                "aide": "<p>Répondez aux questions.</p>",
                "ordre": 0,
                "condition": None,
                "lignes": lignes,
            },
            {
                "titre": "Engagement",
                "aide": "",
                "ordre": 1,
                "condition": None,
                "lignes": [
                    {
                        "ordre": 0,
                        "colonnes": 1,
                        "titre_section": "",
                        "condition": None,
                        "champs": [
                            _champ(
                                "engagement",
                                "J’atteste l’exactitude des informations",
                                "acceptation_cgu",
                                options={"texte": "J’atteste l’exactitude des informations"},
                            )
                        ],
                    }
                ],
            },
        ],
    }


def seed() -> str:
    """The catalogue, the 150-field model and a signed-in citizen; returns the session key.
    Idempotent: the previous run's web data is removed first."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from accounts.models import User
    from dossiers import services
    from dossiers.models import Dispositif, Dossier, ListeReferentiel, Thematique
    from usagers.models import TypeProfil
    from usagers.services import compte_initialiser

    with transaction.atomic():
        Dossier.objects.filter(dispositif__code__startswith="BW").delete()
        Dispositif.objects.filter(code__startswith="BW").delete()
        ListeReferentiel.objects.filter(code="bench-quartiers").delete()
        Thematique.objects.filter(slug__startswith="bench-").delete()
        User.objects.filter(email=USER_EMAIL).delete()

        thematiques = [
            Thematique.objects.create(libelle=libelle, slug=f"bench-{i}", ordre=i)
            for i, libelle in enumerate(THEMATIQUES)
        ]
        types = list(TypeProfil.objects.filter(actif=True))
        for i in range(60):
            thematique = thematiques[i % len(thematiques)]
            dispositif = Dispositif.objects.create(
                titre=f"{OBJETS[i % len(OBJETS)]} — {thematique.libelle} n°{i + 1}",
                slug=f"bench-demarche-{i}",
                code=f"BW{i:03d}",
                resume=(
                    "Une démarche de la commune, en ligne : déposez votre demande, suivez-la "
                    "et recevez la réponse dans votre espace."
                ),
                mots_cles="banc d’essai",
                ordre=i,
            )
            dispositif.thematiques.set([thematique, thematiques[(i * 7 + 3) % 10]])
            if types and i % 3:
                dispositif.types_profil.set(types[: 1 + i % len(types)])
        wizard = Dispositif.objects.create(
            titre="Banc d’essai : formulaire de 150 champs",
            slug=WIZARD_SLUG,
            code="BW150",
            resume="Un formulaire de 150 champs de tous les types.",
            ordre=99,
        )
        wizard.thematiques.set(thematiques[:1])
        modele = services.modele_importer(formulaire_150(), dispositif=wizard)
        services.modele_publier(modele=modele, by=None)

        user = User.objects.create_user(USER_EMAIL, password=None)
        compte_initialiser(user=user, prenom="Camille", nom="Banc")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return session.session_key


# Serving and measuring ------------------------------------------------------------------


def _dsn() -> dict:
    """The bench database's connection parameters (for Serveurs)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "password": db.get("PASSWORD"),
    }
    return {k: v for k, v in params.items() if v}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    """A Redis of the bench's own (nothing saved to disk), as production has one
    (REDIS_URL): the sessions' cache (config/settings/base.py)."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--loglevel", "warning"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("redis-server stopped at start") from None
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("redis-server did not answer within 20 s")


def start_gunicorn(port: int, workers: int, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_web", "REDIS_URL": redis_url}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env)  # noqa: S603 (our own command line)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ok/", timeout=2):  # noqa: S310
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped at start") from None
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _get(url: str, cookie: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.read()


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)")


WRK_REQUESTS = re.compile(r"(\d+) requests in")
TICK = os.sysconf("SC_CLK_TCK")


class Serveurs:
    """The CPU time (user + system, seconds) of the processes that serve the pages:
    gunicorn's workers, the PostgreSQL backends connected to the bench's database and
    redis-server — read from /proc, so a figure of machine time per request that the
    machine's other load does not change (the throughput on a machine of its own is
    about the cores over it). PostgreSQL's backends are counted when the server runs
    on this machine (their /proc readable); a remote one's are left out."""

    def __init__(self, gunicorn: int, redis: int, dsn: dict) -> None:
        self.gunicorn, self.redis, self.dsn = gunicorn, redis, dsn

    def _pids(self) -> list[int]:
        pids = [self.redis]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == self.gunicorn:
                    pids.append(int(entry.name))
        import psycopg

        with psycopg.connect(**self.dsn, autocommit=True) as conn:
            pids += [
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                )
            ]
        return pids

    def cpu(self) -> dict[int, float]:
        temps = {}
        for pid in self._pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            temps[pid] = (int(stat[11]) + int(stat[12])) / TICK
        return temps


def run_wrk(url: str, *, seconds: float, connections: int, cookie: str = "", serveurs=None) -> dict:
    """One load of `seconds` on `url`; requests per second, errors, the generator's
    CPU share (its user + system time over the wall time, in cores) and, with
    `serveurs`, the serving processes' CPU time per request (ms)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    avant = serveurs.cpu() if serveurs else {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 (our own command line)
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    apres = serveurs.cpu() if serveurs else {}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    errors = WRK_ERRORS.search(out)
    requetes = int(WRK_REQUESTS.search(out).group(1))
    # A process that ended during the load (a connection closed) is left out.
    cpu_serveurs = sum(apres[pid] - avant.get(pid, apres[pid]) for pid in apres)
    return {
        "rps": float(WRK_LINE.search(out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "generator_cores": cpu / wall,
        "server_cpu_ms": 1000 * cpu_serveurs / requetes if serveurs and requetes else None,
    }


def _avec_jeton_csrf(base: str, cookie: str) -> str:
    """The citizen's cookies as their browser sends them: the session's and the CSRF
    token's, which the first page with a form sets (without it, every answer would make
    a new CSRF secret and set its cookie, as for a first visit only)."""
    request = urllib.request.Request(  # noqa: S310
        f"{base}/demarches/{WIZARD_SLUG}/demande/", headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        for header in response.headers.get_all("Set-Cookie") or []:
            nom, _egal, reste = header.partition("=")
            if nom.strip() == "csrftoken":
                return f"{cookie}; csrftoken={reste.split(';', 1)[0]}"
    raise RuntimeError("the wizard step set no CSRF cookie")


def measure(
    base: str, cookie: str, *, rounds: int, seconds: float, connections: int, serveurs=None
) -> dict:
    cookie = _avec_jeton_csrf(base, cookie)
    targets = {
        "bare": (f"{base}/bench/ok/", ""),
        "bare_signed_in": (f"{base}/bench/ok-connecte/", cookie),
        "catalogue": (f"{base}/demarches/", ""),
        "wizard": (f"{base}/demarches/{WIZARD_SLUG}/demande/", cookie),
    }
    # Warm up every worker (templates compiled, connections open, the wizard's state
    # stored in the session by its first request) and check each page answers 200.
    for name, (url, cookie_) in targets.items():
        status, body = _get(url, cookie_)
        if (
            status != 200
            or (name == "wizard" and "Total calculé".encode() not in body)
            or (name == "bare_signed_in" and body == b"ok None")  # the session must hold
        ):
            raise RuntimeError(f"{name}: unexpected answer {status}")
        run_wrk(url, seconds=1, connections=connections, cookie=cookie_)
    samples: dict[str, list[dict]] = {name: [] for name in targets}
    names = list(targets)
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]  # interleaved, both orders
        for name in order:
            url, cookie_ = targets[name]
            samples[name].append(
                run_wrk(
                    url,
                    seconds=seconds,
                    connections=connections,
                    cookie=cookie_,
                    serveurs=serveurs,
                )
            )
    return samples


def main() -> int:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_web"
    django.setup()
    from bench.__main__ import ensure_databases

    for programme in ("wrk", "redis-server"):
        if shutil.which(programme) is None:
            print(
                f"{programme} est introuvable : installez-le (apt-get install "
                f"{programme}) ou lancez `make bench`."
            )
            return 2
    ensure_databases(["default"])
    print("Benchmark — débit web (issue 5)", flush=True)
    started = time.perf_counter()
    session_key = seed()
    print(f"  catalogue et formulaire de 150 champs créés en {time.perf_counter() - started:.1f} s")
    from django.db import connections

    connections.close_all()

    rounds = int(os.environ.get("BENCH_WEB_ROUNDS", "5"))
    seconds = float(os.environ.get("BENCH_WEB_SECONDS", "4"))
    workers = int(os.environ.get("BENCH_WEB_WORKERS", "2"))
    connections_ = int(os.environ.get("BENCH_WEB_CONNECTIONS", "4"))
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise looks there
    port, redis_port = _free_port(), _free_port()
    redis = start_redis(redis_port)
    try:
        server = start_gunicorn(port, workers, f"redis://127.0.0.1:{redis_port}/0")
    except Exception:
        redis.terminate()
        raise
    try:
        samples = measure(
            f"http://127.0.0.1:{port}",
            f"sessionid={session_key}",
            rounds=rounds,
            seconds=seconds,
            connections=connections_,
            serveurs=Serveurs(server.pid, redis.pid, _dsn()),
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=30)

    rps = {name: statistics.median(s["rps"] for s in runs) for name, runs in samples.items()}
    cpu_ms = {
        name: statistics.median(s["server_cpu_ms"] for s in runs)
        for name, runs in samples.items()
        if all(s["server_cpu_ms"] for s in runs)
    }
    errors = {name: sum(s["errors"] for s in runs) for name, runs in samples.items()}
    generator = max(s["generator_cores"] for runs in samples.values() for s in runs)
    ratios = {name: rps[name] / rps["bare"] for name in ("catalogue", "wizard")}
    # Not a goal: how far the wizard is from a signed-in page that does nothing.
    ratio_connecte = rps["wizard"] / rps["bare_signed_in"]
    print(
        f"\ngunicorn {workers} workers (sync), wrk 1 thread × {connections_} connexions, "
        f"{rounds} tours × {seconds:g} s par page, pages mesurées en alternance"
    )
    labels = {
        "bare": "vue Django nue",
        "bare_signed_in": "vue nue, usager connecté",
        "catalogue": "catalogue (61 démarches)",
        "wizard": "étape de 150 champs",
    }
    affiches = {**ratios, "bare_signed_in": rps["bare_signed_in"] / rps["bare"]}
    print(
        f"  {'page':<28} {'req/s':>9} {'ratio':>7} {'erreurs':>8}"
        f" {'CPU serveurs ms/req':>20} {'ratio CPU':>10}"
    )
    for name, label in labels.items():
        ratio = f"{affiches[name]:>6.0%}" if name in affiches else f"{'—':>6}"
        cpu_ = f"{cpu_ms[name]:>20.2f}" if name in cpu_ms else f"{'—':>20}"
        ratio_cpu = (
            f"{cpu_ms['bare'] / cpu_ms[name]:>9.0%}"
            if name in cpu_ms and "bare" in cpu_ms and name != "bare"
            else f"{'—':>9}"
        )
        print(
            f"  {label:<28} {rps[name]:>9.1f} {ratio:>7} {errors[name]:>8} {cpu_} {ratio_cpu:>10}"
        )
    print(
        "  CPU serveurs : gunicorn, PostgreSQL (ses processus de cette base) et Redis par"
        " requête ; ratio CPU = celui de la vue nue sur celui de la page"
    )
    print(
        f"  objectif : chaque page ≥ {GOAL:.0%} de la vue nue ; générateur ≤ {generator:.2f} cœur"
    )
    print(f"  (l’étape fait {ratio_connecte:.0%} de la vue nue d’un usager connecté)")
    met = all(r >= GOAL for r in ratios.values()) and not any(errors.values())
    output = {
        "web_throughput": {
            "gunicorn_workers": workers,
            "wrk_connections": connections_,
            "rounds": rounds,
            "seconds_per_run": seconds,
            "rps": {k: round(v, 1) for k, v in rps.items()},
            "server_cpu_ms_per_request": {k: round(v, 3) for k, v in cpu_ms.items()},
            "ratios": {k: round(v, 3) for k, v in ratios.items()},
            "wizard_to_bare_signed_in": round(ratio_connecte, 3),
            "errors": errors,
            "generator_cores_max": round(generator, 2),
            "goal": GOAL,
            "met": met,
        }
    }
    import json

    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    (path / "web.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print(f"\nJSON : {path / 'web.json'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
