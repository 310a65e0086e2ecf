"""The profil's page (C6, G4), its creation and edition."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.nombres import entier
from contacts.selectors import contacts_de
from crm.access import agent_required
from crm.referentiel.common import fil_ariane, profil_ou_404
from crm.referentiel.display import champs_remplis, journal_lignes
from crm.referentiel.forms import ProfilForm, apply_errors
from usagers import services
from usagers.models import Profil
from usagers.selectors import doublons_profil, journal

DETAILS = ("sigle", "siret", "siren", "rna", "email", "telephone", "site_web", "iban", "bic")


@require_safe
@agent_required
def fiche(request, pk):
    profil = profil_ou_404(pk, request.user)
    doublons = doublons_profil(profil)
    contacts = contacts_de(request.user, profil=profil)
    sommaire = [
        ("details", _("Détails")),
        ("membres", _("Membres (%(n)s)") % {"n": len(profil.adhesions.all())}),
        ("adresses", _("Adresses précédentes")),
        ("contacts", _("Contacts (%(n)s)") % {"n": len(contacts)}),
        ("journal", _("Journal")),
        ("doublons", _("Doublons potentiels (%(n)s)") % {"n": len(doublons)}),
    ]
    context = {
        "page_title": profil.nom,
        "profil": profil,
        "abilities": profil.abilities(request.user),
        "details": champs_remplis(profil, DETAILS),
        "journal": journal_lignes(Profil, journal(profil)),
        "doublons": doublons,
        "sommaire": sommaire,
        "contacts": contacts,
        "contact_contexte": f"profil={profil.pk}",
        **fil_ariane((None, profil.nom)),
    }
    return render(request, "crm/usagers/profil.html", context)


def _initial_type(request, initial: dict) -> dict:
    """The type picked in the form (htmx reloads the natures of the chosen type)."""
    if (type_pk := entier(request.GET.get("type_profil"))) is not None:
        return {**initial, "type_profil": type_pk}
    return initial


@agent_required
def creer(request):
    form = ProfilForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_type(request, {}),
    )
    if form.is_bound and form.is_valid():
        try:
            profil = services.profil_creer(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Le profil %(nom)s a été créé.") % {"nom": profil})
            return redirect("crm:profil", pk=profil.pk)
    return render(
        request,
        "crm/usagers/profil_form.html",
        {
            "page_title": _("Créer un profil"),
            "form": form,
            **fil_ariane((None, _("Créer un profil"))),
        },
    )


@agent_required
def modifier(request, pk):
    profil = profil_ou_404(pk, request.user, "modifier")
    form = ProfilForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_type(request, model_to_dict(profil)),
    )
    if form.is_bound and form.is_valid():
        try:
            changed = services.profil_modifier(profil=profil, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(request, _("Le profil a été mis à jour."))
            else:
                messages.info(request, _("Aucune modification : le profil est inchangé."))
            return redirect("crm:profil", pk=profil.pk)
    url = reverse("crm:profil", args=[profil.pk])
    return render(
        request,
        "crm/usagers/profil_form.html",
        {
            "page_title": _("Modifier le profil %(nom)s") % {"nom": profil.nom},
            "form": form,
            "profil": profil,
            **fil_ariane((url, profil.nom), (None, _("Modifier"))),
        },
    )
