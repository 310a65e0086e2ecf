"""The preview of a draft as one view sees it (citizen, agent, partner): the portal
wizard's layout, every tab on one page, read-only (never submitted)."""

from django import forms

from crm.disposition import disposer
from dossiers import services
from dossiers.champs import Contexte
from dossiers.models import ModeleDossier

APERCU = Contexte(apercu=True)


def apercu(modele: ModeleDossier, vue: str) -> tuple[forms.Form, list[dict]]:
    """(form, [{onglet, condition, lignes}]) with the layout of
    templates/portal/includes/wizard_lignes.html for each tab."""
    form = forms.Form()
    form.use_required_attribute = False
    # Nobody fills a preview: a contextual type (dossier_lie) shows an example.
    etapes = disposer(form, services.modele_onglets(modele), vue=vue, contexte=APERCU, donnees={})
    return form, etapes
