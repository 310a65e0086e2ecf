"""The scale benchmark (issue 10), what `make bench` runs: one seeding, two sizes, every
measure in one run, one table.

Two databases (`guichet_bench_10k`, `guichet_bench_1m`; settings aliases `bench_10k`,
`bench_1m`) seeded once each by bench/seed_scale.py (10,000 and `BENCH_N`, 1,000,000,
dossiers over 50 dispositifs with real forms and guides). Then:

1. In process, Django's test client, the sizes interleaved request by request, their
   order swapped every round (bench/router.py and `instruction.base` send every query
   and transaction to the size measured): the catalogue, a service sheet, « Mon
   compte », a dossier's page, the submission of a short form (the POST of its last
   step, which files a dossier), change_status with five actions (bench/instruction.py's
   measure), and the CRM's rows (`_crm`). Per page: median ms at each size, the ratio,
   the queries of one request at each size.
2. A CSV export of the first 100,000 filed dossiers (all of them at 10,000), each in a
   fresh process, as a job runs it: time per 1,000 rows and the child's own peak
   resident memory (`bench.exports.pic_mo`).
3. Served by gunicorn (sessions on a Redis of its own) on the large database and loaded
   by wrk, as bench/web.py does: every GET page above against the bare view and the
   signed-in bare view, interleaved rounds; each page's share of the bare view.

Prints one table, writes var/bench/bench.json, exits 1 when a goal is missed: ratio ≤
1.5, queries the same at both sizes, ≥ 25 % of the bare view (exports aside), the
export's peak < 300 MB. `BENCH_REUSE=1` keeps seeded databases (a comment on the
dispositif table marks a finished seeding); `BENCH_QUICK=1` runs fewer rounds (a check,
not a measure); `BENCH_N` sets the large size.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple

GOAL_RATIO = 1.5
GOAL_BARE = 0.25
GOAL_PEAK_MB = 300
PETITE, GRANDE = "bench_10k", "bench_1m"
EXPORT_N = 100_000
DEPOSANT = "deposant.mesure@bench.exemple.fr"
AGENT_EXPORT = "agent.bench.exports@bench.mairie.fr"


def tailles() -> dict[str, int]:
    return {PETITE: 10_000, GRANDE: int(os.environ.get("BENCH_N", "1000000"))}


def reglages() -> dict:
    """Rounds and durations; `BENCH_QUICK=1` for a check of the whole command."""
    rapide = os.environ.get("BENCH_QUICK") == "1"
    return {
        "tours": int(os.environ.get("BENCH_ROUNDS", "5" if rapide else "30")),
        "instruction_tours": 4 if rapide else 10,
        "instruction_bloc": 20 if rapide else 50,
        "web_tours": int(os.environ.get("BENCH_WEB_ROUNDS", "2" if rapide else "5")),
        "web_secondes": float(os.environ.get("BENCH_WEB_SECONDS", "2" if rapide else "4")),
        "web_workers": int(os.environ.get("BENCH_WEB_WORKERS", "2")),
        "web_connexions": int(os.environ.get("BENCH_WEB_CONNECTIONS", "4")),
    }


# --- The CRM (issue 10's CRM slice) --------------------------------------------------------


class Crm(NamedTuple):
    """The CRM's part of the run. `semer(alias, n)`: agents, rights, teams and
    territories on top of the seeding (returns rows per table); `mesurer(petite,
    grande)`: its in-process rows, `{"page", "ms_10k", "ms_1m", "ratio", "requetes_10k",
    "requetes_1m"}`; `pages(alias)`: what the web part serves, `[{"page", "chemin",
    "email"}]` (the email of the agent signed in)."""

    semer: object = None
    mesurer: object = None
    pages: object = None


def _crm() -> Crm:
    """The CRM's seeding and measures (issue 9's bench/seed_crm.py and bench/crm.py):
    agents, rights, territoires on top of the seeding; the dashboard, the list (page 1
    and 1,000), a dossier, the map data and the quick search."""
    from bench import crm, seed_crm

    return Crm(seed_crm.semer, crm.mesurer, crm.pages)


# --- Pure helpers: rows, goals, table ---------------------------------------------------------


def ligne(page: str, **valeurs) -> dict:
    """One row of the table; what a row does not measure stays None."""
    base = dict.fromkeys(
        ["ms_10k", "ms_1m", "ratio", "requetes_10k", "requetes_1m", "pct_nue", "pic_mo"]
    )
    return {"page": page, **base, "export": False, **valeurs}


def manques(lignes: list[dict]) -> list[str]:
    """The goals missed, one sentence each (empty: every goal met)."""
    problemes = []
    for r in lignes:
        if r["ratio"] is not None and r["ratio"] > GOAL_RATIO:
            problemes.append(f"{r['page']} : ratio {r['ratio']:.2f} > {GOAL_RATIO}")
        if (
            r["requetes_10k"] is not None
            and r["requetes_1m"] is not None
            and r["requetes_10k"] != r["requetes_1m"]
        ):
            problemes.append(
                f"{r['page']} : requêtes {r['requetes_10k']} → {r['requetes_1m']} "
                "(elles croissent avec les données)"
            )
        if not r["export"] and r["pct_nue"] is not None and r["pct_nue"] < GOAL_BARE:
            problemes.append(f"{r['page']} : {r['pct_nue']:.0%} de la vue nue < {GOAL_BARE:.0%}")
        if r["pic_mo"] is not None and r["pic_mo"] >= GOAL_PEAK_MB:
            problemes.append(f"{r['page']} : pic {r['pic_mo']:.0f} Mo ≥ {GOAL_PEAK_MB} Mo")
    return problemes


def _nombre(v, format_: str) -> str:
    return "—" if v is None else format(v, format_)


def _requetes(r: dict) -> str:
    a, b = r["requetes_10k"], r["requetes_1m"]
    if a is None and b is None:
        return "—"
    return str(a) if a == b else f"{a} → {b} !"


def tableau(lignes: list[dict], grande: int = 1_000_000) -> str:
    """The table, in Markdown (docs/performance.md takes it as it is)."""
    entete = [
        "page",
        "ms 10k",
        f"ms {grande:,}".replace(",", " "),
        "ratio",
        "requêtes",
        "% vue nue",
        "pic Mo",
    ]
    sortie = ["| " + " | ".join(entete) + " |", "| --- |" + " ---: |" * (len(entete) - 1)]
    for r in lignes:
        cellules = [
            r["page"],
            _nombre(r["ms_10k"], ".1f"),
            _nombre(r["ms_1m"], ".1f"),
            _nombre(r["ratio"], ".2f"),
            _requetes(r),
            _nombre(r["pct_nue"], ".0%"),
            _nombre(r["pic_mo"], ".0f"),
        ]
        sortie.append("| " + " | ".join(cellules) + " |")
    return "\n".join(sortie)


# --- Databases and seeding --------------------------------------------------------------------


@contextmanager
def sur(alias: str):
    """Every query (router) and every transaction (`instruction.base`) on `alias`."""
    from bench.instruction import base
    from bench.router import using

    with ExitStack() as pile:
        pile.enter_context(using(alias))
        pile.enter_context(base(alias))
        yield


def semer(crm: Crm) -> dict:
    from bench import seed_dossiers, seed_scale

    reutiliser = os.environ.get("BENCH_REUSE") == "1"
    resultat = {}
    for alias, n in tailles().items():
        if reutiliser and seed_scale.deja_seme(alias, n):
            print(f"  {n:>9,} dossiers : base {alias} réutilisée (BENCH_REUSE=1)", flush=True)
            resultat[alias] = None
            continue
        fait, duree = seed_dossiers.chronometrer(seed_scale.semer, alias, n, crm=crm.semer)
        resultat[alias] = {"secondes": round(duree, 1), **fait}
        print(
            f"  {n:>9,} dossiers : {sum(fait['lignes'].values()):,} lignes semées en "
            f"{duree:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in fait['secondes'].items())})",
            flush=True,
        )
    return resultat


def _deposant(alias: str) -> int:
    """The account that files the short form, made again at every run (its dossiers of
    earlier runs deleted)."""
    from django.db import transaction

    from accounts.models import User
    from dossiers.models import Dossier
    from usagers.models import Individu, Profil
    from usagers.services import compte_initialiser

    with sur(alias), transaction.atomic():
        ancien = User.objects.filter(email=DEPOSANT).first()
        if ancien is not None:
            Dossier.objects.filter(cree_par=ancien).delete()
            Profil.objects.filter(adhesions__individu__user=ancien).delete()
            Individu.objects.filter(user=ancien).delete()
            ancien.delete()
        user = User.objects.create_user(DEPOSANT, first_name="Dominique", last_name="Dépôt")
        compte_initialiser(user=user, prenom="Dominique", nom="Dépôt")
        return user.pk


def _agent_export(alias: str) -> None:
    from django.contrib.auth import get_user_model

    with sur(alias):
        get_user_model().objects.filter(email=AGENT_EXPORT).delete()
        get_user_model().objects.create_superuser(
            email=AGENT_EXPORT,
            password=None,
            first_name="Agent",
            last_name="Exports",
            is_agent=True,
        )


# --- In-process measures ----------------------------------------------------------------------


PAGES = {
    "catalogue": ("Catalogue des démarches", "Prêt d’une benne"),
    "fiche": ("Fiche d’une démarche", "Prêt d’une benne"),
    "compte": ("Mon compte (tableau de bord)", "Fournir « Justificatif de domicile »"),
    "dossier": ("Page d’un dossier (usager)", "Dossier complet"),
}


def _chemins(citoyen: dict) -> dict[str, str]:
    from django.urls import reverse

    return {
        "catalogue": reverse("portal:catalogue"),
        "fiche": reverse("portal:fiche", args=["bench-ben"]),
        "compte": reverse("portal:account"),
        "dossier": reverse("portal:dossier", args=[citoyen["dossier"]]),
    }


def _client(alias: str, user_pk: int | None):
    from django.db import transaction
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="localhost")
    if user_pk is not None:
        with sur(alias), transaction.atomic():
            client.force_login(User.objects.get(pk=user_pk))
    return client


def _compter(alias: str, faire) -> tuple[object, int]:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[alias]) as capture:
        resultat = faire()
    return resultat, len(capture.captured_queries)


def _verifier(reponse, page: str, alias: str, attendu: str | None, statut: int = 200) -> None:
    probleme = None
    if reponse.status_code != statut:
        probleme = f"HTTP {reponse.status_code}, {statut} attendu"
    elif attendu and attendu not in reponse.content.decode():
        probleme = f"« {attendu} » absent de la page"
    if probleme:
        chemin = Path("var/bench/echec.html")  # what the page said, to see why
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(reponse.content)
        raise RuntimeError(f"{page} ({alias}) : {probleme} (réponse : {chemin})")


class Depot:
    """The submission of the short form by its own account: each time a GET of the
    step (not timed: it puts the request in the session, as the citizen's first visit
    does), then the POST of its last step, timed, which files the dossier (reference,
    history, routing, the guide's initial statut, the receipt's task queued)."""

    def __init__(self, alias: str):
        from django.urls import reverse

        self.alias = alias
        self.client = _client(alias, _deposant(alias))
        self.url = reverse("portal:demande", args=["bench-dep"])

    def preparer(self) -> None:
        with sur(self.alias):
            _verifier(self.client.get(self.url), "dépôt", self.alias, "Date du constat")

    def poster(self):
        from bench.seed_scale import DONNEES_DEPOT
        from portal.views_wizard import CHAMP_ACTION, CHAMP_ETAPE

        with sur(self.alias):
            return self.client.post(
                self.url, {**DONNEES_DEPOT, CHAMP_ETAPE: "0", CHAMP_ACTION: "deposer"}
            )


def mesurer_pages(citoyens: dict, tours: int) -> list[dict]:
    """The portal's pages and the submission, the sizes interleaved."""
    aliases = list(citoyens)
    clients = {
        alias: {"anonyme": _client(alias, None), "usager": _client(alias, c["user"])}
        for alias, c in citoyens.items()
    }
    chemins = {alias: _chemins(c) for alias, c in citoyens.items()}
    qui = {"catalogue": "anonyme", "fiche": "anonyme", "compte": "usager", "dossier": "usager"}
    depots = {alias: Depot(alias) for alias in aliases}

    def get(alias, page):
        with sur(alias):
            return clients[alias][qui[page]].get(chemins[alias][page])

    requetes: dict[str, dict[str, int]] = {page: {} for page in [*PAGES, "depot"]}
    for alias in aliases:  # warm-up, checked; then one request with its queries counted
        for page, (_libelle, attendu) in PAGES.items():
            _verifier(get(alias, page), page, alias, attendu)
            _r, requetes[page][alias] = _compter(alias, lambda a=alias, p=page: get(a, p))
        depots[alias].preparer()
        _verifier(depots[alias].poster(), "dépôt", alias, None, statut=302)
        depots[alias].preparer()
        reponse, requetes["depot"][alias] = _compter(alias, depots[alias].poster)
        _verifier(reponse, "dépôt", alias, None, statut=302)

    temps = {page: {alias: [] for alias in aliases} for page in requetes}
    for tour in range(tours):
        ordre = aliases if tour % 2 == 0 else aliases[::-1]
        for page in PAGES:
            for alias in ordre:
                debut = time.perf_counter()
                get(alias, page)
                temps[page][alias].append((time.perf_counter() - debut) * 1000)
        for alias in ordre:
            depots[alias].preparer()
            debut = time.perf_counter()
            reponse = depots[alias].poster()
            temps["depot"][alias].append((time.perf_counter() - debut) * 1000)
            _verifier(reponse, "dépôt", alias, None, statut=302)

    libelles = {**{p: v[0] for p, v in PAGES.items()}, "depot": "Dépôt d’un formulaire court"}
    petite, grande = aliases
    lignes = []
    for page, par_taille in temps.items():
        m = {alias: statistics.median(t) for alias, t in par_taille.items()}
        lignes.append(
            ligne(
                libelles[page],
                cle=page,
                ms_10k=round(m[petite], 2),
                ms_1m=round(m[grande], 2),
                ratio=round(m[grande] / m[petite], 2),
                requetes_10k=requetes[page][petite],
                requetes_1m=requetes[page][grande],
            )
        )
    return lignes


def mesurer_change_status(aliases: list[str], tours: int, bloc: int) -> dict:
    """bench/instruction.py's measure on these databases: blocks of calls, interleaved."""
    from bench import instruction

    for alias in aliases:
        instruction.nettoyer(alias)
    echauffement, comptees = 20, 5
    par_taille = {
        alias: instruction.Taille(alias, echauffement + comptees + tours * bloc)
        for alias in aliases
    }
    for taille in par_taille.values():
        instruction.bloc(taille, echauffement)
        instruction.verifier(taille, taille.a_bouger[0][0])
    nombres = {
        alias: sorted({len(q) for q in instruction.requetes(t, comptees)})
        for alias, t in par_taille.items()
    }
    ms = {alias: [] for alias in aliases}
    for tour in range(tours):
        for alias in aliases if tour % 2 == 0 else aliases[::-1]:
            mur, _cpu = instruction.bloc(par_taille[alias], bloc)
            ms[alias].append(mur / bloc * 1000)
    petite, grande = aliases
    m = {alias: statistics.median(v) for alias, v in ms.items()}
    stable = all(len(v) == 1 for v in nombres.values())
    return ligne(
        "change_status (cinq actions)",
        cle="change_status",
        ms_10k=round(m[petite], 2),
        ms_1m=round(m[grande], 2),
        ratio=round(m[grande] / m[petite], 2),
        # Several counts at one size: flagged as growing (never equal to a single one).
        requetes_10k=nombres[petite][0] if stable else -1,
        requetes_1m=nombres[grande][0] if stable else -2,
    )


def mesurer_change_status_lot(aliases: list[str], tours: int, bloc: int) -> dict:
    """The same moves by the batches' path (bench/instruction.py's `bloc_lot`: one chunk
    of `bloc` dossiers per transaction), per change. Its queries are per chunk and follow
    how many dispositifs the chunk spans (the assignment's right, asked once per
    dispositif): not compared between sizes."""
    from bench import instruction

    echauffement = 20
    par_taille = {
        alias: instruction.Taille(alias, echauffement + tours * bloc) for alias in aliases
    }
    for taille in par_taille.values():
        instruction.bloc_lot(taille, echauffement)
        instruction.verifier(taille, taille.a_bouger[0][0])
    ms = {alias: [] for alias in aliases}
    for tour in range(tours):
        for alias in aliases if tour % 2 == 0 else aliases[::-1]:
            mur, _cpu = instruction.bloc_lot(par_taille[alias], bloc)
            ms[alias].append(mur / bloc * 1000)
    petite, grande = aliases
    m = {alias: statistics.median(v) for alias, v in ms.items()}
    return ligne(
        f"change_status par lot de {bloc} (cinq actions)",
        cle="change_status_lot",
        ms_10k=round(m[petite], 2),
        ms_1m=round(m[grande], 2),
        ratio=round(m[grande] / m[petite], 2),
    )


# --- The export, in a fresh process -------------------------------------------------------------


def exporter(alias: str) -> dict:
    """In the child process: the CSV of the first EXPORT_N filed dossiers (by id), as a
    job writes it; its rows, seconds and its own peak resident memory (`pic_mo`: not
    `ru_maxrss`, which holds this benchmark process's peak too)."""
    import tempfile

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Subquery

    from bench.exports import maxrss_mo, pic_mo
    from bench.router import using
    from dossiers import exports
    from dossiers.models import Dossier
    from dossiers.selectors import dossiers_visible_to

    with using(alias):
        agent = get_user_model().objects.get(email=AGENT_EXPORT)
        choisis = (
            Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
            .order_by("pk")
            .values("pk")[:EXPORT_N]
        )
        dossiers = (
            dossiers_visible_to(agent)
            .filter(pk__in=Subquery(choisis))
            .select_related("agent", "classement")
            .order_by("-depose_le", "-pk")
        )
        spec = exports.specification(cles=[c.cle for c in exports.COLONNES_STANDARD])
        avant, debut, n = pic_mo(), time.perf_counter(), 0

        def compter(k):
            nonlocal n
            n = k

        with tempfile.TemporaryFile() as fichier:
            exports.ecrire(
                exports.FORMATS["csv"],
                spec,
                exports.lignes(dossiers, spec, progression=compter),
                fichier,
            )
            taille = fichier.tell()
        return {
            "rows": n,
            "seconds": round(time.perf_counter() - debut, 2),
            "bytes": taille,
            "peak_mb_before": round(avant, 1),
            "peak_mb": round(pic_mo(), 1),
            "ru_maxrss_mb": round(maxrss_mo(), 1),
        }


def mesurer_export(aliases: list[str]) -> tuple[dict, dict]:
    resultats = {}
    for alias in aliases:
        _agent_export(alias)
        sortie = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "bench.scale", "--export", alias],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
        )
        resultats[alias] = json.loads(sortie.stdout.strip().splitlines()[-1])
    petite, grande = aliases
    par_mille = {a: r["seconds"] * 1000 / max(r["rows"], 1) * 1000 for a, r in resultats.items()}
    rangee = ligne(
        f"Export CSV ({resultats[grande]['rows']:,} lignes ; ms / 1 000 lignes)".replace(",", " "),
        cle="export",
        export=True,
        ms_10k=round(par_mille[petite], 1),
        ms_1m=round(par_mille[grande], 1),
        ratio=round(par_mille[grande] / par_mille[petite], 2),
        pic_mo=resultats[grande]["peak_mb"],
    )
    return rangee, resultats


# --- Served by gunicorn, loaded by wrk ---------------------------------------------------------


def _session(alias: str, email: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    with sur(alias):
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"


def _avec_csrf(url: str, cookie: str) -> str:
    """The cookies a browser sends back: the CSRF one a page with a form sets."""
    import urllib.request

    requete = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(requete, timeout=60) as reponse:  # noqa: S310
        for entete in reponse.headers.get_all("Set-Cookie") or []:
            nom, _egal, reste = entete.partition("=")
            if nom.strip() == "csrftoken":
                return f"{cookie}; csrftoken={reste.split(';', 1)[0]}"
    return cookie


def mesurer_debit(pages: list[tuple[str, str, str | None]], reglage: dict) -> dict:
    """`pages`: (label, path, email of the account signed in or None). Requests per
    second of each against the bare view and the signed-in bare view, on the large
    database, interleaved rounds in both orders (bench/web.py's machinery)."""
    import shutil

    from django.conf import settings
    from django.db import connections

    from bench import web
    from bench.seed_dossiers import CITOYEN

    for programme in ("wrk", "redis-server"):
        if shutil.which(programme) is None:
            raise RuntimeError(
                f"{programme} introuvable : apt-get install {programme}, ou make bench"
            )
    cookies: dict[str, str] = {}
    for email in {CITOYEN, *(e for _l, _c, e in pages if e)}:
        cookies[email] = _session(GRANDE, email)
    connections.close_all()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    port, port_redis = web._free_port(), web._free_port()
    os.environ["BENCH_WEB_DATABASE"] = settings.DATABASES[GRANDE]["NAME"]
    redis = web.start_redis(port_redis)
    try:
        serveur = web.start_gunicorn(
            port, reglage["web_workers"], f"redis://127.0.0.1:{port_redis}/0"
        )
    except Exception:
        redis.terminate()
        raise
    racine = f"http://127.0.0.1:{port}"
    cibles = {"vue nue": (f"{racine}/bench/ok/", "")}
    try:
        cibles["vue nue, usager connecté"] = (
            f"{racine}/bench/ok-connecte/",
            _avec_csrf(f"{racine}/bench/ok-connecte/", cookies[CITOYEN]),
        )
        for libelle, chemin, email in pages:
            cookie = _avec_csrf(f"{racine}{chemin}", cookies[email]) if email else ""
            cibles[libelle] = (f"{racine}{chemin}", cookie)
        for libelle, (url, cookie) in cibles.items():  # every worker warm, every page 200
            statut, corps = web._get(url, cookie)
            if statut != 200 or corps.startswith(b"ok None"):
                raise RuntimeError(f"{libelle} : réponse {statut} inattendue")
            web.run_wrk(url, seconds=1, connections=reglage["web_connexions"], cookie=cookie)
        mesures: dict[str, list[dict]] = {nom: [] for nom in cibles}
        noms = list(cibles)
        for tour in range(reglage["web_tours"]):
            for nom in noms if tour % 2 == 0 else noms[::-1]:
                url, cookie = cibles[nom]
                mesures[nom].append(
                    web.run_wrk(
                        url,
                        seconds=reglage["web_secondes"],
                        connections=reglage["web_connexions"],
                        cookie=cookie,
                    )
                )
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=30)
    return {
        nom: {
            "rps": round(statistics.median(m["rps"] for m in runs), 1),
            "errors": sum(m["errors"] for m in runs),
            "generator_cores": round(max(m["generator_cores"] for m in runs), 2),
        }
        for nom, runs in mesures.items()
    }


# --- The run -----------------------------------------------------------------------------------


def main() -> int:
    import logging

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench import seed_dossiers
    from bench.__main__ import ensure_databases
    from config.celery import app

    # Tasks (receipts, mails) go to a broker as in production, not run in this process:
    # a worker's job (Celery's in-memory transport here).
    app.conf.task_always_eager = False
    logging.getLogger("celery").setLevel(logging.WARNING)
    reglage = reglages()
    crm = _crm()
    n = tailles()
    debut_run = time.perf_counter()
    ensure_databases(["default", *n])
    print(
        f"Benchmark à l’échelle (issue 10) : {n[PETITE]:,} et {n[GRANDE]:,} dossiers"
        + (" — BENCH_QUICK=1, tours réduits" if os.environ.get("BENCH_QUICK") == "1" else ""),
        flush=True,
    )
    semis = semer(crm)
    for alias in n:  # an earlier seeding stopped midway may have left tables unindexed
        refaits = seed_dossiers.index_completer(alias)
        if refaits:
            print(f"  {alias} : {len(refaits)} index manquants recréés", flush=True)
    citoyens = {alias: seed_dossiers.citoyen_creer(alias) for alias in n}
    charge = [os.getloadavg()[0]]

    print("Mesures en processus (client de test, tailles en alternance)…", flush=True)
    lignes = mesurer_pages(citoyens, reglage["tours"])
    lignes.append(
        mesurer_change_status(list(n), reglage["instruction_tours"], reglage["instruction_bloc"])
    )
    lignes.append(
        mesurer_change_status_lot(
            list(n), reglage["instruction_tours"], reglage["instruction_bloc"]
        )
    )
    if crm.mesurer is not None:
        lignes += [ligne(**r) for r in crm.mesurer(PETITE, GRANDE)]
    charge.append(os.getloadavg()[0])
    print("Export CSV (processus neuf par taille)…", flush=True)
    export, exports_detail = mesurer_export(list(n))

    # The in-process rows first, so a failure of the web part keeps them.
    print(tableau([*lignes, export], n[GRANDE]), flush=True)
    Path("var/bench").mkdir(parents=True, exist_ok=True)
    Path("var/bench/bench_processus.json").write_text(
        json.dumps({"rows": [*lignes, export], "export": exports_detail}, indent=2)
    )
    print("Débit : gunicorn + wrk sur la grande base…", flush=True)
    from bench.seed_dossiers import CITOYEN

    chemins = _chemins(citoyens[GRANDE])
    servies = [
        (PAGES["catalogue"][0], chemins["catalogue"], None),
        (PAGES["fiche"][0], chemins["fiche"], None),
        (PAGES["compte"][0], chemins["compte"], CITOYEN),
        (PAGES["dossier"][0], chemins["dossier"], CITOYEN),
    ]
    if crm.pages is not None:
        servies += [(p["page"], p["chemin"], p["email"]) for p in crm.pages(GRANDE)]
    debit = mesurer_debit(servies, reglage)
    charge.append(os.getloadavg()[0])
    nue = debit["vue nue"]["rps"]
    if not nue:  # nothing answered under load: no share can be computed
        raise RuntimeError(f"la vue nue n’a répondu à aucune requête sous charge : {debit}")
    for r in lignes:
        if r["page"] in debit:
            r["pct_nue"] = round(debit[r["page"]]["rps"] / nue, 3)
            r["rps"] = debit[r["page"]]["rps"]
    lignes.append(export)
    lignes.append(
        ligne(
            "Vue nue, usager connecté (référence)",
            cle="nue_connecte",
            pct_nue=round(debit["vue nue, usager connecté"]["rps"] / nue, 3),
            rps=debit["vue nue, usager connecté"]["rps"],
        )
    )
    problemes = manques(lignes)
    erreurs = {k: v["errors"] for k, v in debit.items() if v["errors"]}
    if erreurs:
        problemes.append(f"réponses non 2xx sous charge : {erreurs}")

    duree = time.perf_counter() - debut_run
    print(
        f"\nVue nue : {nue:,.1f} req/s (gunicorn {reglage['web_workers']} workers, wrk "
        f"{reglage['web_connexions']} connexions, {reglage['web_tours']} tours × "
        f"{reglage['web_secondes']:g} s) ; {reglage['tours']} tours en processus ; charge "
        + " → ".join(f"{c:.1f}" for c in charge)
    )
    print(tableau(lignes, n[GRANDE]))
    print(
        f"Objectifs : ratio ≤ {GOAL_RATIO} ; requêtes constantes ; ≥ {GOAL_BARE:.0%} de la vue "
        f"nue (exports exceptés ; le dépôt et change_status, des POST, ne sont pas servis) ; "
        f"pic de l’export < {GOAL_PEAK_MB} Mo"
    )
    print("\n".join(f"  MANQUÉ — {p}" for p in problemes) or "  Tous les objectifs sont tenus.")
    chemin = Path("var/bench")
    chemin.mkdir(parents=True, exist_ok=True)
    sortie = {
        "bench": {
            "sizes": n,
            "seeding": semis,
            "settings": reglage,
            "load_average": [round(c, 2) for c in charge],
            "seconds": round(duree, 1),
            "bare_rps": nue,
            "throughput": debit,
            "export": exports_detail,
            "rows": lignes,
            "goals": {
                "ratio": GOAL_RATIO,
                "bare_view_share": GOAL_BARE,
                "export_peak_mb": GOAL_PEAK_MB,
            },
            "missed": problemes,
            "met": not problemes,
        }
    }
    (chemin / "bench.json").write_text(json.dumps(sortie, indent=2, ensure_ascii=False))
    print(f"\nJSON : {chemin / 'bench.json'} ({duree:.0f} s en tout)")
    return 0 if not problemes else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--export"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
        print(json.dumps(exporter(sys.argv[2])))
    else:
        sys.exit(main())
