"""The demo commune's catalogue: themes and six dispositifs with their service sheets."""

from django.core.files.base import ContentFile

from demo.illustrations import illustration_png
from demo.pdf import simple_pdf
from dossiers.models import Dispositif, LienDispositif, PieceAFournir, Thematique
from usagers.models import TypeProfil

THEMATIQUES = [
    ("vie-associative", "Vie associative", "fr-icon-team-line"),
    ("sport", "Sport", "fr-icon-trophy-line"),
    ("culture", "Culture", "fr-icon-music-2-line"),
    ("enfance-jeunesse", "Enfance et jeunesse", "fr-icon-parent-line"),
    ("environnement", "Environnement et cadre de vie", "fr-icon-leaf-line"),
    ("solidarite", "Solidarité", "fr-icon-heart-line"),
    ("etat-civil", "État civil et citoyenneté", "fr-icon-government-line"),
    ("salles", "Salles et équipements", "fr-icon-building-line"),
]

SERVICE_VIE_ASSO = {
    "contact_service": "Service vie associative et sports",
    "contact_email": "associations@belleville-sur-loire.fr",
    "contact_telephone": "02 38 00 00 10",
    "contact_horaires": "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
}
SERVICE_ACCUEIL = {
    "contact_service": "Accueil de la mairie",
    "contact_email": "accueil@belleville-sur-loire.fr",
    "contact_telephone": "02 38 00 00 00",
    "contact_horaires": "Du lundi au samedi, de 9 h à 12 h ; l’après-midi sur rendez-vous",
}

DISPOSITIFS = [
    {
        "code": "SUB",
        "slug": "subvention-associations",
        "illustration": ("associations", "Un groupe de personnes réunies : la vie associative."),
        "titre": "Subvention aux associations",
        "resume": "Les associations bellevilloises peuvent demander une subvention de "
        "fonctionnement ou une aide pour un projet. Dépôt des demandes jusqu’au 31 janvier.",
        "mots_cles": "subvention aide financière association projet fonctionnement",
        "mode_operatoire": "<ol><li>Vérifiez que votre association est à jour de ses déclarations "
        "en préfecture.</li><li>Remplissez le formulaire en ligne au nom de votre association.</li>"
        "<li>Joignez le budget prévisionnel (modèle à télécharger) et le bilan de l’année "
        "précédente.</li><li>La commission vie associative étudie les demandes en mars ; la "
        "décision vous est notifiée par courrier électronique.</li></ol>",
        "eligibilite": "<p>Associations loi 1901 <strong>déclarées depuis plus d’un an</strong>, "
        "ayant leur siège ou une activité régulière sur la commune.</p>",
        "aide": "<p>Une permanence d’aide au montage des dossiers a lieu chaque mercredi à la "
        "Maison des associations.</p>",
        "types": ["association"],
        "thematiques": ["vie-associative", "sport", "culture"],
        "pieces": [
            ("Statuts à jour de l’association", "", True, None),
            (
                "Budget prévisionnel de l’année",
                "Sur le modèle de la commune",
                True,
                (
                    "budget-previsionnel.pdf",
                    "Budget prévisionnel",
                    ["Recettes", "Dépenses", "Total"],
                ),
            ),
            (
                "Bilan financier de l’année précédente",
                "",
                True,
                ("bilan-financier.pdf", "Bilan financier", ["Produits", "Charges", "Résultat"]),
            ),
            ("Relevé d’identité bancaire", "Au nom de l’association", True, None),
            ("Attestation d’assurance", "", False, None),
        ],
        "liens": [
            (
                "Règlement d’attribution des subventions",
                "https://www.belleville-sur-loire.fr/reglement-subventions",
            ),
            ("Questions fréquentes", "https://www.belleville-sur-loire.fr/faq-associations"),
        ],
        "contacts": SERVICE_VIE_ASSO,
        "depot_sans_compte": False,
    },
    {
        "code": "SAL",
        "slug": "location-salle-municipale",
        "illustration": ("salle", "La salle municipale, son fronton et son drapeau."),
        "titre": "Location d’une salle municipale",
        "resume": "Réservez la salle des fêtes, la salle polyvalente ou une salle de réunion "
        "pour un événement familial, associatif ou professionnel.",
        "mots_cles": "salle location réservation fête mariage réunion",
        "mode_operatoire": "<p>Choisissez la salle et la date, puis faites votre demande au moins "
        "<strong>deux mois</strong> à l’avance. Le service vous confirme la disponibilité ; "
        "la convention est signée et la caution versée à la remise des clés.</p>",
        "eligibilite": "<p>Particuliers majeurs, associations et entreprises. Tarifs réduits pour "
        "les habitants et les associations de la commune.</p>",
        "types": ["particulier", "association", "entreprise"],
        "thematiques": ["salles", "vie-associative", "culture"],
        "pieces": [
            (
                "Attestation d’assurance responsabilité civile",
                "Couvrant la date de location",
                True,
                None,
            ),
            (
                "Convention de mise à disposition signée",
                "",
                True,
                (
                    "convention-salle.pdf",
                    "Convention de mise à disposition",
                    ["Salle", "Date", "Signature"],
                ),
            ),
        ],
        "liens": [
            ("Tarifs des salles municipales", "https://www.belleville-sur-loire.fr/tarifs-salles")
        ],
        "contacts": SERVICE_ACCUEIL,
        "depot_sans_compte": True,
    },
    {
        "code": "BEN",
        "slug": "mise-a-disposition-benne",
        "illustration": ("benne", "Une benne remplie de déchets verts."),
        "titre": "Mise à disposition d’une benne",
        "resume": "La commune dépose gratuitement une benne devant chez vous pour vos déchets "
        "verts ou vos encombrants, une fois par an et par foyer.",
        "mots_cles": "benne déchets verts encombrants gravats jardin",
        "mode_operatoire": "<p>Indiquez l’adresse de dépôt et la période souhaitée. La benne reste "
        "<strong>48 heures</strong> ; elle ne doit pas gêner la circulation.</p>",
        "eligibilite": "<p>Foyers résidant sur la commune. Les gravats et déchets dangereux sont "
        "refusés.</p>",
        "types": ["particulier", "foyer"],
        "thematiques": ["environnement"],
        "pieces": [("Justificatif de domicile de moins de 3 mois", "", True, None)],
        "liens": [("Consignes de tri des déchets", "https://www.belleville-sur-loire.fr/dechets")],
        "contacts": {**SERVICE_ACCUEIL, "contact_service": "Services techniques"},
        "depot_sans_compte": False,
    },
    {
        "code": "PER",
        "slug": "inscription-periscolaire",
        "illustration": ("ecole", "L’école et sa cour arborée, au soleil."),
        "titre": "Inscription aux activités périscolaires",
        "resume": "Inscrivez vos enfants à l’accueil du matin et du soir, à la restauration "
        "scolaire et aux activités du mercredi.",
        "mots_cles": "cantine restauration garderie périscolaire mercredi école enfants",
        "mode_operatoire": "<p>Une inscription par enfant et par année scolaire. Le tarif dépend "
        "de votre quotient familial : joignez l’attestation de la CAF.</p>",
        "eligibilite": "<p>Enfants scolarisés dans une école publique de la commune.</p>",
        "types": ["particulier", "foyer"],
        "thematiques": ["enfance-jeunesse"],
        "pieces": [
            ("Attestation de quotient familial CAF", "", False, None),
            (
                "Fiche sanitaire de liaison",
                "",
                True,
                (
                    "fiche-sanitaire.pdf",
                    "Fiche sanitaire de liaison",
                    ["Enfant", "Vaccinations", "Allergies"],
                ),
            ),
            ("Copie des vaccinations", "", True, None),
        ],
        "liens": [
            (
                "Règlement des accueils périscolaires",
                "https://www.belleville-sur-loire.fr/periscolaire",
            )
        ],
        "contacts": {**SERVICE_ACCUEIL, "contact_service": "Service enfance"},
        "depot_sans_compte": False,
    },
    {
        "code": "ASF",
        "slug": "aide-sociale-facultative",
        "illustration": ("solidarite", ""),
        "titre": "Aide sociale facultative du CCAS",
        "resume": "Le centre communal d’action sociale peut aider ponctuellement les foyers en "
        "difficulté : énergie, alimentation, santé, mobilité.",
        "mots_cles": "aide sociale CCAS secours énergie alimentation difficulté",
        "mode_operatoire": "<p>Décrivez votre situation et joignez vos justificatifs de ressources. "
        "Un travailleur social vous recontacte sous dix jours.</p>",
        "eligibilite": "<p>Foyers de la commune dont les ressources sont inférieures au barème "
        "du CCAS.</p>",
        "types": ["particulier", "foyer"],
        "thematiques": ["solidarite"],
        "pieces": [
            ("Dernier avis d’imposition", "", True, None),
            ("Justificatifs de ressources des trois derniers mois", "", True, None),
            ("Relevé d’identité bancaire", "", True, None),
        ],
        "liens": [],
        "contacts": {
            **SERVICE_ACCUEIL,
            "contact_service": "CCAS",
            "contact_email": "ccas@belleville-sur-loire.fr",
        },
        "depot_sans_compte": False,
        "depot_pour_autrui": True,
    },
    {
        "code": "ETC",
        "slug": "acte-etat-civil",
        "illustration": ("etat_civil", "Un acte officiel portant le sceau de la mairie."),
        "titre": "Demande d’acte d’état civil",
        "resume": "Obtenez une copie ou un extrait d’acte de naissance, de mariage ou de décès "
        "enregistré à Belleville-sur-Loire.",
        "mots_cles": "acte naissance mariage décès extrait copie intégrale état civil",
        "mode_operatoire": "<p>Précisez le type d’acte, la personne concernée et votre lien avec "
        "elle. L’acte vous est envoyé par courrier sous huit jours.</p>",
        "eligibilite": "<p>La personne concernée, ses ascendants, descendants, conjoint, ou son "
        "représentant légal.</p>",
        "types": ["particulier"],
        "thematiques": ["etat-civil"],
        "pieces": [("Pièce d’identité du demandeur", "", True, None)],
        "liens": [
            (
                "Fiche service-public.fr : acte d’état civil",
                "https://www.service-public.fr/particuliers/vosdroits/N359",
            )
        ],
        "contacts": {**SERVICE_ACCUEIL, "contact_service": "Service état civil"},
        "depot_sans_compte": True,
        "depot_pour_autrui": True,
    },
]


# Every sheet ends with its FAQ and the terms of use of the online service.
LIEN_CGU = (
    "Conditions générales d’utilisation du service en ligne",
    "https://www.belleville-sur-loire.fr/cgu-demarches",
)


def _liens(data) -> list[tuple[str, str]]:
    liens = list(data["liens"])
    if not any(libelle == "Questions fréquentes" for libelle, _url in liens):
        liens.append(
            ("Questions fréquentes", f"https://www.belleville-sur-loire.fr/faq/{data['slug']}")
        )
    return [*liens, LIEN_CGU]


def _completer(dispositif: Dispositif, data) -> None:
    """The illustration and the FAQ / terms links, also on a demo loaded before they
    existed (load_demo runs again on an existing database)."""
    if not dispositif.illustration:
        nom, alt = data["illustration"]
        dispositif.illustration.save(f"{nom}.png", ContentFile(illustration_png(nom)), save=False)
        dispositif.illustration_alt = alt
        dispositif.save(update_fields=["illustration", "illustration_alt", "updated_at"])
    existants = set(dispositif.liens.values_list("url", flat=True))
    for rang, (libelle, url) in enumerate(_liens(data)):
        if url not in existants:
            LienDispositif.objects.create(
                dispositif=dispositif, libelle=libelle, url=url, ordre=rang
            )


def load_catalogue() -> None:
    thematiques = {}
    for ordre, (slug, libelle, icone) in enumerate(THEMATIQUES):
        thematiques[slug], _ = Thematique.objects.get_or_create(
            slug=slug, defaults={"libelle": libelle, "icone": icone, "ordre": ordre}
        )
    types = {t.code: t for t in TypeProfil.objects.all()}
    for ordre, data in enumerate(DISPOSITIFS):
        existant = Dispositif.objects.filter(slug=data["slug"]).first()
        if existant:
            _completer(existant, data)
            continue
        dispositif = Dispositif.objects.create(
            code=data["code"],
            slug=data["slug"],
            titre=data["titre"],
            resume=data["resume"],
            mots_cles=data["mots_cles"],
            mode_operatoire=data["mode_operatoire"],
            eligibilite=data["eligibilite"],
            aide=data.get("aide", ""),
            depot_sans_compte=data["depot_sans_compte"],
            depot_pour_autrui=data.get("depot_pour_autrui", False),
            ordre=ordre,
            **data["contacts"],
        )
        dispositif.thematiques.set([thematiques[s] for s in data["thematiques"]])
        dispositif.types_profil.set([types[c] for c in data["types"]])
        for rang, (libelle, precision, obligatoire, modele) in enumerate(data["pieces"]):
            piece = PieceAFournir(
                dispositif=dispositif,
                libelle=libelle,
                precision=precision,
                obligatoire=obligatoire,
                ordre=rang,
            )
            if modele:
                filename, title, lines = modele
                body = simple_pdf(
                    f"{title} — {dispositif.titre}",
                    [f"{line} : ......................" for line in lines],
                )
                piece.modele.save(filename, ContentFile(body), save=False)
            piece.save()
        _completer(dispositif, data)
