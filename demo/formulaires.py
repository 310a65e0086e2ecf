"""Demo form models, written in the import format (F7) and published as version 1."""

from dossiers import services
from dossiers.models import Dispositif, ModeleDossier

TOUTES_VUES = {
    "internet": {"visible": True, "modifiable": True, "obligatoire": True},
    "crm": {"visible": True, "modifiable": True, "obligatoire": False},
    "partenaire": {"visible": True, "modifiable": False, "obligatoire": False},
}
FACULTATIF = {vue: {**props, "obligatoire": False} for vue, props in TOUTES_VUES.items()}


def _champ(nom, libelle, type_, *, ordre=0, colonne=1, obligatoire=True, **extra):
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
        "ordre": ordre,
        "referentiel": None,
        "proprietes": TOUTES_VUES if obligatoire else FACULTATIF,
    }


SUBVENTION = {
    "format": services.FORMAT,
    "version_format": services.FORMAT_VERSION,
    "dispositif": "SUB",
    "listes": [
        {
            "code": "domaine-associatif",
            "libelle": "Domaines d’activité associatifs",
            "valeurs": [
                ["sport", "Sport", 0, True],
                ["culture", "Culture", 1, True],
                ["social", "Social et solidarité", 2, True],
                ["education", "Éducation", 3, True],
                ["environnement", "Environnement", 4, True],
            ],
        }
    ],
    "referentiel": [],
    "onglets": [
        {
            "titre": "L’association",
            "aide": "<p>Vérifiez les informations de votre association.</p>",
            "ordre": 0,
            "condition": None,
            "lignes": [
                {
                    "ordre": 0,
                    "colonnes": 2,
                    "titre_section": "Identification",
                    "condition": None,
                    "champs": [
                        _champ(
                            "nom_association", "Nom de l’association", "texte", prefill="profil.nom"
                        ),
                        _champ("rna", "Numéro RNA", "rna", colonne=2, prefill="profil.rna"),
                    ],
                },
                {
                    "ordre": 1,
                    "colonnes": 2,
                    "titre_section": "",
                    "condition": None,
                    "champs": [
                        _champ(
                            "domaine",
                            "Domaine d’activité",
                            "choix_unique_liste",
                            liste="domaine-associatif",
                        ),
                        _champ(
                            "nb_adherents",
                            "Nombre d’adhérents",
                            "entier",
                            colonne=2,
                            options={"min": 1, "max": 100000},
                        ),
                    ],
                },
                {
                    "ordre": 2,
                    "colonnes": 2,
                    "titre_section": "Contact",
                    "condition": None,
                    "champs": [
                        _champ(
                            "email_contact",
                            "Adresse électronique de contact",
                            "email",
                            prefill="profil.email",
                        ),
                        _champ(
                            "telephone_contact",
                            "Téléphone",
                            "telephone",
                            colonne=2,
                            obligatoire=False,
                        ),
                    ],
                },
            ],
        },
        {
            "titre": "Le projet",
            "aide": "<p>Décrivez ce que la subvention financera.</p>",
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
                            "nature_demande",
                            "Nature de la demande",
                            "choix_unique_radio",
                            choix=[["fonctionnement", "Fonctionnement"], ["projet", "Projet"]],
                        ),
                    ],
                },
                {
                    "ordre": 1,
                    "colonnes": 1,
                    "titre_section": "Le projet",
                    "condition": {"champ": "nature_demande", "op": "=", "valeur": "projet"},
                    "champs": [
                        _champ("titre_projet", "Titre du projet", "texte", obligatoire=False),
                        _champ(
                            "description_projet",
                            "Description",
                            "texte_long",
                            ordre=1,
                            obligatoire=False,
                        ),
                        _champ(
                            "date_debut_projet", "Date de début", "date", ordre=2, obligatoire=False
                        ),
                    ],
                },
                {
                    "ordre": 2,
                    "colonnes": 2,
                    "titre_section": "Budget",
                    "condition": None,
                    "champs": [
                        _champ("budget_total", "Budget total", "montant"),
                        _champ("montant_demande", "Montant demandé", "montant", colonne=2),
                    ],
                },
                {
                    "ordre": 3,
                    "colonnes": 1,
                    "titre_section": "",
                    "condition": None,
                    "champs": [
                        _champ(
                            "part_demandee",
                            "Part du budget demandée (%)",
                            "calcul",
                            obligatoire=False,
                            options={
                                "formule": "arrondi(montant_demande / budget_total * 100, 1)",
                                "decimales": 1,
                                "unite": "%",
                            },
                        ),
                    ],
                },
            ],
        },
        {
            "titre": "Versement et engagement",
            "aide": "",
            "ordre": 2,
            "condition": None,
            "lignes": [
                {
                    "ordre": 0,
                    "colonnes": 2,
                    "titre_section": "Coordonnées bancaires",
                    "condition": None,
                    "champs": [
                        _champ("iban", "IBAN de l’association", "iban", prefill="profil.iban"),
                        _champ("bic", "BIC", "bic", colonne=2, prefill="profil.bic"),
                    ],
                },
                {
                    "ordre": 1,
                    "colonnes": 1,
                    "titre_section": "",
                    "condition": None,
                    "champs": [
                        _champ(
                            "note_rgpd",
                            "Données personnelles",
                            "note",
                            obligatoire=False,
                            options={
                                "texte": "<p>Vos données servent à instruire la demande et sont conservées dix ans.</p>"
                            },
                        ),
                        _champ(
                            "engagement",
                            "J’atteste sur l’honneur l’exactitude des informations",
                            "acceptation_cgu",
                            ordre=1,
                            options={
                                "texte": "J’atteste sur l’honneur l’exactitude des informations"
                            },
                        ),
                    ],
                },
            ],
        },
    ],
}


def load_formulaires() -> None:
    dispositif = Dispositif.objects.get(code="SUB")
    if ModeleDossier.objects.filter(dispositif=dispositif).exists():
        return
    modele = services.modele_importer(SUBVENTION, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None, note="Modèle de démonstration")
