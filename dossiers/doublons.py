"""Duplicates found by a rule rather than named by an agent (the guide's « Détecter les
doublons » action, I2): the read that finds the probable duplicates of a dossier, and the
verb that flags it on the mechanism of F8 (`Dossier.doublon`, `doublon_de`) with a
history line listing them. The agent's own « marquer comme doublon » (a reference they
type, looked up among the dossiers they may open) stays in services_gestion."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dossiers.models import Dossier, Historique
from usagers.models import Individu

DEMANDEUR, BENEFICIAIRE, LES_DEUX = "demandeur", "beneficiaire", "demandeur_et_beneficiaire"
LISTES_AU_PLUS = 10


def _anonyme(dossier: Dossier, individu_id) -> bool:
    """The instance's « Anonyme » individu (the CRM's quick entries, C4) is nobody's
    identity: sharing it makes no duplicate."""
    if individu_id is None:
        return False
    if individu_id == dossier.demandeur_individu_id:
        return dossier.demandeur_individu.anonyme
    return Individu.objects.filter(pk=individu_id, anonyme=True).exists()


def _meme_demandeur(dossier: Dossier) -> Q | None:
    if dossier.demandeur_profil_id:
        return Q(demandeur_profil_id=dossier.demandeur_profil_id)
    if dossier.demandeur_individu_id and not _anonyme(dossier, dossier.demandeur_individu_id):
        return Q(demandeur_individu_id=dossier.demandeur_individu_id, demandeur_profil=None)
    return None


def _meme_beneficiaire(dossier: Dossier) -> Q | None:
    # The bénéficiaire is the demandeur (an individu) until another one is declared.
    beneficiaire = dossier.beneficiaire_id or dossier.demandeur_individu_id
    if not beneficiaire or _anonyme(dossier, beneficiaire):
        return None
    return Q(beneficiaire_id=beneficiaire) | Q(
        beneficiaire=None, demandeur_individu_id=beneficiaire
    )


def doublons_probables(
    dossier: Dossier, *, critere: str = DEMANDEUR, tous_dispositifs=False, clos=False
) -> QuerySet[Dossier]:
    """Other filed dossiers with the same demandeur, bénéficiaire or both; of the same
    dispositif unless `tous_dispositifs`; closed ones only with `clos`. Oldest first."""
    conditions = {
        DEMANDEUR: [_meme_demandeur(dossier)],
        BENEFICIAIRE: [_meme_beneficiaire(dossier)],
        LES_DEUX: [_meme_demandeur(dossier), _meme_beneficiaire(dossier)],
    }[critere]
    if any(c is None for c in conditions):
        return Dossier.objects.none()
    dossiers = Dossier.objects.exclude(pk=dossier.pk).exclude(statut=Dossier.Statut.BROUILLON)
    for condition in conditions:
        dossiers = dossiers.filter(condition)
    if not tous_dispositifs:
        dossiers = dossiers.filter(dispositif_id=dossier.dispositif_id)
    if not clos:
        dossiers = dossiers.exclude(statut=Dossier.Statut.CLOS)
    return dossiers.order_by("depose_le", "pk")


@transaction.atomic
def dossier_signaler_doublons(*, dossier: Dossier, autres: list[Dossier], by) -> Dossier:
    """Flag `dossier` a duplicate of the oldest of `autres` (a link an agent set before
    is kept) and list them all in its history, for the agent to judge; never refuses."""
    if not autres:
        return dossier
    if not dossier.doublon or dossier.doublon_de_id is None:
        dossier.doublon = True
        dossier.doublon_de = autres[0]
        dossier.save(update_fields=["doublon", "doublon_de", "updated_at"])
    references = [d.reference for d in autres]
    liste = ", ".join(references[:LISTES_AU_PLUS])
    if len(references) > LISTES_AU_PLUS:
        liste += _(" et %(n)d autres") % {"n": len(references) - LISTES_AU_PLUS}
    Historique.objects.create(
        dossier=dossier,
        par=by,
        nature=Historique.Nature.LIEN,
        libelle=(_("Doublons probables : %(liste)s") % {"liste": liste})[:300],
        details={"champ": "doublon", "doublons": references},
    )
    return dossier
