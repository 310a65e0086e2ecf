"""Demo justificatifs (issue 7, P12) for Belleville-sur-Loire: the types of documents,
linked to the pieces the demo dispositifs' sheets ask for; the demo dossiers' pieces in
several statuses (one refused with the agent's comment, so the demo shows the citizen's
re-upload); a document kept on « Les Amis de la Loire », offered for reuse. Idempotent."""

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from demo.pdf import simple_pdf

MO = 1024 * 1024

# (code, libellé, description, formats, taille max, durée de validité en jours, mots des
# pièces à fournir qu'il couvre)
TYPES = [
    (
        "justificatif-domicile",
        "Justificatif de domicile",
        "Facture d’énergie, d’eau ou de téléphone, quittance de loyer ou avis de taxe "
        "foncière de moins de trois mois.",
        ["pdf", "jpeg", "png"],
        5 * MO,
        90,
        ["domicile"],
    ),
    (
        "rib",
        "Relevé d’identité bancaire",
        "Au nom du demandeur (ou de l’association).",
        ["pdf", "jpeg", "png"],
        2 * MO,
        None,
        ["identité bancaire", "rib"],
    ),
    (
        "statuts-association",
        "Statuts de l’association",
        "Les statuts à jour, signés, tels que déclarés en préfecture.",
        ["pdf", "docx", "odt"],
        10 * MO,
        None,
        ["statuts"],
    ),
    (
        "attestation-assurance",
        "Attestation d’assurance",
        "Responsabilité civile, en cours de validité.",
        ["pdf", "jpeg", "png"],
        5 * MO,
        365,
        ["assurance"],
    ),
    (
        "avis-imposition",
        "Avis d’imposition",
        "Le dernier avis d’imposition sur le revenu, toutes les pages.",
        ["pdf"],
        10 * MO,
        365,
        ["avis d’imposition"],
    ),
    (
        "piece-identite",
        "Pièce d’identité",
        "Carte nationale d’identité ou passeport en cours de validité, recto et verso.",
        ["pdf", "jpeg", "png", "webp"],
        5 * MO,
        None,
        ["pièce d’identité"],
    ),
    (
        "quotient-familial",
        "Attestation de quotient familial",
        "Attestation de la CAF de moins de trois mois.",
        ["pdf", "jpeg", "png"],
        5 * MO,
        90,
        ["quotient familial"],
    ),
    (
        "justificatif-ressources",
        "Justificatifs de ressources",
        "Les trois derniers bulletins de salaire ou attestations de la CAF.",
        ["pdf", "jpeg", "png"],
        10 * MO,
        90,
        ["justificatifs de ressources"],
    ),
    (
        "budget-previsionnel",
        "Budget prévisionnel",
        "Sur le modèle de la commune.",
        ["pdf", "docx", "odt"],
        10 * MO,
        None,
        ["budget prévisionnel"],
    ),
]


def load_types_justificatifs() -> None:
    """The types, and each demo sheet's pieces linked to the type they ask."""
    from dossiers.models import PieceAFournir, TypeJustificatif

    for code, libelle, description, formats, taille, duree, mots in TYPES:
        type_, _ = TypeJustificatif.objects.get_or_create(
            code=code,
            defaults={
                "libelle": libelle,
                "description": description,
                "formats": formats,
                "taille_max": taille,
                "duree_validite": duree,
            },
        )
        filtre = Q()
        for mot in mots:
            filtre |= Q(libelle__icontains=mot)
        PieceAFournir.objects.filter(filtre, type_justificatif__isnull=True).update(
            type_justificatif=type_
        )


MODELES_REFUS = [
    {
        "nom": "Justificatif refusé — courriel",
        "canal": "email",
        "evenement": "dossier.justificatif_refuse",
        "sujet": "Votre demande {{ dossier.reference }} : un justificatif est à renvoyer",
        "corps": (
            "Bonjour,\n\n"
            "Le justificatif « {{ justificatif.libelle }} » de votre demande "
            "{{ dossier.reference }} ({{ dossier.dispositif }}) n’a pas pu être accepté :\n\n"
            "{{ justificatif.commentaire }}\n\n"
            "Vous pouvez en envoyer une nouvelle version depuis votre espace : {{ lien }}\n\n"
            "Le service relation usagers de {{ autorite }}"
        ),
    },
    {
        "nom": "Justificatif refusé — notification",
        "canal": "application",
        "evenement": "dossier.justificatif_refuse",
        "sujet": "Justificatif à renvoyer : {{ justificatif.libelle }}",
        "corps": "{{ justificatif.commentaire }}",
    },
]


def load_modeles_refus() -> None:
    """The refusal's mail and in-app notice, mapped to the event."""
    from notifications import services
    from notifications.models import ModeleMessage

    for donnees in MODELES_REFUS:
        modele, _cree = ModeleMessage.objects.get_or_create(nom=donnees["nom"], defaults=donnees)
        if not modele.est_publie:
            problemes = services.modele_publier(modele)
            assert not problemes, problemes  # noqa: S101 - the demo's own texts must be valid
        services.correspondance_enregistrer(evenement=modele.evenement, modele=modele)


def _pdf(titre: str, nom: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, simple_pdf(titre, ["Document de démonstration."]))


def attendre_justificatifs() -> None:
    """Every filed demo dossier expects its pieces, as a deposit makes it. Called again
    once all loaders ran: some write filed dossiers directly (the map's), and a second
    `load_demo` must find nothing left to add."""
    from dossiers import services_justificatifs as services
    from dossiers.models import Dossier

    for dossier in Dossier.objects.filter(statut=Dossier.Statut.DEPOSE).select_related(
        "dispositif", "demandeur_profil"
    ):
        services.justificatifs_attendus(dossier)


def load_justificatifs_dossiers() -> None:
    """The filed demo dossiers get their expected pieces; Camille Martin's first one
    shows them in several statuses."""
    from accounts.models import User
    from dossiers import services_justificatifs as services
    from dossiers.models import Dossier, Justificatif, TypeJustificatif
    from usagers.models import Profil

    # The demo agent instructs dossiers (the CRM dossier page and its Justificatifs tab).
    instructeurs = Group.objects.filter(name="Instructeurs (démo)").first()
    if instructeurs:
        instructeurs.permissions.add(*Permission.objects.filter(codename="instruire_dossiers"))
    agent = User.objects.filter(email="agent@demo.guichet.fr").first()
    load_modeles_refus()
    attendre_justificatifs()

    association = Profil.objects.filter(nom="Les Amis de la Loire", personnel=False).first()
    statuts = TypeJustificatif.objects.filter(code="statuts-association").first()
    camille = User.objects.filter(email="usager@demo.guichet.fr").first()
    if association and statuts and camille and not association.justificatifs.exists():
        services.profil_document_deposer(
            profil=association,
            type_justificatif=statuts,
            upload=_pdf("Statuts des Amis de la Loire", "statuts-amis-de-la-loire.pdf"),
            user=camille,
        )

    dossier = (
        Dossier.objects.filter(cree_par=camille, statut=Dossier.Statut.DEPOSE)
        .filter(justificatifs__isnull=False)
        .order_by("pk")
        .first()
    )
    if dossier is None or agent is None:
        return
    pieces = list(
        dossier.justificatifs.select_related("type", "dossier").filter(
            statut=Justificatif.Statut.ATTENDU
        )
    )
    if len(pieces) != dossier.justificatifs.count() or not pieces:
        return  # already shown in several statuses
    # The first piece: uploaded, refused with a comment (the demo re-uploads it).
    refusee = pieces[0]
    services.version_deposer(
        justificatif=refusee,
        upload=_pdf(refusee.nom, "document-ancien.pdf"),
        user=camille,
        commentaire="Voici le document demandé.",
    )
    services.justificatif_refuser(
        justificatif=refusee,
        agent=agent,
        commentaire="Le document date de plus de trois mois : merci d’en envoyer un récent.",
    )
    if len(pieces) > 1:  # the second: received and validated
        services.version_deposer(
            justificatif=pieces[1], upload=_pdf(pieces[1].nom, "document.pdf"), user=camille
        )
        services.justificatif_valider(justificatif=pieces[1], agent=agent)
    if len(pieces) > 2:  # the third: received, waiting for the agent
        services.version_deposer(
            justificatif=pieces[2], upload=_pdf(pieces[2].nom, "document.pdf"), user=camille
        )
