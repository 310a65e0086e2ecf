"""The layout of a form model's tabs as one view sees them, for the CRM pages that show
every tab on one page with the portal wizard's layout
(templates/portal/includes/wizard_lignes.html): the builder's preview
(crm/formulaires/apercu.py) and the agent's quick entry (crm/dossiers/saisie.py)."""

import json
from typing import Any

from django import forms

from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.champs.natifs import bloc


def _condition(objet) -> str:
    return json.dumps(objet.condition) if objet.condition else ""


def disposer(
    form: forms.Form,
    onglets,
    *,
    vue: str,
    contexte,
    donnees: dict[str, Any],
    data=None,
    erreurs: dict | None = None,
    messages_calcul: bool = False,
) -> list[dict]:
    """[{onglet, condition, lignes: [{ligne, condition, items}]}]: adds to `form` a field
    per visible value field (disabled where the view says read-only); a block's items
    and each item's bound field ready for the template. `messages_calcul`: a calcul
    field says why it has no value yet (from `donnees`)."""
    erreurs = erreurs or {}
    etapes = []
    for onglet in onglets:
        lignes = []
        for ligne in onglet.lignes.all():
            items = []
            for champ in ligne.champs.all():
                item = _item(form, champ, vue, contexte, donnees, data, erreurs, messages_calcul)
                if item is not None:
                    items.append(item)
            lignes.append({"ligne": ligne, "condition": _condition(ligne), "items": items})
        etapes.append({"onglet": onglet, "condition": _condition(onglet), "lignes": lignes})
    return etapes


def _item(form, champ, vue, contexte, donnees, data, erreurs, messages_calcul) -> dict | None:
    if champ.parent_id:  # a block's sub-fields come with their block
        return None
    proprietes = services.proprietes_vue(champ, vue)
    if not proprietes.visible:
        return None
    try:
        type_champ = types_de_champ.get(champ.type)
    except KeyError:  # a module's type, module removed
        return None
    definition = services.champ_definition(champ, vue=vue, contexte=contexte)
    if not services.champ_utilisable(type_champ, definition):
        return None
    item = {"nom": champ.nom, "colonne": champ.colonne, "condition": _condition(champ)}
    if not type_champ.stocke_valeur:
        rendu = type_champ.rendu(definition) if hasattr(type_champ, "rendu") else ""
        if not rendu:
            return None
        return item | {"html": rendu, "libelle": champ.libelle}
    if champ.type == bloc.CODE:  # its elements, as the wizard shows them
        item["bloc"] = bloc.disposition(
            form,
            champ.nom,
            definition,
            type_champ,
            donnees,
            data=data,
            modifiable=proprietes.modifiable,
        )
        erreur = erreurs.get(champ.nom)
        item["bloc"]["erreurs"] = erreur.messages if erreur else []
        for element in [*item["bloc"]["elements"], item["bloc"]["modele"]]:
            for sous in element["items"]:
                sous["field"] = form[sous["nom"]]
        return item
    field = type_champ.form_field(definition)
    field.disabled = not proprietes.modifiable
    if messages_calcul and hasattr(type_champ, "message"):  # a calcul: why no value
        field.widget.message = type_champ.message(definition, donnees)
    form.fields[champ.nom] = field
    item["field"] = form[champ.nom]
    return item
