"""Mon compte: personal data, profils, invitations received, security (P3, G4)."""

from copy import copy

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.sessions import sessions_ouvertes
from common.extensions import a_faire
from common.nombres import entier
from dossiers import selectors_suivi, suivi
from dossiers.editique import documents_deposes
from dossiers.selectors import brouillons_de
from dossiers.services_edition import brouillons_avec_expiration
from notifications import selectors as selectors_notifications
from notifications import services as services_notifications
from portal.compte import (
    adhesion_courante,
    fil_ariane,
    individu_de,
    lignes_remplies,
    profil_courant_choisir,
)
from portal.forms import IndividuForm
from usagers.selectors import (
    adhesions_avec_effectif,
    connexions_recentes,
    invitations_ouvertes_recues,
    profils_de_user,
)
from usagers.services import compte_initialiser, individu_modifier

BROUILLONS_MAX = 20
DOCUMENTS_MAX = 20
DEMANDES_EN_COURS_MAX = 5

INDIVIDU_CHAMPS = [
    "civilite",
    "prenom",
    "nom",
    "nom_usage",
    "date_naissance",
    "lieu_naissance",
    "telephone_mobile",
    "telephone_fixe",
]


@login_required
@require_safe
def account(request):
    user = request.user
    individu = individu_de(user)
    adhesions = adhesions_avec_effectif(individu)
    if not any(adhesion.profil.personnel for adhesion in adhesions):
        compte_initialiser(user=user)  # an individu known before the account had none
        adhesions = adhesions_avec_effectif(individu)
    en_cours = list(
        selectors_suivi.demandes_de(user, etat=selectors_suivi.EN_COURS)[:DEMANDES_EN_COURS_MAX]
    )
    etats = suivi.etats(en_cours, usager=True)
    context = {
        "page_title": _("Mon compte"),
        # What waits for the citizen (P9): each registered provider's items.
        "a_faire": a_faire(user),
        "demandes_en_cours": [{"dossier": d, "etat": etats[d.pk]} for d in en_cours],
        "individu": individu,
        "donnees": [
            *lignes_remplies(individu, INDIVIDU_CHAMPS),
            (_("Adresse électronique"), [user.email]),
            (_("Inscrit depuis le"), [timezone.localdate(user.date_joined)]),
        ],
        "adhesions": adhesions,
        "courante": adhesion_courante(request, adhesions),
        "invitations": invitations_ouvertes_recues(user.email),
        "connexions": connexions_recentes(user),
        "sessions_ouvertes": sessions_ouvertes(user),
        "mfa_active": is_mfa_enabled(user),
        "brouillons": brouillons_avec_expiration(brouillons_de(user)[:BROUILLONS_MAX]),
        "documents": list(documents_deposes(user)[:DOCUMENTS_MAX]),
    }
    return render(request, "portal/account.html", context)


@login_required
@require_safe
def document(request, pk):
    """A document the authority deposited in the citizen's space (one of their dossiers);
    anyone else's is not found."""
    document = get_object_or_404(documents_deposes(request.user), pk=pk)
    try:
        fichier = document.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fichier, as_attachment=True, filename=document.nom_fichier)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request):
    individu = individu_de(request.user)
    # The form validates a copy: the service compares the data with the record as stored.
    form = IndividuForm(request.POST or None, instance=copy(individu))
    if form.is_valid():
        try:
            individu_modifier(individu=individu, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Vos informations personnelles sont enregistrées."))
            return redirect("portal:account")
    context = {
        "page_title": _("Mes informations personnelles"),
        "breadcrumb_links": fil_ariane(),
        "form": form,
    }
    return render(request, "portal/account_edit.html", context)


@login_required
@require_POST
def profil_switch(request):
    """Act for another of the account's profils (kept in the session)."""
    pk = entier(request.POST.get("profil"))
    if pk is None:
        raise Http404
    profil = get_object_or_404(profils_de_user(request.user), pk=pk)
    profil_courant_choisir(request, profil)
    messages.success(
        request, _("Vous agissez maintenant pour le profil « %(nom)s ».") % {"nom": profil.nom}
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "portal:account"
    return redirect(target)


@require_safe
@login_required
def notifications(request):
    """The citizen's in-app notices (the bell); those shown are marked read."""
    liste = services_notifications.notifications_consulter(request.user)
    context = {"page_title": _("Mes notifications"), "notifications": liste}
    return render(request, "portal/notifications.html", context)


@require_safe
@login_required
def notifications_compteur(request):
    """htmx: the header's bell with the unread count."""
    context = {
        "url": reverse("portal:notifications"),
        "non_lues": selectors_notifications.non_lues(request.user),
    }
    return render(request, "notifications/includes/cloche_lien.html", context)
