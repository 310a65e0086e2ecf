"""The scale benchmark's seeding (issue 10): one data set, seeded once per size, that
every measure of `python -m bench` reads.

It composes the existing seedings: bench/seed_dossiers.py (COPY: accounts with their
individu and personal profil, groups, dossiers, justificatifs, conversations and
messages, documents, history, co-editing…) over **50 published dispositifs** whose
form models are real ones — imported and published through `dossiers.services` as an
administrator's file would be: one to three tabs, text, long text, numbers, amounts,
dates, email, phone, a 30-value central list, radio, multiple choice, yes/no, checkbox,
civilité, SIRET — each with its pieces to provide (zero to three of six types of
justificatif) and two thématiques; then bench/instruction.py's published guide per
dispositif (nine statuts, five actions on each) and every filed dossier's place in it.
The first eight dispositifs are the dossiers benchmark's (its measured citizen needs
their codes); the ninth is the short form the submission measure files.

For 1,000,000 dossiers: 300,000 accounts, individus and personal profils, 30,000 group
profils, about 1.5 million justificatifs, 170,000 conversations and 425,000 messages,
2.6 million history lines, 850,000 dossiers in a guide.
"""

import time

from bench import web

# The marker of a finished seeding: a comment on the dispositif table.
MARQUE = "guichet bench scale: {n}"
DEPOT = ("DEP", "Signalement sur l’espace public", [])
DOMAINES = [
    "culture",
    "sport",
    "jeunesse",
    "seniors",
    "voirie",
    "environnement",
    "commerce",
    "logement",
    "petite enfance",
    "vie associative",
    "mobilité",
    "santé",
]
OBJETS = [
    "Subvention",
    "Aide au projet",
    "Autorisation",
    "Inscription",
    "Prêt de matériel",
    "Réservation",
    "Carte d’accès",
]
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
NOMBRE = 50


def dispositifs() -> list[tuple[str, str, list]]:
    """The 50: the dossiers benchmark's eight, the short form, then 41 more."""
    from bench.seed_dossiers import DISPOSITIFS, TYPES_JUSTIFICATIF

    codes = list(TYPES_JUSTIFICATIF)
    liste = [*DISPOSITIFS, DEPOT]
    i = 0
    while len(liste) < NOMBRE:
        objet, domaine = OBJETS[i % len(OBJETS)], DOMAINES[i % len(DOMAINES)]
        pieces = [(codes[(i + j) % len(codes)], j == 0) for j in range(i % 4)]
        liste.append((f"D{i:02d}", f"{objet} — {domaine} (n°{i + 1})", pieces))
        i += 1
    return liste


def _proprietes(obligatoire: bool = False) -> dict:
    return {**web.VUES, "internet": {**web.VUES["internet"], "obligatoire": obligatoire}}


def _champ(nom, libelle, type_, *, obligatoire=False, **extra):
    return {**web._champ(nom, libelle, type_, **extra), "proprietes": _proprietes(obligatoire)}


def _lignes(champs: list[dict]) -> list[dict]:
    """Two fields a row (the second in the right column)."""
    lignes = []
    for r in range(0, len(champs), 2):
        paire = [champs[r]] + ([dict(champs[r + 1], colonne=2)] if r + 1 < len(champs) else [])
        lignes.append(
            {
                "ordre": r // 2,
                "colonnes": len(paire),
                "titre_section": "",
                "condition": None,
                "champs": paire,
            }
        )
    return lignes


def _modele(code: str, onglets: list[tuple[str, list[dict]]]) -> dict:
    from dossiers import services

    return {
        "format": services.FORMAT,
        "version_format": services.FORMAT_VERSION,
        "dispositif": code,
        "listes": [
            {
                "code": "bench-quartiers",
                "libelle": "Quartiers (banc d’essai)",
                "valeurs": [[f"q{i:02d}", f"Quartier n°{i}", i, True] for i in range(30)],
            }
        ],
        "referentiel": [],
        "onglets": [
            {"titre": titre, "aide": "", "ordre": o, "condition": None, "lignes": _lignes(champs)}
            for o, (titre, champs) in enumerate(onglets)
        ],
    }


def formulaire(code: str, index: int) -> dict:
    """Dispositif `index`'s form model in the import format. Every one starts with
    « objet » and « précisions » (the seeded dossiers' answers); then one to three tabs
    of fields of the types web.TYPES cycles, 4 to 14 a tab."""
    if code == DEPOT[0]:
        return formulaire_depot()
    champs = [
        _champ("objet", "Objet de la demande", "texte", obligatoire=True),
        _champ("precisions", "Précisions", "texte_long"),
    ]
    onglets = [("Votre demande", champs)]
    rang = index
    for o in range(1 + index % 3):
        if o:
            champs = []
            onglets.append((["Votre situation", "Votre projet", "Engagements"][o], champs))
        for _k in range(4 + (index * 5 + o * 3) % 11):
            type_, extra = web.TYPES[rang % len(web.TYPES)]
            champs.append(
                _champ(f"q{o}_{rang:03d}", f"Question n°{rang + 1}", type_, **dict(extra))
            )
            rang += 1
    return _modele(code, onglets)


def formulaire_depot() -> dict:
    """The short form the submission measure files: one tab, six fields."""
    return _modele(
        DEPOT[0],
        [
            (
                "Votre signalement",
                [
                    _champ("objet", "Objet du signalement", "texte", obligatoire=True),
                    _champ("precisions", "Précisions", "texte_long"),
                    _champ("date_constat", "Date du constat", "date", obligatoire=True),
                    _champ(
                        "categorie",
                        "Catégorie",
                        "choix_unique_radio",
                        obligatoire=True,
                        choix=[["voirie", "Voirie"], ["proprete", "Propreté"], ["autre", "Autre"]],
                    ),
                    _champ("email_contact", "Courriel de contact", "email"),
                    _champ("rappel", "Souhaitez-vous être rappelé ?", "oui_non"),
                ],
            )
        ],
    )


DONNEES_DEPOT = {
    "objet": "Lampadaire éteint rue des Écoles",
    "precisions": "Depuis trois jours, devant le numéro 12.",
    "date_constat": "2026-11-30",
    "categorie": "voirie",
    "email_contact": "deposant@bench.exemple.fr",
    "rappel": "non",
}


def _modele_pour(alias: str):
    """The form model maker `seed_dossiers.referentiel` calls per dispositif."""
    from bench.instruction import base
    from dossiers import services

    def faire(dispositif, index):
        with base(alias):
            modele = services.modele_importer(
                formulaire(dispositif.code, index), dispositif=dispositif
            )
            return services.modele_publier(modele=modele, by=None)

    return faire


def _catalogue(alias: str) -> None:
    """Thématiques (two per dispositif) and profile types on some, as the catalogue
    filters them."""
    from bench.router import using
    from dossiers.models import Dispositif, Thematique
    from usagers.models import TypeProfil

    with using(alias):
        Thematique.objects.filter(slug__startswith="scale-").delete()
        thematiques = [
            Thematique.objects.create(libelle=libelle, slug=f"scale-{i}", ordre=i)
            for i, libelle in enumerate(THEMATIQUES)
        ]
        types = list(TypeProfil.objects.filter(actif=True))
        for i, dispositif in enumerate(Dispositif.objects.order_by("pk")):
            dispositif.thematiques.set({thematiques[i % 10], thematiques[(i * 7 + 3) % 10]})
            # Not the short form: its measured account has a personal profil.
            if types and i % 3 == 2 and dispositif.code != DEPOT[0]:
                dispositif.types_profil.set(types[: 1 + i % len(types)])


def deja_seme(alias: str, n: int) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT obj_description('dossiers_dispositif'::regclass, 'pg_class')")
        return cursor.fetchone()[0] == MARQUE.format(n=n)


def semer(alias: str, n: int, *, crm=None) -> dict:
    """Everything, for `n` dossiers; returns the rows per table and the seconds per
    phase. `crm(alias, n)`: the CRM's seeding on top (agents, rights, teams,
    territories), when the runner has one (bench/scale.py, `_crm`)."""
    from django.db import connections

    from bench import instruction, seed_dossiers

    secondes = {}
    suivis = {}
    with connections[alias].cursor() as cursor:
        cursor.execute("COMMENT ON TABLE dossiers_dispositif IS NULL")

    def guides_et_suivis():
        """Before the dossier table's indexes are rebuilt: placing every filed dossier
        in its guide updates each row (its list sort keys)."""
        debut = time.perf_counter()
        _catalogue(alias)
        guides = instruction.guides_semer(alias)
        secondes["guides"] = time.perf_counter() - debut
        debut = time.perf_counter()
        with connections[alias].cursor() as cursor:
            # Statistics for the planner first: the fresh table has none, and placing
            # the dossiers joins it (without them, 50,000 took 134 s instead of ~10).
            cursor.execute("ANALYZE dossiers_dossier")
        suivis.update(instruction.suivis_semer(alias, guides, n))
        secondes["suivis"] = time.perf_counter() - debut

    debut = time.perf_counter()
    lignes = seed_dossiers.semer(
        alias,
        n,
        dispositifs=dispositifs(),
        modele_pour=_modele_pour(alias),
        avant_index=guides_et_suivis,
    )
    secondes["copy"] = time.perf_counter() - debut - secondes["guides"] - secondes["suivis"]
    lignes |= suivis
    if crm is not None:
        debut = time.perf_counter()
        lignes |= crm(alias, n) or {}
        secondes["crm"] = time.perf_counter() - debut
    with connections[alias].cursor() as cursor:
        cursor.execute("COMMENT ON TABLE dossiers_dispositif IS %s", [MARQUE.format(n=n)])
    return {"lignes": lignes, "secondes": {k: round(v, 1) for k, v in secondes.items()}}
