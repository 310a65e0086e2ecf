"""The individu's page (C6, G4), its creation and edition, and its kinship links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from contacts.selectors import contacts_de
from crm.access import agent_required
from crm.referentiel.common import fil_ariane, individu_ou_404
from crm.referentiel.display import champs_remplis, journal_lignes
from crm.referentiel.forms import IndividuForm, LienParenteForm, apply_errors
from notifications.selectors import messages_du_compte
from usagers import services
from usagers.models import Individu
from usagers.selectors import (
    connexions_recentes,
    doublons_individu,
    individus_rechercher,
    journal,
)
from usagers.services import ActionRefusee

GENERALITES = (
    "civilite",
    "prenom",
    "nom",
    "nom_usage",
    "date_naissance",
    "lieu_naissance",
    "email",
    "telephone_mobile",
    "telephone_fixe",
)


def _fiche(request, individu: Individu, *, lien_form=None):
    abilities = individu.abilities(request.user)
    lien_q = (request.POST.get("lien_q") or request.GET.get("lien_q", "")).strip()
    candidats = []
    if lien_q:
        candidats = [c for c in individus_rechercher(lien_q, limit=20) if c.pk != individu.pk]
    masques = () if abilities["voir_restreint"] else Individu.RESTRICTED_FIELDS
    liens = [(lien.get_type_lien_display(), lien.apparente) for lien in individu.liens.all()]
    liens += [(lien.libelle_inverse(), lien.individu) for lien in individu.liens_recus.all()]
    doublons = doublons_individu(individu)
    contacts = contacts_de(request.user, individu=individu)
    sommaire = [
        ("generalites", _("Généralités")),
        ("profils", _("Profils (%(n)s)") % {"n": len(individu.adhesions.all())}),
        ("liens", _("Liens de parenté (%(n)s)") % {"n": len(liens)}),
        ("adresses", _("Adresses précédentes")),
        ("contacts", _("Contacts (%(n)s)") % {"n": len(contacts)}),
        *([("connexions", _("Connexions"))] if individu.user_id else []),
        *([("messages", _("Messages envoyés"))] if individu.user_id else []),
        ("journal", _("Journal")),
        ("doublons", _("Doublons potentiels (%(n)s)") % {"n": len(doublons)}),
    ]
    context = {
        "page_title": individu.nom_complet,
        "individu": individu,
        "abilities": abilities,
        "generalites": champs_remplis(individu, GENERALITES),
        "champs_type": champs_remplis(individu, individu.champs_du_type()),
        "restreintes": champs_remplis(individu, Individu.RESTRICTED_FIELDS)
        if abilities["voir_restreint"]
        else [],
        "liens": liens,
        "sommaire": sommaire,
        "lien_q": lien_q,
        "candidats": candidats,
        "lien_form": lien_form or LienParenteForm(candidats=candidats),
        "connexions": connexions_recentes(individu.user) if individu.user_id else [],
        "messages_envoyes": messages_du_compte(individu.user) if individu.user_id else [],
        "journal": journal_lignes(Individu, journal(individu), masques=masques),
        "doublons": doublons,
        "contacts": contacts,
        "contact_contexte": f"individu={individu.pk}",
        **fil_ariane((None, individu.nom_complet)),
    }
    return render(request, "crm/usagers/individu.html", context)


@require_safe
@agent_required
def fiche(request, pk):
    return _fiche(request, individu_ou_404(pk, request.user))


@agent_required
@require_POST
def lien_ajouter(request, pk):
    individu = individu_ou_404(pk, request.user, "modifier")
    lien_q = request.POST.get("lien_q", "").strip()
    candidats = individus_rechercher(lien_q, limit=20) if lien_q else []
    form = LienParenteForm(request.POST, candidats=candidats)
    if form.is_valid():
        try:
            services.lien_parente_creer(
                individu=individu,
                apparente=form.cleaned_data["apparente"],
                type_lien=form.cleaned_data["type_lien"],
                by=request.user,
            )
        except ActionRefusee as refus:
            apply_errors(form, refus)
        else:
            messages.success(request, _("Le lien de parenté a été ajouté."))
            return redirect(reverse("crm:individu", args=[individu.pk]) + "#liens")
    return _fiche(request, individu, lien_form=form)


@agent_required
def creer(request):
    abilities = Individu().abilities(request.user)
    form = IndividuForm(
        request.POST if request.method == "POST" else None,
        voir_restreint=abilities["voir_restreint"],
        type_individu=request.GET.get("type_individu"),
    )
    if form.is_bound and form.is_valid():
        try:
            individu = services.individu_creer(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("La fiche de %(nom)s a été créée.") % {"nom": individu})
            return redirect("crm:individu", pk=individu.pk)
    return render(
        request,
        "crm/usagers/individu_form.html",
        {
            "page_title": _("Créer un individu"),
            "form": form,
            **fil_ariane((None, _("Créer un individu"))),
        },
    )


@agent_required
def modifier(request, pk):
    individu = individu_ou_404(pk, request.user, "modifier")
    abilities = individu.abilities(request.user)
    form = IndividuForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(individu),
        voir_restreint=abilities["voir_restreint"],
        type_individu=request.GET.get("type_individu"),
    )
    if form.is_bound and form.is_valid():
        try:
            changed = services.individu_modifier(
                individu=individu, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(request, _("La fiche a été mise à jour."))
            else:
                messages.info(request, _("Aucune modification : la fiche est inchangée."))
            return redirect("crm:individu", pk=individu.pk)
    url = reverse("crm:individu", args=[individu.pk])
    return render(
        request,
        "crm/usagers/individu_form.html",
        {
            "page_title": _("Modifier la fiche de %(nom)s") % {"nom": individu.nom_complet},
            "form": form,
            "individu": individu,
            **fil_ariane((url, individu.nom_complet), (None, _("Modifier"))),
        },
    )
