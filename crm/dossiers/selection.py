"""The CRM list's dossiers for a query string: parsed and filtered exactly as the list
does (crm/dossiers/views_liste.py), saved view included. The one place the map, the
exports and the lots follow the list's filters."""

from django.http import QueryDict

from common.nombres import entier
from crm.dossiers import forms_liste
from dossiers import liste
from dossiers import selectors_gestion as selectors


def formulaire_et_dossiers(agent, data: QueryDict, *, options: bool = True):
    """(the list's filter form, the filtered scoped queryset). A saved view named by
    `vue` gives its filters (another agent's unshared view: ignored, never revealed).
    `options=False` parses the parameters without reading the filters' option lists
    (dispositifs, territoires, agents, équipes, étiquettes…): for who shows no form (the
    map's data, an export, a lot); the dossiers are the same."""
    pk = entier(data.get("vue"))
    if pk is not None:
        vue = selectors.vues_ouvrables(agent).filter(pk=pk).first()
        if vue is not None:
            data, _ignores = forms_liste.donnees_de_vue(vue, agent, data)
    ctx = forms_liste.contexte(agent, data, options=options)
    form = forms_liste.ListeForm(data or None, ctx=ctx)
    return form, liste.filtrer(selectors.dossiers_du_crm(agent), form.valeurs(), ctx)


def filtre_actif(form) -> bool:
    """Whether any of the list's filters holds a value (the sort and columns aside)."""
    valeurs = form.valeurs()
    return any(
        valeurs.get(nom) not in (None, "", [], False)
        for filtre in liste.filtres()
        for nom in filtre.champs(form.ctx)
    )


def dossiers_de_la_liste(agent, filtres: str):
    """The dossiers of the list's query string `filtres` (an export, a lot)."""
    return dossiers_et_refus(agent, filtres)[0]


def dossiers_et_refus(agent, filtres: str) -> tuple:
    """(the dossiers of `filtres`, the messages of its filters naming a dispositif or
    territoire outside the agent's scope — the dossiers are then none): an export or a
    lot is refused with them rather than run on nothing."""
    form, dossiers = formulaire_et_dossiers(agent, QueryDict(filtres or ""), options=False)
    return dossiers, form.refus()
