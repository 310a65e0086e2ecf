"""Demo form models of the commune's everyday dispositifs (room hire, skip, CCAS aid,
civil-status certificates), in the import format (F7), each published as version 1.
The association grant lives in demo/formulaires.py."""

from demo.formulaires import _champ
from dossiers import services
from dossiers.models import Dispositif, ModeleDossier


def _ligne(ordre, *champs, colonnes=1, titre="", condition=None):
    return {
        "ordre": ordre,
        "colonnes": colonnes,
        "titre_section": titre,
        "condition": condition,
        "champs": list(champs),
    }


def _onglet(ordre, titre, *lignes, aide="", condition=None):
    return {
        "titre": titre,
        "aide": aide,
        "ordre": ordre,
        "condition": condition,
        "lignes": list(lignes),
    }


def _modele(code, onglets, listes=()):
    return {
        "format": services.FORMAT,
        "version_format": services.FORMAT_VERSION,
        "dispositif": code,
        "listes": list(listes),
        "referentiel": [],
        "onglets": onglets,
    }


def _si(champ, valeur, op="="):
    return {"champ": champ, "op": op, "valeur": valeur}


def _engagement(ordre, texte="J’atteste sur l’honneur l’exactitude des informations fournies"):
    return _ligne(
        ordre,
        _champ(
            "note_rgpd",
            "Données personnelles",
            "note",
            obligatoire=False,
            options={
                "texte": "<p>Vos données servent uniquement à traiter votre demande. Vous "
                "pouvez y accéder et les faire rectifier auprès de la mairie.</p>"
            },
        ),
        _champ("engagement", texte, "acceptation_cgu", ordre=1, options={"texte": texte}),
    )


SALLES = {
    "code": "salles-municipales",
    "libelle": "Salles municipales",
    "valeurs": [
        ["salle-des-fetes", "Salle des fêtes (300 places)", 0, True],
        ["salle-polyvalente", "Salle polyvalente (120 places)", 1, True],
        ["maison-associations", "Maison des associations — salle Loire (40 places)", 2, True],
    ],
}

LOCATION_SALLE = _modele(
    "SAL",
    [
        _onglet(
            0,
            "Votre événement",
            _ligne(
                0,
                _champ(
                    "salles",
                    "Salles souhaitées, par ordre de préférence",
                    "choix_classe",
                    liste=SALLES["code"],
                    aide="Si votre premier choix est pris, nous vous proposerons le suivant.",
                    options={"rangs": 2},
                ),
                _champ(
                    "nature_evenement",
                    "Nature de l’événement",
                    "choix_unique_radio",
                    ordre=1,
                    choix=[
                        ["familial", "Familial (mariage, anniversaire…)"],
                        ["associatif", "Associatif"],
                        ["professionnel", "Professionnel"],
                    ],
                ),
                _champ(
                    "siret_organisateur",
                    "SIRET de l’entreprise",
                    "siret",
                    ordre=3,
                    condition=_si("nature_evenement", "professionnel"),
                ),
                _champ(
                    "type_evenement",
                    "Type d’événement",
                    "liste_liee",
                    ordre=2,
                    options={
                        "depend_de": "nature_evenement",
                        "choix_par_parent": {
                            "familial": [
                                ["mariage", "Mariage"],
                                ["anniversaire", "Anniversaire"],
                                ["bapteme", "Baptême ou communion"],
                            ],
                            "associatif": [
                                ["assemblee", "Assemblée générale"],
                                ["loto", "Loto"],
                                ["spectacle", "Spectacle"],
                            ],
                            "professionnel": [
                                ["seminaire", "Séminaire"],
                                ["formation", "Formation"],
                                ["reunion", "Réunion publique"],
                            ],
                        },
                    },
                ),
            ),
            _ligne(
                1,
                _champ("debut", "Début de la location", "date_heure"),
                _champ("fin", "Fin de la location", "date_heure", colonne=2),
                colonnes=2,
                titre="Dates",
            ),
            _ligne(
                2,
                _champ(
                    "nb_personnes",
                    "Nombre de personnes attendues",
                    "entier",
                    options={"min": 1, "max": 300},
                ),
                _champ(
                    "description_evenement",
                    "Décrivez l’événement",
                    "texte_long",
                    ordre=1,
                    obligatoire=False,
                    options={"max_longueur": 1000},
                ),
                _champ("sonorisation", "Avez-vous besoin de la sonorisation ?", "oui_non", ordre=2),
                _champ("buvette", "Prévoyez-vous une buvette ?", "oui_non", ordre=3),
                _champ(
                    "note_buvette",
                    "Débit de boissons temporaire",
                    "note",
                    ordre=4,
                    obligatoire=False,
                    condition=_si("buvette", True),
                    options={
                        "texte": "<p>Une buvette demande une autorisation de débit de boissons "
                        "temporaire, à solliciter auprès de la mairie 15 jours avant.</p>"
                    },
                ),
            ),
        ),
        _onglet(
            1,
            "Tarif et engagement",
            _ligne(
                0,
                _champ(
                    "resident",
                    "Résidez-vous ou votre association a-t-elle son siège dans la commune ?",
                    "oui_non",
                ),
                _champ(
                    "nb_jours",
                    "Nombre de jours de location",
                    "entier",
                    ordre=1,
                    options={"min": 1, "max": 7},
                ),
                _champ(
                    "tarif",
                    "Tarif estimé",
                    "calcul",
                    ordre=2,
                    obligatoire=False,
                    aide="150 € par jour pour les habitants, 300 € sinon ; sonorisation : 50 €.",
                    options={
                        "formule": "si(resident, 150, 300) * nb_jours + si(sonorisation, 50, 0)",
                        "decimales": 2,
                        "unite": "€",
                    },
                ),
            ),
            _ligne(
                1,
                _champ(
                    "telephone",
                    "Téléphone pour l’état des lieux",
                    "telephone",
                    prefill="individu.telephone_mobile",
                ),
                titre="Contact",
            ),
            _ligne(
                2,
                _champ(
                    "reglement",
                    "J’accepte le règlement intérieur des salles",
                    "acceptation_cgu",
                    options={
                        "texte": "J’ai lu et j’accepte le règlement intérieur des salles "
                        "municipales, et je verserai une caution de 500 €."
                    },
                ),
            ),
        ),
    ],
    listes=[SALLES],
)

BENNE = _modele(
    "BEN",
    [
        _onglet(
            0,
            "Votre besoin",
            _ligne(
                0,
                _champ(
                    "dechets",
                    "Types de déchets",
                    "choix_multiple",
                    choix=[
                        ["gravats", "Gravats"],
                        ["vegetaux", "Déchets verts"],
                        ["encombrants", "Encombrants"],
                        ["bois", "Bois"],
                    ],
                    options={"min_choix": 1},
                ),
                _champ(
                    "volume",
                    "Volume de la benne",
                    "choix_unique_radio",
                    ordre=1,
                    choix=[["3", "3 m³"], ["6", "6 m³"], ["10", "10 m³"]],
                ),
            ),
            _ligne(
                1,
                _champ(
                    "date_souhaitee",
                    "Date de livraison souhaitée",
                    "date",
                    aide="Au moins sept jours après votre demande.",
                    options={"min_jours": 7, "max_jours": 180},
                ),
                _champ(
                    "duree",
                    "Durée (jours)",
                    "entier",
                    colonne=2,
                    options={"min": 1, "max": 5},
                ),
                colonnes=2,
                titre="Dates",
            ),
            _ligne(
                2,
                _champ(
                    "adresse_depot",
                    "Adresse de dépôt",
                    "adresse",
                    options={"libelle_numero_voie": "Numéro et voie où déposer la benne"},
                ),
                _champ(
                    "note_hors_commune",
                    "Hors de la commune",
                    "note",
                    ordre=1,
                    obligatoire=False,
                    # A condition on a part of the address, live in the page too.
                    condition={
                        "tous": [
                            {"champ": "adresse_depot.code_postal", "op": "rempli"},
                            {"champ": "adresse_depot.code_postal", "op": "≠", "valeur": "18240"},
                        ]
                    },
                    options={
                        "texte": "<p>Les bennes ne sont livrées que dans la commune "
                        "(code postal 18240) : vérifiez l’adresse de dépôt.</p>"
                    },
                ),
                _champ(
                    "emplacement",
                    "Emplacement",
                    "choix_unique_radio",
                    ordre=2,
                    choix=[["prive", "Sur mon terrain"], ["voie", "Sur la voie publique"]],
                ),
                _champ(
                    "note_voirie",
                    "Occupation du domaine public",
                    "note",
                    ordre=3,
                    obligatoire=False,
                    condition=_si("emplacement", "voie"),
                    options={
                        "texte": "<p>La mairie prendra un arrêté d’occupation du domaine "
                        "public ; la benne sera signalée par des cônes.</p>"
                    },
                ),
                _champ(
                    "plan_depot",
                    "Emplacement précis",
                    "carte",
                    ordre=4,
                    obligatoire=False,
                    aide="Placez un point, ou dessinez la surface occupée, sur la carte.",
                    options={"geometries": ["Point", "Polygon"], "max_elements": 1},
                ),
                titre="Lieu",
            ),
        ),
        _onglet(
            1,
            "Coût et engagement",
            _ligne(
                0,
                _champ(
                    "cout",
                    "Coût estimé",
                    "calcul",
                    obligatoire=False,
                    aide="40 € par m³, plus 15 € par jour au-delà du premier.",
                    options={
                        "formule": "volume * 40 + max(duree - 1, 0) * 15",
                        "decimales": 2,
                        "unite": "€",
                    },
                ),
                _champ(
                    "telephone",
                    "Téléphone pour la livraison",
                    "telephone",
                    ordre=1,
                    prefill="individu.telephone_mobile",
                ),
            ),
            _engagement(1),
        ),
    ],
)

SITUATIONS = [
    ["celibataire", "Célibataire"],
    ["couple", "Marié(e), pacsé(e) ou en concubinage"],
    ["separe", "Séparé(e) ou divorcé(e)"],
    ["veuf", "Veuf ou veuve"],
]

AIDE_SOCIALE = _modele(
    "ASF",
    [
        _onglet(
            0,
            "Votre situation",
            _ligne(
                0,
                _champ("civilite", "Civilité", "civilite", prefill="individu.civilite"),
                titre="Identité",
            ),
            _ligne(
                1,
                _champ("nom", "Nom", "texte", prefill="individu.nom"),
                _champ("prenom", "Prénom", "texte", colonne=2, prefill="individu.prenom"),
                colonnes=2,
            ),
            _ligne(
                2,
                _champ(
                    "date_naissance",
                    "Date de naissance",
                    "date",
                    prefill="individu.date_naissance",
                    options={"min_jours": -43800, "max_jours": 0},
                ),
                _champ(
                    "age",
                    "Âge",
                    "age",
                    colonne=2,
                    obligatoire=False,
                    options={"champ_source": "date_naissance"},
                ),
                colonnes=2,
            ),
            _ligne(
                3,
                _champ(
                    "nir",
                    "Numéro de sécurité sociale",
                    "nir",
                    obligatoire=False,
                    aide="Facultatif : il accélère l’instruction avec la CAF.",
                ),
                _champ(
                    "situation_familiale",
                    "Situation familiale",
                    "choix_unique_liste",
                    ordre=1,
                    choix=SITUATIONS,
                ),
                _champ(
                    "personnes_foyer",
                    "Nombre de personnes au foyer (vous compris)",
                    "entier",
                    ordre=2,
                    options={"min": 1, "max": 15},
                ),
                titre="Foyer",
            ),
        ),
        _onglet(
            1,
            "Ressources et charges",
            _ligne(
                0,
                _champ("revenus", "Revenus mensuels du foyer", "montant", options={"min": 0}),
                _champ(
                    "charges",
                    "Charges mensuelles",
                    "tableau",
                    ordre=1,
                    obligatoire=False,
                    options={
                        "lignes": [
                            ["loyer", "Loyer ou remboursement"],
                            ["energie", "Énergie (électricité, gaz, eau)"],
                            ["assurances", "Assurances et mutuelle"],
                            ["credits", "Crédits"],
                            ["autres", "Autres"],
                        ],
                        "colonnes": [
                            {
                                "nom": "montant",
                                "libelle": "Montant",
                                "type": "montant",
                                "total": True,
                            },
                            {"nom": "precision", "libelle": "Précision", "type": "texte"},
                        ],
                    },
                ),
            ),
            _ligne(
                1,
                _champ(
                    "numero_allocataire",
                    "Numéro d’allocataire CAF",
                    "texte_formate",
                    obligatoire=False,
                    prefill="individu.numero_allocataire",
                    options={
                        "regex": "[0-9]{7}",
                        "message": "Saisissez les 7 chiffres de votre numéro d’allocataire, "
                        "par exemple 1234567.",
                    },
                ),
                _champ(
                    "justificatifs_ressources",
                    "Justificatifs de ressources",
                    "piece_justificative",
                    ordre=1,
                    obligatoire=False,
                    aide="Vos trois derniers bulletins de salaire ou attestations de la CAF.",
                    options={"type_document": "justificatif-ressources"},
                ),
                _champ(
                    "justificatif_identite",
                    "Pièce d’identité",
                    "piece_identite",
                    ordre=2,
                    obligatoire=False,
                    options={
                        "documents": ["cni", "passeport", "titre_sejour"],
                        "filigrane": "CCAS — aide sociale facultative",
                        "purger_a_la_decision": True,
                    },
                ),
            ),
            _ligne(
                2,
                _champ(
                    "reste_a_vivre",
                    "Reste à vivre par personne et par jour",
                    "calcul",
                    obligatoire=False,
                    aide="(Revenus − charges) ÷ personnes du foyer ÷ 30 jours.",
                    options={
                        "formule": "arrondi((revenus - somme(charges.montant)) "
                        "/ personnes_foyer / 30, 2)",
                        "decimales": 2,
                        "unite": "€",
                    },
                ),
            ),
            aide="<p>Indiquez des montants mensuels ; le CCAS vous demandera les justificatifs.</p>",
        ),
        _onglet(
            2,
            "Votre demande",
            _ligne(
                0,
                _champ(
                    "nature_aide",
                    "Nature de l’aide",
                    "choix_unique_radio",
                    choix=[
                        ["alimentaire", "Aide alimentaire"],
                        ["energie", "Facture d’énergie"],
                        ["loyer", "Loyer ou dépôt de garantie"],
                        ["autre", "Autre"],
                    ],
                ),
                _champ(
                    "precision_aide",
                    "Précisez",
                    "texte",
                    ordre=1,
                    condition=_si("nature_aide", "autre"),
                ),
                _champ(
                    "montant_sollicite",
                    "Montant sollicité",
                    "montant",
                    ordre=2,
                    options={"min": 1, "max": 1500},
                ),
                _champ(
                    "iban",
                    "IBAN pour le versement",
                    "iban",
                    ordre=3,
                    obligatoire=False,
                    aide="Laissez vide si l’aide est versée directement au fournisseur.",
                ),
            ),
            _engagement(1),
        ),
    ],
)

ETAT_CIVIL = _modele(
    "ETC",
    [
        _onglet(
            0,
            "L’acte demandé",
            _ligne(
                0,
                _champ(
                    "type_acte",
                    "Acte",
                    "choix_unique_radio",
                    choix=[["naissance", "Naissance"], ["mariage", "Mariage"], ["deces", "Décès"]],
                ),
                _champ(
                    "type_copie",
                    "Type de document",
                    "choix_unique_radio",
                    ordre=1,
                    choix=[
                        ["integrale", "Copie intégrale"],
                        ["extrait_filiation", "Extrait avec filiation"],
                        ["extrait", "Extrait sans filiation"],
                        ["plurilingue", "Extrait plurilingue"],
                    ],
                ),
                _champ(
                    "qualite",
                    "Vous êtes",
                    "choix_unique_liste",
                    ordre=2,
                    choix=[
                        ["titulaire", "La personne concernée par l’acte"],
                        ["ascendant", "Son père ou sa mère, un grand-parent"],
                        ["descendant", "Son enfant, un petit-enfant"],
                        ["conjoint", "Son conjoint ou partenaire"],
                        ["autre", "Autre (extrait sans filiation uniquement)"],
                    ],
                ),
                _champ(
                    "exemplaires",
                    "Nombre d’exemplaires",
                    "entier",
                    ordre=3,
                    options={"min": 1, "max": 5},
                ),
            ),
        ),
        _onglet(
            1,
            "La personne concernée",
            _ligne(
                0,
                _champ("nom_acte", "Nom", "texte"),
                _champ("prenoms_acte", "Prénoms", "texte", colonne=2),
                colonnes=2,
            ),
            _ligne(
                1,
                _champ(
                    "date_evenement",
                    "Date de l’événement",
                    "date",
                    options={"max_jours": 0},
                ),
                _champ("en_france", "L’événement a-t-il eu lieu en France ?", "oui_non", colonne=2),
                colonnes=2,
            ),
            _ligne(
                2,
                _champ(
                    "lieu_evenement",
                    "Commune de l’événement",
                    "commune",
                    condition=_si("en_france", True),
                ),
                _champ(
                    "pays_evenement",
                    "Pays de l’événement",
                    "pays",
                    ordre=1,
                    condition=_si("en_france", False),
                    aide="Les actes des Français nés à l’étranger sont délivrés par le "
                    "service central d’état civil de Nantes.",
                ),
            ),
            _ligne(
                3,
                _champ("nom_pere", "Nom et prénoms du père", "texte", obligatoire=False),
                _champ(
                    "nom_mere", "Nom et prénoms de la mère", "texte", colonne=2, obligatoire=False
                ),
                colonnes=2,
                titre="Filiation",
                condition={
                    "champ": "type_copie",
                    "op": "parmi",
                    "valeur": ["integrale", "extrait_filiation"],
                },
            ),
        ),
        _onglet(
            2,
            "Délivrance",
            _ligne(
                0,
                _champ(
                    "delivrance",
                    "Comment souhaitez-vous recevoir l’acte ?",
                    "choix_unique_radio",
                    choix=[["courrier", "Par courrier"], ["guichet", "Retrait à la mairie"]],
                ),
                _champ(
                    "adresse_envoi",
                    "Adresse d’envoi",
                    "texte_long",
                    ordre=1,
                    condition=_si("delivrance", "courrier"),
                    options={"max_longueur": 300},
                ),
                _champ("email", "Adresse électronique", "email", ordre=2, prefill="individu.email"),
            ),
            _engagement(1, "J’atteste avoir qualité pour demander cet acte"),
        ),
    ],
)

MODELES = [LOCATION_SALLE, BENNE, AIDE_SOCIALE, ETAT_CIVIL]


def load_formulaires_commune() -> None:
    """Idempotent: a dispositif that already has a form model is left as it is."""
    for data in MODELES:
        dispositif = Dispositif.objects.get(code=data["dispositif"])
        if ModeleDossier.objects.filter(dispositif=dispositif).exists():
            continue
        modele = services.modele_importer(data, dispositif=dispositif)
        services.modele_publier(modele=modele, by=None, note="Modèle de démonstration")
