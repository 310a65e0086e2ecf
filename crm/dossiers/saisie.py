"""The agents' view of a form (Vue.CRM) as one page to fill when an agent files a
dossier in the CRM (C4): every tab on the page, with the portal wizard's layout
(templates/portal/includes/wizard_lignes.html), the conditions and calculs live
(static/js/formules.js), each field editable and required as the agents' view says,
what was typed kept and each error next to its field."""

import json

from django import forms
from django.forms.utils import ErrorDict

from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.champs.natifs import bloc
from dossiers.models import Dossier, Vue


def formulaire(dossier: Dossier, *, data=None, erreurs=None) -> tuple[forms.Form, list[dict]]:
    """(form, [{onglet, condition, lignes}]) for the dossier's form model."""
    erreurs = erreurs or {}
    vue = Vue.CRM
    form = forms.Form(data=data, initial=dossier.donnees)
    form.use_required_attribute = False  # the server validates, with French messages
    contexte = services.contexte_saisie(dossier)
    etapes = []
    for onglet in services.modele_onglets(dossier.modele):
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
                definition = services.champ_definition(champ, vue=vue, contexte=contexte)
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
                elif champ.type == bloc.CODE:
                    item["bloc"] = bloc.disposition(
                        form,
                        champ.nom,
                        definition,
                        type_champ,
                        dossier.donnees,
                        data=data,
                        modifiable=proprietes.modifiable,
                    )
                    erreur = erreurs.get(champ.nom)
                    item["bloc"]["erreurs"] = erreur.messages if erreur else []
                else:
                    field = type_champ.form_field(definition)
                    field.disabled = not proprietes.modifiable
                    if hasattr(type_champ, "message"):  # a calcul: why it has no value
                        field.widget.message = type_champ.message(definition, dossier.donnees)
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
    form._errors = ErrorDict(
        {
            nom: form.error_class(erreur.messages, renderer=form.renderer)
            for nom, erreur in erreurs.items()
            if nom in form.fields
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
