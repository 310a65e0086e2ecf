"""Seeding for the dossiers benchmark (issue 7): a commune's citizens with their dossiers
and everything « Mon compte » and the dossier page read, written with PostgreSQL's COPY.

For `n` dossiers: n × 0.3 accounts, each with its individu and personal profil; one
group profil (foyer or association, 2 to 5 members) per 10 accounts; the dossiers spread
over the accounts at random (a few each; about one in seven for a group the author
belongs to) and over eight published dispositifs, 15 % drafts, 55 % filed, 30 % closed;
on the filed ones their justificatifs (mostly received or validated, some expected,
refused or expired), a conversation on one in five (agents' and citizens' messages, the
author's reading mark on most), éditique documents (accusés, most deposited in the
citizen's space) on one in three, history lines; co-editors, invitations and transfers
on a few (two in five pending), invitations to join one group in ten, one connection
per account. Not seeded: the justificatifs' uploaded versions and the messages'
attachments (files; none of the measured pages reads them).

Rows carry their ids (so relations are computed, not read back); the non-unique indexes
are dropped during the load and rebuilt after; the journal and foreign-key triggers are
off (`session_replication_role = replica`); then VACUUM ANALYZE, the steady state
autovacuum leaves. Then, through the ORM, the measured citizen (`citoyen_creer`): the
same account and dossiers in every database, made again at every run.
"""

import json
import random
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.utils import timezone

from common.text import fold
from dossiers.models.dossiers import SANS_ECHEANCE

# The seeded data's mark (a comment on the dossier table), so a run may reuse it.
MARQUE = "guichet bench dossiers: {n}"
DISPOSITIFS = [
    # code, title, pieces (type code, mandatory)
    ("SUB", "Subvention aux associations", [("statuts", True), ("rib", True)]),
    ("SAL", "Location d’une salle municipale", [("assurance", True)]),
    ("PER", "Inscription au périscolaire", [("domicile", True), ("vaccins", False)]),
    ("ETC", "Demande d’acte d’état civil", []),
    ("BEN", "Prêt d’une benne", [("domicile", True)]),
    ("OCC", "Occupation du domaine public", [("assurance", True), ("plan", True)]),
    ("SPO", "Aide à la licence sportive", [("domicile", True)]),
    ("SEN", "Colis des aînés", []),
]
TYPES_JUSTIFICATIF = {
    "statuts": "Statuts de l’association",
    "rib": "Relevé d’identité bancaire",
    "assurance": "Attestation d’assurance",
    "domicile": "Justificatif de domicile",
    "vaccins": "Carnet de vaccination",
    "plan": "Plan d’implantation",
}
PRENOMS = (
    "Marie Jean Pierre Michel Anne Nathalie Isabelle Sylvie Catherine Philippe Nicolas "
    "Sophie Julien Laurent David Émilie Camille Léa Manon Chloé Inès Léo Hugo Lucas Louis "
    "Gabriel Arthur Jules Adam Raphaël Hélène Agnès Gaëlle Zoé Anaïs Jérôme Rémi Benoît"
).split()
NOMS = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier"
).split()
ASSOCIATIONS = ["Association", "Club", "Comité", "Amicale", "Les Amis de"]
LIEUX = ["la Loire", "Belleville", "quartier Nord", "l’école", "la pétanque", "la musique"]
AGENTS = 5


def _colonnes(texte: str) -> list[str]:
    return texte.split()


def index_retirer(cursor, table: str) -> list[str]:
    """Drop the table's non-unique, non-constraint indexes (a bulk load writes faster
    without them); their definitions returned, to run again after the load."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = (quote_ident(i.indexname))::regclass)
              AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'""",
        [table],
    )
    definitions = []
    for nom, definition in cursor.fetchall():
        definitions.append(definition)
        # An identifier cannot be a parameter; `nom` comes from pg_indexes, not input.
        cursor.execute(f'DROP INDEX "{nom}"')
    return definitions


def index_de(alias: str) -> dict[tuple[str, str], str]:
    """(table, index name) → its definition, for every index of the database."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            """SELECT tablename, indexname, indexdef FROM pg_indexes
                WHERE schemaname = current_schema()"""
        )
        return {(t, i): d for t, i, d in cursor.fetchall()}


def index_completer(alias: str, attendus: dict | None = None) -> list[str]:
    """Recreate on `alias` every index the freshly migrated default database has and it
    lacks (`attendus`: `index_de()` of that database); their names returned. A seeding
    stopped between `index_retirer` and `finir()` (an error, an interrupted run) leaves
    its tables without their indexes, and
    the next seeding, finding none to drop, rebuilt none: the pages then read those tables
    by sequential scans and grow with the data (« Mon compte » 35 times slower at
    1,000,000 dossiers than at 10,000 in an earlier run). The benchmark calls this before
    it measures."""
    attendus = index_de("default") if attendus is None else attendus
    presents = index_de(alias)
    manquants = [cle for cle in attendus if cle not in presents]
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")  # an index of millions of rows
        for cle in manquants:
            # The definition comes from pg_indexes of our own migrated schema, not input.
            cursor.execute(attendus[cle])
        for table in sorted({t for t, _i in manquants}):
            cursor.execute(f"ANALYZE {table}")
    return [f"{t}.{i}" for t, i in manquants]


class _Chargeur:
    """COPY into one table after dropping its non-unique indexes; rebuilt by `finir()`."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.index: list[str] = []
        self.lignes: dict[str, int] = {}

    def copier(self, table: str, colonnes: list[str], lignes) -> int:
        self.index += index_retirer(self.cursor, table)
        n = 0
        with self.cursor.connection.cursor().copy(
            f"COPY {table} ({', '.join(colonnes)}) FROM STDIN"
        ) as copie:
            for ligne in lignes:
                copie.write_row(ligne)
                n += 1
        self.lignes[table] = self.lignes.get(table, 0) + n
        return n

    def finir(self) -> None:
        for definition in self.index:
            self.cursor.execute(definition)
        self.sequences()

    def sequences(self) -> None:
        """Each loaded table's id sequence past its rows (the ORM inserts after)."""
        for table in self.lignes:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def _horodatage(moment) -> str:
    return moment.isoformat()


def referentiel(alias: str, dispositifs=None, modele_pour=None) -> dict:
    """The fixed configuration (through the ORM, written directly: the services open
    transactions on the default database): types of justificatif, eight published
    dispositifs with their form model and pieces, the accusé's document template.
    `dispositifs` (code, title, pieces) replaces the eight (the scale benchmark's 50,
    bench/seed_scale.py) and `modele_pour(dispositif, index)` makes each one's published
    form model instead of the two-field one."""
    from dossiers.models import (
        Champ,
        Dispositif,
        Ligne,
        ModeleDossier,
        Onglet,
        PieceAFournir,
        TypeJustificatif,
    )
    from editique.models import ModeleDocument, VersionModeleDocument

    maintenant = timezone.now()
    types = {
        code: TypeJustificatif.objects.using(alias).create(code=code, libelle=libelle)
        for code, libelle in TYPES_JUSTIFICATIF.items()
    }
    resultat = []
    for ordre, (code, titre, pieces) in enumerate(dispositifs or DISPOSITIFS):
        dispositif = Dispositif.objects.using(alias).create(
            titre=titre,
            slug=f"bench-{code.lower()}",
            code=code,
            resume=f"{titre} : déposez votre demande en ligne et suivez-la.",
            ordre=ordre,
        )
        if modele_pour is not None:
            modele = modele_pour(dispositif, ordre)
        else:
            modele = ModeleDossier.objects.using(alias).create(
                dispositif=dispositif,
                version=1,
                statut=ModeleDossier.Statut.PUBLIE,
                publie_le=maintenant - timedelta(days=1200),
            )
            onglet = Onglet.objects.using(alias).create(modele=modele, titre="Votre demande")
            ligne = Ligne.objects.using(alias).create(onglet=onglet)
            Champ.objects.using(alias).create(
                ligne=ligne, nom="objet", libelle="Objet", type="texte"
            )
            Champ.objects.using(alias).create(
                ligne=ligne, nom="precisions", libelle="Précisions", type="texte_long", ordre=1
            )
        for i, (type_code, obligatoire) in enumerate(pieces):
            PieceAFournir.objects.using(alias).create(
                dispositif=dispositif,
                libelle=TYPES_JUSTIFICATIF[type_code],
                obligatoire=obligatoire,
                type_justificatif=types[type_code],
                ordre=i,
            )
        resultat.append(
            {
                "id": dispositif.pk,
                "code": code,
                "modele": modele.pk,
                "pieces": [(types[t].pk, o) for t, o in pieces],
            }
        )
    modele_document = ModeleDocument.objects.using(alias).create(
        nom="Accusé de réception",
        code="bench-accuse",
        corps="<p>Accusé de réception de {{ dossier.reference }}</p>",
        deposer_usager=True,
    )
    version = VersionModeleDocument.objects.using(alias).create(
        modele=modele_document, numero=1, corps=modele_document.corps
    )
    return {
        "dispositifs": resultat,
        "document": (modele_document.pk, version.pk),
        "contenu_dossier": _contenu_dossier(alias),
    }


def _contenu_dossier(alias: str) -> int:
    from dossiers.models import Dossier

    return ContentType.objects.db_manager(alias).get_for_model(Dossier).pk


def reinitialiser(alias: str) -> None:
    """Every table this seeding writes, emptied (the data migrations' rows — profile
    types, roles, content types — stay)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_user, usagers_individu, usagers_profil, dossiers_dispositif, "
            "dossiers_typejustificatif, editique_modeledocument, dossiers_dossier "
            "RESTART IDENTITY CASCADE"
        )
        cursor.execute("COMMENT ON TABLE dossiers_dossier IS NULL")


def deja_seme(alias: str, n: int) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT obj_description('dossiers_dossier'::regclass, 'pg_class')")
        return cursor.fetchone()[0] == MARQUE.format(n=n)


def semer(
    alias: str, n: int, *, graine: int = 7, dispositifs=None, modele_pour=None, avant_index=None
) -> dict:
    """`n` dossiers and what goes with them (see the module's docstring); returns the
    rows written per table. `dispositifs` and `modele_pour`: see `referentiel`;
    `avant_index()` runs once the rows are loaded, before the indexes are rebuilt."""
    from bench.router import using

    rng = random.Random(graine)
    reinitialiser(alias)
    with using(alias):
        config = referentiel(alias, dispositifs, modele_pour)
    maintenant = timezone.now()
    comptes = max(n * 3 // 10, 50)
    groupes = max(comptes // 10, 5)
    types_profil, roles = _types_et_roles(alias)

    with connections[alias].cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET session_replication_role = replica")
        chargeur = _Chargeur(cursor)
        identites = [(rng.choice(PRENOMS), rng.choice(NOMS)) for _ in range(comptes)]

        # Accounts (ids 1..comptes), then the agents who write to citizens.
        inscrit = _horodatage(maintenant - timedelta(days=900))
        comptes_lignes = [
            [u, f"usager{u}@bench.exemple.fr", prenom, nom, False]
            for u, (prenom, nom) in enumerate(identites, start=1)
        ] + [
            [comptes + 1 + a, f"agent{a}@bench.mairie.fr", "Agent", f"n°{a}", True]
            for a in range(AGENTS)
        ]
        chargeur.copier(
            "accounts_user",
            _colonnes(
                "id email first_name last_name is_agent password is_superuser is_staff "
                "is_active date_joined"
            ),
            ([*ligne, "!", False, False, True, inscrit] for ligne in comptes_lignes),
        )
        agents = list(range(comptes + 1, comptes + 1 + AGENTS))

        # Individus (id = the account's), personal profils (id = the account's).
        cree = _horodatage(maintenant - timedelta(days=900))
        adresse = ["", "", "18240", "Belleville-sur-Loire", "18026", "France", cree, cree]
        chargeur.copier(
            "usagers_individu",
            _colonnes(
                "id user_id type_individu civilite nom nom_usage prenom email "
                "telephone_mobile telephone_fixe adresse complement_adresse code_postal "
                "commune code_insee pays lieu_naissance profession situation_familiale "
                "etablissement_scolaire classe organisme fonction numero_allocataire "
                "observations_confidentielles recherche anonyme created_at updated_at"
            ),
            (
                [u, u, "adulte", "", nom, "", prenom, f"usager{u}@bench.exemple.fr", "", ""]
                + [f"{u % 200} rue des Écoles", *adresse[1:6], *[""] * 9]
                + [fold(f"{prenom} {nom} usager{u}"), False, cree, cree]
                for u, (prenom, nom) in enumerate(identites, start=1)
            ),
        )
        colonnes_profil = _colonnes(
            "id type_profil_id nom personnel recherche sigle siret siren rna email telephone "
            "site_web iban bic adresse complement_adresse code_postal commune code_insee pays "
            "created_at updated_at"
        )

        def profils_lignes():
            for u, (prenom, nom) in enumerate(identites, start=1):
                nom_complet = f"{prenom} {nom.upper()}"
                yield [u, types_profil["particulier"], nom_complet, True, fold(nom_complet)]
            for g in range(groupes):
                if g % 5 < 3:
                    nom, code = f"{rng.choice(ASSOCIATIONS)} {rng.choice(LIEUX)} {g}", "association"
                else:
                    nom, code = f"Foyer {rng.choice(NOMS)} {g}", "foyer"
                yield [comptes + 1 + g, types_profil[code], nom, False, fold(nom)]

        chargeur.copier(
            "usagers_profil",
            colonnes_profil,
            ([*ligne, *[""] * 9, *adresse] for ligne in profils_lignes()),
        )

        # Memberships: each account of its personal profil; 2 to 5 accounts per group.
        groupes_de: dict[int, list[int]] = {}
        membres_de: dict[int, list[int]] = {}

        def membres_lignes():
            for u in range(1, comptes + 1):
                yield [u, u, u, roles["responsable"]]
            m = comptes
            for g in range(groupes):
                profil = comptes + 1 + g
                membres = rng.sample(range(1, comptes + 1), rng.randint(2, 5))
                membres_de[profil] = membres
                for i, u in enumerate(membres):
                    m += 1
                    groupes_de.setdefault(u, []).append(profil)
                    yield [m, profil, u, roles["responsable" if i == 0 else "membre"]]

        chargeur.copier(
            "usagers_membre",
            _colonnes(
                "id profil_id individu_id role_id autorite_parentale mode_garde "
                "regle_paiement created_at updated_at"
            ),
            ([*ligne, False, "", "", cree, cree] for ligne in membres_lignes()),
        )

        # Dossiers, and what each one has, collected in the same pass.
        dossiers_lignes, suite = _dossiers(rng, n, comptes, groupes_de, config, maintenant)
        chargeur.copier(
            "dossiers_dossier",
            _colonnes(
                "id created_at updated_at reference dispositif_id modele_id "
                "demandeur_individu_id demandeur_profil_id cree_par_id statut donnees "
                "etape_courante depose_le clos_le pour_autrui prioritaire urgent signale "
                "doublon email_suivi code_suivi verification_suivi cle_rattachement "
                "modifications_usager tri_echeance tri_avancement"
            ),
            dossiers_lignes,
        )
        _annexes(chargeur, rng, suite, comptes, agents, membres_de, config, maintenant)
        _connexions(chargeur, rng, comptes, maintenant)
        _invitations_profils(chargeur, rng, membres_de, comptes, roles["membre"], maintenant)

        if avant_index is not None:
            chargeur.sequences()
            # More rows written while the dossier table has no index to maintain and the
            # triggers are off, as for the rows above (no history event per row): the
            # scale benchmark's guides place every filed dossier (an UPDATE of each).
            avant_index()
        cursor.execute("SET session_replication_role = DEFAULT")
        chargeur.finir()
        cursor.execute("COMMENT ON TABLE dossiers_dossier IS %s", [MARQUE.format(n=n)])
        for table in chargeur.lignes:
            # Steady state (statistics, visibility). Table names come from the models, and an
            # identifier cannot be a parameter.
            cursor.execute(f"VACUUM ANALYZE {table}")
    return chargeur.lignes


def _types_et_roles(alias: str) -> tuple[dict, dict]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT code, id FROM usagers_typeprofil")
        types = dict(cursor.fetchall())
        cursor.execute("SELECT code, id FROM usagers_rolemembre")
        return types, dict(cursor.fetchall())


def _dossiers(rng, n, comptes, groupes_de, config, maintenant):
    """The dossier rows (a generator) and, filled as it runs, the filed ones' facts the
    other tables need: (id, account, dispositif index, statut, filed at, reference)."""
    suite: list[tuple] = []
    dispositifs = config["dispositifs"]
    # Four dossiers in five at an address around the demo commune (the CRM map, C9); a
    # random generator of their own, so the other tables' draws stay as they were.
    lieux = random.Random(n)
    sans_echeance = _horodatage(SANS_ECHEANCE)

    def adresse() -> dict:
        if lieux.random() >= 0.8:
            return {}
        lat, lon = 47.5028 + lieux.uniform(-0.03, 0.03), 2.8508 + lieux.uniform(-0.05, 0.05)
        return {"adresse": {"code_postal": "18240", "lat": round(lat, 6), "lon": round(lon, 6)}}

    def lignes():
        for d in range(1, n + 1):
            u = rng.randint(1, comptes)
            groupes = groupes_de.get(u)
            profil = rng.choice(groupes) if groupes and rng.random() < 0.5 else u
            k = rng.randrange(len(dispositifs))
            dispositif = dispositifs[k]
            cree = maintenant - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            tirage = rng.random()
            statut = "brouillon" if tirage < 0.15 else ("depose" if tirage < 0.7 else "clos")
            depose = clos = None
            reference = ""
            maj = cree + timedelta(minutes=rng.randint(1, 600))
            if statut != "brouillon":
                depose = maj
                reference = f"{depose.year}-{dispositif['code']}-{d:07d}"
                if statut == "clos":
                    clos = depose + timedelta(days=rng.randint(2, 60))
                    maj = clos
                suite.append((d, u, k, statut, depose, clos, reference, cree))
            yield [
                d,
                _horodatage(cree),
                _horodatage(maj),
                reference,
                dispositif["id"],
                dispositif["modele"],
                u,
                profil,
                u,
                statut,
                json.dumps(
                    {
                        "objet": f"Demande n°{d}",
                        "precisions": "Voir pièces jointes.",
                        **adresse(),
                    }
                ),
                0,
                depose and _horodatage(depose),
                clos and _horodatage(clos),
                False,
                False,
                False,
                False,
                False,
                "",
                "",
                "",
                "",
                0,
                # The list's sort keys (issue 9): no échéance, not advanced in a guide;
                # the instruction bench's seeding sets them for dossiers it places.
                sans_echeance,
                0,
            ]

    return lignes(), suite


def _annexes(chargeur, rng, suite, comptes, agents, membres_de, config, maintenant):
    """Justificatifs, conversations, messages, reading marks, documents, history, then
    co-editors, invitations and transfers: all from the filed dossiers' facts."""
    dispositifs = config["dispositifs"]
    modele_document, version_document = config["document"]
    contenu = config["contenu_dossier"]
    conversations: list[tuple] = []  # (dossier, account, opened at, open?)
    documents: list[tuple] = []  # (dossier, created at)

    def justificatifs():
        j = 0
        for d, _u, k, statut, depose, _clos, _ref, _cree in suite:
            for type_id, obligatoire in dispositifs[k]["pieces"]:
                j += 1
                if statut == "clos":
                    etat = "valide"
                else:
                    t = rng.random()
                    etat = (
                        "recu"
                        if t < 0.4
                        else "valide"
                        if t < 0.75
                        else "attendu"
                        if t < 0.9
                        else "refuse"
                        if t < 0.97
                        else "perime"
                    )
                quand = _horodatage(depose)
                yield [
                    j,
                    quand,
                    quand,
                    "",
                    d,
                    None,
                    type_id,
                    obligatoire,
                    etat,
                    "Document illisible, merci de le renvoyer." if etat == "refuse" else "",
                    True,
                    False,
                    None if etat == "attendu" else quand,
                ]
            if rng.random() < 0.2:
                conversations.append((d, _u, depose, rng.random() < 0.8))
            if rng.random() < 0.33:
                documents.append((d, depose))
        # A group's own documents (reused in later dossiers).
        statuts = dispositifs[0]["pieces"][0][0]  # the association's statuts
        quand = _horodatage(maintenant - timedelta(days=30))
        for profil in membres_de:
            j += 1
            yield [j, quand, quand, "", None, profil, statuts, True, "valide", ""] + [
                True,
                False,
                quand,
            ]

    chargeur.copier(
        "dossiers_justificatif",
        _colonnes(
            "id created_at updated_at libelle dossier_id profil_id type_id obligatoire statut "
            "commentaire_agent visible_usager visible_partenaire recu_le"
        ),
        justificatifs(),
    )

    chargeur.copier(
        "dossiers_conversation",
        _colonnes("id dossier_id ouverte ouverte_le ouverte_par_id"),
        (
            [c, d, ouverte, _horodatage(quand + timedelta(days=1)), rng.choice(agents)]
            for c, (d, _u, quand, ouverte) in enumerate(conversations, start=1)
        ),
    )

    lectures: list[tuple] = []  # (account, dossier, last read message, when)

    def messages():
        m = 0
        for d, u, quand, _ouverte in conversations:
            agent = rng.choice(agents)
            dernier_lu = None
            for i in range(rng.randint(1, 4)):
                m += 1
                envoye = quand + timedelta(days=1, hours=i * 5)
                agent_ecrit = i % 2 == 0
                if not agent_ecrit:
                    dernier_lu = m  # one reads what one answers
                yield [
                    m,
                    d,
                    agent if agent_ecrit else u,
                    "Service instructeur" if agent_ecrit else f"Usager {u}",
                    "agent" if agent_ecrit else "usager",
                    "Pouvez-vous préciser votre demande ?"
                    if agent_ecrit
                    else "Voici les précisions demandées.",
                    "crm" if agent_ecrit else "portail",
                    _horodatage(envoye),
                ]
            if dernier_lu is None and rng.random() < 0.6:
                dernier_lu = m  # read, not answered
            if dernier_lu is not None:
                lectures.append((u, d, dernier_lu, envoye))

    chargeur.copier(
        "dossiers_messagedossier",
        _colonnes("id dossier_id auteur_id auteur_nom cote texte via created_at"),
        messages(),
    )
    chargeur.copier(
        "dossiers_lectureconversation",
        _colonnes("id user_id dossier_id dernier_lu lu_le"),
        (
            [i, u, d, lu, _horodatage(quand)]
            for i, (u, d, lu, quand) in enumerate(lectures, start=1)
        ),
    )
    chargeur.copier(
        "editique_documentgenere",
        _colonnes(
            "id modele_id version_id titre format fichier empreinte taille objet_type_id "
            "objet_id depose_usager created_at"
        ),
        (
            [
                i,
                modele_document,
                version_document,
                "Accusé de réception",
                "pdf",
                f"editique/{quand:%Y/%m}/accuse-{d}.pdf",
                "0" * 64,
                18_000 + d % 5000,
                contenu,
                d,
                rng.random() < 0.8,
                _horodatage(quand),
            ]
            for i, (d, quand) in enumerate(documents, start=1)
        ),
    )

    def historique():
        h = 0
        for d, u, _k, statut, depose, clos, reference, cree in suite:
            h += 1
            yield [h, d, cree, u, "creation", "Demande commencée", False]
            h += 1
            yield [h, d, depose, u, "depot", f"Demande déposée (référence {reference})", True]
            if rng.random() < 0.5:
                h += 1
                yield [
                    h,
                    d,
                    depose + timedelta(days=1),
                    rng.choice(agents),
                    "attribution",
                    "Dossier attribué",
                    False,
                ]
            if statut == "clos":
                h += 1
                yield [h, d, clos, rng.choice(agents), "statut", "Demande clôturée", True]
        for d, _u, quand, _ouverte in conversations:
            h += 1
            yield [h, d, quand + timedelta(days=1), None, "message", "Conversation ouverte", True]

    chargeur.copier(
        "dossiers_historique",
        _colonnes("id dossier_id quand par_id nature libelle visible_usager details"),
        ([*ligne[:2], _horodatage(ligne[2]), *ligne[3:], "{}"] for ligne in historique()),
    )
    _partage(chargeur, rng, suite, comptes, maintenant)


def _partage(chargeur, rng, suite, comptes, maintenant):
    """Co-editors (3 % of the filed dossiers), invitations to co-edit (2 %, half still
    pending) and transfers (0.5 %)."""
    coediteurs, invitations, transferts = [], [], []
    for d, u, *_reste in suite:
        t = rng.random()
        if t < 0.03:
            autre = rng.randint(1, comptes)
            if autre != u:
                coediteurs.append((d, autre))
        elif t < 0.05:
            invitations.append((d, rng.randint(1, comptes)))
        elif t < 0.055:
            transferts.append((d, rng.randint(1, comptes)))
    now = _horodatage(maintenant)
    chargeur.copier(
        "dossiers_coediteur",
        _colonnes("id dossier_id user_id ajoute_le"),
        ([i, d, u, now] for i, (d, u) in enumerate(coediteurs, start=1)),
    )

    def jetons(lignes, prefixe):
        for i, (d, destinataire) in enumerate(lignes, start=1):
            statut = rng.choice(["en_attente", "en_attente", "accepte", "revoque", "expire"])
            expire = maintenant + timedelta(days=7 if statut == "en_attente" else -7)
            yield [
                i,
                now,
                now,
                f"usager{destinataire}@bench.exemple.fr",
                f"{prefixe}-{i}",
                statut,
                _horodatage(expire),
                d,
            ]

    cols = _colonnes("id created_at updated_at email token statut expire_le dossier_id")
    chargeur.copier("dossiers_invitationdossier", cols, jetons(invitations, "bench-invitation"))
    chargeur.copier("dossiers_transfertdossier", cols, jetons(transferts, "bench-transfert"))


def _invitations_profils(chargeur, rng, membres_de, comptes, role, maintenant):
    """Invitations to join a group profil: one for one group in ten, half pending."""
    now = _horodatage(maintenant)

    def lignes():
        i = 0
        for profil in membres_de:
            if rng.random() < 0.1:
                i += 1
                statut = rng.choice(["en_attente", "acceptee", "refusee", "en_attente"])
                expire = maintenant + timedelta(days=7 if statut == "en_attente" else -7)
                yield [
                    i,
                    now,
                    now,
                    f"usager{rng.randint(1, comptes)}@bench.exemple.fr",
                    f"bench-profil-{i}",
                    statut,
                    _horodatage(expire),
                    profil,
                    role,
                ]

    chargeur.copier(
        "usagers_invitation",
        _colonnes("id created_at updated_at email token statut expire_le profil_id role_id"),
        lignes(),
    )


def _connexions(chargeur, rng, comptes, maintenant):
    chargeur.copier(
        "accounts_connexion",
        _colonnes("id user_id le ip user_agent navigateur"),
        (
            [
                u,
                u,
                _horodatage(maintenant - timedelta(minutes=rng.randint(1, 90 * 24 * 60))),
                "192.0.2.1",
                "Mozilla/5.0",
                "Firefox sur Linux",
            ]
            for u in range(1, comptes + 1)
        ),
    )


# The measured citizen ---------------------------------------------------------------

CITOYEN = "camille.mesure@bench.exemple.fr"
ASSOCIATION = "Les Amis du banc d’essai"


def citoyen_creer(alias: str) -> dict:
    """The measured citizen, the same in every database: an ordinary account with its
    personal profil and an association (with two seeded accounts as members), eight
    dossiers reached — for themself: a draft, a filed one with an agent's unread messages,
    the measured one (filed: a missing justificatif, unread messages, a deposited
    document, history lines), a closed one; for the association: a filed one with a
    refused justificatif, one filed by another member, a draft; a draft of another account
    they co-edit — and, sent to their address, a pending co-editing invitation, a transfer
    and an invitation to join a profil. Made again at every run (the previous one
    deleted). Returns the pks the measure needs."""
    from bench.router import using

    with using(alias), transaction.atomic(using=alias):
        return _citoyen_creer(alias)


def _citoyen_creer(alias: str) -> dict:
    from accounts.models import Connexion, User
    from dossiers.models import (
        CoEditeur,
        Conversation,
        Dispositif,
        Dossier,
        Historique,
        InvitationDossier,
        Justificatif,
        LectureConversation,
        MessageDossier,
        TransfertDossier,
        TypeJustificatif,
    )
    from editique.models import DocumentGenere, ModeleDocument
    from usagers.models import Individu, Invitation, Membre, Profil, RoleMembre, TypeProfil

    ancien = User.objects.filter(email=CITOYEN).first()
    if ancien is not None:
        Dossier.objects.filter(cree_par=ancien).delete()
        Dossier.objects.filter(demandeur_profil__nom=ASSOCIATION).delete()
        Profil.objects.filter(adhesions__individu__user=ancien).delete()
        Individu.objects.filter(user=ancien).delete()
        InvitationDossier.objects.filter(email=CITOYEN).delete()
        TransfertDossier.objects.filter(email=CITOYEN).delete()
        Invitation.objects.filter(email=CITOYEN).delete()
        ancien.delete()

    maintenant = timezone.now()
    user = User.objects.create_user(CITOYEN, first_name="Camille", last_name="Mesure")
    individu = Individu.objects.create(
        user=user, email=CITOYEN, prenom="Camille", nom="Mesure", code_postal="18240"
    )
    responsable = RoleMembre.objects.get(code="responsable")
    membre = RoleMembre.objects.get(code="membre")
    personnel = Profil.objects.create(
        type_profil=TypeProfil.objects.get(personnel=True),
        nom="Camille MESURE",
        personnel=True,
    )
    Membre.objects.create(profil=personnel, individu=individu, role=responsable)
    association = Profil.objects.create(
        type_profil=TypeProfil.objects.get(code="association"), nom=ASSOCIATION
    )
    Membre.objects.create(profil=association, individu=individu, role=responsable)
    autre = User.objects.get(email="usager1@bench.exemple.fr")
    coauteur = User.objects.get(email="usager2@bench.exemple.fr")
    for seme in (autre, coauteur):
        Membre.objects.create(profil=association, individu=seme.individu, role=membre)
    agent = User.objects.filter(is_agent=True).order_by("pk").first()
    Connexion.objects.create(user=user, le=maintenant - timedelta(hours=2), ip="192.0.2.7")

    dispositifs = {d.code: d for d in Dispositif.objects.prefetch_related("modeles")}
    types = {t.code: t for t in TypeJustificatif.objects.all()}
    modele_document = ModeleDocument.objects.get(code="bench-accuse")
    version_document = modele_document.versions.get()
    numero = iter(range(1, 100))

    def dossier(code, *, jours, statut="depose", profil=personnel, par=user, clos=None):
        dispositif = dispositifs[code]
        quand = maintenant - timedelta(days=jours)
        d = Dossier.objects.create(
            dispositif=dispositif,
            modele=dispositif.modeles.all()[0],
            demandeur_individu=par.individu,
            demandeur_profil=profil,
            cree_par=par,
            statut=statut,
            donnees={"objet": f"Demande de Camille ({code})", "precisions": ""},
            reference="" if statut == "brouillon" else f"{quand.year}-{code}-M{next(numero):05d}",
            depose_le=None if statut == "brouillon" else quand,
            clos_le=maintenant - timedelta(days=clos) if clos else None,
        )
        Historique.objects.create(
            dossier=d, quand=quand, par=par, nature="creation", libelle="Demande commencée"
        )
        if statut != "brouillon":
            Historique.objects.create(
                dossier=d,
                quand=quand,
                par=par,
                nature="depot",
                libelle=f"Demande déposée (référence {d.reference})",
                visible_usager=True,
            )
        return d

    def justificatif(d, code, statut, *, obligatoire=True):
        Justificatif.objects.create(
            dossier=d, type=types[code], statut=statut, obligatoire=obligatoire
        )

    def conversation(d, *, messages, lus):
        Conversation.objects.create(dossier=d, ouverte_le=d.depose_le, ouverte_par=agent)
        poste = [
            MessageDossier.objects.create(
                dossier=d,
                auteur=agent,
                auteur_nom="Service instructeur",
                cote="agent",
                texte=f"Pouvez-vous préciser votre demande ? ({i})",
                via="crm",
            )
            for i in range(messages)
        ]
        if lus:
            LectureConversation.objects.create(
                user=user, dossier=d, dernier_lu=poste[lus - 1].pk, lu_le=maintenant
            )
        Historique.objects.create(
            dossier=d, nature="message", libelle="Conversation ouverte", visible_usager=True
        )

    def document(d):
        DocumentGenere.objects.create(
            modele=modele_document,
            version=version_document,
            titre="Accusé de réception",
            format="pdf",
            fichier=f"editique/accuse-{d.pk}.pdf",
            empreinte="0" * 64,
            taille=18_000,
            objet=d,
            depose_usager=True,
            created_at=d.depose_le,
        )

    dossier("PER", jours=2, statut="brouillon")
    etc = dossier("ETC", jours=20)
    conversation(etc, messages=2, lus=0)
    mesure = dossier("BEN", jours=12)
    justificatif(mesure, "domicile", "attendu")
    conversation(mesure, messages=3, lus=1)
    document(mesure)
    for jours, libelle in ((10, "Dossier complet : il passe à l’instruction."), (6, "Benne")):
        Historique.objects.create(
            dossier=mesure,
            quand=maintenant - timedelta(days=jours),
            nature="statut",
            libelle=libelle,
            visible_usager=True,
        )
    Historique.objects.create(
        dossier=mesure, par=agent, nature="attribution", libelle="Dossier attribué"
    )
    clos = dossier("SPO", jours=90, statut="clos", clos=60)
    justificatif(clos, "domicile", "valide")
    document(clos)
    sub = dossier("SUB", jours=30, profil=association)
    justificatif(sub, "statuts", "recu")
    justificatif(sub, "rib", "refuse")
    dossier("OCC", jours=15, profil=association, par=autre)
    dossier("SAL", jours=1, statut="brouillon", profil=association)
    coedite = dossier("SEN", jours=3, statut="brouillon", profil=None, par=coauteur)
    CoEditeur.objects.create(dossier=coedite, user=user)

    # Proposals sent to the citizen's address (on seeded dossiers and profils).
    propose = Dossier.objects.filter(statut="brouillon").exclude(pk=coedite.pk).order_by("pk")
    InvitationDossier.objects.create(dossier=propose[0], email=CITOYEN, invite_par=autre)
    TransfertDossier.objects.create(dossier=propose[1], email=CITOYEN, par=autre)
    Invitation.objects.create(
        profil=Profil.objects.filter(personnel=False).exclude(pk=association.pk).first(),
        email=CITOYEN,
        role=membre,
        invite_par=autre,
    )
    return {"user": user.pk, "dossier": mesure.pk}


def chronometrer(fonction, *args, **kwargs):
    debut = time.perf_counter()
    resultat = fonction(*args, **kwargs)
    return resultat, time.perf_counter() - debut
