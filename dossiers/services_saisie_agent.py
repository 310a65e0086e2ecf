"""A dossier filed by an agent in the CRM (C4): for an individu or a profil of the
référentiel (found, created on the fly, or the instance's « Anonyme » individu for a
quick entry at the desk), on an active dispositif's published form, filled in the
agents' view (Vue.CRM: its visible / editable / required properties).

It is filed at once, through the one deposit service (`services.dossier_deposer`): the
reference is issued, the history written by the agent, and `dossier_depose` puts it in
its guide's initial statut. Its author (`cree_par`) is the demandeur's account when they
have one (they follow it on the portal), else nobody: the agent is who filed it (the
history's « par »), never its author.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from dossiers import services
from dossiers.models import Champ, Dispositif, Dossier, ModeleDossier, Vue
from dossiers.selectors_droits import portee
from usagers.models import Individu, Profil


def dispositifs_pour_saisie(agent=None) -> QuerySet[Dispositif]:
    """The dispositifs an agent may file a dossier on: active, with a published form,
    and (given the agent) where a profil métier lets them instruct (C7); the permission
    to instruct dossiers is checked by the view."""
    publie = ModeleDossier.objects.filter(
        dispositif=OuterRef("pk"), statut=ModeleDossier.Statut.PUBLIE
    )
    qs = Dispositif.objects.filter(Exists(publie), actif=True).order_by("titre")
    ids = portee(agent).dispositifs_pour("instruire") if agent is not None else None
    return qs if ids is None else qs.filter(pk__in=sorted(ids))


def dossier_preparer(
    *, dispositif: Dispositif, individu: Individu | None = None, profil: Profil | None = None
) -> Dossier:
    """The dossier in memory (not saved), prefilled from the demandeur ("dites-le nous
    une fois", as on the portal). Raises ValidationError for a dispositif closed to it."""
    if not dispositif.actif:
        raise ValidationError(_("Ce dispositif n’est plus actif."), code="dispositif")
    modele = services.modele_publie(dispositif)
    if modele is None:
        raise ValidationError(_("Ce dispositif n’a pas de formulaire publié."), code="dispositif")
    dossier = Dossier(
        dispositif=dispositif,
        modele=modele,
        demandeur_individu=individu,
        demandeur_profil=profil,
        cree_par=individu.user if individu is not None and individu.user_id else None,
        statut=Dossier.Statut.BROUILLON,
        donnees={},
    )
    if individu is not None and individu.anonyme:
        return dossier  # nothing to say about nobody
    for champ in Champ.objects.filter(modele=modele, parent__isnull=True).exclude(prefill=""):
        valeur = services._valeur_prefill(champ.prefill, individu, profil)
        if valeur is not None:
            dossier.donnees[champ.nom] = valeur
    return dossier


def _valider(dossier: Dossier, data: Any, by) -> dict[str, ValidationError]:
    """Every tab of the agents' view on `data` (tabs in order, each seeing what the
    ones before gave, for their conditions); the dossier's data gets the valid values."""
    erreurs: dict[str, ValidationError] = {}
    for onglet in services.modele_onglets(dossier.modele):
        if not services.onglet_visible(onglet, dossier):
            continue
        cleaned, errors = services.etape_valider(
            dossier=dossier, onglet=onglet, data=data, user=by, vue=Vue.CRM
        )
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
        erreurs.update(errors)
    return erreurs


@transaction.atomic
def dossier_deposer_par_agent(
    *,
    dispositif: Dispositif,
    by,
    data: Any,
    individu: Individu | None = None,
    profil: Profil | None = None,
) -> Dossier:
    """Fill the agents' view of the form with `data` (a POST) and file the dossier.
    Raises services.DepotRefuse with the errors by technical name; nothing is saved."""
    if individu is None and profil is None:
        raise ValidationError(_("Choisissez le demandeur du dossier."), code="demandeur")
    dossier = dossier_preparer(dispositif=dispositif, individu=individu, profil=profil)
    erreurs = _valider(dossier, data, by)
    if erreurs:
        raise services.DepotRefuse(
            _("Certaines informations manquent ou sont à corriger."), etape=0, erreurs=erreurs
        )
    return services.dossier_deposer(dossier=dossier, user=by, vue=Vue.CRM)
