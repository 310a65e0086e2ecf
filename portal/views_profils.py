"""Profils on the portal: create, show, edit, invite, leave; the invitation link (P4)."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dossiers.selectors_justificatifs import documents_du_profil
from portal.compte import PROFIL_COURANT, fil_ariane, individu_de, lignes_remplies
from portal.forms import InvitationForm, ProfilForm
from portal.forms_justificatifs import DocumentProfilForm
from usagers.models import Membre
from usagers.selectors import (
    invitations_par_lien,
    profils_de_user,
    profils_de_user_pour_page,
    types_profil_creables,
)
from usagers.services import (
    ActionRefusee,
    droits_sur_profil,
    invitation_accepter,
    invitation_creer,
    invitation_refuser,
    invitation_revoquer,
    invitation_verifier,
    membre_retirer,
    profil_creer,
    profil_modifier,
    profil_quitter,
)

PROFIL_CHAMPS = ["nature", "sigle", "siret", "rna", "email", "telephone", "site_web", "iban", "bic"]


def _profil_page(request, profil, *, invitation_form=None, document_form=None, status=200):

    membre = next(m for m in profil.adhesions.all() if m.individu.user_id == request.user.pk)
    droits = droits_sur_profil(profil=profil, membre=membre)
    context = {
        "page_title": profil.nom,
        "breadcrumb_links": fil_ariane(),
        "profil": profil,
        "membre": membre,
        "droits": droits,
        "donnees": lignes_remplies(profil, PROFIL_CHAMPS),
        "invitation_form": invitation_form or (InvitationForm() if droits["inviter"] else None),
        # « Documents du profil » (justificatifs kept on the profil, P12)
        "documents": documents_du_profil(profil),
        "document_form": document_form or _document_form(droits),
    }
    return render(request, "portal/profil_detail.html", context, status=status)


def _document_form(droits):
    """The profil documents' upload form, for those allowed, when a type is offered."""
    if not droits["documents"]:
        return None
    form = DocumentProfilForm()
    return form if form.fields["type"].queryset.exists() else None


def _lien_invitation(request):
    return lambda invitation: request.build_absolute_uri(
        reverse("portal:invitation", kwargs={"token": invitation.token})
    )


@login_required
@require_http_methods(["GET", "POST"])
def profil_create(request):
    """First the kind of profil (association, entreprise…), then its form."""
    types = types_profil_creables()
    code = request.POST.get("type") or request.GET.get("type")
    type_profil = next((t for t in types if t.code == code), None)
    if type_profil is None:
        context = {
            "page_title": _("Créer un profil"),
            "breadcrumb_links": fil_ariane(),
            "types": types,
        }
        return render(request, "portal/profil_type.html", context)
    form = ProfilForm(request.POST or None, type_profil=type_profil)
    if form.is_valid():
        try:
            profil = profil_creer(
                by=request.user,
                responsable=individu_de(request.user),
                type_profil=type_profil,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le profil « %(nom)s » est créé.") % {"nom": profil.nom})
            return redirect("portal:profil_detail", pk=profil.pk)
    context = {
        "page_title": _("Créer un profil : %(type)s") % {"type": type_profil.libelle.lower()},
        "breadcrumb_links": fil_ariane((_("Créer un profil"), reverse("portal:profil_create"))),
        "form": form,
        "type_profil": type_profil,
    }
    return render(request, "portal/profil_form.html", context)


@login_required
@require_safe
def profil_detail(request, pk):
    profil = get_object_or_404(profils_de_user_pour_page(request.user), pk=pk)
    return _profil_page(request, profil)


@login_required
@require_http_methods(["GET", "POST"])
def profil_edit(request, pk):
    profil = get_object_or_404(profils_de_user_pour_page(request.user), pk=pk)
    membre = next(m for m in profil.adhesions.all() if m.individu.user_id == request.user.pk)
    if not droits_sur_profil(profil=profil, membre=membre)["modifier"]:
        raise PermissionDenied
    # The form validates a copy: the service compares the data with the record as stored.
    form = ProfilForm(request.POST or None, instance=copy(profil), type_profil=profil.type_profil)
    if form.is_valid():
        try:
            profil_modifier(profil=profil, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le profil est enregistré."))
            return redirect("portal:profil_detail", pk=profil.pk)
    context = {
        "page_title": _("Modifier le profil"),
        "breadcrumb_links": fil_ariane(
            (profil.nom, reverse("portal:profil_detail", kwargs={"pk": profil.pk}))
        ),
        "form": form,
        "type_profil": profil.type_profil,
        "profil": profil,
    }
    return render(request, "portal/profil_form.html", context)


@login_required
@require_POST
def profil_invite(request, pk):
    profil = get_object_or_404(profils_de_user_pour_page(request.user), pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_creer(
                profil=profil,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                lien=_lien_invitation(request),
            )
        except ActionRefusee as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("Une invitation est envoyée à %(email)s.") % {"email": invitation.email},
            )
            return redirect("portal:profil_detail", pk=profil.pk)
    return _profil_page(request, profil, invitation_form=form)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    profil = get_object_or_404(profils_de_user(request.user), pk=pk)
    invitation = get_object_or_404(profil.invitations.all(), pk=invitation_pk)
    try:
        invitation_revoquer(invitation=invitation, by=request.user)
    except ActionRefusee as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("L’invitation de %(email)s est révoquée.") % {"email": invitation.email}
        )
    return redirect("portal:profil_detail", pk=profil.pk)


@login_required
@require_POST
def membre_remove(request, pk, membre_pk):
    profil = get_object_or_404(profils_de_user(request.user), pk=pk)
    membre = get_object_or_404(
        Membre.objects.filter(profil=profil).select_related("individu", "role", "profil"),
        pk=membre_pk,
    )
    try:
        membre_retirer(membre=membre, by=request.user)
    except ActionRefusee as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(nom)s ne fait plus partie du profil.") % {"nom": membre.individu.nom_complet},
        )
    return redirect("portal:profil_detail", pk=profil.pk)


@login_required
@require_POST
def profil_leave(request, pk):
    profil = get_object_or_404(profils_de_user(request.user), pk=pk)
    try:
        profil_quitter(profil=profil, individu=individu_de(request.user), by=request.user)
    except ActionRefusee as error:
        messages.error(request, error.messages[0])
        return redirect("portal:profil_detail", pk=profil.pk)
    if request.session.get(PROFIL_COURANT) == profil.pk:
        del request.session[PROFIL_COURANT]
    messages.success(request, _("Vous avez quitté le profil « %(nom)s ».") % {"nom": profil.nom})
    return redirect("portal:account")


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The emailed link: who invites to which profil; sign in, then accept or decline.
    An invitation no longer open answers 410 Gone with the reason."""
    invitation = get_object_or_404(invitations_par_lien(), token=token)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        if user is None:
            return redirect_to_login(request.get_full_path())
        decision = request.POST.get("decision")
        try:
            invitation_verifier(invitation=invitation, user=user)
            if decision == "accepter":
                invitation_accepter(invitation=invitation, user=user)
                messages.success(
                    request,
                    _("Vous êtes maintenant membre du profil « %(nom)s ».")
                    % {"nom": invitation.profil.nom},
                )
                return redirect("portal:profil_detail", pk=invitation.profil_id)
            if decision == "refuser":
                invitation_refuser(invitation=invitation, user=user)
                messages.info(request, _("Vous avez refusé l’invitation."))
                return redirect("portal:account")
        except ActionRefusee:
            pass  # the page below says why
    try:
        invitation_verifier(invitation=invitation, user=user)
        refus = ""
    except ActionRefusee as error:
        refus = error.messages[0]
    context = {
        "page_title": _("Invitation à rejoindre un profil"),
        "invitation": invitation,
        "refus": refus,
        "ouverte": invitation.ouverte,
    }
    return render(
        request, "portal/invitation.html", context, status=200 if invitation.ouverte else 410
    )
