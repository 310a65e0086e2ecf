"""Mail, SMS and in-app templates with their live preview, the event → template
mapping and the outbox, for agents with notifications.gerer_modeles."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm.access import gestionnaire_messages_required
from crm.messagerie.forms import CorrespondanceForm, EnvoiTestForm, FiltreFileForm, ModeleForm
from notifications import registry, selectors, services
from notifications.models import Canal, Correspondance, Message, ModeleMessage

MENU = "messages"


def fil_ariane(*pairs) -> dict:
    links = []
    if pairs:
        links = [{"url": reverse("crm:messagerie_modeles"), "label": _("Messages")}]
        links += [{"url": url, "label": label} for url, label in pairs[:-1]]
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": pairs[-1][1] if pairs else _("Messages"),
        "menu_actif": MENU,
    }


@gestionnaire_messages_required
@require_safe
def modeles(request):
    context = {
        "page_title": _("Modèles de message"),
        "modeles": selectors.modeles(),
        "comptes": selectors.compte_par_statut(),
        **fil_ariane(),
    }
    return render(request, "crm/messagerie/modeles.html", context)


def _contexte_apercu(form: ModeleForm, instance: ModeleMessage | None) -> dict:
    """The preview of what the form holds (typed data when posted, else the saved draft)."""
    data = form.data if form.is_bound else None

    def valeur(nom, defaut=""):
        if data is not None:
            return data.get(nom, defaut)
        return getattr(instance, nom, defaut) if instance else form.initial.get(nom, defaut)

    canal = valeur("canal") or Canal.EMAIL
    evenement = valeur("evenement") or (
        registry.evenements()[0].code if registry.evenements() else ""
    )
    return {
        "apercu": services.apercu(
            canal=canal, evenement=evenement, sujet=valeur("sujet"), corps=valeur("corps")
        ),
        "canal": canal,
        "variables": _variables(evenement),
    }


def _variables(code: str) -> list[tuple[str, str, bool]]:
    from common.gabarits import lignes

    return lignes(services.schema(code))


def _formulaire(request, instance: ModeleMessage | None):
    form = ModeleForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        publier = request.POST.get("action") == "publier"
        with transaction.atomic():
            modele = form.save()
            problemes = services.modele_publier(modele) if publier else []
        if publier and problemes:
            for probleme in problemes:
                form.add_error("sujet" if probleme.champ == "sujet" else "corps", probleme.texte)
            messages.error(
                request, _("Le brouillon est enregistré, mais la publication est refusée.")
            )
            instance = modele
        else:
            if publier:
                messages.success(request, _("Le modèle « %(n)s » est publié.") % {"n": modele})
            else:
                messages.success(
                    request, _("Le brouillon « %(n)s » est enregistré.") % {"n": modele}
                )
            return redirect("crm:messagerie_modele", pk=modele.pk)
    titre = str(instance) if instance else _("Nouveau modèle")
    context = {
        "page_title": titre,
        "form": form,
        "modele": instance,
        "test_form": EnvoiTestForm(initial={"destinataire": request.user.email}),
        **_contexte_apercu(form, instance),
        **fil_ariane((None, titre)),
    }
    return render(request, "crm/messagerie/modele.html", context)


@gestionnaire_messages_required
def modele_creer(request):
    return _formulaire(request, None)


@gestionnaire_messages_required
def modele_modifier(request, pk):
    return _formulaire(request, get_object_or_404(ModeleMessage, pk=pk))


@gestionnaire_messages_required
@require_POST
def apercu(request):
    """htmx: the preview of what is typed, re-rendered as the admin writes."""
    form = ModeleForm(request.POST)
    return render(request, "crm/messagerie/includes/apercu.html", _contexte_apercu(form, None))


@gestionnaire_messages_required
@require_POST
def modele_test(request, pk):
    modele = get_object_or_404(ModeleMessage, pk=pk)
    form = EnvoiTestForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.envoyer_test(
                    modele, destinataire=form.cleaned_data["destinataire"], par=request.user
                )
        except services.EnvoiRefuse as refus:
            messages.error(request, str(refus))
        else:
            messages.success(
                request,
                _("Le message de test part vers %(d)s ; suivez-le dans la file d’envoi.")
                % {"d": form.cleaned_data["destinataire"]},
            )
    else:
        messages.error(request, _("Indiquez à qui envoyer le test."))
    return redirect("crm:messagerie_modele", pk=modele.pk)


@gestionnaire_messages_required
def correspondances(request):
    form = CorrespondanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correspondance_enregistrer(
                evenement=form.cleaned_data["evenement"], modele=form.cleaned_data["modele"]
            )
        except services.EnvoiRefuse as refus:
            form.add_error("modele", str(refus))
        else:
            messages.success(request, _("La correspondance est enregistrée."))
            return redirect("crm:messagerie_correspondances")
    context = {
        "page_title": _("Événements et modèles envoyés"),
        "form": form,
        "evenements": selectors.correspondances_par_evenement(),
        **fil_ariane((None, _("Événements et modèles envoyés"))),
    }
    return render(request, "crm/messagerie/correspondances.html", context)


@gestionnaire_messages_required
@require_POST
def correspondance_modifier(request, pk):
    correspondance = get_object_or_404(Correspondance, pk=pk)
    action = request.POST.get("action")
    if action == "supprimer":
        correspondance.delete()
        messages.success(request, _("La correspondance est supprimée."))
    elif action in ("activer", "desactiver"):
        correspondance.actif = action == "activer"
        correspondance.save(update_fields=["actif", "updated_at"])
        messages.success(request, _("La correspondance est mise à jour."))
    return redirect("crm:messagerie_correspondances")


@gestionnaire_messages_required
@require_safe
def file_envoi(request):
    form = FiltreFileForm(request.GET or None)
    filtres = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.file_envoi(**filtres), 50).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    context = {
        "page_title": _("File d’envoi"),
        "form": form,
        "page": page,
        "comptes": selectors.compte_par_statut(),
        "requete": request.GET.urlencode(),
        "parametres": parametres.urlencode() if form.is_valid() else "",
        **fil_ariane((None, _("File d’envoi"))),
    }
    return render(request, "crm/messagerie/file.html", context)


@gestionnaire_messages_required
@require_POST
def relancer(request, pk):
    message = get_object_or_404(Message, pk=pk)
    if message.peut_relancer:
        services.relancer(message)
        messages.success(
            request, _("Le message vers %(d)s est relancé.") % {"d": message.destinataire}
        )
    else:
        messages.error(request, _("Seul un message en échec peut être relancé."))
    return redirect(
        reverse("crm:messagerie_file")
        + ("?" + request.POST.get("retour", "") if request.POST.get("retour") else "")
    )
