"""Demo correction requests and the corrections slice's actions (issue 8, I10, I2):
every demo guide gets a « Correction demandée » statut (entered by a correction request,
left when the citizen answers) and its « Incomplet » statut asks for a RIB by the
« Demander un justificatif » action; the mail of `dossier.correction_demandee` is mapped;
the demo citizen has one dossier with an open correction request of two fields.
Idempotent: existing statuts, actions, templates and requests are left alone."""

from dossiers import services_champs
from dossiers.models import Dossier, TypeJustificatif
from instruction import services_corrections
from instruction.models import ActionStatut, DemandeCorrection, Statut, VersionGuide
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage

# The statuts from which an agent may ask for a correction.
DEPUIS = ("depose", "incomplet", "recevable", "en_instruction")

CORPS_COURRIEL = """Bonjour {{ demandeur.nom_complet }},

Le service instructeur vous demande de corriger votre demande « {{ dossier.dispositif }} » (référence {{ dossier.reference }}) :

{{ correction.motif }}

Informations à corriger : {{ correction.champs }}.{% if correction.echeance %}
Merci de le faire avant le {{ correction.echeance }}.{% endif %}

Corrigez-les en ligne : {{ lien }}

Le service instructeur de {{ autorite }}"""


def _courriel() -> ModeleMessage:
    modele, cree = ModeleMessage.objects.get_or_create(
        nom="Correction demandée — courriel",
        defaults={
            "canal": Canal.EMAIL,
            "evenement": services_corrections.EVENEMENT_CORRECTION,
            "sujet": "Votre demande {{ dossier.reference }} est à corriger",
            "corps": CORPS_COURRIEL,
        },
    )
    if cree:
        notifications_services.modele_publier(modele)
    return modele


def _statut_correction(version: VersionGuide) -> None:
    if Statut.objects.filter(version=version, code=services_corrections.CODE_STATUT_CORRECTION):
        return
    etape = version.etapes.filter(libelle="Recevabilité").first() or version.etapes.first()
    statut = Statut.objects.create(
        etape=etape,
        ordre=9,
        code=services_corrections.CODE_STATUT_CORRECTION,
        libelle="Correction demandée",
        libelle_usager="Une correction de votre demande est attendue",
        couleur="warning",
        icone="fr-icon-edit-line",
        masque=True,  # entered by a correction request, not by a button
    )
    for precedent in Statut.objects.filter(version=version, code__in=DEPUIS):
        if precedent.suivants.exists():
            precedent.suivants.add(statut)


def _action_rib(version: VersionGuide, rib: TypeJustificatif | None) -> None:
    incomplet = Statut.objects.filter(version=version, code="incomplet").first()
    if rib is None or incomplet is None or incomplet.actions.filter(type="justificatif"):
        return
    ActionStatut.objects.create(
        statut=incomplet,
        ordre=2,
        type="justificatif",
        config={
            "type_justificatif": rib.pk,
            "obligatoire": True,
            "commentaire": "Un RIB au nom du demandeur, de moins de trois mois.",
        },
    )


def _demande(users: dict) -> None:
    citoyen = users["usager"]
    if DemandeCorrection.objects.filter(dossier__cree_par=citoyen).exists():
        return
    candidats = (
        Dossier.objects.filter(
            cree_par=citoyen,
            statut=Dossier.Statut.DEPOSE,
            suivi_instruction__statut__code__in=DEPUIS,
        )
        .select_related("dispositif", "modele")
        .order_by("-depose_le", "-pk")
    )
    for dossier in candidats:
        champs = [c.nom for c in services_champs.champs_corrigeables(dossier.modele)[:2]]
        if len(champs) < 2:
            continue
        services_corrections.correction_demander(
            dossier=dossier,
            champs=champs,
            motif=(
                "Les informations indiquées ne correspondent pas aux pièces jointes : "
                "vérifiez-les et corrigez-les."
            ),
            by=users["instructeur"],
        )
        return


def load_corrections(users: dict) -> None:
    notifications_services.correspondance_enregistrer(
        evenement=services_corrections.EVENEMENT_CORRECTION, modele=_courriel()
    )
    rib = TypeJustificatif.objects.filter(code="rib").first()
    for version in VersionGuide.objects.filter(etat=VersionGuide.Etat.PUBLIEE):
        _statut_correction(version)
        _action_rib(version, rib)
    _demande(users)
