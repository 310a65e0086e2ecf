"""Demo timers and déclencheurs (issue 8, I8), on top of the demo guides
(demo/instruction.py): in every guide, a dossier « Incomplet » for 15 days is reminded
(« Relancé », whose action adds a tracking line for the citizen) and classed « sans
suite » 45 days later; a déclencheur « Avis favorable de la commission » takes the
commission's date and amount and moves the dossier — by hand on a selection of the CRM
list, or through its signed webhook (docs/webhooks.md; the secret is regenerated and
shown in the admin). The timers are run once: the oldest incomplete demo dossier is
seen « Relancé » automatically. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from instruction import services_minuteurs
from instruction.models import (
    ActionStatut,
    Declencheur,
    Minuteur,
    Statut,
    SuiviInstruction,
    VersionGuide,
)

RELANCE_JOURS = 15
SANS_SUITE_JOURS = 45


def _version(version: VersionGuide) -> bool:
    statuts = {s.code: s for s in version.statuts.select_related("etape")}
    if "incomplet" not in statuts or "relance" in statuts:
        return False
    incomplet = statuts["incomplet"]
    relance = Statut.objects.create(
        etape=incomplet.etape,
        ordre=incomplet.ordre + 1,
        code="relance",
        libelle="Relancé",
        libelle_usager="Nous attendons toujours des pièces pour votre demande",
        couleur="warning",
        masque=True,
        modifiable_usager=True,
    )
    relance.suivants.set([s for c, s in statuts.items() if c in ("recevable", "sans_suite")])
    ActionStatut.objects.create(
        statut=relance,
        ordre=1,
        type="suivi",
        config={
            "texte": "Relance : déposez les pièces manquantes depuis l’onglet Justificatifs "
            f"avant {SANS_SUITE_JOURS} jours, sans quoi la demande sera classée sans suite."
        },
    )
    Minuteur.objects.create(
        statut=incomplet,
        libelle="Relance des pièces manquantes",
        delai=RELANCE_JOURS,
        cible=relance,
        motif=f"Pièces non reçues après {RELANCE_JOURS} jours : relance automatique",
    )
    if "sans_suite" in statuts:
        Minuteur.objects.create(
            statut=relance,
            libelle="Classement sans suite",
            delai=SANS_SUITE_JOURS,
            cible=statuts["sans_suite"],
            motif=f"Pièces non reçues {SANS_SUITE_JOURS} jours après la relance",
        )
    if "avis_favorable" in statuts:
        dispositif = version.guide.dispositif
        Declencheur.objects.create(
            version=version,
            code=f"commission-{dispositif.code.lower()}"[:60],
            libelle="Avis favorable de la commission",
            cible=statuts["avis_favorable"],
            champs=["date_commission", "montant_vote"],
            motif="Avis favorable rendu en commission",
            manuel=True,
            webhook=True,
        )
    return True


def load_minuteurs() -> None:
    ajoutes = [
        v
        for v in VersionGuide.objects.filter(etat=VersionGuide.Etat.PUBLIEE).select_related(
            "guide__dispositif"
        )
        if _version(v)
    ]
    if not ajoutes:
        return
    # The oldest incomplete dossier has waited past the reminder's delay.
    suivi = SuiviInstruction.objects.filter(statut__code="incomplet").order_by("entre_le").first()
    if suivi is not None:
        il_y_a = timezone.now() - timedelta(days=RELANCE_JOURS + 2)
        SuiviInstruction.objects.filter(pk=suivi.pk).update(entre_le=il_y_a)
        services_minuteurs.minuteurs_executer()
