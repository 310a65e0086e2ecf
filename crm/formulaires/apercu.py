"""The preview of a draft as one view sees it (citizen, agent, partner): the portal
wizard's layout, every tab on one page, read-only (never submitted)."""

import json

from django import forms

from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.champs import Contexte
from dossiers.champs.natifs import bloc
from dossiers.models import ModeleDossier

APERCU = Contexte(apercu=True)


def apercu(modele: ModeleDossier, vue: str) -> tuple[forms.Form, list[dict]]:
    """(form, [{onglet, condition, lignes}]) with the layout of
    templates/portal/includes/wizard_lignes.html for each tab."""
    form = forms.Form()
    form.use_required_attribute = False
    etapes = []
    for onglet in services.modele_onglets(modele):
        lignes = []
        for ligne in onglet.lignes.all():
            items = []
            for champ in ligne.champs.all():
                if champ.parent_id:  # a block's sub-fields come with their block
                    continue
                proprietes = services.proprietes_vue(champ, vue)
                if not proprietes.visible:
                    continue
                try:
                    type_champ = types_de_champ.get(champ.type)
                except KeyError:
                    continue
                # Nobody fills a preview: a contextual type (dossier_lie) shows an example.
                definition = services.champ_definition(champ, vue=vue, contexte=APERCU)
                if not services.champ_utilisable(type_champ, definition):
                    continue
                item = {
                    "nom": champ.nom,
                    "colonne": champ.colonne,
                    "condition": json.dumps(champ.condition) if champ.condition else "",
                }
                if not type_champ.stocke_valeur:
                    rendu = type_champ.rendu(definition) if hasattr(type_champ, "rendu") else ""
                    if not rendu:
                        continue
                    item |= {"html": rendu, "libelle": champ.libelle}
                elif champ.type == bloc.CODE:  # its elements, as the wizard shows them
                    item["bloc"] = bloc.disposition(
                        form,
                        champ.nom,
                        definition,
                        type_champ,
                        {},
                        data=None,
                        modifiable=proprietes.modifiable,
                    )
                    item["bloc"]["erreurs"] = []
                else:
                    field = type_champ.form_field(definition)
                    field.disabled = not proprietes.modifiable
                    form.fields[champ.nom] = field
                items.append(item)
            lignes.append(
                {
                    "ligne": ligne,
                    "condition": json.dumps(ligne.condition) if ligne.condition else "",
                    "items": items,
                }
            )
        etapes.append(
            {
                "onglet": onglet,
                "condition": json.dumps(onglet.condition) if onglet.condition else "",
                "lignes": lignes,
            }
        )
    for etape in etapes:
        for ligne in etape["lignes"]:
            for item in ligne["items"]:
                if "bloc" in item:
                    for element in [*item["bloc"]["elements"], item["bloc"]["modele"]]:
                        for sous in element["items"]:
                            sous["field"] = form[sous["nom"]]
                elif "html" not in item:
                    item["field"] = form[item["nom"]]
    return form, etapes
