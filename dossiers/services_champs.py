"""Some named fields of a filed dossier, apart from their tabs (I10's correction
requests): which fields may be named, and their input validated by the field types
exactly as the wizard validates a tab (`services.etape_valider`), the other fields
left alone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.champs.natifs import bloc
from dossiers.models import Champ, Dossier, ModeleDossier
from dossiers.services_pieces import TYPES_PIECE


def champs_corrigeables(modele: ModeleDossier) -> list[Champ]:
    """The form's top-level fields a citizen can type a value into on the portal: they
    store a value, are visible and editable in the internet view, and are neither
    computed, nor a repeatable block, nor a document (pieces have their own tab)."""
    resultat = []
    for onglet in services.modele_onglets(modele):
        for _ligne, champ in services._champs_de(onglet):
            try:
                type_champ = types_de_champ.get(champ.type)
            except KeyError:
                continue
            proprietes = services.proprietes_internet(champ)
            if (
                not type_champ.stocke_valeur
                or type_champ.calcule
                or champ.type == bloc.CODE
                or champ.type in TYPES_PIECE
                or not (proprietes.visible and proprietes.modifiable)
            ):
                continue
            resultat.append(champ)
    return resultat


def champs_nommes(dossier: Dossier, noms) -> list[Champ]:
    """The correctable fields of the dossier's form among `noms`, in the form's order."""
    voulus = set(noms)
    return [champ for champ in champs_corrigeables(dossier.modele) if champ.nom in voulus]


def definition(champ: Champ, dossier: Dossier, user=None):
    contexte = (
        services.contexte_saisie(dossier, user) if services.type_contextuel(champ.type) else None
    )
    return services.champ_definition(champ, contexte=contexte)


def champs_valider(
    *, dossier: Dossier, noms, data: Any, user=None
) -> tuple[dict[str, Any], dict[str, ValidationError]]:
    """Validate the input of the fields `noms` only (anything else posted is ignored):
    (cleaned values by name, French errors by name), each value read and cleaned by its
    type, then the cross-field checks against the dossier's other answers."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    retenus = {}
    for champ in champs_nommes(dossier, noms):
        type_champ = types_de_champ.get(champ.type)
        definition_ = definition(champ, dossier, user)
        if not services.champ_utilisable(type_champ, definition_):
            continue
        retenus[champ.nom] = (definition_, type_champ)
        raw = services._raw(data, champ, definition_, type_champ)
        try:
            cleaned[champ.nom] = type_champ.clean(definition_, raw)
        except ValidationError as error:
            errors[champ.nom] = error
    ensemble = {**dossier.donnees, **cleaned}
    for nom in list(cleaned):
        definition_, type_champ = retenus[nom]
        try:
            type_champ.valider_ensemble(definition_, cleaned[nom], ensemble)
        except ValidationError as error:
            errors[nom] = error
            del cleaned[nom]
    return cleaned, errors


def valeurs_valider(
    *, dossier: Dossier, valeurs: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, ValidationError]]:
    """Values sent by another system (a webhook's « donnees », JSON). A field of the
    dossier's form, whatever its view properties, gets its value cleaned by its type as
    if typed, then checked against the dossier's other answers; a computed field, a
    block or a document cannot be set this way. A name the form does not have is kept
    as sent when it is a plain value (text up to 1,000 characters, number, yes/no,
    null): data of the instruction only, as the « Renseigner des champs » action
    writes."""
    champs = {}
    non_modifiables: set[str] = set()
    for onglet in services.modele_onglets(dossier.modele):
        for _ligne, champ in services._champs_de(onglet):
            if champ.nom not in valeurs:
                continue
            try:
                type_champ = types_de_champ.get(champ.type)
            except KeyError:  # a module's type, module removed
                continue
            if (
                type_champ.stocke_valeur
                and not type_champ.calcule
                and champ.type != bloc.CODE
                and champ.type not in TYPES_PIECE
            ):
                champs[champ.nom] = (champ, type_champ)
            else:
                non_modifiables.add(champ.nom)
    cleaned: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    for nom, valeur in valeurs.items():
        if nom in non_modifiables:
            errors[nom] = ValidationError(
                _("Ce champ du formulaire ne peut pas être renseigné ainsi.")
            )
            continue
        if nom not in champs:
            if (
                valeur is None
                or isinstance(valeur, bool | int | float)
                or (isinstance(valeur, str) and len(valeur) <= 1000)
            ):
                cleaned[nom] = valeur
            else:
                errors[nom] = ValidationError(
                    _(
                        "Valeur simple attendue (texte de 1 000 caractères au plus, nombre, oui/non)."
                    )
                )
            continue
        champ, type_champ = champs[nom]
        try:
            cleaned[nom] = type_champ.clean(definition(champ, dossier), valeur)
        except ValidationError as error:
            errors[nom] = error
    ensemble = {**dossier.donnees, **cleaned}
    for nom in [nom for nom in cleaned if nom in champs]:
        champ, type_champ = champs[nom]
        try:
            type_champ.valider_ensemble(definition(champ, dossier), cleaned[nom], ensemble)
        except ValidationError as error:
            errors[nom] = error
            del cleaned[nom]
    return cleaned, errors


def affichage(champ: Champ, dossier: Dossier, valeur: Any) -> str:
    """A stored value as the dossier's pages display it (« 1 250,50 € »), for history."""
    if valeur in (None, "", [], {}):
        return ""
    try:
        type_champ = types_de_champ.get(champ.type)
        return str(type_champ.affichage(definition(champ, dossier), valeur))
    except Exception:  # noqa: BLE001 - a value the type no longer reads is shown as stored
        return str(valeur)
