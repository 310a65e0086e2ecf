"""After submission (P8): the acknowledgement of receipt — an email carrying a PDF
receipt, both from templates admins edit in the CRM (messages and éditique screens).

`dossier_deposer` calls `accuse_reception(dossier)` once, inside its transaction. The
receipt is produced and the event raised by a task once that transaction commits: the
deposit never waits on nor fails because of the PDF renderer, and a replayed task is
harmless (the receipt is produced once per dossier, the event keyed by the dossier).

What is installed by default (data migration dossiers/0008_suivi): the éditique template
`accuse-reception` (deposited in the citizen's space, so the receipt is also listed in
the dossier's « Documents » tab) and a mail template « Accusé de réception — courriel »
mapped to the event `dossier.depose`, with « joindre les documents ». Admins edit both,
switch the mapping off, or deactivate the document template (then the mail leaves
without a receipt).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.gabarits import Variable
from dossiers.models import Dossier, Historique
from notifications.registry import Evenement

logger = logging.getLogger(__name__)

EVENEMENT_DEPOSE = "dossier.depose"
# The éditique template of the receipt (its `code`).
MODELE_ACCUSE = "accuse-reception"

_PERSONNE = Variable(
    "demandeur",
    "Le demandeur",
    (
        Variable("nom_complet", "Nom complet", exemple="Mme Léa Durand"),
        Variable("prenom", "Prénom", exemple="Léa"),
        Variable("nom", "Nom (ou raison sociale)", exemple="Durand"),
        Variable("email", "Adresse électronique", exemple="lea.durand@exemple.fr"),
    ),
)


def evenement_depose() -> Evenement:
    return Evenement(
        code=EVENEMENT_DEPOSE,
        libelle=gettext_lazy("Dossier déposé (accusé de réception)"),
        description=gettext_lazy(
            "Un usager vient de déposer une demande. Cochez « joindre les documents » pour "
            "joindre l’accusé de réception PDF (modèle de document « accuse-reception »)."
        ),
        variables=(
            Variable(
                "dossier",
                "Le dossier",
                (
                    Variable("reference", "Référence", exemple="2026-SUB-000123"),
                    Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
                    Variable("depose_le", "Date de dépôt", exemple="2 mars 2026 à 14 h 05"),
                ),
            ),
            _PERSONNE,
            Variable(
                "lien",
                "Lien vers le suivi de la demande",
                exemple="https://guichet.belleville-sur-loire.fr/mon-compte/demandes/42/",
            ),
        ),
    )


def accuse_reception(dossier: Dossier) -> None:
    """Called once by `dossier_deposer`, in its transaction: the receipt and the mail
    follow when it commits (a worker; in process without a broker)."""
    pk = dossier.pk

    def lancer():
        from dossiers.tasks import accuse_reception as tache

        try:
            tache.delay(pk)
        except Exception:  # noqa: BLE001 - the deposit is saved; the receipt can be replayed
            logger.exception("Dossier %s: acknowledgement not enqueued", pk)

    transaction.on_commit(lancer)


def _lien(dossier: Dossier) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("portal:dossier", args=[dossier.pk])


def _destinataire(dossier: Dossier) -> str:
    if dossier.cree_par is not None and dossier.cree_par.email:
        return dossier.cree_par.email
    return dossier.email_suivi


def recu_existant(dossier: Dossier):
    """The receipt already produced for this dossier, if any."""
    from dossiers.editique import documents

    return documents(dossier).filter(modele__code=MODELE_ACCUSE).first()


@transaction.atomic
def accuse_reception_envoyer(pk: int):
    """The task's body: produce the receipt (once) and raise `dossier.depose` with it
    attached. Returns the receipt (None when its template is missing, inactive or not
    published: the mail still leaves, without it)."""
    from dossiers import editique
    from editique.models import ModeleDocument
    from notifications.services import notifier

    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "dispositif", "modele", "demandeur_individu", "demandeur_profil", "cree_par"
        )
        .filter(pk=pk)
        .exclude(statut=Dossier.Statut.BROUILLON)
        .first()
    )
    if dossier is None:
        return None
    recu = recu_existant(dossier)
    if recu is None:
        modele = ModeleDocument.objects.filter(code=MODELE_ACCUSE, actif=True).first()
        if modele is not None and modele.versions.exists():
            try:
                recu = editique.document_generer(dossier=dossier, modele=modele)
            except Exception:  # noqa: BLE001 - a broken template must not stop the mail
                logger.exception("Dossier %s: the receipt could not be produced", pk)
            else:
                Historique.objects.create(
                    dossier=dossier,
                    nature=Historique.Nature.DOCUMENT,
                    libelle=_("Accusé de réception disponible dans vos documents"),
                    details={"document": recu.pk},
                    visible_usager=True,
                )
    demandeur = editique.personne(dossier)
    depose_le = timezone.localtime(dossier.depose_le) if dossier.depose_le else None
    notifier(
        EVENEMENT_DEPOSE,
        contexte={
            "dossier": {
                "reference": dossier.reference,
                "dispositif": dossier.dispositif.titre,
                "depose_le": depose_le,
            },
            "demandeur": {k: demandeur[k] for k in ("nom_complet", "prenom", "nom", "email")},
            "lien": _lien(dossier),
        },
        email=_destinataire(dossier),
        usager=dossier.cree_par,
        concerne=dossier,
        lien=reverse("portal:dossier", args=[dossier.pk]),
        pieces_jointes=[recu] if recu is not None else [],
        cle=f"{EVENEMENT_DEPOSE}:{dossier.pk}",
    )
    return recu
