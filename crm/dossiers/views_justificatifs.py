"""The Justificatifs tab of a dossier in the CRM (P12, F9): the pieces with their
versions, the in-browser viewer, the agent's decisions (validate, refuse with a comment,
mark expired), visibility per document, and a request for one more piece."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from common.extensions import OngletDossier, register_onglet_crm
from common.telechargement import reponse_fichier
from crm.access import agent_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from dossiers import services_justificatifs as services
from dossiers.models import TypeJustificatif
from dossiers.selectors_justificatifs import (
    a_examiner_compteur,
    justificatifs_du_dossier,
    version_pour_agent,
)


class DecisionForm(forms.Form):
    commentaire = forms.CharField(
        label=gettext_lazy("Commentaire pour l’usager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisibiliteForm(forms.Form):
    visible_usager = forms.BooleanField(label=gettext_lazy("Visible par l’usager"), required=False)
    visible_partenaire = forms.BooleanField(
        label=gettext_lazy("Visible par les partenaires"), required=False
    )


class DemandeForm(forms.Form):
    type = forms.ModelChoiceField(
        label=gettext_lazy("Type de justificatif"),
        queryset=TypeJustificatif.objects.filter(actif=True).order_by("libelle"),
    )
    obligatoire = forms.BooleanField(
        label=gettext_lazy("Obligatoire"), required=False, initial=True
    )
    commentaire = forms.CharField(
        label=gettext_lazy("Précision pour l’usager"), required=False, max_length=2000
    )


DECISIONS = {
    "valider": (services.justificatif_valider, gettext_lazy("Le justificatif est validé.")),
    "refuser": (services.justificatif_refuser, gettext_lazy("Le justificatif est refusé.")),
    "expirer": (services.justificatif_expirer, gettext_lazy("Le justificatif est périmé.")),
}


@agent_required
@require_http_methods(["GET", "POST"])
def dossier_justificatifs(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    justificatifs = justificatifs_du_dossier(dossier, usager=False)
    erreurs: dict[int, forms.Form] = {}
    demande = DemandeForm(request.POST if request.POST.get("action") == "demander" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "demander":
            if demande.is_valid():
                services.justificatif_demander(
                    dossier=dossier,
                    type_justificatif=demande.cleaned_data["type"],
                    agent=request.user,
                    obligatoire=demande.cleaned_data["obligatoire"],
                    commentaire=demande.cleaned_data["commentaire"],
                )
                messages.success(request, _("La pièce est demandée à l’usager."))
                return redirect("crm:dossier_justificatifs", pk=dossier.pk)
            status = 400
        else:
            cible = next(
                (j for j in justificatifs if str(j.pk) == request.POST.get("justificatif", "")),
                None,
            )
            if cible is None or action not in (*DECISIONS, "visibilite"):
                raise Http404
            if action == "visibilite":
                form = VisibiliteForm(request.POST)
                form.is_valid()
                services.justificatif_visibilite(
                    justificatif=cible, agent=request.user, **form.cleaned_data
                )
                messages.success(request, _("La visibilité du justificatif est enregistrée."))
                return redirect("crm:dossier_justificatifs", pk=dossier.pk)
            form = DecisionForm(request.POST)
            if form.is_valid():
                verbe, succes = DECISIONS[action]
                try:
                    verbe(
                        justificatif=cible,
                        agent=request.user,
                        commentaire=form.cleaned_data["commentaire"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, succes)
                    return redirect("crm:dossier_justificatifs", pk=dossier.pk)
            erreurs[cible.pk] = form
            status = 400
    lignes = [
        {
            "justificatif": j,
            "versions": list(j.versions.all()),
            "decision": erreurs.get(j.pk) or DecisionForm(),
            "peut_valider": j.statut == j.Statut.RECU,
            "peut_refuser": j.statut in (j.Statut.RECU, j.Statut.VALIDE),
        }
        for j in justificatifs
    ]
    context = {
        **contexte_dossier(request, dossier, "justificatifs"),
        "lignes": lignes,
        "demande": demande,
    }
    return render(request, "crm/dossiers/justificatifs.html", context, status=status)


@agent_required
@require_safe
def justificatif_fichier(request, pk, version_pk):
    dossier = dossier_de_l_agent(request, pk)
    version = version_pour_agent(dossier, version_pk)
    if version is None:
        raise Http404
    return reponse_fichier(version.fichier, nom=version.nom, type_mime=version.type_mime)


def register() -> None:
    register_onglet_crm(
        OngletDossier(
            code="justificatifs",
            libelle=gettext_lazy("Justificatifs"),
            url_name="crm:dossier_justificatifs",
            ordre=30,
            compteur=a_examiner_compteur,
        )
    )
