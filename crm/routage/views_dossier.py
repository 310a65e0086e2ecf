"""The dossier page's « Équipe, étiquettes et suivi » panel (C14): the team, routing
applied again, labels added and removed (htmx in place, a plain POST and redirect
without JS), follow / unfollow, and « Mettre à la corbeille ». Dossiers come through
`dossier_de_l_agent` (`dossiers_visible_to`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.access import agent_permission_required
from crm.dossier_page import dossier_de_l_agent, droits_du_dossier
from crm.routage import forms
from dossiers import selectors_routage as selectors
from dossiers import services_corbeille, services_routage

instructeur_required = agent_permission_required("dossiers.instruire_dossiers")
# The trash: the django permission opens its pages, the « supprimer » right on the
# dossier's dispositif (C7) is checked for each dossier.
supprimeur_required = agent_permission_required("dossiers.supprimer_dossiers")


def contexte_panneau(request, dossier, **formulaires) -> dict:
    """What the Synthèse adds for the panel (crm/dossiers/includes/routage.html)."""
    return {
        **selectors.panneau(dossier, request.user),
        "equipe_form": forms.EquipeDossierForm(initial={"equipe": dossier.equipe_id}),
        **formulaires,
    }


def _partiel_ou_page(request, dossier, gabarit, message, *, erreur=False):
    if request.htmx:
        context = {
            "dossier": dossier,
            "droits_dossier": droits_du_dossier(request, dossier),
            **selectors.panneau(dossier, request.user),
            "message_panneau": message,
            "erreur_panneau": erreur,
        }
        return render(request, gabarit, context)
    (messages.error if erreur else messages.success)(request, message)
    return redirect("crm:dossier", pk=dossier.pk)


@instructeur_required
@require_POST
def etiquettes(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    form = forms.EtiquetteDossierForm(request.POST)
    if not form.is_valid():  # a forged or unknown label: nothing to do here
        raise Http404
    etiquette = form.cleaned_data["etiquette"]
    try:
        if form.cleaned_data["action"] == "ajouter":
            services_routage.dossier_etiqueter(
                dossier=dossier, etiquette=etiquette, by=request.user
            )
            message = _("Étiquette « %(e)s » ajoutée.") % {"e": etiquette.libelle}
        else:
            services_routage.dossier_desetiqueter(
                dossier=dossier, etiquette=etiquette, by=request.user
            )
            message = _("Étiquette « %(e)s » retirée.") % {"e": etiquette.libelle}
    except services_routage.RoutageRefuse as refus:
        return _partiel_ou_page(
            request,
            dossier,
            "crm/dossiers/includes/etiquettes.html",
            refus.messages[0],
            erreur=True,
        )
    return _partiel_ou_page(request, dossier, "crm/dossiers/includes/etiquettes.html", message)


@instructeur_required
@require_POST
def suivre(request, pk):
    # Following changes nothing on the dossier (only the agent's digest): « voir » is
    # enough (C7), so an agent who only reads a dossier may still keep it in Favoris.
    dossier = dossier_de_l_agent(request, pk, droit="voir")
    if request.POST.get("action") == "ne_plus_suivre":
        services_routage.dossier_ne_plus_suivre(dossier=dossier, agent=request.user)
        message = _("Vous ne suivez plus ce dossier.")
    else:
        services_routage.dossier_suivre(dossier=dossier, agent=request.user)
        message = _(
            "Vous suivez ce dossier : ses changements figureront dans votre résumé quotidien."
        )
    return _partiel_ou_page(request, dossier, "crm/dossiers/includes/suivi.html", message)


@instructeur_required
@require_POST
def equipe(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    form = forms.EquipeDossierForm(request.POST)
    if form.is_valid():
        try:
            services_routage.dossier_attribuer_equipe(
                dossier=dossier, equipe=form.cleaned_data["equipe"], by=request.user
            )
        except services_routage.RoutageRefuse as refus:
            form.add_error("equipe", refus.messages)
        else:
            messages.success(request, _("Le dossier est mis à jour."))
            return redirect("crm:dossier", pk=dossier.pk)
    from crm.dossiers.views import synthese_page

    return synthese_page(request, dossier, status=400, equipe_form=form)


@instructeur_required
@require_POST
def router(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    regle = services_routage.router(dossier=dossier, by=request.user)
    if regle is None:
        messages.info(request, _("Aucune règle de routage ne s’applique à ce dossier."))
    else:
        messages.success(request, _("Règle « %(r)s » appliquée.") % {"r": regle.nom})
    return redirect("crm:dossier", pk=dossier.pk)


@supprimeur_required
@require_POST
def mettre_a_la_corbeille(request, pk):
    dossier = dossier_de_l_agent(request, pk, droit="supprimer")
    services_corbeille.dossier_mettre_a_la_corbeille(dossier=dossier, by=request.user)
    messages.success(
        request,
        _("Le dossier %(r)s est dans la corbeille : vous pouvez l’y restaurer.")
        % {"r": dossier.reference},
    )
    return redirect("crm:corbeille")
