"""The builder's « Automatismes » page of a guide version (I8): its timers, by statut
(changed only on a draft), and its déclencheurs (changed at any time; a webhook's secret
is shown once, when made). Same right as the rest of the builder."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm.access import concepteur_required
from crm.formulaires.forms import apply_errors
from crm.guides import common
from crm.guides.forms_automatismes import DeclencheurForm, MinuteurForm
from instruction import selectors_guide, services_guide
from instruction.models import Declencheur, Minuteur, VersionGuide


def _url(version_id: int, ancre: str = "") -> str:
    url = reverse("crm:guide_automatismes", args=[version_id])
    return f"{url}#{ancre}" if ancre else url


def _ariane(version, *fin) -> dict:
    pairs = [(common.url_version(version.pk), common.titre_version(version))]
    if fin:
        pairs += [(_url(version.pk), _("Automatismes")), *fin]
    else:
        pairs.append((None, _("Automatismes")))
    return common.fil_ariane(*pairs)


def _page(request, version, *, minuteur_form=None, declencheur_form=None, status=200):
    brouillon = version.etat == VersionGuide.Etat.BROUILLON
    context = {
        "page_title": _("Automatismes — %(v)s") % {"v": common.titre_version(version)},
        "version": version,
        "brouillon": brouillon,
        "minuteurs": selectors_guide.minuteurs_de_version(version),
        "declencheurs": selectors_guide.declencheurs_de_version(version),
        "minuteur_form": (minuteur_form or MinuteurForm(version=version)) if brouillon else None,
        "declencheur_form": declencheur_form or DeclencheurForm(version=version),
        **_ariane(version),
    }
    return render(request, "crm/guides/automatismes.html", context, status=status)


def _enregistrer(form, service, **kwargs) -> bool:
    """Run the service on the form's object; its refusals go next to the fields."""
    if not form.is_valid():
        return False
    try:
        service(**kwargs)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


@concepteur_required
@require_safe
def automatismes(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    return _page(request, version)


# Timers -------------------------------------------------------------------------------


@concepteur_required
@require_POST
def minuteur_ajouter(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    if version.etat != VersionGuide.Etat.BROUILLON:
        messages.error(
            request, _("Cette version n’est pas un brouillon : ses minuteurs ne changent plus.")
        )
        return redirect(_url(pk, "minuteurs"))
    form = MinuteurForm(request.POST, version=version)
    if _enregistrer(form, services_guide.minuteur_enregistrer, minuteur=form.instance):
        messages.success(request, _("Minuteur « %(m)s » ajouté.") % {"m": form.instance})
        return redirect(_url(pk, "minuteurs"))
    return _page(request, version, minuteur_form=form)


def _minuteur(pk) -> Minuteur:
    return get_object_or_404(
        Minuteur.objects.select_related("statut__version__guide__dispositif"), pk=pk
    )


@concepteur_required
def minuteur_modifier(request, pk):
    minuteur = _minuteur(pk)
    version = minuteur.statut.version
    form = MinuteurForm(request.POST or None, instance=minuteur, version=version)
    if request.method == "POST" and _enregistrer(
        form, services_guide.minuteur_enregistrer, minuteur=form.instance
    ):
        messages.success(request, _("Minuteur « %(m)s » enregistré.") % {"m": form.instance})
        return redirect(_url(version.pk, "minuteurs"))
    context = {
        "page_title": _("Minuteur « %(m)s »") % {"m": minuteur.libelle},
        "form": form,
        "version": version,
        "brouillon": version.etat == VersionGuide.Etat.BROUILLON,
        "retour": _url(version.pk, "minuteurs"),
        **_ariane(version, (None, minuteur.libelle)),
    }
    return render(request, "crm/guides/automatisme.html", context)


@concepteur_required
def minuteur_supprimer(request, pk):
    minuteur = _minuteur(pk)
    version = minuteur.statut.version
    if request.method != "POST":
        return _confirmer(
            request, version, _("Supprimer le minuteur « %(m)s » ?") % {"m": minuteur}
        )
    try:
        services_guide.minuteur_supprimer(minuteur=minuteur)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Minuteur supprimé."))
    return redirect(_url(version.pk, "minuteurs"))


def _confirmer(request, version, question):
    return render(
        request,
        "crm/guides/automatisme_supprimer.html",
        {
            "page_title": question,
            "question": question,
            "retour": _url(version.pk),
            **_ariane(version, (None, _("Supprimer"))),
        },
    )


# Déclencheurs -------------------------------------------------------------------------


def _secret(request, declencheur, titre):
    """The page that shows a webhook's secret, once (it is never shown again)."""
    version = declencheur.version
    context = {
        "page_title": titre,
        "declencheur": declencheur,
        "url_webhook": request.build_absolute_uri(
            reverse("instruction:webhook", args=[declencheur.code])
        ),
        "retour": _url(version.pk, "declencheurs"),
        **_ariane(version, (None, declencheur.libelle)),
    }
    return render(request, "crm/guides/declencheur_secret.html", context)


@concepteur_required
@require_POST
def declencheur_ajouter(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    form = DeclencheurForm(request.POST, version=version)
    form.instance.version = version
    if _enregistrer(form, services_guide.declencheur_enregistrer, declencheur=form.instance):
        if form.instance.webhook:
            return _secret(request, form.instance, _("Déclencheur créé : son secret"))
        messages.success(request, _("Déclencheur « %(d)s » ajouté.") % {"d": form.instance})
        return redirect(_url(pk, "declencheurs"))
    return _page(request, version, declencheur_form=form)


def _declencheur(pk) -> Declencheur:
    return get_object_or_404(
        Declencheur.objects.select_related("version__guide__dispositif"), pk=pk
    )


@concepteur_required
def declencheur_modifier(request, pk):
    declencheur = _declencheur(pk)
    version = declencheur.version
    form = DeclencheurForm(request.POST or None, instance=declencheur, version=version)
    if request.method == "POST" and _enregistrer(
        form, services_guide.declencheur_enregistrer, declencheur=form.instance
    ):
        messages.success(request, _("Déclencheur « %(d)s » enregistré.") % {"d": form.instance})
        return redirect(_url(version.pk, "declencheurs"))
    context = {
        "page_title": _("Déclencheur « %(d)s »") % {"d": declencheur.libelle},
        "form": form,
        "version": version,
        "brouillon": True,
        "declencheur": declencheur,
        "retour": _url(version.pk, "declencheurs"),
        **_ariane(version, (None, declencheur.libelle)),
    }
    return render(request, "crm/guides/automatisme.html", context)


@concepteur_required
@require_POST
def declencheur_secret(request, pk):
    declencheur = _declencheur(pk)
    services_guide.declencheur_secret_regenerer(declencheur=declencheur)
    declencheur.refresh_from_db()
    return _secret(request, declencheur, _("Nouveau secret du déclencheur"))


@concepteur_required
def declencheur_supprimer(request, pk):
    declencheur = _declencheur(pk)
    version = declencheur.version
    if request.method != "POST":
        return _confirmer(
            request, version, _("Supprimer le déclencheur « %(d)s » ?") % {"d": declencheur}
        )
    services_guide.declencheur_supprimer(declencheur=declencheur)
    messages.success(request, _("Déclencheur supprimé."))
    return redirect(_url(version.pk, "declencheurs"))
