"""The Données tab's edit of one tab of the form (C3): the agents' view (Vue.CRM) of the
tab, its editable fields as inputs, the others read-only; saved through
`dossiers.services_donnees_agent.dossier_donnees_modifier`. In place with htmx (the
tab's section swapped), a plain page and POST without JavaScript."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.access import agent_permission_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent, droits_du_dossier
from crm.dossiers import saisie
from dossiers import selectors_gestion, services
from dossiers import services_donnees_agent as edition
from dossiers.services_gestion import GestionRefusee

instructeur_required = agent_permission_required("dossiers.instruire_dossiers")


def sections(dossier) -> dict:
    """The Données tab's sections: (title, displayed fields, pk of the form's tab when the
    agent may edit it, else None), and why nothing is editable when so."""
    modifiables = {onglet.titre: onglet.pk for onglet in edition.onglets_modifiables(dossier)}
    return {
        "sections": [
            (titre, champs, modifiables.get(titre))
            for titre, champs in selectors_gestion.donnees_crm(dossier)
        ],
        "raison_fermee": edition.raison_fermee(dossier),
    }


def _section_lecture(request, dossier, onglet, *, message=""):
    """The tab's read-only section again (htmx, after saving)."""
    champs = next((c for t, c in selectors_gestion.donnees_crm(dossier) if t == onglet.titre), [])
    context = {
        "dossier": dossier,
        "droits_dossier": droits_du_dossier(request, dossier),
        "titre": onglet.titre,
        "champs": champs,
        "onglet_pk": onglet.pk,
        "message": message,
    }
    return render(request, "crm/dossiers/includes/donnees_section.html", context)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def modifier(request, pk, onglet_pk):
    # The edit form too needs « instruire » (C7): a reader gets no form to fill in vain.
    dossier = dossier_de_l_agent(request, pk, droit="instruire")
    onglet = edition.onglet_modifiable(dossier, onglet_pk)
    if onglet is None:
        raise Http404  # closed dossier, read-only tab: the Données tab says why
    data, erreurs, status, refus = None, {}, 200, ""
    if request.method == "POST":
        data = request.POST
        try:
            changes = edition.dossier_donnees_modifier(
                dossier=dossier, onglet_pk=onglet.pk, data=data, by=request.user
            )
        except services.DepotRefuse as error:
            erreurs, status, refus = error.erreurs, 400, error.message
        except GestionRefusee as error:
            status, refus = 400, " ".join(error.messages)
        else:
            message = (
                _("Les données de l’onglet « %(t)s » sont enregistrées.") % {"t": onglet.titre}
                if changes
                else _("Aucune donnée modifiée.")
            )
            if request.htmx:
                return _section_lecture(request, dossier, onglet, message=message)
            messages.success(request, message)
            return redirect("crm:dossier_donnees", pk=dossier.pk)
    form, etapes = saisie.formulaire(dossier, data=data, erreurs=erreurs)
    context = {
        "dossier": dossier,
        "onglet": onglet,
        "form": form,
        "etape": next(e for e in etapes if e["onglet"].pk == onglet.pk),
        "refus": refus,
    }
    if request.htmx:
        # htmx swaps no error answer: the refused form comes back as 200, in place.
        return render(request, "crm/dossiers/includes/donnees_modifier.html", context)
    context |= {
        **contexte_dossier(request, dossier, "donnees"),
        "page_title": _("Modifier « %(t)s » — %(r)s") % {"t": onglet.titre, "r": dossier.reference},
    }
    return render(request, "crm/dossiers/donnees_modifier.html", context, status=status)
