"""A small published form model using the adresse, territorial and linked-list types, in
the import format (F7), for the wizard and service tests of these types."""

from demo.formulaires import FACULTATIF, TOUTES_VUES
from dossiers import services
from tests.dossiers.factories import DispositifFactory

SALLES = {
    "sport": [["gymnase", "Gymnase des Tilleuls"], ["dojo", "Dojo municipal"]],
    "culture": [["salle_fetes", "Salle des fêtes"], ["auditorium", "Auditorium"]],
}


def _champ(nom, libelle, type_, *, ordre=0, obligatoire=True, **extra):
    return {
        "nom": nom,
        "libelle": libelle,
        "type": type_,
        "aide": "",
        "options": extra.get("options", {}),
        "liste": None,
        "choix": extra.get("choix", []),
        "condition": extra.get("condition"),
        "prefill": "",
        "colonne": 1,
        "ordre": ordre,
        "referentiel": None,
        "proprietes": TOUTES_VUES if obligatoire else FACULTATIF,
    }


def _ligne(ordre, *champs):
    return {
        "ordre": ordre,
        "colonnes": 1,
        "titre_section": "",
        "condition": None,
        "champs": list(champs),
    }


MODELE = {
    "format": services.FORMAT,
    "version_format": services.FORMAT_VERSION,
    "dispositif": "LOC",
    "listes": [],
    "referentiel": [],
    "onglets": [
        {
            "titre": "Le lieu",
            "aide": "",
            "ordre": 0,
            "condition": None,
            "lignes": [
                _ligne(
                    0,
                    _champ(
                        "lieu",
                        "Lieu de l’événement",
                        "adresse",
                        options={"libelle_numero_voie": "Adresse du lieu de l’événement"},
                    ),
                ),
                _ligne(1, _champ("commune_residence", "Commune de résidence", "commune")),
                _ligne(
                    2,
                    _champ(
                        "type_salle",
                        "Type de salle",
                        "choix_unique_liste",
                        choix=[["sport", "Sport"], ["culture", "Culture"]],
                    ),
                ),
                _ligne(
                    3,
                    _champ(
                        "salle",
                        "Salle",
                        "liste_liee",
                        options={
                            "depend_de": "type_salle",
                            "choix_par_parent": SALLES,
                            "libelles_parents": {"sport": "Sport", "culture": "Culture"},
                        },
                    ),
                ),
                _ligne(
                    4,
                    _champ("pays_naissance", "Pays de naissance", "pays", obligatoire=False),
                    _champ(
                        "departement_origine",
                        "Département d’origine",
                        "departement",
                        ordre=1,
                        obligatoire=False,
                    ),
                ),
                _ligne(
                    5,
                    _champ(
                        "remarque_nantes",
                        "Remarque pour les Nantais",
                        "texte",
                        obligatoire=False,
                        condition={"champ": "commune_residence", "op": "=", "valeur": "44109"},
                    ),
                ),
                _ligne(
                    6,
                    _champ(
                        "acces_hors_commune",
                        "Accès au lieu hors de la commune",
                        "texte",
                        obligatoire=False,
                        # A condition on a part of an address, evaluated live too.
                        condition={"champ": "lieu.code_postal", "op": "≠", "valeur": "18240"},
                    ),
                ),
            ],
        }
    ],
}


def dispositif_publie(**kwargs):
    """A published dispositif whose form is MODELE."""
    dispositif = DispositifFactory(
        code="LOC", slug="location-de-salle", titre="Location de salle", **kwargs
    )
    modele = services.modele_importer(MODELE, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif
