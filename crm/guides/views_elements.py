"""Editing a draft guide version in the builder: étapes, statuts and actions. Each
change is a POST: with htmx it answers the updated tree (templates/crm/guides/includes/
arbre.html), without JavaScript a redirect to the version's page (or the page with the
form's errors, input kept). The services refuse any change to a non-draft version."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.access import concepteur_required
from crm.formulaires.forms import apply_errors
from crm.guides import common
from crm.guides.forms import (
    EtapeAjoutForm,
    EtapeForm,
    StatutAjoutForm,
    StatutForm,
    TypeActionForm,
    config_form,
)
from crm.guides.views import page_version
from instruction import actions, selectors_guide, services_guide
from instruction.models import Statut, VersionGuide


def _version(pk):
    return selectors_guide.version_du_constructeur(pk).get()


def _repondre(request, version_id, *, ancre="", lies=None, erreur=""):
    """After a change: the tree (htmx) or the page (without JavaScript)."""
    version = _version(version_id)
    if request.htmx:
        context = {**common.arbre(version, lies), "erreur": erreur}
        response = render(request, "crm/guides/includes/arbre.html", context)
        # A panel (an action's form) posts into itself; its success replaces the tree.
        response["HX-Retarget"] = "#guide"
        response["HX-Reswap"] = "outerHTML"
        return response
    if lies or erreur:
        return page_version(request, version, lies=lies, erreur=erreur)
    return redirect(common.url_version(version_id, ancre))


def _sens(request) -> int:
    return -1 if request.POST.get("sens") == "haut" else 1


def _faire(request, version_id, service, *, ancre="", **kwargs):
    """Run a move or a deletion; a refusal is shown above the tree."""
    try:
        service(**kwargs)
    except ValidationError as error:
        return _repondre(request, version_id, erreur=" ".join(error.messages))
    return _repondre(request, version_id, ancre=ancre)


def _confirmer(request, version_id, question):
    version = _version(version_id)
    url = common.url_version(version_id)
    return render(
        request,
        "crm/formulaires/confirmer.html",
        {
            "page_title": question,
            "question": question,
            "retour": url,
            **common.fil_ariane((url, common.titre_version(version)), (None, _("Supprimer"))),
        },
    )


# Étapes -------------------------------------------------------------------------------


@concepteur_required
@require_POST
def etape_ajouter(request, pk):
    version = get_object_or_404(
        selectors_guide.version_du_constructeur(pk), etat=VersionGuide.Etat.BROUILLON
    )
    form = EtapeAjoutForm(request.POST, prefix=common.PREFIXE_AJOUT_ETAPE)
    if form.is_valid():
        try:
            etape = services_guide.etape_ajouter(version=version, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, pk, ancre=f"etape-{etape.pk}")
    return _repondre(request, pk, lies={common.PREFIXE_AJOUT_ETAPE: form})


@concepteur_required
@require_POST
def etape_modifier(request, pk):
    etape = common.etape_ou_404(pk)
    prefixe = common.prefixe_etape(pk)
    form = EtapeForm(request.POST, prefix=prefixe)
    if form.is_valid():
        try:
            services_guide.etape_modifier(etape=etape, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, etape.version_id, ancre=f"etape-{pk}")
    return _repondre(request, etape.version_id, lies={prefixe: form})


@concepteur_required
@require_POST
def etape_deplacer(request, pk):
    etape = common.etape_ou_404(pk)
    return _faire(
        request,
        etape.version_id,
        services_guide.etape_deplacer,
        ancre=f"etape-{pk}",
        etape=etape,
        sens=_sens(request),
    )


@concepteur_required
def etape_supprimer(request, pk):
    etape = common.etape_ou_404(pk)
    if request.method == "POST" and request.POST.get("confirme"):
        return _faire(request, etape.version_id, services_guide.etape_supprimer, etape=etape)
    return _confirmer(
        request,
        etape.version_id,
        _("Supprimer l’étape « %(e)s », ses statuts et leurs actions ?") % {"e": etape.libelle},
    )


# Statuts ------------------------------------------------------------------------------


@concepteur_required
@require_POST
def statut_ajouter(request, pk):
    etape = common.etape_ou_404(pk)
    prefixe = common.prefixe_ajout_statut(pk)
    form = StatutAjoutForm(request.POST, prefix=prefixe)
    if form.is_valid():
        try:
            statut = services_guide.statut_ajouter(etape=etape, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, etape.version_id, ancre=f"statut-{statut.pk}")
    return _repondre(request, etape.version_id, lies={prefixe: form})


@concepteur_required
@require_POST
def statut_modifier(request, pk):
    statut = common.statut_ou_404(pk)
    version = statut.version
    prefixe = common.prefixe_statut(pk)
    form = StatutForm(
        request.POST,
        prefix=prefixe,
        etapes=list(version.etapes.order_by("ordre", "pk")),
        statuts=list(Statut.objects.filter(version=version)),
        statut_pk=statut.pk,
    )
    if form.is_valid():
        etape = next(e for e in version.etapes.all() if e.pk == form.cleaned_data["etape"])
        try:
            services_guide.statut_modifier(
                statut=statut,
                etape=etape,
                suivants=form.cleaned_data["suivants"],
                **form.proprietes(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, version.pk, ancre=f"statut-{pk}")
    return _repondre(request, version.pk, lies={prefixe: form})


@concepteur_required
@require_POST
def statut_deplacer(request, pk):
    statut = common.statut_ou_404(pk)
    return _faire(
        request,
        statut.version_id,
        services_guide.statut_deplacer,
        ancre=f"statut-{pk}",
        statut=statut,
        sens=_sens(request),
    )


@concepteur_required
def statut_supprimer(request, pk):
    statut = common.statut_ou_404(pk)
    if request.method == "POST" and request.POST.get("confirme"):
        return _faire(request, statut.version_id, services_guide.statut_supprimer, statut=statut)
    return _confirmer(
        request,
        statut.version_id,
        _("Supprimer le statut « %(s)s » et ses actions ?") % {"s": statut.libelle},
    )


# Actions ------------------------------------------------------------------------------


def _action_panneau(request, statut, *, type_form, type_=None, form=None, action=None):
    """The action's form: the type to pick, then the type's own config form. A page of
    its own without JavaScript; with htmx, a panel opened in the statut's card."""
    context = {
        "statut": statut,
        "version": statut.version,
        "type_form": type_form,
        "type_action": type_,
        "form": form,
        "action": action,
        "page_title": (
            _("Modifier l’action « %(a)s »") % {"a": type_.libelle}
            if action
            else _("Ajouter une action au statut « %(s)s »") % {"s": statut.libelle}
        ),
        **common.fil_ariane(
            (common.url_version(statut.version_id), common.titre_version(statut.version)),
            (None, _("Action")),
        ),
    }
    if request.htmx:
        return render(request, "crm/guides/includes/action_panneau.html", context)
    return render(request, "crm/guides/action.html", context)


@concepteur_required
def action_ajouter(request, pk):
    """GET ?type-<statut>-type=… shows the type's form; POST with `type` creates."""
    statut = common.statut_ou_404(pk)
    donnees = request.POST if request.method == "POST" else request.GET
    type_form = TypeActionForm(donnees or None, prefix=f"type-{pk}")
    if not type_form.is_valid():
        return _action_panneau(request, statut, type_form=type_form)
    type_ = actions.type_action(type_form.cleaned_data["type"])
    if request.method != "POST":
        return _action_panneau(
            request,
            statut,
            type_form=type_form,
            type_=type_,
            form=config_form(type_, prefix=f"config-{pk}"),
        )
    form = config_form(type_, data=request.POST, prefix=f"config-{pk}")
    if form.is_valid():
        try:
            action = services_guide.action_ajouter(
                statut=statut, type=type_.code, config=type_.config_depuis(form.cleaned_data)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, statut.version_id, ancre=f"action-{action.pk}")
    return _action_panneau(request, statut, type_form=type_form, type_=type_, form=form)


@concepteur_required
def action_modifier(request, pk):
    action = common.action_ou_404(pk)
    statut = action.statut
    type_ = actions.type_action(action.type)
    if type_ is None:
        return _repondre(
            request, statut.version_id, erreur=_("Le type de cette action n’existe plus.")
        )
    if request.method != "POST":
        form = config_form(type_, config=action.config, prefix=f"action-{pk}")
        return _action_panneau(
            request, statut, type_form=None, type_=type_, form=form, action=action
        )
    form = config_form(type_, data=request.POST, prefix=f"action-{pk}")
    if form.is_valid():
        try:
            services_guide.action_modifier(
                action=action, config=type_.config_depuis(form.cleaned_data)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _repondre(request, statut.version_id, ancre=f"action-{pk}")
    return _action_panneau(request, statut, type_form=None, type_=type_, form=form, action=action)


@concepteur_required
@require_POST
def action_deplacer(request, pk):
    action = common.action_ou_404(pk)
    return _faire(
        request,
        action.statut.version_id,
        services_guide.action_deplacer,
        ancre=f"action-{pk}",
        action=action,
        sens=_sens(request),
    )


@concepteur_required
def action_supprimer(request, pk):
    action = common.action_ou_404(pk)
    if request.method == "POST" and request.POST.get("confirme"):
        return _faire(
            request, action.statut.version_id, services_guide.action_supprimer, action=action
        )
    return _confirmer(
        request,
        action.statut.version_id,
        _("Supprimer l’action « %(a)s » du statut « %(s)s » ?")
        % {"a": action, "s": action.statut.libelle},
    )
