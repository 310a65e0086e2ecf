"""change_status (issue 8): « change_status with five actions: ≥ 200 per second per core »,
and the same throughput with 1,000,000 dossiers in the database as with 10,000.

Two databases of their own (guichet_bench_instruction, guichet_bench_instruction_small),
seeded by bench/seed_dossiers.py (the dossiers benchmark's COPY seeding: accounts,
profils, dossiers, justificatifs, conversations, history…), then, on top, a published
guide per dispositif (Dépôt → Recevabilité → Instruction → Commission → Décision →
Clôture) whose every statut after the initial one has five actions — set fields, a
tracking line for the citizen, assign to a named agent, an email from a published
template through the outbox, open the conversation — and the filed and closed dossiers'
place in it (INSERT … SELECT: 60 % of the filed ones in the initial statut).

What is measured: `instruction.services.change_status` called as the CRM's view calls
it (the dossier already read, the statut the agent saw as `attendu`), each call its own
transaction, committed, its on-commit hooks run: the outbox rows' tasks handed to the
broker (Celery's in-memory transport here, Redis in production), not sent — sending is a
worker's job. The dossiers moved are filed, in the initial statut, unassigned and
without a conversation (so every call does the same work), towards « Recevable » and
« Incomplet » in turn. One process, sequential calls: its throughput is per core (the
process's own CPU time is reported too; PostgreSQL runs on the other core). The two
sizes are measured in blocks of `BENCH_INSTRUCTION_BLOCK` (100) calls, interleaved,
their order swapped every round, `BENCH_INSTRUCTION_ROUNDS` (20) rounds: 2,000 changes
per size; each block's throughput, then the median of the rounds. After each block, as
many reads of one dossier by primary key through the ORM, the unit the change is also
expressed in (« = lectures »): on a loaded machine every query's wall and CPU time swell
alike, that ratio much less. The queries of a call are counted on several calls at each
size: they must be the same number every time.

Beside it, the batches' path (issue 8, session 11): the same five-action moves by
`instruction.services_statut_lot.statut_changer_lot` — a chunk of
`BENCH_INSTRUCTION_BLOCK` dossiers in one transaction of set-based statements, as the
CRM list's lot and the Celery batches move them — measured in the same rounds, right
after each block of single calls (each round: single calls, reference reads, a chunk),
with the queries of one chunk counted.

Between runs the bench's own traces are removed (its changes, history lines,
conversations, outbox rows; the dossiers put back in the initial statut, unassigned) so
every run starts from the same data; `BENCH_INSTRUCTION_REUSE=1` keeps databases that
already hold their seeding. Goals: ≥ 200 changes per second, and the median call at
1,000,000 ≤ 1.5 × the median at 10,000.
"""

import json
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

GOAL_PER_SECOND = 200
GOAL_RATIO = 1.5
# `BENCH_INSTRUCTION_N` changes the large size (a quicker run while working on it).
SIZES = {
    "instruction_small": 10_000,
    "instruction": int(os.environ.get("BENCH_INSTRUCTION_N", "1000000")),
}
MARQUE = "guichet bench instruction: {n}"
AGENT = "agent.bench.instruction@bench.mairie.fr"
INSTRUCTEUR = "instructeur.bench@bench.mairie.fr"
COURRIEL = "Bench — statut de la demande"
CIBLES = ["recevable", "incomplet"]

# (étape, target days, statuts: (code, agent label, citizen label, properties))
GUIDE = [
    ("Dépôt", 3, [("depose", "Déposé", "Votre demande est bien reçue", {"initial": True})]),
    (
        "Recevabilité",
        10,
        [
            ("recevable", "Recevable", "Votre demande est complète", {}),
            (
                "incomplet",
                "Incomplet",
                "Des pièces manquent à votre demande",
                {"modifiable_usager": True},
            ),
        ],
    ),
    (
        "Instruction",
        20,
        [("en_instruction", "En instruction", "Votre demande est en cours d’examen", {})],
    ),
    (
        "Commission",
        30,
        [
            ("avis_favorable", "Avis favorable", "", {}),
            ("avis_defavorable", "Avis défavorable", "", {}),
        ],
    ),
    (
        "Décision",
        7,
        [
            ("accorde", "Accordé", "Votre demande est accordée", {}),
            ("refuse", "Refusé", "Votre demande n’a pas pu être acceptée", {}),
        ],
    ),
    ("Clôture", None, [("cloture", "Clôturé", "Votre demande est terminée", {"cloture": True})]),
]
SUIVANTS = {
    "depose": ["recevable", "incomplet", "cloture"],
    "incomplet": ["recevable", "cloture"],
    "recevable": ["en_instruction"],
    "en_instruction": ["avis_favorable", "avis_defavorable", "incomplet"],
    "avis_favorable": ["accorde"],
    "avis_defavorable": ["refuse"],
    "accorde": ["cloture"],
    "refuse": ["cloture"],
}
# Where the seeded filed dossiers stand, by their id modulo 10 (the rest: initial).
REPARTITION = {6: "recevable", 7: "incomplet", 8: "en_instruction", 9: "avis_favorable"}
CORPS = """Bonjour {{ demandeur.nom_complet }},

Votre demande « {{ dossier.dispositif }} » (référence {{ dossier.reference }}) avance : {{ statut.libelle }} (étape « {{ statut.etape }} »).

Suivez-la dans votre espace : {{ lien }}

Le service instructeur de {{ autorite }}"""


@contextmanager
def base(alias: str):
    """Everything that speaks to the default database — the ORM, `transaction.atomic`,
    `on_commit`, `select_for_update` — speaks to `alias` instead: change_status runs on
    the size measured exactly as it runs on the default one, its own transaction
    included. (A router alone would send the queries there and leave the transaction on
    the default connection.)"""
    from django.db import connections

    defaut = connections["default"]
    connections["default"] = connections[alias]
    try:
        yield
    finally:
        connections["default"] = defaut


# --- Seeding ------------------------------------------------------------------------------


def deja_seme(alias: str, n: int) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT obj_description('instruction_suiviinstruction'::regclass)")
        return cursor.fetchone()[0] == MARQUE.format(n=n)


def _agents():
    """The agent who moves the dossiers and the one the actions assign them to: both
    instruct dossiers through the instructeurs' group, as in a real setup."""
    from django.contrib.auth.models import Group, Permission

    from accounts.models import User

    groupe, _cree = Group.objects.get_or_create(name="Instructeurs (bench)")
    groupe.permissions.set(Permission.objects.filter(codename="instruire_dossiers"))
    # Rights per dispositif (C7): a profil métier instructing every dispositif.
    from dossiers.models import ProfilMetier

    profil, _cree = ProfilMetier.objects.get_or_create(
        code="instruction-bench",
        defaults={
            "libelle": "Instruction (bench)",
            "tous_dispositifs": True,
            "voir": True,
            "instruire": True,
        },
    )
    agents = []
    for email, prenom in ((AGENT, "Alex"), (INSTRUCTEUR, "Inès")):
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, first_name=prenom, last_name="Bench", is_agent=True
        )
        user.groups.add(groupe)
        profil.agents.add(user)
        agents.append(user)
    return agents


def _courriel():
    from instruction.services import EVENEMENT_STATUT
    from notifications import services as notifications
    from notifications.models import Canal, ModeleMessage

    modele, _cree = ModeleMessage.objects.update_or_create(
        nom=COURRIEL,
        defaults={
            "canal": Canal.EMAIL,
            "evenement": EVENEMENT_STATUT,
            "sujet": "Votre demande {{ dossier.reference }} : {{ statut.libelle }}",
            "corps": CORPS,
        },
    )
    if problemes := notifications.modele_publier(modele):
        raise RuntimeError(f"Modèle de courriel refusé : {problemes}")
    return modele


def _actions(code: str, instructeur, courriel) -> list[tuple[str, dict]]:
    """Five actions, the five types of instruction.actions."""
    return [
        ("champs", {"valeurs": {"etape_instruction": code, "a_relancer": False}}),
        ("suivi", {"texte": f"Votre dossier est passé à l’étape suivante ({code})."}),
        ("attribuer", {"agent": instructeur.pk}),
        ("courriel", {"modele": courriel.pk}),
        ("conversation", {"ouvrir": code != "cloture"}),
    ]


def guides_semer(alias: str) -> dict:
    """One published guide per dispositif; returns, per dispositif id, its version and
    its statuts' ids by code."""
    from django.db import transaction

    from dossiers.models import Dispositif
    from instruction import services
    from instruction.models import ActionStatut, Etape, Guide, Statut, VersionGuide

    with base(alias), transaction.atomic():
        _agent, instructeur = _agents()
        courriel = _courriel()
        guides = {}
        for dispositif in Dispositif.objects.order_by("pk"):
            version = VersionGuide.objects.create(
                guide=Guide.objects.create(dispositif=dispositif), numero=1
            )
            statuts: dict[str, Statut] = {}
            for ordre, (libelle, duree, lignes) in enumerate(GUIDE, start=1):
                etape = Etape.objects.create(
                    version=version, ordre=ordre, libelle=libelle, duree_cible=duree
                )
                for rang, (code, agent, usager, proprietes) in enumerate(lignes):
                    statuts[code] = Statut.objects.create(
                        etape=etape,
                        ordre=rang,
                        code=code,
                        libelle=agent,
                        libelle_usager=usager,
                        **proprietes,
                    )
            for code, suivants in SUIVANTS.items():
                statuts[code].suivants.set([statuts[s] for s in suivants])
            for code, statut in statuts.items():
                if statut.initial:
                    continue
                for ordre, (type_, config) in enumerate(_actions(code, instructeur, courriel)):
                    action = ActionStatut(statut=statut, ordre=ordre, type=type_, config=config)
                    action.full_clean()  # the config as the builder's form would save it
                    action.save()
            services.version_publier(version=version)
            guides[dispositif.pk] = {
                "version": version.pk,
                "statuts": {code: s.pk for code, s in statuts.items()},
            }
    return guides


def suivis_semer(alias: str, guides: dict, n: int) -> dict[str, int]:
    """Every filed and closed dossier's place in its dispositif's guide, with its
    changes (the entry in the initial statut; then the move to where it stands), in
    SQL from the dossiers' rows."""
    from django.db import connections

    from instruction import services_compteurs

    correspondance = [
        (
            dispositif,
            g["version"],
            g["statuts"]["depose"],
            g["statuts"]["cloture"],
            *(g["statuts"][REPARTITION[k]] for k in sorted(REPARTITION)),
        )
        for dispositif, g in guides.items()
    ]
    valeurs = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(correspondance))
    parametres = [v for ligne in correspondance for v in ligne]
    guide_de = f"""
        WITH g (dispositif, version, initial, cloture, s6, s7, s8, s9) AS (VALUES {valeurs}),
        place AS (
            SELECT d.id, g.version, g.initial, d.depose_le, d.clos_le,
                   CASE WHEN d.statut = 'clos' THEN g.cloture
                        WHEN d.id %% 10 = 6 THEN g.s6 WHEN d.id %% 10 = 7 THEN g.s7
                        WHEN d.id %% 10 = 8 THEN g.s8 WHEN d.id %% 10 = 9 THEN g.s9
                        ELSE g.initial END AS statut
              FROM dossiers_dossier d JOIN g ON g.dispositif = d.dispositif_id
             WHERE d.statut IN ('depose', 'clos'))
    """
    lignes = {}
    with connections[alias].cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        # Triggers off while writing (foreign keys hold by construction): pghistory's row
        # trigger on the suivi, run once per inserted row at the statement's end, made
        # 850,000 rows take more than a quarter of an hour; a bench needs no such history.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            guide_de
            + """INSERT INTO instruction_suiviinstruction
                        (dossier_id, version_id, statut_id, entre_le, etape_entree_le,
                         onglets, echec_minuteur)
                 SELECT id, version, statut, coalesce(clos_le, depose_le + interval '1 day'),
                        coalesce(clos_le, depose_le + interval '1 day'), '{}', '{}' FROM place""",
            parametres,
        )
        lignes["instruction_suiviinstruction"] = cursor.rowcount
        # The échéance and the CRM list's sort keys, as instruction.services keeps them
        # (the same statements as instruction/migrations/0006_suivi_echeance and 0011).
        cursor.execute(
            """UPDATE instruction_suiviinstruction s
                  SET echeance = s.etape_entree_le + (e.duree_cible + 1) * interval '1 day'
                 FROM instruction_statut st JOIN instruction_etape e ON e.id = st.etape_id
                WHERE st.id = s.statut_id AND NOT st.cloture AND e.duree_cible IS NOT NULL"""
        )
        cursor.execute(
            """UPDATE dossiers_dossier d
                  SET tri_echeance = COALESCE(s.echeance, '9999-12-31 00:00:00+00'::timestamptz),
                      tri_avancement = e.ordre * 40000 + st.ordre + 1,
                      tri_statut = s.statut_id
                 FROM instruction_suiviinstruction s
                 JOIN instruction_statut st ON st.id = s.statut_id
                 JOIN instruction_etape e ON e.id = st.etape_id
                WHERE s.dossier_id = d.id"""
        )
        cursor.execute(
            guide_de
            + """INSERT INTO instruction_changementstatut
                        (dossier_id, de_id, vers_id, motif, retour, le)
                 SELECT id, NULL, initial, '', false, depose_le FROM place
                 UNION ALL
                 SELECT id, initial, statut, '', false,
                        coalesce(clos_le, depose_le + interval '1 day')
                   FROM place WHERE statut <> initial""",
            parametres,
        )
        lignes["instruction_changementstatut"] = cursor.rowcount
        cursor.execute("SET session_replication_role = DEFAULT")
        # Issue 9 — perfcrm: the dashboard's counters (their triggers were off with the
        # others for this load) rebuilt once from the rows.
        cursor.execute(services_compteurs.SQL_RECOMPTER)
        cursor.execute("COMMENT ON TABLE instruction_suiviinstruction IS %s", [MARQUE.format(n=n)])
        for table in lignes:
            # Table names are this module's own constants (keys of `lignes`), never input;
            # VACUUM takes no bound parameter.
            cursor.execute(f"VACUUM ANALYZE {table}")
    return lignes


def semer(alias: str, n: int) -> dict[str, int]:
    from bench import seed_dossiers

    lignes = seed_dossiers.semer(alias, n)
    guides = guides_semer(alias)
    return {**lignes, **suivis_semer(alias, guides, n)}


# --- Before each run: the bench's own traces removed --------------------------------------


def nettoyer(alias: str) -> None:
    """What earlier runs' changes wrote is removed and their dossiers put back in the
    initial statut, unassigned, without a conversation: every run moves dossiers in the
    same state, at both sizes."""
    from django.db import connections, transaction

    from accounts.models import User
    from notifications.models import ModeleMessage

    with base(alias):
        agent = User.objects.get(email=AGENT).pk
        courriel = ModeleMessage.objects.get(nom=COURRIEL).pk
    sql = [
        (
            "CREATE TEMPORARY TABLE bouges ON COMMIT DROP AS SELECT DISTINCT dossier_id "
            "FROM instruction_changementstatut WHERE par_id = %s",
            [agent],
        ),
        (
            "UPDATE instruction_suiviinstruction s SET statut_id = i.id "
            "FROM instruction_statut i WHERE i.version_id = s.version_id AND i.initial "
            "AND s.dossier_id IN (SELECT dossier_id FROM bouges)",
            [],
        ),
        (
            "UPDATE dossiers_dossier SET agent_id = NULL, "
            "donnees = donnees - 'etape_instruction' - 'a_relancer' "
            "WHERE id IN (SELECT dossier_id FROM bouges)",
            [],
        ),
        ("DELETE FROM dossiers_conversation WHERE ouverte_par_id = %s", [agent]),
        ("DELETE FROM dossiers_historique WHERE par_id = %s", [agent]),
        ("DELETE FROM instruction_changementstatut WHERE par_id = %s", [agent]),
        ("DELETE FROM notifications_message WHERE modele_id = %s", [courriel]),
    ]
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for requete, parametres in sql:
            cursor.execute(requete, parametres)
    with connections[alias].cursor() as cursor:
        for table in (
            "instruction_suiviinstruction",
            "dossiers_dossier",
            "dossiers_conversation",
            "dossiers_historique",
            "instruction_changementstatut",
            "notifications_message",
        ):
            # A constant list of table names (VACUUM takes no bound parameter).
            cursor.execute(f"VACUUM ANALYZE {table}")


# --- Measure ------------------------------------------------------------------------------


def _frais(objet):
    """A copy as a request would read it (no related object, no permission cache): the
    CRM's view gets the statut from its form and the agent from the session, afresh."""
    noms = [f.attname for f in type(objet)._meta.concrete_fields]
    return type(objet).from_db("default", noms, [getattr(objet, n) for n in noms])


class Taille:
    """One size: its dossiers to move, its statuts, its agent."""

    def __init__(self, alias: str, besoin: int):
        from accounts.models import User
        from instruction.models import Statut

        self.alias = alias
        with base(alias):
            self.agent = User.objects.get(email=AGENT)
            statuts = list(Statut.objects.filter(code__in=["depose", *CIBLES]))
            self.initial = {s.version_id: s for s in statuts if s.initial}
            self.cibles = {
                (s.version_id, s.code): s for s in statuts if s.code in CIBLES
            }  # by version and code
            from django.db import connection

            with connection.cursor() as cursor:
                # Filed, in the initial statut, unassigned, without a conversation:
                # scattered over the table (by a hash of the id), the same every run.
                cursor.execute(
                    """SELECT s.dossier_id, s.version_id FROM instruction_suiviinstruction s
                         JOIN dossiers_dossier d ON d.id = s.dossier_id
                         JOIN instruction_statut i ON i.id = s.statut_id AND i.initial
                        WHERE d.statut = 'depose' AND d.agent_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM dossiers_conversation c
                                           WHERE c.dossier_id = d.id)
                        ORDER BY md5(d.id::text) LIMIT %s""",
                    [besoin],
                )
                self.a_bouger = cursor.fetchall()
        if len(self.a_bouger) < besoin:
            raise RuntimeError(
                f"{alias} : {len(self.a_bouger)} dossiers à faire avancer, {besoin} demandés "
                "(moins de tours, ou une base plus grande)"
            )
        self.suivant = 0

    def prendre(self, n: int) -> list[tuple]:
        """The next `n` calls: (dossier as the CRM's page read it, statut, seen, agent)."""
        from dossiers.models import Dossier

        lot = self.a_bouger[self.suivant : self.suivant + n]
        self.suivant += n
        with base(self.alias):
            dossiers = Dossier.objects.in_bulk([pk for pk, _v in lot])
        return [
            (
                dossiers[pk],
                _frais(self.cibles[(version, CIBLES[i % len(CIBLES)])]),
                _frais(self.initial[version]),
                _frais(self.agent),
            )
            for i, (pk, version) in enumerate(lot)
        ]


def _appeler(appels: list[tuple]) -> None:
    from instruction.services import change_status

    for dossier, statut, attendu, agent in appels:
        change_status(dossier=dossier, statut=statut, by=agent, reason="", attendu=attendu)


def _appeler_lot(appels: list[tuple]) -> None:
    """The same moves by the batches' path: statut_changer_lot, by chunks of its TAILLE
    (each chunk one transaction, committed, its on-commit hooks run)."""
    from instruction.services_statut_lot import Demande, statut_changer_lot

    demandes = [Demande(dossier=d, statut=s, attendu=a) for d, s, a, _agent in appels]
    issues = statut_changer_lot(demandes=demandes, by=appels[0][3], reason="")
    if erreurs := [i.erreur for i in issues if i.erreur is not None]:
        raise RuntimeError(f"change_status par lot : {erreurs[:3]}")


def bloc_lot(taille: Taille, n: int) -> tuple[float, float]:
    """`n` changes by the batches' path; their wall-clock and CPU seconds."""
    appels = taille.prendre(n)
    with base(taille.alias):
        debut, cpu = time.perf_counter(), time.process_time()
        _appeler_lot(appels)
        return time.perf_counter() - debut, time.process_time() - cpu


def requetes_lot(taille: Taille, n: int) -> int:
    """The queries of `n` changes by the batches' path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    appels = taille.prendre(n)
    with base(taille.alias):
        with CaptureQueriesContext(connection) as capture:
            _appeler_lot(appels)
        return len(capture.captured_queries)


def bloc(taille: Taille, n: int) -> tuple[float, float]:
    """`n` changes in a row; their wall-clock and CPU seconds."""
    appels = taille.prendre(n)
    with base(taille.alias):
        debut, cpu = time.perf_counter(), time.process_time()
        _appeler(appels)
        return time.perf_counter() - debut, time.process_time() - cpu


def reference(taille: Taille, n: int) -> tuple[float, float]:
    """`n` reads of one dossier by its primary key through the ORM (the simplest query a
    request makes): the unit change_status is also expressed in, since on a loaded
    machine every query's wall time and CPU time swell alike."""
    from dossiers.models import Dossier

    pk = taille.a_bouger[0][0]
    with base(taille.alias):
        debut, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            Dossier.objects.filter(pk=pk).first()
        return time.perf_counter() - debut, time.process_time() - cpu


def requetes(taille: Taille, n: int) -> list[list[str]]:
    """The queries of `n` calls, one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    captures = []
    for appel in taille.prendre(n):
        with base(taille.alias):
            with CaptureQueriesContext(connection) as capture:
                _appeler([appel])
            # Read while `connection` still means this size's database.
            captures.append([q["sql"] for q in capture.captured_queries])
    return captures


def verifier(taille: Taille, pk: int) -> None:
    """A moved dossier has its new statut, its five actions' traces and its mail queued."""
    from dossiers.models import Conversation, Dossier, Historique
    from instruction.models import SuiviInstruction
    from notifications.models import Message

    with base(taille.alias):
        dossier = Dossier.objects.get(pk=pk)
        suivi = SuiviInstruction.objects.select_related("statut").get(dossier=dossier)
        faits = {
            "statut": suivi.statut.code in CIBLES,
            "champs": dossier.donnees.get("etape_instruction") == suivi.statut.code,
            "suivi": Historique.objects.filter(dossier=dossier, libelle__contains="étape").exists(),
            "attribuer": dossier.agent is not None and dossier.agent.email == INSTRUCTEUR,
            "courriel": Message.objects.filter(objet_id=str(pk), modele__nom=COURRIEL).exists(),
            "conversation": Conversation.objects.filter(dossier=dossier, ouverte=True).exists(),
        }
    if not all(faits.values()):
        raise RuntimeError(f"{taille.alias} : dossier {pk} mal avancé : {faits}")


def main() -> int:
    import logging

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench.__main__ import ensure_databases
    from bench.seed_dossiers import chronometrer
    from config.celery import app

    # The outbox's tasks go to a broker, as in production (Redis there; Celery's
    # in-memory transport here, where settings without REDIS_URL would send in process).
    app.conf.task_always_eager = False
    logging.getLogger("celery").setLevel(logging.WARNING)

    ensure_databases(list(SIZES))
    print("Benchmark — change_status avec cinq actions (issue 8)", flush=True)
    reuse = os.environ.get("BENCH_INSTRUCTION_REUSE") == "1"
    seeding = {}
    for alias, n in SIZES.items():
        if reuse and deja_seme(alias, n):
            print(f"  {n:>9,} dossiers : base {alias} réutilisée", flush=True)
            seeding[alias] = None
        else:
            lignes, duree = chronometrer(semer, alias, n)
            seeding[alias] = round(duree, 1)
            print(
                f"  {n:>9,} dossiers : {sum(lignes.values()):,} lignes semées en {duree:.1f} s "
                f"(dont {lignes['instruction_suiviinstruction']:,} dossiers dans un guide)",
                flush=True,
            )
        nettoyer(alias)

    rounds = int(os.environ.get("BENCH_INSTRUCTION_ROUNDS", "20"))
    taille_bloc = int(os.environ.get("BENCH_INSTRUCTION_BLOCK", "100"))
    echauffement, comptees = 50, 10
    # Each round moves a block by single calls, then one by the batches' path.
    besoin = 2 * echauffement + comptees + taille_bloc + 2 * rounds * taille_bloc
    tailles = {alias: Taille(alias, besoin) for alias in SIZES}
    for taille in tailles.values():  # connections, caches, code paths
        bloc(taille, echauffement)
        verifier(taille, taille.a_bouger[0][0])
        bloc_lot(taille, echauffement)
        verifier(taille, taille.a_bouger[taille.suivant - 1][0])
    comptage = {alias: requetes(taille, comptees) for alias, taille in tailles.items()}
    comptage_lot = {alias: requetes_lot(taille, taille_bloc) for alias, taille in tailles.items()}

    aliases = list(SIZES)
    mesures = {
        alias: {"wall": [], "cpu": [], "ref": [], "lot_wall": [], "lot_cpu": []}
        for alias in aliases
    }
    for tour in range(rounds):
        for alias in aliases if tour % 2 == 0 else aliases[::-1]:
            mur, cpu = bloc(tailles[alias], taille_bloc)
            mesures[alias]["wall"].append(mur / taille_bloc * 1000)
            mesures[alias]["cpu"].append(cpu / taille_bloc * 1000)
            mur, _cpu = reference(tailles[alias], taille_bloc)
            mesures[alias]["ref"].append(mur / taille_bloc * 1000)
            mur, cpu = bloc_lot(tailles[alias], taille_bloc)
            mesures[alias]["lot_wall"].append(mur / taille_bloc * 1000)
            mesures[alias]["lot_cpu"].append(cpu / taille_bloc * 1000)
    load = os.getloadavg()[0]

    small, large = aliases
    ms = {a: statistics.median(m["wall"]) for a, m in mesures.items()}
    cpu_ms = {a: statistics.median(m["cpu"]) for a, m in mesures.items()}
    par_seconde = {a: 1000 / v for a, v in ms.items()}
    ref_ms = {a: statistics.median(m["ref"]) for a, m in mesures.items()}
    nombres = {a: sorted({len(q) for q in c}) for a, c in comptage.items()}
    constant = all(len(n) == 1 for n in nombres.values()) and nombres[small] == nombres[large]
    ratio = ms[large] / ms[small]
    met = min(par_seconde.values()) >= GOAL_PER_SECOND and ratio <= GOAL_RATIO and constant

    print(
        f"\nchange_status, cinq actions, un processus : {rounds} tours × {taille_bloc} "
        f"changements par taille, en alternance (charge {load:.1f})"
    )
    print(
        f"  {'taille':<12} {'ms/changement':>14} {'changements/s':>14} {'CPU ms':>8} "
        f"{'requêtes':>9} {'lecture ORM ms':>15} {'= lectures':>11}"
    )
    for alias in aliases:
        print(
            f"  {SIZES[alias]:>12,} {ms[alias]:>14.2f} {par_seconde[alias]:>14.1f} "
            f"{cpu_ms[alias]:>8.2f} {'/'.join(map(str, nombres[alias])):>9} "
            f"{ref_ms[alias]:>15.3f} {ms[alias] / ref_ms[alias]:>11.1f}"
        )
    print(
        f"  ratio {SIZES[large]:,} / {SIZES[small]:,} : {ratio:.2f} (objectif ≤ {GOAL_RATIO}) ; "
        f"objectif ≥ {GOAL_PER_SECOND} changements/s ; requêtes constantes : "
        f"{'oui' if constant else 'NON'}"
    )
    lot_ms = {a: statistics.median(m["lot_wall"]) for a, m in mesures.items()}
    lot_cpu = {a: statistics.median(m["lot_cpu"]) for a, m in mesures.items()}
    lot_par_seconde = {a: 1000 / v for a, v in lot_ms.items()}
    lot_ratio = lot_ms[large] / lot_ms[small]
    lot_met = min(lot_par_seconde.values()) >= GOAL_PER_SECOND and lot_ratio <= GOAL_RATIO
    print(f"\nLes mêmes changements par lot (services_statut_lot, {taille_bloc} par transaction) :")
    print(
        f"  {'taille':<12} {'ms/changement':>14} {'changements/s':>14} {'CPU ms':>8} "
        f"{'requêtes/lot':>13} {'= lectures':>11}"
    )
    for alias in aliases:
        print(
            f"  {SIZES[alias]:>12,} {lot_ms[alias]:>14.2f} {lot_par_seconde[alias]:>14.1f} "
            f"{lot_cpu[alias]:>8.2f} {comptage_lot[alias]:>13} "
            f"{lot_ms[alias] / ref_ms[alias]:>11.2f}"
        )
    print(
        f"  ratio {SIZES[large]:,} / {SIZES[small]:,} : {lot_ratio:.2f} ; "
        f"objectif ≥ {GOAL_PER_SECOND} changements/s : {'atteint' if lot_met else 'NON'}"
    )
    path = Path("var/bench")
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_INSTRUCTION_SQL") == "1":
        (path / "instruction_sql.txt").write_text("\n".join(comptage[large][0]))
        print(f"Requêtes d’un appel : {path / 'instruction_sql.txt'}")
    output = {
        "instruction_change_status": {
            "sizes": SIZES,
            "seed_seconds": seeding,
            "rounds": rounds,
            "block": taille_bloc,
            "load_average": round(load, 2),
            "median_ms": {a: round(v, 3) for a, v in ms.items()},
            "cpu_ms": {a: round(v, 3) for a, v in cpu_ms.items()},
            "per_second": {a: round(v, 1) for a, v in par_seconde.items()},
            "orm_read_ms": {a: round(v, 3) for a, v in ref_ms.items()},
            "in_orm_reads": {a: round(ms[a] / ref_ms[a], 1) for a in aliases},
            "queries_per_call": nombres,
            "queries_constant": constant,
            "ratio": round(ratio, 2),
            "goal": {"per_second": GOAL_PER_SECOND, "ratio": GOAL_RATIO},
            "met": met,
        },
        "instruction_change_status_lot": {
            "chunk": taille_bloc,
            "median_ms": {a: round(v, 3) for a, v in lot_ms.items()},
            "cpu_ms": {a: round(v, 3) for a, v in lot_cpu.items()},
            "per_second": {a: round(v, 1) for a, v in lot_par_seconde.items()},
            "in_orm_reads": {a: round(lot_ms[a] / ref_ms[a], 2) for a in aliases},
            "queries_per_chunk": comptage_lot,
            "ratio": round(lot_ratio, 2),
            "met": lot_met,
        },
    }
    (path / "instruction.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print(f"\nJSON : {path / 'instruction.json'}")
    return 0 if met else 1
