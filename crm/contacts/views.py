"""Contacts GRC in the CRM (C5): the list, « Nouveau contact » (from the header, prefilled
by the page it was opened on and by a contact model), the contact's page with its linked
objects and action plan, « Déplacer vers un dossier », « Créer un dossier » (handed over
to the « Nouveau dossier » flow, which links the new dossier back), « Mes tâches ».

Every CRM agent reaches contacts (contacts.selectors: the desk logs them); the dossiers
linked to one are named only to agents who may open them."""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts import selectors, services
from contacts.models import Contact, Tache
from crm.access import agent_required
from crm.contacts import saisie, taches
from crm.contacts.forms import ContactForm, DeplacerForm, FiltresForm, TacheForm
from crm.referentiel.forms import apply_errors

PAR_PAGE = 25
MENU = "contacts"


def _cadre(titre: str, *liens) -> dict:
    return {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:contacts"), "label": _("Contacts")}]
        + [{"url": url, "label": label} for url, label in liens],
        "current": titre,
        "menu_actif": MENU,
    }


def _contact_ou_404(request, pk) -> Contact:
    try:
        return selectors.contact_pour_page(request.user, pk)
    except Contact.DoesNotExist:
        raise Http404 from None


@agent_required
@require_safe
def liste(request):
    filtres_form = FiltresForm(request.GET or None)
    filtres = selectors.Filtres()
    if filtres_form.is_valid():
        data = filtres_form.cleaned_data
        filtres = selectors.Filtres(
            canal=data["canal"],
            statut=data["statut"],
            agent_id=data["agent"].pk if data["agent"] else None,
            du=data["du"],
            au=data["au"],
            q=data["q"].strip(),
        )
    page = Paginator(selectors.contacts_filtrer(request.user, filtres), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        **_cadre(_("Contacts")),
        "links": [],
        "filtres_form": filtres_form,
        "page": page,
        "contacts": page.object_list,
        "parametres": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
    }
    if request.htmx:
        return render(request, "crm/contacts/includes/liste_resultats.html", context)
    return render(request, "crm/contacts/liste.html", context)


@agent_required
@require_http_methods(["GET", "HEAD", "POST"])
def nouveau(request):
    """GET: the form prefilled by the context; POST action=modele applies a model,
    action=rechercher searches the référentiel, otherwise the contact is logged."""
    action = request.POST.get("action", "")
    q = request.POST.get("q", "").strip()
    status = 200
    if request.method == "POST" and action in ("modele", "rechercher"):
        data = saisie.appliquer_modele(request.POST) if action == "modele" else request.POST
        form = ContactForm(
            initial=saisie.initial(data), user=request.user, **_choix(request, data, q)
        )
    elif request.method == "POST":
        form = ContactForm(request.POST, user=request.user, **_choix(request, request.POST, q))
        if form.is_valid():
            try:
                contact = services.contact_enregistrer(by=request.user, **form.cleaned_data)
            except services.ContactRefuse as refus:
                apply_errors(form, refus)
            else:
                messages.success(request, _("Le contact est enregistré."))
                return redirect("crm:contact", pk=contact.pk)
        status = 400
    else:
        data = saisie.initial_du_contexte(request.user, request.GET)
        form = ContactForm(initial=saisie.initial(data), user=request.user, **_choix(request, data))
    context = {**_cadre(_("Nouveau contact")), "form": form, "q": q}
    template = (
        "crm/contacts/includes/contact_form.html" if request.htmx else "crm/contacts/nouveau.html"
    )
    return render(request, template, context, status=status)


def _choix(request, data, q: str = "") -> dict:
    choix = saisie.choix(request.user, data, q=q)
    return {"individus": choix.individus, "profils": choix.profils, "dossiers": choix.dossiers}


def _page(request, contact: Contact, *, tache_form=None, status=200):
    context = {
        **_cadre(contact.objet),
        "contact": contact,
        "dossiers_lies": selectors.dossiers_lies(contact, request.user),
        "taches": selectors.taches_du_plan(contact=contact),
        "tache_form": tache_form or TacheForm(),
        "tache_url": reverse("crm:contact_tache_ajouter", args=[contact.pk]),
        "creer_dossier_url": _creer_dossier_url(contact),
        "today": timezone.localdate(),
    }
    return render(request, "crm/contacts/contact.html", context, status=status)


def _creer_dossier_url(contact: Contact) -> str:
    """The « Nouveau dossier » flow with the contact's interlocuteur as demandeur (its
    first profil, else its first individu; else the flow's first step to pick one)."""
    params = {"contact": contact.pk}
    profils, individus = list(contact.profils.all()), list(contact.individus.all())
    if profils:
        return (
            reverse("crm:dossier_nouveau_dispositif")
            + "?"
            + urlencode({"profil": profils[0].pk, **params})
        )
    if individus:
        return (
            reverse("crm:dossier_nouveau_dispositif")
            + "?"
            + urlencode({"individu": individus[0].pk, **params})
        )
    return reverse("crm:dossier_nouveau") + "?" + urlencode(params)


@agent_required
@require_safe
def contact(request, pk):
    return _page(request, _contact_ou_404(request, pk))


@agent_required
@require_POST
def statut(request, pk):
    contact = _contact_ou_404(request, pk)
    try:
        services.contact_changer_statut(
            contact=contact, statut=request.POST.get("statut", ""), by=request.user
        )
    except services.ContactRefuse as refus:
        messages.error(request, " ".join(refus.messages))
    else:
        messages.success(
            request, _("Le contact est « %(s)s ».") % {"s": contact.get_statut_display()}
        )
    return redirect("crm:contact", pk=contact.pk)


@agent_required
@require_POST
def tache_ajouter(request, pk):
    contact = _contact_ou_404(request, pk)
    return taches.tache_ajouter(
        request,
        plan={"contact": contact},
        retour=reverse("crm:contact", args=[contact.pk]),
        page=partial(_page, request, contact),
    )


@agent_required
@require_POST
def tache_terminer(request, pk):
    """Tick a task done (or open it again), then back to its contact or dossier."""
    tache = get_object_or_404(
        Tache.objects.select_related("plan"),
        pk=pk,
        plan__in=selectors.plans_visibles(request.user),
    )
    services.tache_terminer(tache=tache, by=request.user, faite=request.POST.get("faite") == "1")
    suivant = request.POST.get("suivant", "")
    if suivant == "mes_taches":
        return redirect("crm:mes_taches")
    if tache.plan.contact_id:
        return redirect(reverse("crm:contact", args=[tache.plan.contact_id]) + "#plan-action")
    return redirect(reverse("crm:dossier_contacts", args=[tache.plan.dossier_id]) + "#plan-action")


@agent_required
@require_http_methods(["GET", "HEAD", "POST"])
def deplacer(request, pk):
    """« Déplacer vers un dossier »: search among the dossiers this agent may open."""
    contact = _contact_ou_404(request, pk)
    q = request.GET.get("q", "").strip()
    form = DeplacerForm(
        request.POST or None,
        user=request.user,
        candidats=selectors.dossiers_candidats(request.user, contact, q),
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            services.contact_deplacer_vers_dossier(
                contact=contact, dossier=form.cleaned_data["dossier"], by=request.user
            )
            messages.success(
                request,
                _("Le contact est rattaché au dossier %(r)s.")
                % {"r": form.cleaned_data["dossier"].reference},
            )
            return redirect("crm:contact", pk=contact.pk)
        status = 400
    context = {
        **_cadre(
            _("Déplacer vers un dossier"),
            (reverse("crm:contact", args=[contact.pk]), contact.objet),
        ),
        "contact": contact,
        "form": form,
        "q": q,
    }
    return render(request, "crm/contacts/deplacer.html", context, status=status)


@agent_required
@require_safe
def mes_taches(request):
    context = {
        **_cadre(_("Mes tâches")),
        "links": [],
        "taches": list(selectors.taches_de(request.user)),
        "faites": list(selectors.taches_de(request.user, faites=True, limite=20)),
        "today": timezone.localdate(),
    }
    return render(request, "crm/contacts/mes_taches.html", context)
