"""A small two-step form for the edition tests (F14, P7, F10): who the person is
(prefilled from the individu), then the request."""

from demo.formulaires import _champ
from dossiers import services
from tests.dossiers.factories import DispositifFactory

PETIT = {
    "format": services.FORMAT,
    "version_format": services.FORMAT_VERSION,
    "dispositif": "AID",
    "listes": [],
    "referentiel": [],
    "onglets": [
        {
            "titre": "La personne",
            "aide": "",
            "ordre": 0,
            "condition": None,
            "lignes": [
                {
                    "ordre": 0,
                    "colonnes": 2,
                    "titre_section": "",
                    "condition": None,
                    "champs": [
                        _champ("nom", "Nom", "texte", prefill="individu.nom"),
                        _champ("prenom", "Prénom", "texte", colonne=2, prefill="individu.prenom"),
                    ],
                }
            ],
        },
        {
            "titre": "La demande",
            "aide": "",
            "ordre": 1,
            "condition": None,
            "lignes": [
                {
                    "ordre": 0,
                    "colonnes": 1,
                    "titre_section": "",
                    "condition": None,
                    "champs": [_champ("motif", "Motif de la demande", "texte")],
                }
            ],
        },
    ],
}


def dispositif_petit(**kwargs):
    defaults = {
        "code": "AID",
        "slug": "aide",
        "titre": "Aide ponctuelle",
        "depot_pour_autrui": True,
    }
    dispositif = DispositifFactory(**{**defaults, **kwargs})
    modele = services.modele_importer(PETIT, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


def commencer(dispositif, user, **donnees):
    dossier = services.dossier_commencer(dispositif=dispositif, user=user)
    dossier.donnees = {"nom": "Martin", "prenom": "Camille", "motif": "Loyer", **donnees}
    return dossier


def brouillon(dispositif, user, **donnees):
    return services.dossier_enregistrer_brouillon(
        dossier=commencer(dispositif, user, **donnees), user=user
    )


def depose(dispositif, user, **donnees):
    return services.dossier_deposer(dossier=commencer(dispositif, user, **donnees), user=user)
