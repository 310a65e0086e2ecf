"""The citizen's answer to a correction request (I10): the request's reason, the
dossier's answers read-only, and a form holding only the fields the agent named,
rendered and validated by their field types as in the wizard. Submitting calls
`instruction.services_corrections.correction_repondre`; errors come back next to the
fields with what was typed. Also « Mon compte »'s « À faire » entries."""

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.extensions import AFaire
from dossiers import champs as types_de_champ
from dossiers import selectors_suivi, services, services_champs
from instruction import selectors_corrections, services_corrections
from portal.dossier_page import contexte_dossier, dossier_de_la_requete


def corrections_a_faire(user) -> list[AFaire]:
    """One entry per dossier of the account with a correction waiting (one query)."""
    if not user.is_authenticated:
        return []
    from dossiers.selectors import dossiers_of

    return [
        AFaire(
            libelle=_("Corriger votre demande « %(titre)s »")
            % {"titre": demande.dossier.dispositif.titre},
            url=reverse("portal:dossier_correction", args=[demande.dossier_id]),
            categorie="corrections",
            detail=demande.motif
            + (
                " — " + _("avant le %(date)s") % {"date": date_format(demande.echeance, "j F Y")}
                if demande.echeance
                else ""
            ),
        )
        for demande in selectors_corrections.corrections_ouvertes(dossiers_of(user))
    ]


def _formulaire(dossier, demande, user, *, data=None, erreurs=None) -> forms.Form:
    """The named fields only, as the wizard builds them (field types' form fields),
    prefilled with the dossier's answers; bound to what was posted after an error."""
    form = forms.Form(data=data, initial=dossier.donnees)
    form.use_required_attribute = False  # the server validates, with French messages
    for champ in services_champs.champs_nommes(dossier, demande.champs):
        type_champ = types_de_champ.get(champ.type)
        definition = services_champs.definition(champ, dossier, user)
        if services.champ_utilisable(type_champ, definition):
            form.fields[champ.nom] = type_champ.form_field(definition)
    form._errors = ErrorDict(
        {
            nom: form.error_class(erreur.messages, renderer=form.renderer)
            for nom, erreur in (erreurs or {}).items()
            if nom in form.fields
        }
    )
    return form


@require_http_methods(["GET", "HEAD", "POST"])
def dossier_correction(request, pk):
    dossier = dossier_de_la_requete(request, pk)
    demande = selectors_corrections.correction_ouverte(dossier)
    if demande is None:
        messages.info(request, _("Aucune correction n’est demandée sur cette demande."))
        return redirect("portal:dossier", pk=dossier.pk)
    status, data, erreurs = 200, None, None
    if request.method == "POST":
        try:
            services_corrections.correction_repondre(
                dossier=dossier, donnees=request.POST, by=request.user
            )
        except services_corrections.CorrectionRefusee as refus:
            status, data, erreurs = 400, request.POST, refus.erreurs
        except services_corrections.ValidationError as erreur:
            messages.error(request, erreur.messages[0])
            return redirect("portal:dossier", pk=dossier.pk)
        else:
            messages.success(
                request, _("Votre correction est enregistrée : le service reprend l’instruction.")
            )
            return redirect("portal:dossier", pk=dossier.pk)
    form = _formulaire(dossier, demande, request.user, data=data, erreurs=erreurs)
    context = {
        **contexte_dossier(request, dossier, "suivi"),
        "page_title": _("Corriger ma demande — %(r)s") % {"r": dossier.reference},
        "demande": demande,
        "form": form,
        "onglets_donnees": selectors_suivi.donnees_affichees(dossier),
    }
    return render(request, "portal/dossiers/correction.html", context, status=status)
