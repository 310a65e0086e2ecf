"""« Nouveau dossier » in the CRM (C4), in three steps, the demandeur carried in the
query string (`?individu=<pk>` or `?profil=<pk>`, checked again at each step):

1. the demandeur: search the référentiel (its search), create an individu on the fly
   (the référentiel's form and service), or « Anonyme » for a quick entry at the desk
   (the instance's one anonymous individu, usagers.services.individu_anonyme);
2. the dispositif, among DSFR tiles: active ones with a published form;
3. the agents' view of its form, filed at once (dossiers.services_saisie_agent): the
   dossier enters its guide's initial statut.

The entry points: the CRM dossiers list, and an individu's or profil's page (step 2
straight away), and a contact (C5: `&contact=<pk>` carried along; once filed, the dossier
is linked to the contact by contacts.services). Agents with « instruire les dossiers » only, like the dossier pages."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.nombres import entier
from contacts import selectors as contacts_selectors
from contacts import services as contacts_services
from crm.dossiers import saisie
from crm.dossiers.views import instructeur_required
from crm.referentiel.forms import IndividuForm, apply_errors
from dossiers import services
from dossiers import services_saisie_agent as services_saisie
from usagers import services as usagers_services
from usagers.models import Individu, Profil
from usagers.selectors import individus_rechercher, profils_rechercher

RESULTATS_MAX = 20


def _demandeur(request) -> tuple[Individu | None, Profil | None]:
    """The demandeur named by the query string; 404 for an unknown one."""
    source = request.GET
    if (pk := entier(source.get("profil"))) is not None:
        return None, get_object_or_404(Profil, pk=pk)
    if (pk := entier(source.get("individu"))) is not None:
        return get_object_or_404(Individu, pk=pk), None
    return None, None


def _contact(request) -> str:
    """The contact the dossier is created from (C5), as carried in the query string."""
    pk = entier(request.GET.get("contact"))
    return "" if pk is None else str(pk)


def _parametres(individu, profil, contact: str = "") -> str:
    params = {"profil": profil.pk} if profil else {"individu": individu.pk}
    return urlencode({**params, "contact": contact} if contact else params)


def _cadre(titre: str, etape: int) -> dict:
    return {
        "page_title": titre,
        "etape": etape,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Nouveau dossier"),
        "menu_actif": "dossiers",
    }


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def demandeur(request):
    """Step 1: search, create on the fly (POST action=creer) or Anonyme (action=anonyme)."""
    query = request.GET.get("q", "").strip()
    voir_restreint = Individu().abilities(request.user)["voir_restreint"]
    action = request.POST.get("action")
    form = IndividuForm(
        request.POST if action == "creer" else None,
        voir_restreint=voir_restreint,
        type_individu=request.GET.get("type_individu"),
    )
    status = 200
    if action == "anonyme":
        individu = usagers_services.individu_anonyme(by=request.user)
        return redirect(
            reverse("crm:dossier_nouveau_dispositif")
            + "?"
            + _parametres(individu, None, _contact(request))
        )
    if action == "creer":
        if form.is_valid():
            try:
                individu = usagers_services.individu_creer(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("La fiche de %(nom)s a été créée.") % {"nom": individu})
                return redirect(
                    reverse("crm:dossier_nouveau_dispositif")
                    + "?"
                    + _parametres(individu, None, _contact(request))
                )
        status = 400
    context = {
        **_cadre(_("Nouveau dossier : le demandeur"), 1),
        "q": query,
        "individus": individus_rechercher(query, limit=RESULTATS_MAX) if query else [],
        "profils": profils_rechercher(query, limit=RESULTATS_MAX) if query else [],
        "form": form,
        "suite_contact": f"&contact={_contact(request)}" if _contact(request) else "",
    }
    return render(request, "crm/dossiers/nouveau_demandeur.html", context, status=status)


@instructeur_required
@require_safe
def dispositif(request):
    """Step 2: the dispositif, among tiles."""
    individu, profil = _demandeur(request)
    if individu is None and profil is None:
        return redirect("crm:dossier_nouveau")
    context = {
        **_cadre(_("Nouveau dossier : le dispositif"), 2),
        "individu": individu,
        "profil": profil,
        "parametres": _parametres(individu, profil, _contact(request)),
        "dispositifs": services_saisie.dispositifs_pour_saisie(request.user),
    }
    return render(request, "crm/dossiers/nouveau_dispositif.html", context)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def formulaire(request, dispositif_pk):
    """Step 3: the agents' view of the form; POST files the dossier."""
    individu, profil = _demandeur(request)
    if individu is None and profil is None:
        return redirect("crm:dossier_nouveau")
    dispositif = get_object_or_404(
        services_saisie.dispositifs_pour_saisie(request.user), pk=dispositif_pk
    )
    try:
        dossier = services_saisie.dossier_preparer(
            dispositif=dispositif, individu=individu, profil=profil
        )
    except ValidationError:
        raise Http404 from None
    data, erreurs, status = None, {}, 200
    if request.method == "POST":
        data = request.POST
        try:
            dossier = services_saisie.dossier_deposer_par_agent(
                dispositif=dispositif, individu=individu, profil=profil, data=data, by=request.user
            )
        except services.DepotRefuse as refus:
            erreurs, status = refus.erreurs, 400
            messages.error(request, refus.message)
        else:
            messages.success(request, _("Le dossier %(r)s est déposé.") % {"r": dossier.reference})
            _lier_au_contact(request, dossier)
            return redirect("crm:dossier", pk=dossier.pk)
    form, etapes = saisie.formulaire(dossier, data=data, erreurs=erreurs)
    context = {
        **_cadre(_("Nouveau dossier : %(t)s") % {"t": dispositif.titre}, 3),
        "individu": individu,
        "profil": profil,
        "parametres": _parametres(individu, profil, _contact(request)),
        "dispositif": dispositif,
        "form": form,
        "etapes": etapes,
    }
    return render(request, "crm/dossiers/nouveau_formulaire.html", context, status=status)


def _lier_au_contact(request, dossier) -> None:
    """Created from a contact (C5): link them; an unknown contact id is ignored."""
    if not (pk := _contact(request)):
        return
    contact = contacts_selectors.contacts_visibles(request.user).filter(pk=pk).first()
    if contact is not None:
        contacts_services.contact_lier_dossier_cree(
            contact=contact, dossier=dossier, by=request.user
        )
        messages.info(request, _("Le dossier est lié au contact « %(o)s ».") % {"o": contact.objet})
