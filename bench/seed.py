"""Fast seeding for the benchmark: COPY into PostgreSQL, the journal's triggers off."""

import random

from django.db import connections

from common.text import fold, phone_search_digits, search_words
from usagers.models import Individu, Profil, TypeProfil
from usagers.services import mots_reconstruire

PRENOMS = (
    "Marie Jean Pierre Michel Anne Nathalie Isabelle Sylvie Catherine Françoise Philippe Alain "
    "Nicolas Christophe Patrick Sophie Stéphane Sandrine Céline Valérie Julien Laurent David "
    "Émilie Camille Léa Manon Chloé Inès Léo Hugo Lucas Louis Gabriel Arthur Jules Adam Raphaël "
    "Éléonore Hélène Agnès Gaëlle Noémie Zoé Maëlys Anaïs Jérôme Sébastien Frédéric Cédric Rémi "
    "Benoît Grégoire Hervé Joël Loïc Mathéo Théo Timothée Yanis Ibrahim Fatima Aïcha Mohamed "
    "Karim Nadia Samir Leïla Yasmine Sarah Thomas Antoine Maxime Alexandre Baptiste Clément"
).split()
# Surnames are many and unevenly frequent, as in a real commune's référentiel.
NOMS_BASE = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu "
    "Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun "
    "Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche"
).split()
SUFFIXES = ["", "", "", "-Lemoine", "eau", "ier", "in", "et", "-Duval", "ard", "on", "ot"]
COMMUNES = [
    ("18240", "Belleville-sur-Loire", "18026"),
    ("45000", "Orléans", "45234"),
    ("45100", "Orléans", "45234"),
    ("45140", "Saint-Jean-de-la-Ruelle", "45285"),
    ("45160", "Olivet", "45232"),
    ("45800", "Saint-Jean-de-Braye", "45284"),
]
TYPES = ["adulte"] * 7 + ["enfant"] * 2 + ["contact"]


def _nom(rng: random.Random) -> str:
    return rng.choice(NOMS_BASE) + rng.choice(SUFFIXES)


def seed_individus(count: int, *, start: int = 0, seed: int = 1, alias: str = "default") -> None:
    rng = random.Random(seed + start)
    columns = [
        "type_individu",
        "civilite",
        "nom",
        "nom_usage",
        "prenom",
        "email",
        "telephone_mobile",
        "telephone_fixe",
        "adresse",
        "complement_adresse",
        "code_postal",
        "commune",
        "code_insee",
        "pays",
        "lieu_naissance",
        "profession",
        "situation_familiale",
        "etablissement_scolaire",
        "classe",
        "organisme",
        "fonction",
        "numero_allocataire",
        "observations_confidentielles",
        "recherche",
        "created_at",
        "updated_at",
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no journal rows for seeds
        with cursor.connection.cursor().copy(
            f"COPY usagers_individu ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - constant
        ) as copy:
            for n in range(start, start + count):
                prenom, nom = rng.choice(PRENOMS), _nom(rng)
                email = (
                    f"{fold(prenom).replace(' ', '-')}.{fold(nom).replace(' ', '-')}{n}@exemple.fr"
                )
                phone = f"+336{n:08d}"
                code_postal, commune, insee = rng.choice(COMMUNES)
                recherche = search_words(
                    f"{prenom} {nom} {email} {phone_search_digits(phone)} {commune}"
                )
                copy.write_row(
                    [
                        rng.choice(TYPES),
                        "",
                        nom,
                        "",
                        prenom,
                        email,
                        phone,
                        "",
                        f"{n % 200} rue des Écoles",
                        "",
                        code_postal,
                        commune,
                        insee,
                        "France",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        recherche,
                        "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                    ]
                )
        cursor.execute("SET session_replication_role = DEFAULT")
        # Steady state, as autovacuum leaves it: GIN pending lists merged, statistics fresh.
        cursor.execute("VACUUM ANALYZE usagers_individu")
    mots_reconstruire(using=alias)


def seed_profils(count: int, *, start: int = 0, seed: int = 2, alias: str = "default") -> None:
    rng = random.Random(seed + start)
    types = {t.code: t.pk for t in TypeProfil.objects.using(alias)}
    columns = [
        "type_profil_id",
        "nom",
        "sigle",
        "siret",
        "siren",
        "rna",
        "email",
        "telephone",
        "site_web",
        "personnel",
        "adresse",
        "complement_adresse",
        "code_postal",
        "commune",
        "code_insee",
        "pays",
        "recherche",
        "created_at",
        "updated_at",
    ]
    kinds = ["Association", "Club", "Comité", "Boulangerie", "Garage", "Cabinet", "Amicale", "SCI"]
    with connections[alias].cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        with cursor.connection.cursor().copy(
            f"COPY usagers_profil ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - constant
        ) as copy:
            for n in range(start, start + count):
                kind = rng.choice(kinds)
                nom = f"{kind} {_nom(rng)} {n}"
                association = kind in {"Association", "Club", "Comité", "Amicale"}
                rna = f"W45{n:07d}" if association else ""
                siret = "" if association else f"{800000000 + n:09d}{n % 10000:05d}"
                code_postal, commune, insee = rng.choice(COMMUNES)
                recherche = search_words(f"{nom} {siret} {rna} {commune}")
                copy.write_row(
                    [
                        types["association" if association else "entreprise"],
                        nom,
                        "",
                        siret,
                        siret[:9],
                        rna,
                        "",
                        "",
                        "",
                        False,
                        "",
                        "",
                        code_postal,
                        commune,
                        insee,
                        "France",
                        recherche,
                        "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                    ]
                )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM ANALYZE usagers_profil")
    mots_reconstruire(using=alias)


def reset(alias: str = "default") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("TRUNCATE usagers_individu, usagers_profil, usagers_motrecherche CASCADE")


__all__ = ["Individu", "Profil", "reset", "seed_individus", "seed_profils"]
