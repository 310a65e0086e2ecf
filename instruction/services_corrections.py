"""Correction requests (I10): an agent — or a statut's « Demander une correction »
action — asks the citizen to correct named fields of a filed dossier; the citizen's
answer saves those fields only and sends the dossier back to instruction.

- `correction_demander` records the request (reason shown to the citizen, the fields'
  technical names, an optional due date), moves the dossier to the guide's
  « correction demandée » statut when it has one (the statut given, else the statut of
  code `correction_demandee` when the guide allows it from the current one; else the
  dossier stays), writes history visible to the citizen and raises
  `dossier.correction_demandee` (mail from the event → template mapping).
- `correction_repondre` validates the named fields only with their field types (any
  other posted field is ignored), writes before → after in the history, closes the
  request and puts the dossier back in the statut it had before the request (or the
  request's `statut_retour`) through `change_status`, then tells the agent (CRM bell).

One open request per dossier: a second one is refused with a clear message while the
first waits (the agent cancels it first); a statut's action finding one open leaves it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.gabarits import date_longue
from dossiers import editique as dossiers_editique
from dossiers import services_champs
from dossiers.models import Dossier, Historique
from instruction.models import DemandeCorrection, Statut, SuiviInstruction
from instruction.services import change_status, destinataire, statuts_suivants
from notifications.services import notifier, notifier_application

logger = logging.getLogger(__name__)

EVENEMENT_CORRECTION = "dossier.correction_demandee"
# The guide's statut a request moves the dossier to, when the guide has one by this code.
CODE_STATUT_CORRECTION = "correction_demandee"


class CorrectionRefusee(ValidationError):
    """The citizen's answer has errors: `erreurs` by technical name (input kept)."""

    def __init__(self, message, *, erreurs: dict):
        super().__init__(message, code="correction")
        self.erreurs = erreurs


def _verifier(dossier: Dossier, champs, motif: str, echeance) -> list[str]:
    if dossier.statut != Dossier.Statut.DEPOSE:
        raise ValidationError(
            _("Seul un dossier déposé et non clôturé peut faire l’objet d’une correction."),
            code="statut",
        )
    erreurs = {}
    if not motif:
        erreurs["motif"] = _("Indiquez à l’usager le motif de la correction.")
    noms = list(dict.fromkeys(n for n in (champs or []) if n))
    connus = {c.nom for c in services_champs.champs_nommes(dossier, noms)}
    inconnus = [n for n in noms if n not in connus]
    if not noms:
        erreurs["champs"] = _("Choisissez au moins un champ à corriger.")
    elif inconnus:
        erreurs["champs"] = _(
            "Le formulaire de ce dossier n’a pas de champ modifiable par l’usager nommé : %(noms)s."
        ) % {"noms": ", ".join(inconnus)}
    if echeance is not None and echeance < timezone.localdate():
        erreurs["echeance"] = _("L’échéance ne peut pas être dans le passé.")
    if erreurs:
        raise ValidationError(erreurs, code="correction")
    if DemandeCorrection.objects.filter(
        dossier_id=dossier.pk, etat=DemandeCorrection.Etat.OUVERTE
    ).exists():
        raise ValidationError(
            _(
                "Une demande de correction attend déjà la réponse de l’usager : annulez-la "
                "avant d’en faire une autre."
            ),
            code="deja_ouverte",
        )
    return noms


def ouvrir(
    *,
    dossier: Dossier,
    champs,
    motif: str,
    by,
    echeance=None,
    statut_avant: Statut | None = None,
    statut_demande: Statut | None = None,
    statut_retour: Statut | None = None,
) -> DemandeCorrection:
    """Record the request, its history line and the citizen's notification, without
    touching the statut (the action calls this from inside change_status). The caller
    holds the dossier's row lock."""
    motif = (motif or "").strip()
    noms = _verifier(dossier, champs, motif, echeance)
    demande = DemandeCorrection.objects.create(
        dossier=dossier,
        champs=noms,
        motif=motif,
        echeance=echeance,
        demandee_par=by,
        statut_avant=statut_avant,
        statut_demande=statut_demande,
        statut_retour=statut_retour,
    )
    libelles = [c.libelle for c in services_champs.champs_nommes(dossier, noms)]
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.CORRECTION,
        libelle=(_("Correction demandée : %(motif)s") % {"motif": motif})[:300],
        visible_usager=True,
        details={"champs": ", ".join(libelles), "demande": demande.pk},
    )
    contexte = {
        "dossier": {"reference": dossier.reference, "dispositif": dossier.dispositif.titre},
        "demandeur": _demandeur(dossier),
        "correction": {
            "motif": motif,
            "champs": ", ".join(libelles),
            "echeance": date_longue(echeance) if echeance else "",
        },
        "lien": settings.GUICHET_SITE_URL.rstrip("/")
        + reverse("portal:dossier_correction", args=[dossier.pk]),
    }
    notifier(
        EVENEMENT_CORRECTION,
        contexte=contexte,
        email=destinataire(dossier),
        usager=dossier.cree_par,
        concerne=dossier,
        lien=reverse("portal:dossier_correction", args=[dossier.pk]),
        cle=f"{EVENEMENT_CORRECTION}:{demande.pk}",
    )
    return demande


def _demandeur(dossier: Dossier) -> dict:
    demandeur = dossiers_editique.personne(dossier)
    return {k: demandeur.get(k, "") for k in ("nom_complet", "prenom", "nom")}


def _oublier_suivi(dossier: Dossier) -> None:
    """The caller's copy reads its SuiviInstruction afresh (its statut may have moved)."""
    dossier._state.fields_cache.pop("suivi_instruction", None)


def _statut_correction(suivi: SuiviInstruction) -> Statut | None:
    """The guide's « correction demandée » statut, when allowed from the current one."""
    return next(
        (s for s in statuts_suivants(suivi, manuel=False) if s.code == CODE_STATUT_CORRECTION),
        None,
    )


@transaction.atomic
def correction_demander(
    *,
    dossier: Dossier,
    champs,
    motif: str,
    by,
    statut: Statut | None = None,
    echeance=None,
    statut_retour: Statut | None = None,
) -> DemandeCorrection:
    """An agent asks the citizen to correct the fields `champs` (technical names) for
    `motif`; `statut`: the statut to move the dossier to meanwhile (None: the guide's
    « correction demandée » if it has one allowed from here, else it stays)."""
    appelant, verrou = dossier, Dossier.objects.select_for_update().get(pk=dossier.pk)
    suivi = SuiviInstruction.objects.select_related("statut").filter(dossier_id=verrou.pk).first()
    cible = statut
    if cible is None and suivi is not None:
        cible = _statut_correction(suivi)
    demande = ouvrir(
        dossier=verrou,
        champs=champs,
        motif=motif,
        by=by,
        echeance=echeance,
        statut_avant=suivi.statut if suivi is not None and cible is not None else None,
        statut_demande=cible,
        statut_retour=statut_retour,
    )
    if cible is not None:
        if suivi is None:
            raise ValidationError(
                _("Ce dossier ne suit pas de guide d’instruction."), code="sans_guide"
            )
        change_status(dossier=verrou, statut=cible, by=by, reason=demande.motif)
    appelant.refresh_from_db(fields=["statut", "clos_le", "donnees", "agent", "updated_at"])
    _oublier_suivi(appelant)
    return demande


@transaction.atomic
def correction_annuler(*, dossier: Dossier, by) -> DemandeCorrection:
    """The agent withdraws the open request (the dossier stays where it is)."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    demande = (
        DemandeCorrection.objects.select_for_update()
        .filter(dossier_id=dossier.pk, etat=DemandeCorrection.Etat.OUVERTE)
        .first()
    )
    if demande is None:
        raise ValidationError(_("Aucune demande de correction n’est en attente."), code="aucune")
    demande.etat = DemandeCorrection.Etat.ANNULEE
    demande.save(update_fields=["etat", "updated_at"])
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.CORRECTION,
        libelle=_("Demande de correction annulée"),
        visible_usager=True,
        details={"demande": demande.pk},
    )
    return demande


@transaction.atomic
def correction_repondre(*, dossier: Dossier, donnees, by) -> DemandeCorrection:
    """The citizen's answer: the named fields validated by their types (anything else in
    `donnees` ignored), saved, logged before → after; the request closed and the
    dossier back in instruction. Raises CorrectionRefusee (errors by field) or
    ValidationError (no open request): nothing is saved then."""
    appelant, verrou = dossier, Dossier.objects.select_for_update().get(pk=dossier.pk)
    demande = (
        DemandeCorrection.objects.select_for_update(of=("self",))
        .select_related("statut_avant", "statut_demande", "statut_retour")
        .filter(dossier_id=verrou.pk, etat=DemandeCorrection.Etat.OUVERTE)
        .first()
    )
    if demande is None:
        raise ValidationError(
            _("Aucune demande de correction n’attend votre réponse sur ce dossier."),
            code="aucune",
        )
    cleaned, erreurs = services_champs.champs_valider(
        dossier=verrou, noms=demande.champs, data=donnees, user=by
    )
    if erreurs:
        raise CorrectionRefusee(_("Certaines informations sont à corriger."), erreurs=erreurs)
    avant = dict(verrou.donnees or {})
    champs = {c.nom: c for c in services_champs.champs_nommes(verrou, demande.champs)}
    changements = {
        nom: {"avant": avant.get(nom), "apres": valeur}
        for nom, valeur in cleaned.items()
        if avant.get(nom) != valeur
    }
    maintenant = timezone.now()
    if changements:
        verrou.donnees = {**avant, **cleaned}
        verrou.save(update_fields=["donnees", "updated_at"])
    Historique.objects.create(
        dossier=verrou,
        par=by if getattr(by, "is_authenticated", False) else None,
        nature=Historique.Nature.MODIFICATION,
        libelle=(
            _("Correction apportée par l’usager (%(n)s champ(s) modifié(s))")
            % {"n": len(changements)}
        ),
        visible_usager=True,
        details={
            champs[nom].libelle: {
                "avant": services_champs.affichage(champs[nom], verrou, valeurs["avant"]),
                "apres": services_champs.affichage(champs[nom], verrou, valeurs["apres"]),
            }
            for nom, valeurs in changements.items()
        },
    )
    demande.etat = DemandeCorrection.Etat.REPONDUE
    demande.repondue_le = maintenant
    demande.repondue_par = by if getattr(by, "is_authenticated", False) else None
    demande.changements = changements
    demande.save(update_fields=["etat", "repondue_le", "repondue_par", "changements", "updated_at"])
    _retour(verrou, demande)
    _prevenir_agent(verrou, demande)
    appelant.refresh_from_db(fields=["statut", "clos_le", "donnees", "agent", "updated_at"])
    _oublier_suivi(appelant)
    return demande


def _retour(dossier: Dossier, demande: DemandeCorrection) -> None:
    """Back to instruction: the request's return statut, else the one before it when
    the request moved the dossier and it is still there. A guide refusing that change
    leaves the dossier where it is (the answer is saved all the same), said in the
    history for the agents."""
    suivi = SuiviInstruction.objects.filter(dossier_id=dossier.pk).first()
    if suivi is None:
        return
    cible = demande.statut_retour
    if cible is None and demande.statut_demande_id == suivi.statut_id:
        cible = demande.statut_avant
    if cible is None or cible.pk == suivi.statut_id:
        return
    try:
        with transaction.atomic():  # a savepoint: a refusal keeps the saved answer
            change_status(
                dossier=dossier,
                statut=cible,
                by=None,
                reason=_("Correction apportée par l’usager"),
            )
    except ValidationError as erreur:
        logger.info("Dossier %s: no return after correction: %s", dossier.pk, erreur.messages)
        Historique.objects.create(
            dossier=dossier,
            nature=Historique.Nature.STATUT,
            libelle=(
                _("Retour au statut « %(statut)s » impossible après la correction : %(e)s")
                % {"statut": cible.libelle, "e": " ".join(erreur.messages)}
            )[:300],
            details={"demande": demande.pk},
        )


def _prevenir_agent(dossier: Dossier, demande: DemandeCorrection) -> None:
    agent = dossier.agent or demande.demandee_par
    if agent is None:
        return
    notifier_application(
        destinataire=agent,
        titre=_("Dossier %(reference)s corrigé par l’usager") % {"reference": dossier.reference},
        texte=_("%(n)s champ(s) modifié(s) en réponse à : %(motif)s")
        % {"n": len(demande.changements), "motif": demande.motif},
        lien=reverse("crm:dossier_instruction", args=[dossier.pk]),
        evenement="dossier.correction_repondue",
        concerne=dossier,
        cle=f"dossier.correction_repondue:{demande.pk}",
    )
