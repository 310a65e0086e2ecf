"""The agents' view of a form (Vue.CRM) as one page to fill when an agent files a
dossier in the CRM (C4): every tab on the page, with the portal wizard's layout
(templates/portal/includes/wizard_lignes.html), the conditions and calculs live
(static/js/formules.js), each field editable and required as the agents' view says,
what was typed kept and each error next to its field."""

from django import forms
from django.forms.utils import ErrorDict

from crm.disposition import disposer
from dossiers import services
from dossiers.models import Dossier, Vue


def formulaire(dossier: Dossier, *, data=None, erreurs=None) -> tuple[forms.Form, list[dict]]:
    """(form, [{onglet, condition, lignes}]) for the dossier's form model."""
    erreurs = erreurs or {}
    form = forms.Form(data=data, initial=dossier.donnees)
    form.use_required_attribute = False  # the server validates, with French messages
    etapes = disposer(
        form,
        services.modele_onglets(dossier.modele),
        vue=Vue.CRM,
        contexte=services.contexte_saisie(dossier),
        donnees=dossier.donnees,
        data=data,
        erreurs=erreurs,
        messages_calcul=True,
    )
    form._errors = ErrorDict(
        {
            nom: form.error_class(erreur.messages, renderer=form.renderer)
            for nom, erreur in erreurs.items()
            if nom in form.fields
        }
    )
    return form, etapes
