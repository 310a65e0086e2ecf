"""The builder page of a dispositif's draft and its actions (issue 5, "Builder"). Each
action is a POST: with htmx it answers the updated tree (templates/crm/formulaires/
includes/arbre.html), without JavaScript a redirect to the page (or the page with the
form's errors)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.nombres import entier
from crm.access import concepteur_required
from crm.formulaires import common
from crm.formulaires.forms import (
    ChampAjoutForm,
    LigneAjoutForm,
    LigneForm,
    OngletAjoutForm,
    OngletForm,
    PublierForm,
    VueCopierForm,
    apply_errors,
)
from dossiers import services
from dossiers.models import Dispositif


def _page(request, modele, *, lies=None, publier=None, copier=None, erreurs_publication=()):
    dispositif = modele.dispositif
    context = {
        "page_title": _("Formulaire de « %(titre)s »") % {"titre": dispositif.titre},
        "dispositif": dispositif,
        "publier": publier or PublierForm(),
        "copier": copier or VueCopierForm(),
        "erreurs_publication": erreurs_publication,
        **common.arbre(modele, lies),
        **common.fil_ariane(
            (None, dispositif.titre),
        ),
    }
    return render(request, "crm/formulaires/constructeur.html", context)


def _repondre(request, modele, *, ancre="", lies=None):
    """After an action: the tree (htmx) or the page (without JavaScript); a form with
    errors is shown again with them, input kept."""
    if request.htmx:
        context = {**common.arbre(modele, lies), "dispositif": modele.dispositif}
        return render(request, "crm/formulaires/includes/arbre.html", context)
    if lies:
        return _page(request, modele, lies=lies)
    return redirect(common.url_constructeur(modele, ancre))


def _sens(request) -> int:
    return -1 if request.POST.get("sens") == "haut" else 1


@concepteur_required
@require_safe
def constructeur(request, pk):
    dispositif = get_object_or_404(Dispositif, pk=pk)
    modele = services.modele_brouillon(dispositif=dispositif, by=request.user)
    return _page(request, modele)


# Onglets ------------------------------------------------------------------------------


@concepteur_required
@require_POST
def onglet_ajouter(request, pk):
    dispositif = get_object_or_404(Dispositif, pk=pk)
    modele = services.modele_brouillon(dispositif=dispositif, by=request.user)
    form = OngletAjoutForm(request.POST, prefix="ajout-onglet")
    if form.is_valid():
        onglet = services.onglet_ajouter(modele=modele, titre=form.cleaned_data["titre"])
        return _repondre(request, modele, ancre=f"onglet-{onglet.pk}")
    return _repondre(request, modele, lies={"ajout-onglet": form})


@concepteur_required
@require_POST
def onglet_modifier(request, pk):
    onglet = common.onglet_ou_404(pk)
    modele = onglet.modele
    prefixe = common.prefixe_onglet(pk)
    form = OngletForm(request.POST, prefix=prefixe, noms=services.modele_noms(modele))
    if form.is_valid():
        try:
            services.onglet_modifier(
                onglet=onglet,
                titre=form.cleaned_data["titre"],
                aide=form.cleaned_data["aide"],
                condition=form.condition_json(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, modele, ancre=f"onglet-{pk}")
    return _repondre(request, modele, lies={prefixe: form})


@concepteur_required
@require_POST
def onglet_deplacer(request, pk):
    onglet = common.onglet_ou_404(pk)
    services.onglet_deplacer(onglet=onglet, sens=_sens(request))
    return _repondre(request, onglet.modele, ancre=f"onglet-{pk}")


@concepteur_required
def onglet_supprimer(request, pk):
    onglet = common.onglet_ou_404(pk)
    if request.method == "POST" and request.POST.get("confirme"):
        services.onglet_supprimer(onglet=onglet)
        if not request.htmx:
            messages.success(request, _("L’onglet « %(t)s » a été supprimé.") % {"t": onglet.titre})
        return _repondre(request, onglet.modele)
    return _confirmer(
        request,
        onglet.modele,
        _("Supprimer l’onglet « %(t)s » et tout ce qu’il contient ?") % {"t": onglet.titre},
    )


def _confirmer(request, modele, question):
    return render(
        request,
        "crm/formulaires/confirmer.html",
        {
            "page_title": question,
            "question": question,
            "retour": common.url_constructeur(modele),
            **common.fil_ariane(
                (common.url_constructeur(modele), modele.dispositif.titre), (None, _("Supprimer"))
            ),
        },
    )


# Lignes -------------------------------------------------------------------------------


@concepteur_required
@require_POST
def ligne_ajouter(request, pk):
    onglet = common.onglet_ou_404(pk)
    prefixe = common.prefixe_ajout_ligne(pk)
    form = LigneAjoutForm(request.POST, prefix=prefixe)
    if form.is_valid():
        ligne = services.ligne_ajouter(onglet=onglet, **form.cleaned_data)
        return _repondre(request, onglet.modele, ancre=f"ligne-{ligne.pk}")
    return _repondre(request, onglet.modele, lies={prefixe: form})


@concepteur_required
@require_POST
def ligne_modifier(request, pk):
    ligne = common.ligne_ou_404(pk)
    modele = ligne.onglet.modele
    prefixe = common.prefixe_ligne(pk)
    form = LigneForm(request.POST, prefix=prefixe, noms=services.modele_noms(modele))
    if form.is_valid():
        try:
            services.ligne_modifier(
                ligne=ligne,
                colonnes=form.cleaned_data["colonnes"],
                titre_section=form.cleaned_data["titre_section"],
                condition=form.condition_json(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, modele, ancre=f"ligne-{pk}")
    return _repondre(request, modele, lies={prefixe: form})


@concepteur_required
@require_POST
def ligne_deplacer(request, pk):
    ligne = common.ligne_ou_404(pk)
    services.ligne_deplacer(ligne=ligne, sens=_sens(request))
    return _repondre(request, ligne.onglet.modele, ancre=f"ligne-{pk}")


@concepteur_required
def ligne_supprimer(request, pk):
    ligne = common.ligne_ou_404(pk)
    modele = ligne.onglet.modele
    if request.method == "POST" and request.POST.get("confirme"):
        services.ligne_supprimer(ligne=ligne)
        return _repondre(request, modele, ancre=f"onglet-{ligne.onglet_id}")
    return _confirmer(request, modele, _("Supprimer cette ligne et ses champs ?"))


# Champs -------------------------------------------------------------------------------


@concepteur_required
@require_POST
def champ_ajouter(request, pk):
    """A field in a column of a row (`?colonne=`), or (`?parent=`) a sub-field of a
    repeatable block."""
    ligne = common.ligne_ou_404(pk)
    modele = ligne.onglet.modele
    parent = None
    if (parent_pk := entier(request.GET.get("parent"))) is not None:
        parent = get_object_or_404(ligne.champs, pk=parent_pk)
    colonne = int(request.GET["colonne"]) if request.GET.get("colonne") in ("1", "2") else 1
    prefixe = common.prefixe_ajout_champ(pk, colonne, parent.pk if parent else None)
    form = ChampAjoutForm(request.POST, prefix=prefixe, sous_champ=parent is not None)
    if form.is_valid():
        try:
            champ = services.champ_ajouter(
                ligne=ligne,
                parent=parent,
                type=form.cleaned_data["type"],
                libelle=form.cleaned_data["libelle"],
                nom=form.cleaned_data["nom"],
                colonne=parent.colonne if parent else colonne,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, modele, ancre=f"champ-{champ.pk}")
    return _repondre(request, modele, lies={prefixe: form})


@concepteur_required
@require_POST
def champ_deplacer(request, pk):
    champ = common.champ_ou_404(pk)
    services.champ_deplacer(champ=champ, sens=_sens(request))
    return _repondre(request, champ.modele, ancre=f"champ-{pk}")


@concepteur_required
def champ_supprimer(request, pk):
    champ = common.champ_ou_404(pk)
    if request.method == "POST" and request.POST.get("confirme"):
        services.champ_supprimer(champ=champ)
        if not request.htmx:
            messages.success(
                request, _("Le champ « %(l)s » a été supprimé.") % {"l": champ.libelle}
            )
        return _repondre(request, champ.modele, ancre=f"ligne-{champ.ligne_id}")
    return _confirmer(
        request,
        champ.modele,
        _("Supprimer le champ « %(l)s » (%(n)s) ?") % {"l": champ.libelle, "n": champ.nom},
    )


# The model as a whole -----------------------------------------------------------------


@concepteur_required
@require_POST
def vue_copier(request, pk):
    dispositif = get_object_or_404(Dispositif, pk=pk)
    modele = services.modele_brouillon(dispositif=dispositif, by=request.user)
    form = VueCopierForm(request.POST)
    if form.is_valid():
        try:
            n = services.vue_copier(modele=modele, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Propriétés copiées pour %(n)s champ(s).") % {"n": n})
            return redirect(common.url_constructeur(modele))
    return _page(request, modele, copier=form)


@concepteur_required
@require_POST
def publier(request, pk):
    dispositif = get_object_or_404(Dispositif, pk=pk)
    modele = services.modele_brouillon(dispositif=dispositif, by=request.user)
    form = PublierForm(request.POST)
    if form.is_valid():
        try:
            modele = services.modele_publier(
                modele=modele, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            return _page(request, modele, publier=form, erreurs_publication=error.messages)
        messages.success(
            request,
            _("La version %(v)s du formulaire de « %(t)s » est publiée.")
            % {"v": modele.version, "t": dispositif.titre},
        )
        return redirect("crm:formulaires")
    return _page(request, modele, publier=form)
