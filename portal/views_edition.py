"""Who edits a dossier (F14, P7, F10): drafts deleted from Mon compte, the partage tab
(co-editors, transfer), the pages accepting an invitation or a transfer, filing on
behalf of someone, and « Modifier ma demande » on a filed dossier. Views parse, call one
verb of dossiers.services_edition, render."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.nombres import entier
from dossiers import services, services_edition, suivi
from dossiers.models import Dispositif, Dossier, StatutJeton, Vue
from dossiers.selectors import (
    brouillons_du_dispositif,
    invitation_dossier_ouverte,
    partage_du_dossier,
    transfert_ouvert,
)
from portal import views_wizard
from portal.compte import fil_ariane
from portal.dossier_page import contexte_dossier, dossier_de_la_requete
from portal.forms_edition import EmailForm, TiersForm


def _message(erreur: ValidationError) -> str:
    return erreur.messages[0] if erreur.messages else _("Action impossible.")


def url_du_dossier(dossier: Dossier) -> str:
    """Where a dossier's page is: the wizard for a draft, else its Suivi tab."""
    if dossier.statut == Dossier.Statut.BROUILLON:
        return reverse("portal:demande_reprendre", args=[dossier.pk])
    return reverse("portal:dossier", args=[dossier.pk])


def _lien(request, nom: str):
    return lambda jeton: request.build_absolute_uri(reverse(nom, args=[jeton.token]))


# --- Drafts ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def brouillon_supprimer(request, pk):
    dossier = get_object_or_404(
        Dossier.objects.select_related("dispositif").filter(
            cree_par=request.user, statut=Dossier.Statut.BROUILLON
        ),
        pk=pk,
    )
    if request.method == "POST":
        services_edition.brouillon_supprimer(dossier=dossier, user=request.user)
        messages.success(
            request,
            _("Votre brouillon « %(titre)s » est supprimé.") % {"titre": dossier.dispositif.titre},
        )
        return redirect("portal:account")
    context = {
        "page_title": _("Supprimer un brouillon"),
        "breadcrumb_links": fil_ariane(),
        "dossier": dossier,
        "expire_le": services_edition.brouillon_expire_le(dossier),
    }
    return render(request, "portal/edition/brouillon_supprimer.html", context)


def brouillons_limite(request, dossier: Dossier, refus: ValidationError):
    """The wizard's « Enregistrer et continuer plus tard » refused (brouillons_max): the
    drafts to resume or delete; what was typed stays in the session."""
    context = {
        "page_title": _("Nombre maximum de brouillons atteint"),
        "breadcrumb_links": [
            {"label": _("Démarches"), "url": reverse("portal:catalogue")},
            {"label": dossier.dispositif.titre, "url": dossier.dispositif.get_absolute_url()},
        ],
        "dispositif": dossier.dispositif,
        "refus": _message(refus),
        "brouillons": [
            (b, services_edition.brouillon_expire_le(b))
            for b in brouillons_du_dispositif(request.user, dossier.dispositif).select_related(
                "dispositif"
            )
        ],
    }
    return render(request, "portal/edition/brouillons_limite.html", context)


# --- Partage tab (co-editors, transfer) ---------------------------------------------------


def est_auteur(dossier: Dossier, user) -> bool:
    return user.is_authenticated and dossier.cree_par_id == user.pk


def _dossier_de_l_auteur(request, pk) -> Dossier:
    dossier = dossier_de_la_requete(request, pk)
    if not est_auteur(dossier, request.user):
        raise Http404
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
def dossier_partage(request, pk):
    dossier = _dossier_de_l_auteur(request, pk)
    invitation_form = EmailForm(prefix="invitation")
    transfert_form = EmailForm(prefix="transfert")
    if request.method == "POST":
        action = request.POST.get("action")
        form = EmailForm(
            request.POST, prefix=action if action in ("invitation", "transfert") else ""
        )
        if action == "invitation":
            invitation_form = form
        elif action == "transfert":
            transfert_form = form
        else:
            raise Http404
        if form.is_valid():
            try:
                if action == "invitation":
                    services_edition.invitation_creer(
                        dossier=dossier,
                        email=form.cleaned_data["email"],
                        by=request.user,
                        lien=_lien(request, "portal:partage_accepter"),
                    )
                    messages.success(
                        request,
                        _("Invitation envoyée à %(email)s.")
                        % {"email": form.cleaned_data["email"]},
                    )
                else:
                    services_edition.transfert_proposer(
                        dossier=dossier,
                        email=form.cleaned_data["email"],
                        by=request.user,
                        lien=_lien(request, "portal:transfert_accepter"),
                    )
                    messages.success(
                        request,
                        _("Transfert proposé à %(email)s.") % {"email": form.cleaned_data["email"]},
                    )
                return redirect("portal:dossier_partage", pk=dossier.pk)
            except ValidationError as erreur:
                if hasattr(erreur, "error_dict"):
                    for message in erreur.message_dict.get("email", []):
                        form.add_error("email", message)
                else:
                    form.add_error("email", _message(erreur))
    context = {
        **contexte_dossier(request, dossier, "partage"),
        **partage_du_dossier(dossier),
        "invitation_form": invitation_form,
        "transfert_form": transfert_form,
        "peut_modifier": dossier.statut != Dossier.Statut.BROUILLON
        and suivi.usager_peut_modifier(dossier),
    }
    return render(request, "portal/edition/partage.html", context)


@login_required
@require_POST
def invitation_dossier_revoquer(request, pk, invitation_pk):
    dossier = _dossier_de_l_auteur(request, pk)
    invitation = get_object_or_404(dossier.invitations, pk=invitation_pk)
    services_edition.invitation_revoquer(invitation=invitation, by=request.user)
    messages.success(
        request, _("L’invitation à %(email)s est annulée.") % {"email": invitation.email}
    )
    return redirect("portal:dossier_partage", pk=dossier.pk)


@login_required
@require_POST
def coediteur_retirer(request, pk, coediteur_pk):
    dossier = _dossier_de_l_auteur(request, pk)
    coediteur = get_object_or_404(dossier.coediteurs.select_related("user"), pk=coediteur_pk)
    services_edition.coediteur_retirer(coediteur=coediteur, by=request.user)
    messages.success(
        request, _("%(email)s ne complète plus cette demande.") % {"email": coediteur.user.email}
    )
    return redirect("portal:dossier_partage", pk=dossier.pk)


@login_required
@require_POST
def transfert_annuler(request, pk):
    dossier = _dossier_de_l_auteur(request, pk)
    for transfert in dossier.transferts.filter(statut=StatutJeton.EN_ATTENTE):
        services_edition.transfert_annuler(transfert=transfert, by=request.user)
    messages.success(request, _("Le transfert est annulé."))
    return redirect("portal:dossier_partage", pk=dossier.pk)


def _page_jeton(request, jeton, *, nature: str, accepter, url_reussite):
    """The page of an invitation or transfer link: GET describes it, POST accepts."""
    refus = ""
    if jeton is None or jeton.statut != StatutJeton.EN_ATTENTE or jeton.expiree:
        refus = _("Ce lien n’est plus valable : il a expiré, a déjà servi ou a été annulé.")
        jeton = None
    elif request.method == "POST":
        try:
            dossier = accepter(token=jeton.token, user=request.user)
        except ValidationError as erreur:
            refus = _message(erreur)
        else:
            if nature == "partage":
                messages.success(request, _("Vous pouvez désormais compléter cette demande."))
                dossier = dossier.dossier
            else:
                messages.success(request, _("Cette demande est désormais la vôtre."))
            return redirect(url_reussite(dossier))
    titre = (
        _("Invitation à compléter une demande") if nature == "partage" else _("Demande à reprendre")
    )
    context = {
        "page_title": titre,
        "breadcrumb_links": fil_ariane(),
        "jeton": jeton,
        "nature": nature,
        "refus": refus,
    }
    return render(request, "portal/edition/jeton.html", context, status=200 if jeton else 410)


@login_required
@require_http_methods(["GET", "POST"])
def partage_accepter(request, token):
    return _page_jeton(
        request,
        invitation_dossier_ouverte(token),
        nature="partage",
        accepter=services_edition.invitation_accepter,
        url_reussite=url_du_dossier,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfert_accepter(request, token):
    return _page_jeton(
        request,
        transfert_ouvert(token),
        nature="transfert",
        accepter=functools.partial(
            services_edition.transfert_accepter,
            mes_demandes=request.build_absolute_uri(reverse("portal:dossiers")),
        ),
        url_reussite=url_du_dossier,
    )


# --- On behalf (P7) ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def demande_pour_autrui(request, slug):
    dispositif = get_object_or_404(
        Dispositif.objects.publies().filter(depot_pour_autrui=True, depot_avec_compte=True),
        slug=slug,
    )
    if services.modele_publie(dispositif) is None:
        raise Http404
    form = TiersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tiers = services_edition.tiers_enregistrer(by=request.user, **form.cleaned_data)
        dossier = services_edition.dossier_commencer_pour_autrui(
            dispositif=dispositif, user=request.user, tiers=tiers, saisie=form.cleaned_data
        )
        request.session[views_wizard._cle(dispositif)] = views_wizard._etat(dossier)
        return redirect("portal:demande", slug=dispositif.slug)
    context = {
        "page_title": _("Faire une demande pour un proche"),
        "breadcrumb_links": [
            {"label": _("Démarches"), "url": reverse("portal:catalogue")},
            {"label": dispositif.titre, "url": dispositif.get_absolute_url()},
        ],
        "dispositif": dispositif,
        "form": form,
    }
    return render(request, "portal/edition/pour_autrui.html", context)


# --- « Modifier ma demande » (F10) ---------------------------------------------------------

MODIFICATION_PREFIX = "guichet_modification_"


@login_required
@require_http_methods(["GET", "POST"])
def dossier_modifier(request, pk):
    """The wizard on a filed dossier's data: every step validated again, saved as a
    modification (the reference kept); what is typed stays in the session meanwhile."""
    dossier = dossier_de_la_requete(request, pk)
    if dossier.statut == Dossier.Statut.BROUILLON:
        return redirect("portal:demande_reprendre", pk=dossier.pk)
    retour = url_du_dossier(dossier)
    if not suivi.usager_peut_modifier(dossier):
        messages.error(request, _("Cette demande ne peut plus être modifiée."))
        return redirect(retour)
    cle = f"{MODIFICATION_PREFIX}{dossier.pk}"
    etat = request.session.get(cle)
    if not isinstance(etat, dict):
        etat = {"donnees": dossier.donnees, "etape": 0}
    dossier.donnees = dict(etat.get("donnees") or {})
    # Tabs the guide closed for this dossier (« Onglet par vue ») are not offered.
    surcharges = suivi.onglets_vue(dossier, Vue.INTERNET)
    onglets = [
        o
        for o in services.modele_structure(dossier.modele).onglets
        if not suivi.onglet_ferme(surcharges, o)
    ]
    etapes = services.etapes_visibles(dossier, onglets)
    if not etapes:
        raise Http404
    index = min(max(int(etat.get("etape") or 0), 0), len(etapes) - 1)
    if request.method == "GET":
        return views_wizard._page(request, dossier, etapes, index, modification=True)

    action = request.POST.get(views_wizard.CHAMP_ACTION, "suivant")
    if action == "annuler":
        request.session.pop(cle, None)
        messages.info(request, _("Vos modifications ne sont pas enregistrées."))
        return redirect(retour)
    choisie = entier(request.POST.get(views_wizard.CHAMP_ETAPE))
    if choisie is not None and choisie < len(etapes):
        index = choisie
    onglet = etapes[index]
    if action.startswith(("ajouter:", "supprimer:")):
        modifiees = services.etape_modifier_bloc(onglet=onglet, data=request.POST, action=action)
        return views_wizard._page(
            request, dossier, etapes, index, data=modifiees or request.POST, modification=True
        )
    cleaned, erreurs = services.etape_valider(
        dossier=dossier, onglet=onglet, data=request.POST, user=request.user
    )
    cleaned = {**services.valeurs_partielles(erreurs), **cleaned}
    if action == "precedent":
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
        request.session[cle] = {"donnees": dossier.donnees, "etape": max(index - 1, 0)}
        return redirect("portal:dossier_modifier", pk=dossier.pk)
    if erreurs:
        return views_wizard._page(
            request, dossier, etapes, index, data=request.POST, erreurs=erreurs, modification=True
        )
    services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    etapes = services.etapes_visibles(dossier, onglets)
    index = next((i for i, o in enumerate(etapes) if o.pk == onglet.pk), index)
    if action == "deposer" and index + 1 >= len(etapes):
        try:
            changes = services_edition.dossier_modifier(
                dossier=dossier, donnees=dossier.donnees, user=request.user
            )
        except services_edition.ModificationRefusee as refus:
            request.session[cle] = {"donnees": dossier.donnees, "etape": refus.etape}
            messages.error(request, refus.messages[0])
            return views_wizard._page(
                request, dossier, etapes, refus.etape, erreurs=refus.erreurs, modification=True
            )
        except ValidationError as erreur:
            request.session.pop(cle, None)
            messages.error(request, _message(erreur))
            return redirect(retour)
        request.session.pop(cle, None)
        if changes:
            messages.success(request, _("Vos modifications sont enregistrées."))
        else:
            messages.info(request, _("Vous n’avez rien modifié."))
        return redirect(retour)
    request.session[cle] = {"donnees": dossier.donnees, "etape": min(index + 1, len(etapes) - 1)}
    return redirect("portal:dossier_modifier", pk=dossier.pk)
