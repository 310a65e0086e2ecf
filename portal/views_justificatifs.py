"""Justificatifs on the portal (P12): a dossier's tab (upload, re-upload after refusal or
expiry, reuse of a profil's document, versions), the profil's own documents, and the one
view through which every file is read (access checked, never a storage URL).

The tab is not @login_required: a hors-compte visitor reaches it through the session
(`dossier_de_la_requete` 404s for anybody else)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.extensions import AFaire, OngletDossier, register_a_faire, register_onglet_portail
from common.telechargement import reponse_fichier
from common.uploads import FORMATS_JUSTIFICATIFS
from dossiers import services_justificatifs as services
from dossiers.selectors_justificatifs import (
    a_fournir_compteur,
    documents_reutilisables,
    justificatifs_du_dossier,
    justificatifs_manquants,
    version_pour_usager,
)
from portal.dossier_page import contexte_dossier, dossier_de_la_requete, dossiers_accessibles
from portal.forms_justificatifs import DepotForm, DocumentProfilForm, RepriseForm
from portal.views_profils import _profil_page
from usagers.selectors import profils_de_user, profils_de_user_pour_page
from usagers.services import droits_sur_profil


def _aide_formats(justificatif) -> str:
    formats, taille_max = services.regle(justificatif)
    return _("Formats acceptés : %(formats)s. Taille maximale : %(taille)s.") % {
        "formats": ", ".join(FORMATS_JUSTIFICATIFS[f][1] for f in formats),
        "taille": filesizeformat(taille_max),
    }


def _accept(justificatif) -> str:
    formats, _taille = services.regle(justificatif)
    return ",".join(FORMATS_JUSTIFICATIFS[f][0] for f in formats)


@require_http_methods(["GET", "POST"])
def dossier_justificatifs(request, pk):
    dossier = dossier_de_la_requete(request, pk)
    justificatifs = justificatifs_du_dossier(dossier, usager=True)
    formulaires: dict[int, forms.Form] = {}
    status = 200
    if request.method == "POST":
        cible = next(
            (j for j in justificatifs if str(j.pk) == request.POST.get("justificatif", "")), None
        )
        if cible is None:
            raise Http404
        if request.POST.get("action") == "reutiliser":
            form = RepriseForm(request.POST)
            if form.is_valid():
                source = next(
                    (
                        v
                        for v in services.reutilisables(cible)
                        if v.pk == form.cleaned_data["version"]
                    ),
                    None,
                )
                if source is None:
                    raise Http404
                services.version_reutiliser(justificatif=cible, source=source, user=request.user)
                messages.success(
                    request,
                    _("Le document du profil est repris pour « %(nom)s ».") % {"nom": cible.nom},
                )
                return redirect("portal:dossier_justificatifs", pk=dossier.pk)
            raise Http404
        form = DepotForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.version_deposer(
                    justificatif=cible,
                    upload=form.cleaned_data["fichier"],
                    user=request.user,
                    commentaire=form.cleaned_data["commentaire"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Votre document « %(nom)s » est envoyé.") % {"nom": cible.nom}
                )
                return redirect("portal:dossier_justificatifs", pk=dossier.pk)
        formulaires[cible.pk] = form
        status = 400
    reutilisables = documents_reutilisables(dossier)
    lignes = []
    for justificatif in justificatifs:
        # A refused upload's form stays shown with its error, whatever the status now.
        peut_deposer = justificatif.peut_deposer() or justificatif.pk in formulaires
        lignes.append(
            {
                "justificatif": justificatif,
                "peut_deposer": peut_deposer,
                "form": formulaires.get(justificatif.pk) or (DepotForm() if peut_deposer else None),
                "aide": _aide_formats(justificatif) if peut_deposer else "",
                "accept": _accept(justificatif) if peut_deposer else "",
                "reprises": reutilisables.get(justificatif.type_id, []) if peut_deposer else [],
                "versions": list(justificatif.versions.all()),
            }
        )
    context = {**contexte_dossier(request, dossier, "justificatifs"), "lignes": lignes}
    return render(request, "portal/dossiers/justificatifs.html", context, status=status)


@require_safe
def justificatif_fichier(request, pk):
    """A version's file, for whoever may see it: a piece of a dossier this request may
    open (visible to the citizen), or a document of one of the account's profils."""
    version = version_pour_usager(dossiers_accessibles(request), profils_de_user(request.user), pk)
    if version is None:
        raise Http404
    return reponse_fichier(version.fichier, nom=version.nom, type_mime=version.type_mime)


# --- Profil documents ------------------------------------------------------------------


def _membre(profil, user):
    return next(m for m in profil.adhesions.all() if m.individu.user_id == user.pk)


@login_required
@require_POST
def profil_document(request, pk):
    """Upload (or replace) a document kept on the profil: responsables only."""
    profil = get_object_or_404(profils_de_user_pour_page(request.user), pk=pk)
    if not droits_sur_profil(profil=profil, membre=_membre(profil, request.user))["documents"]:
        raise PermissionDenied
    form = DocumentProfilForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profil_document_deposer(
                profil=profil,
                type_justificatif=form.cleaned_data["type"],
                upload=form.cleaned_data["fichier"],
                user=request.user,
                commentaire=form.cleaned_data["commentaire"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le document est ajouté au profil."))
            return redirect("portal:profil_detail", pk=profil.pk)
    return _profil_page(request, profil, document_form=form, status=400)


# --- Registration (PortalConfig.ready) ---------------------------------------------------


def justificatifs_a_fournir(user) -> list[AFaire]:
    """« Mon compte » (P9): the mandatory pieces missing on the citizen's dossiers. One
    query."""
    if user is None or not user.is_authenticated:
        return []
    return [
        AFaire(
            libelle=_("Fournir « %(nom)s »") % {"nom": justificatif.nom},
            url=reverse("portal:dossier_justificatifs", args=[justificatif.dossier_id]),
            categorie="justificatifs",
            detail=f"{justificatif.dossier.dispositif.titre} — {justificatif.dossier.reference}"
            + (
                f" ({justificatif.get_statut_display().lower()})"
                if justificatif.statut != justificatif.Statut.ATTENDU
                else ""
            ),
        )
        for justificatif in justificatifs_manquants(user)
    ]


def register() -> None:
    register_onglet_portail(
        OngletDossier(
            code="justificatifs",
            libelle=gettext_lazy("Justificatifs"),
            url_name="portal:dossier_justificatifs",
            ordre=30,
            compteur=a_fournir_compteur,
        )
    )
    register_a_faire("justificatifs", justificatifs_a_fournir)
