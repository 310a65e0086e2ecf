"""Demo form models, written in the import format (F7) and published as version 1."""

import datetime

from django.utils import timezone

from accounts.models import User
from dossiers import services
from dossiers.models import CompteurReference, Dispositif, Dossier, ModeleDossier
from usagers.models import Profil

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
                                # The share only once a budget is given: an empty form
                                # shows 0, not a division by zero.
                                "formule": (
                                    "si(budget_total > 0, "
                                    "arrondi(montant_demande / budget_total * 100, 1), 0)"
                                ),
                                "decimales": 1,
                                "unite": "%",
                            },
                        ),
                    ],
                },
                {
                    "ordre": 4,
                    "colonnes": 1,
                    "titre_section": "Suivi d’une aide précédente",
                    "condition": None,
                    "champs": [
                        # A dossier lié: the association's earlier requests only (its
                        # members' too), filed ones, of this dispositif.
                        _champ(
                            "demande_precedente",
                            "Demande précédente de l’association",
                            "dossier_lie",
                            obligatoire=False,
                            aide="Si la commune a déjà soutenu votre association, choisissez "
                            "sa demande précédente.",
                            options={"dispositifs": ["SUB"], "meme_profil": True},
                        ),
                        _champ(
                            "bilan_precedent",
                            "Qu’a permis la subvention précédente ?",
                            "texte_long",
                            ordre=1,
                            condition={"champ": "demande_precedente", "op": "rempli"},
                            options={"max_longueur": 2000},
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


ECOLES = [["jules-ferry", "École Jules-Ferry"], ["les-tilleuls", "École des Tilleuls"]]
# The classes each school offers: a linked list in the block, checked per child (F12).
CLASSES = {
    "jules-ferry": [[c.lower(), c] for c in ("CP", "CE1", "CE2", "CM1", "CM2")],
    "les-tilleuls": [[c.lower(), c] for c in ("PS", "MS", "GS")],
}

# Inscription périscolaire: a repeatable block "Enfants à inscrire" (F12), 1 to 6 children,
# each with an age computed per element, a class among those of the chosen school (a
# linked list inside the element) and a condition inside the element (PAI details);
# the tarif reads nombre(enfants), and a note shows from three children on.
PERISCOLAIRE = {
    "format": services.FORMAT,
    "version_format": services.FORMAT_VERSION,
    "dispositif": "PER",
    "listes": [],
    "referentiel": [],
    "onglets": [
        {
            "titre": "Les enfants",
            "aide": "<p>Ajoutez chaque enfant à inscrire pour l’année scolaire.</p>",
            "ordre": 0,
            "condition": None,
            "lignes": [
                {
                    "ordre": 0,
                    "colonnes": 1,
                    "titre_section": "",
                    "condition": None,
                    "champs": [
                        {
                            **_champ(
                                "enfants",
                                "Enfants à inscrire",
                                "bloc_repetable",
                                options={
                                    "minimum": 1,
                                    "maximum": 6,
                                    "libelle_element": "Enfant",
                                    "libelle_ajout": "Ajouter un enfant",
                                },
                            ),
                            "sous_champs": [
                                _champ("prenom_enfant", "Prénom", "texte"),
                                _champ("nom_enfant", "Nom", "texte", ordre=1),
                                _champ(
                                    "naissance_enfant",
                                    "Date de naissance",
                                    "date",
                                    ordre=2,
                                    options={"max_jours": 0},
                                ),
                                _champ(
                                    "age_enfant",
                                    "Âge",
                                    "calcul",
                                    ordre=3,
                                    obligatoire=False,
                                    options={
                                        "formule": "age(naissance_enfant)",
                                        "decimales": 0,
                                        "unite": "ans",
                                    },
                                ),
                                _champ(
                                    "ecole", "École", "choix_unique_liste", ordre=4, choix=ECOLES
                                ),
                                _champ(
                                    "classe",
                                    "Classe",
                                    "liste_liee",
                                    ordre=5,
                                    options={
                                        "depend_de": "ecole",
                                        "choix_par_parent": CLASSES,
                                        "libelles_parents": dict(ECOLES),
                                    },
                                ),
                                _champ(
                                    "pai",
                                    "Mon enfant a un projet d’accueil individualisé (PAI)",
                                    "case_a_cocher",
                                    ordre=6,
                                    obligatoire=False,
                                ),
                                _champ(
                                    "pai_details",
                                    "Précisez le projet d’accueil",
                                    "texte_long",
                                    ordre=7,
                                    obligatoire=False,
                                    condition={"champ": "pai", "op": "=", "valeur": True},
                                ),
                            ],
                        },
                    ],
                },
                {
                    "ordre": 1,
                    "colonnes": 1,
                    "titre_section": "Tarif",
                    "condition": None,
                    "champs": [
                        _champ(
                            "tarif_annuel",
                            "Tarif annuel estimé",
                            "calcul",
                            obligatoire=False,
                            options={
                                "formule": "nombre(enfants) * si(nombre(enfants) >= 3, 30, 35)",
                                "decimales": 2,
                                "unite": "€",
                            },
                        ),
                        _champ(
                            "note_fratrie",
                            "Tarif fratrie",
                            "note",
                            ordre=1,
                            obligatoire=False,
                            condition={"champ": "nombre(enfants)", "op": "≥", "valeur": 3},
                            options={
                                "texte": "<p>À partir de trois enfants, le tarif fratrie "
                                "s’applique : 30 € par enfant au lieu de 35 €.</p>"
                            },
                        ),
                    ],
                },
            ],
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
                            "engagement_reglement",
                            "J’ai lu le règlement des accueils périscolaires",
                            "acceptation_cgu",
                            options={"texte": "J’ai lu le règlement des accueils périscolaires"},
                        ),
                    ],
                },
            ],
        },
    ],
}


def load_dossier_precedent() -> None:
    """Last year's subsidy request of « Les Amis de la Loire », filed by Camille Martin:
    this year's form links it (« Demande précédente », a dossier lié); Lucas Bernard, a
    member of the association, may link it too. Idempotent."""
    dispositif = Dispositif.objects.filter(code="SUB").first()
    modele = services.modele_publie(dispositif) if dispositif else None
    user = User.objects.filter(email="usager@demo.guichet.fr").first()
    profil = Profil.objects.filter(nom="Les Amis de la Loire", personnel=False).first()
    if modele is None or user is None or profil is None:
        return
    annee = timezone.localdate().year - 1
    reference = f"{annee}-SUB-000007"
    if Dossier.objects.filter(reference=reference).exists():
        return
    depose_le = datetime.datetime(annee, 1, 20, 10, 30, tzinfo=datetime.UTC)
    dossier = Dossier.objects.create(
        reference=reference,
        dispositif=dispositif,
        modele=modele,
        demandeur_individu=getattr(user, "individu", None),
        demandeur_profil=profil,
        cree_par=user,
        statut=Dossier.Statut.DEPOSE,
        depose_le=depose_le,
        donnees={
            "nom_association": profil.nom,
            "rna": profil.rna,
            "domaine": "environnement",
            "nb_adherents": 38,
            "email_contact": profil.email,
            "nature_demande": "projet",
            "titre_projet": "Nettoyage des berges de la Loire",
            "budget_total": "3200.00",
            "montant_demande": "800.00",
            "part_demandee": "25.0",
            "iban": profil.iban,
            "bic": profil.bic,
            "engagement": True,
        },
    )
    Dossier.objects.filter(pk=dossier.pk).update(created_at=depose_le, updated_at=depose_le)
    compteur, _cree = CompteurReference.objects.get_or_create(dispositif=dispositif, annee=annee)
    if compteur.dernier < 7:  # the references of that year go on after this one
        compteur.dernier = 7
        compteur.save(update_fields=["dernier"])


def load_formulaires() -> None:
    for code, formulaire in (("SUB", SUBVENTION), ("PER", PERISCOLAIRE)):
        dispositif = Dispositif.objects.filter(code=code).first()
        if dispositif is None or ModeleDossier.objects.filter(dispositif=dispositif).exists():
            continue
        modele = services.modele_importer(formulaire, dispositif=dispositif)
        services.modele_publier(modele=modele, by=None, note="Modèle de démonstration")
