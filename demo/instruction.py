"""Demo guides d'instruction (issue 8): every dispositif gets a published guide Dépôt →
Recevabilité → Instruction → Commission → Décision → Clôture with agent and citizen
labels and actions of each type (duplicates flagged at deposit; at « Recevable » the
acknowledgement produced, announced by SMS, the association's card updated; the decision
document attached to the decision mail; « Accord sans commission » skipping on to
« Accordé »); the filed demo dossiers are then moved along it through
change_status by the instructeur, so the CRM's Instruction tab and lists show varied
statuts, a late dossier, and the citizen's Suivi tab the citizen-facing labels.
Idempotent: a dispositif with a guide, a dossier with a statut, are left alone."""

from django.db.models import Exists, OuterRef

from dossiers.models import Dispositif, Dossier
from editique.models import ModeleDocument
from instruction import services
from instruction.models import ActionStatut, Etape, Guide, Statut, SuiviInstruction, VersionGuide
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage

# (étape, colour, target days, help for agents, statuts)
# statut: (code, agent label, citizen label, colour, properties)
GUIDE = [
    (
        "Dépôt",
        "info",
        3,
        "Vérifiez que la demande relève bien du dispositif.",
        [
            (
                "depose",
                "Déposé",
                "Votre demande est bien reçue",
                "info",
                {"initial": True, "modifiable_usager": True},
            ),
        ],
    ),
    (
        "Recevabilité",
        "new",
        10,
        "Contrôlez les pièces justificatives et la complétude du formulaire.",
        [
            (
                "incomplet",
                "Incomplet",
                "Des pièces manquent à votre demande",
                "warning",
                {
                    "modifiable_usager": True,
                    "motif_obligatoire": True,
                    "libelle_bouton": "Demander des compléments",
                },
            ),
            (
                "recevable",
                "Recevable",
                "Votre demande est complète",
                "info",
                {"libelle_bouton": "Déclarer recevable"},
            ),
        ],
    ),
    (
        "Instruction",
        "info",
        20,
        "Analysez la demande au regard du règlement du dispositif.",
        [
            (
                "en_instruction",
                "En instruction",
                "Votre demande est en cours d’examen",
                "info",
                {"libelle_bouton": "Commencer l’instruction"},
            ),
            # A small request needs no commission: its action moves it on to « Accordé ».
            (
                "sans_commission",
                "Accord sans commission",
                "",
                "success",
                {"libelle_bouton": "Accorder sans commission"},
            ),
        ],
    ),
    (
        "Commission",
        "new",
        30,
        "Le dossier est inscrit à l’ordre du jour de la prochaine commission.",
        [
            (
                "avis_favorable",
                "Avis favorable",
                "",
                "success",
                {"libelle_bouton": "Avis favorable"},
            ),
            (
                "avis_defavorable",
                "Avis défavorable",
                "",
                "error",
                {"libelle_bouton": "Avis défavorable"},
            ),
        ],
    ),
    (
        "Décision",
        "success",
        7,
        "",
        [
            (
                "accorde",
                "Accordé",
                "Votre demande est accordée",
                "success",
                {"libelle_bouton": "Accorder"},
            ),
            (
                "refuse",
                "Refusé",
                "Votre demande n’a pas pu être acceptée",
                "error",
                {"motif_obligatoire": True, "libelle_bouton": "Refuser"},
            ),
        ],
    ),
    (
        "Clôture",
        "",
        None,
        "",
        [
            (
                "cloture",
                "Clôturé",
                "Votre demande est terminée",
                "",
                {"cloture": True, "libelle_bouton": "Clôturer"},
            ),
            (
                "sans_suite",
                "Classé sans suite",
                "Votre demande est classée sans suite",
                "",
                {"cloture": True, "masque": True},
            ),
        ],
    ),
]

SUIVANTS = {
    "depose": ["recevable", "incomplet", "sans_suite"],
    "incomplet": ["recevable", "sans_suite"],
    "recevable": ["en_instruction"],
    "en_instruction": ["avis_favorable", "avis_defavorable", "sans_commission", "incomplet"],
    "sans_commission": ["accorde"],
    "avis_favorable": ["accorde"],
    "avis_defavorable": ["refuse"],
    "accorde": ["cloture"],
    "refuse": ["cloture"],
}

NOM_COURRIEL = "Décision — demande accordée"
CORPS_COURRIEL = """Bonjour {{ demandeur.nom_complet }},

Bonne nouvelle : « {{ statut.libelle }} » (« {{ dossier.dispositif }} », référence {{ dossier.reference }}).

Retrouvez le détail et les prochaines étapes dans votre espace : {{ lien }}

Le service instructeur de {{ autorite }}"""

# How far each filed demo dossier goes (by its rank, oldest first).
PARCOURS = [
    [],
    ["recevable", "en_instruction"],
    ["incomplet"],
    ["recevable", "en_instruction", "sans_commission"],  # skipped on to « Accordé »
    ["recevable"],
]
PARCOURS_CLOS = ["recevable", "en_instruction", "avis_favorable", "accorde", "cloture"]


def _courriel() -> ModeleMessage:
    modele, cree = ModeleMessage.objects.get_or_create(
        nom=NOM_COURRIEL,
        defaults={
            "canal": Canal.EMAIL,
            "evenement": services.EVENEMENT_STATUT,
            "sujet": "Votre demande {{ dossier.reference }} est accordée",
            "corps": CORPS_COURRIEL,
        },
    )
    if cree:
        notifications_services.modele_publier(modele)
    return modele


def _guide(dispositif: Dispositif, courriel: ModeleMessage) -> None:
    guide = Guide.objects.create(dispositif=dispositif)
    version = VersionGuide.objects.create(guide=guide, numero=1)
    statuts: dict[str, Statut] = {}
    for ordre, (libelle, couleur, duree, aide, lignes) in enumerate(GUIDE, start=1):
        etape = Etape.objects.create(
            version=version,
            ordre=ordre,
            libelle=libelle,
            couleur=couleur,
            duree_cible=duree,
            aide=aide,
        )
        for rang, (code, agent, usager, teinte, proprietes) in enumerate(lignes):
            statuts[code] = Statut.objects.create(
                etape=etape,
                ordre=rang,
                code=code,
                libelle=agent,
                libelle_usager=usager,
                couleur=teinte,
                **proprietes,
            )
    for code, suivants in SUIVANTS.items():
        statuts[code].suivants.set([statuts[s] for s in suivants])
    for statut, ordre, type_, config in (
        (
            "incomplet",
            1,
            "suivi",
            {"texte": "Complétez votre demande depuis l’onglet Justificatifs."},
        ),
        ("en_instruction", 1, "attribuer", {"agent": None}),
        ("accorde", 1, "courriel", {"modele": courriel.pk, **_pieces_jointes(dispositif)}),
        ("cloture", 1, "conversation", {"ouvrir": False}),
        *_actions_documents_et_usager(dispositif),
    ):
        ActionStatut.objects.create(statut=statuts[statut], ordre=ordre, type=type_, config=config)
    services.version_publier(version=version)


# Per dispositif (slug): the decision document produced on « Accordé » (attached to the
# decision mail), and the answers copied into the demandeur's card at « Recevable ».
DOCUMENT_DECISION = {
    "subvention-associations": "arrete-subvention",
    "location-salle-municipale": "convention-salle",
}
MISE_A_JOUR_USAGER = {
    # The association's contact address, checked by the agent, becomes its profil's.
    "subvention-associations": {"cible": "profil", "correspondances": {"email_contact": "email"}},
}
NOM_SMS = "Demande complète — SMS"
CORPS_SMS = (
    "{{ autorite }} : votre demande {{ dossier.reference }} est complète, son instruction "
    "commence. Accusé de réception dans votre espace : {{ lien }}"
)


def _sms() -> ModeleMessage:
    """Sent by the « Recevable » action only (not mapped to the event)."""
    modele, cree = ModeleMessage.objects.get_or_create(
        nom=NOM_SMS,
        defaults={"canal": Canal.SMS, "evenement": services.EVENEMENT_STATUT, "corps": CORPS_SMS},
    )
    if cree:
        notifications_services.modele_publier(modele)
    return modele


def _modele_document(code: str) -> ModeleDocument | None:
    return ModeleDocument.objects.filter(code=code, actif=True).first()


def _pieces_jointes(dispositif: Dispositif) -> dict:
    decision = _modele_document(DOCUMENT_DECISION.get(dispositif.slug, ""))
    if decision is None:
        return {}
    return {"documents": "modeles", "modeles_documents": [decision.pk]}


def _actions_documents_et_usager(dispositif: Dispositif) -> list[tuple]:
    """Duplicates flagged at deposit; the acknowledgement of a complete dossier produced
    and announced by SMS at « Recevable » (with the card's update); the decision
    document before the decision mail; the skip of the commission."""
    actions = [
        ("depose", 1, "doublons", {"critere": "demandeur"}),
        ("recevable", 2, "sms", {"modele": _sms().pk}),
        ("sans_commission", 1, "sauter", {"statut": "accorde"}),
    ]
    accuse = _modele_document("accuse-reception")
    if accuse is not None:
        actions.append(("recevable", 1, "document", {"modele": accuse.pk, "deposer_usager": True}))
    if dispositif.slug in MISE_A_JOUR_USAGER:
        actions.append(("recevable", 3, "usager", MISE_A_JOUR_USAGER[dispositif.slug]))
    decision = _modele_document(DOCUMENT_DECISION.get(dispositif.slug, ""))
    if decision is not None:
        actions.append(("accorde", 0, "document", {"modele": decision.pk, "deposer_usager": True}))
    return actions


def load_instruction(users: dict) -> None:
    courriel = _courriel()
    for dispositif in Dispositif.objects.exclude(
        Exists(Guide.objects.filter(dispositif=OuterRef("pk")))
    ).order_by("pk"):
        _guide(dispositif, courriel)
    placer_dossiers(users)
    # From now on, every status change with a citizen label is mailed (mapping screen).
    notifications_services.correspondance_enregistrer(
        evenement=services.EVENEMENT_STATUT, modele=_courriel_statut()
    )


def placer_dossiers(users: dict) -> None:
    """Enter the filed dossiers that have no suivi yet in their guide and move them along
    a parcours. Loaders that write filed dossiers directly (the map's, without the deposit
    service) call it again, so that a second `load_demo` finds nothing left to place."""
    instructeur = users["instructeur"]
    a_placer = (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .exclude(Exists(SuiviInstruction.objects.filter(dossier=OuterRef("pk"))))
        .select_related("dispositif", "cree_par")
        .order_by("depose_le", "pk")
    )
    for rang, dossier in enumerate(a_placer):
        clos = dossier.statut == Dossier.Statut.CLOS
        suivi = services.dossier_entrer(dossier=dossier)
        if suivi is None:
            continue
        parcours = PARCOURS_CLOS if clos else PARCOURS[rang % len(PARCOURS)]
        version = suivi.version_id
        for code in parcours:
            services.change_status(
                dossier=dossier,
                statut=Statut.objects.get(version_id=version, code=code),
                by=instructeur,
                reason="Pièce justificative manquante" if code == "incomplet" else "",
            )
        if not parcours and dossier.depose_le:
            # Waiting since the deposit: late against the Dépôt étape's three days.
            SuiviInstruction.objects.filter(dossier=dossier).update(
                entre_le=dossier.depose_le, etape_entree_le=dossier.depose_le
            )
            services.echeances_recalculer(dossier_ids=[dossier.pk])


def _courriel_statut() -> ModeleMessage:
    modele, cree = ModeleMessage.objects.get_or_create(
        nom="Statut de la demande changé",
        defaults={
            "canal": Canal.EMAIL,
            "evenement": services.EVENEMENT_STATUT,
            "sujet": "Votre demande {{ dossier.reference }} avance",
            "corps": (
                "Bonjour {{ demandeur.nom_complet }},\n\n"
                "Votre demande « {{ dossier.dispositif }} » (référence {{ dossier.reference }}) "
                "a changé d’étape : {{ statut.libelle }}.\n\n"
                "Suivez-la dans votre espace : {{ lien }}\n\n{{ autorite }}"
            ),
        },
    )
    if cree:
        notifications_services.modele_publier(modele)
    return modele
