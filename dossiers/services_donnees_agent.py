"""An agent edits a filed dossier's data, one tab at a time, in the agents' view of its
form (C3, Vue.CRM): only the fields visible and editable for agents are written, each
validated by its type as the CRM « Nouveau dossier » form validates it
(`services.etape_valider` with Vue.CRM, required-for-agents enforced); anything else
posted is ignored. One CORRECTION line of history (agents only) keeps before → after of
every changed field; the journal (pghistory) traces the row change by itself.

A tab is not offered when the dossier is closed, when the guide made it read-only or
hidden for agents (« Onglet par vue », `dossiers.suivi.onglets_vue`), or when none of
its fields is editable for agents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers import champs as types_de_champ
from dossiers import services, suivi
from dossiers.models import Dossier, Onglet, Vue
from dossiers.services_champs import affichage
from dossiers.services_gestion import GestionRefusee, Nature, _verrouiller, historique_ecrire


def raison_fermee(dossier: Dossier) -> str:
    """Why no tab of this dossier may be edited by agents ("" when they may)."""
    if dossier.statut == Dossier.Statut.CLOS:
        return _("Le dossier est clôturé : ses données ne sont plus modifiables.")
    if dossier.statut != Dossier.Statut.DEPOSE:
        return _("Le dossier n’est pas déposé : ses données sont celles du brouillon.")
    return ""


def _a_un_champ_modifiable(onglet: Onglet) -> bool:
    for _ligne, champ in services._champs_de(onglet):
        try:
            type_champ = types_de_champ.get(champ.type)
        except KeyError:
            continue
        proprietes = services.proprietes_vue(champ, Vue.CRM)
        if type_champ.stocke_valeur and proprietes.visible and proprietes.modifiable:
            return True
    return False


def onglets_modifiables(dossier: Dossier) -> list[Onglet]:
    """The tabs of the dossier's form an agent may edit now (see the module's note)."""
    if raison_fermee(dossier):
        return []
    surcharges = suivi.onglets_vue(dossier, Vue.CRM)
    return [
        onglet
        for onglet in services.modele_onglets(dossier.modele)
        if not suivi.onglet_ferme(surcharges, onglet) and _a_un_champ_modifiable(onglet)
    ]


def onglet_modifiable(dossier: Dossier, onglet_pk: int) -> Onglet | None:
    return next((o for o in onglets_modifiables(dossier) if o.pk == onglet_pk), None)


def _vide(valeur) -> bool:
    return valeur in (None, "", [], {})


@transaction.atomic
def dossier_donnees_modifier(*, dossier: Dossier, onglet_pk: int, data: Any, by) -> list[str]:
    """Write the agent's input `data` (a POST) for one tab. Returns the names of the
    fields changed ([]: nothing to write, nothing written). Raises GestionRefusee when the
    tab may not be edited (closed dossier, read-only tab), services.DepotRefuse with the
    French errors by technical name when the input is refused: nothing is written."""
    dossier = _verrouiller(dossier)  # two agents at once: the second reads the first's
    raison = raison_fermee(dossier)
    if raison:
        raise GestionRefusee(raison, code="ferme")
    onglet = onglet_modifiable(dossier, onglet_pk)
    if onglet is None:
        raise GestionRefusee(
            _("Cet onglet n’est pas modifiable par les agents pour ce dossier."), code="onglet"
        )
    cleaned, erreurs = services.etape_valider(
        dossier=dossier, onglet=onglet, data=data, user=by, vue=Vue.CRM
    )
    if erreurs:
        raise services.DepotRefuse(
            _("Certaines informations manquent ou sont à corriger."), erreurs=erreurs
        )
    avant = dict(dossier.donnees or {})
    changes = [
        nom
        for nom, valeur in cleaned.items()
        if avant.get(nom) != valeur and not (_vide(avant.get(nom)) and _vide(valeur))
    ]
    if not changes:
        return []
    dossier.donnees = {**avant, **{nom: cleaned[nom] for nom in changes}}
    dossier.save(update_fields=["donnees", "updated_at"])
    par_nom = {champ.nom: champ for _ligne, champ in services._champs_de(onglet)}
    details = {
        nom: {
            "libelle": par_nom[nom].libelle,
            "avant": affichage(par_nom[nom], dossier, avant.get(nom)),
            "apres": affichage(par_nom[nom], dossier, cleaned[nom]),
        }
        for nom in changes
    }
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.CORRECTION,
        libelle=_("Données modifiées par un agent (%(onglet)s) : %(champs)s")
        % {
            "onglet": onglet.titre,
            "champs": " ; ".join(
                f"{d['libelle']} : {d['avant'] or '—'} → {d['apres'] or '—'}"
                for d in details.values()
            ),
        },
        details={"donnees": details, "onglet": onglet.titre},
    )
    return changes


# --- one field of many dossiers (issue 9, batches « lots ») ------------------------------


def champ_lot_eligible(champ) -> bool:
    """A field a batch may set: it stores a value the agent types in one widget (no
    block, no file, no computed or contextual type) and agents may edit it."""
    try:
        type_champ = types_de_champ.get(champ.type)
    except KeyError:
        return False
    if (
        not type_champ.stocke_valeur
        or type_champ.calcule
        or type_champ.contextuel
        or champ.parent_id is not None
        or champ.type == "bloc"
    ):
        return False
    proprietes = services.proprietes_vue(champ, Vue.CRM)
    if not (proprietes.visible and proprietes.modifiable):
        return False
    try:
        field = type_champ.form_field(services.champ_definition(champ, Vue.CRM))
    except Exception:  # noqa: BLE001 - options its type refuses: not offered
        return False
    return not field.widget.needs_multipart_form


def champs_lot(modele) -> list:
    """The fields of a form model a batch may set, in the form's order."""
    return [
        champ
        for onglet in services.modele_onglets(modele)
        for _ligne, champ in services._champs_de(onglet)
        if champ_lot_eligible(champ)
    ]


def champ_lot_valider(champ, data: Any) -> tuple[Any, str]:
    """The value posted for `champ` (a QueryDict) validated by its type in the agents'
    view: (JSON value, its display). ValidationError with the type's French message."""
    type_champ = types_de_champ.get(champ.type)
    definition = services.champ_definition(champ, Vue.CRM)
    raw = type_champ.form_field(definition).widget.value_from_datadict(data, {}, champ.nom)
    valeur = type_champ.clean(definition, raw)
    return valeur, str(type_champ.affichage(definition, valeur)) if not _vide(valeur) else ""


@transaction.atomic
def dossier_champ_modifier(*, dossier: Dossier, nom: str, data: Any, by) -> bool:
    """Set one field of a filed dossier from the agent's input `data` (a QueryDict
    holding that field's widget values), under the same rules as editing its tab:
    closed dossier, tab hidden or read-only for agents, field not editable → refused
    (GestionRefusee); the value is validated by the field's type in this dossier's form
    version (ValidationError with the type's message). Returns False when the dossier
    already had that value. One CORRECTION history line like a tab's edit."""
    dossier = _verrouiller(dossier)
    raison = raison_fermee(dossier)
    if raison:
        raise GestionRefusee(raison, code="ferme")
    trouve = next(
        (
            (onglet, champ)
            for onglet in onglets_modifiables(dossier)
            for _ligne, champ in services._champs_de(onglet)
            if champ.nom == nom
        ),
        None,
    )
    if trouve is None or not champ_lot_eligible(trouve[1]):
        raise GestionRefusee(
            _("Le formulaire de ce dossier n’a pas ce champ modifiable par les agents."),
            code="champ",
        )
    onglet, champ = trouve
    valeur, _affiche = champ_lot_valider(champ, data)
    definition = services.champ_definition(champ, Vue.CRM)
    if definition.obligatoire and _vide(valeur):
        raise ValidationError(_("Ce champ est obligatoire pour ce dossier."), code="required")
    avant = dict(dossier.donnees or {})
    types_de_champ.get(champ.type).valider_ensemble(definition, valeur, {**avant, nom: valeur})
    if avant.get(nom) == valeur or (_vide(avant.get(nom)) and _vide(valeur)):
        return False
    dossier.donnees = {**avant, nom: valeur}
    dossier.save(update_fields=["donnees", "updated_at"])
    detail = {
        "libelle": champ.libelle,
        "avant": affichage(champ, dossier, avant.get(nom)),
        "apres": affichage(champ, dossier, valeur),
    }
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.CORRECTION,
        libelle=_(
            "Données modifiées par un agent en lot (%(onglet)s) : %(champ)s : %(avant)s → %(apres)s"
        )
        % {
            "onglet": onglet.titre,
            "champ": detail["libelle"],
            "avant": detail["avant"] or "—",
            "apres": detail["apres"] or "—",
        },
        details={"donnees": {nom: detail}, "onglet": onglet.titre},
    )
    return True
