"""The whole-model grid of per-view properties (F6): every field × the three views ×
visible / editable / required on one screen, each view saved on its own (F2), and a view
copied onto another. A draft is edited; a published version is shown read-only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.access import concepteur_required
from crm.formulaires import common
from crm.formulaires.forms import GrilleVueForm, VueCopierForm, apply_errors
from dossiers import services
from dossiers.models import ModeleDossier, Vue


def _rendre(request, modele, *, lies=None, copier=None, annonce="", erreur=False, status=200):
    dispositif = modele.dispositif
    context = {
        "page_title": _("Propriétés par vue — %(t)s") % {"t": dispositif.titre},
        "dispositif": dispositif,
        "copier": copier or VueCopierForm(prefix="copier"),
        "annonce": annonce,
        "erreur": erreur,
        "url_grille": reverse("crm:formulaire_proprietes", args=[modele.pk]),
        **common.grille(modele, lies),
        **common.fil_ariane(
            (common.url_constructeur(modele), dispositif.titre), (None, _("Propriétés par vue"))
        ),
    }
    template = (
        "crm/formulaires/includes/grille.html"
        if request.htmx
        else "crm/formulaires/proprietes.html"
    )
    return render(request, template, context, status=status)


@concepteur_required
def proprietes(request, pk):
    modele = get_object_or_404(ModeleDossier.objects.select_related("dispositif"), pk=pk)
    if request.method != "POST":
        return _rendre(request, modele)
    if not modele.modifiable:
        return _rendre(
            request,
            modele,
            annonce=_("Une version publiée ne se modifie pas : modifiez le brouillon."),
            erreur=True,
            status=200 if request.htmx else 409,  # htmx swaps no error answer
        )
    if "copier" in request.POST:
        return _copier(request, modele)
    vue = request.POST.get("vue", "")
    if vue not in Vue.values:
        return _rendre(
            request,
            modele,
            annonce=_("Choisissez une vue."),
            erreur=True,
            status=200 if request.htmx else 400,
        )
    form = GrilleVueForm(request.POST, vue=vue, champs=common.grille_champs(modele, vue))
    if form.is_valid():
        try:
            n = services.vue_enregistrer(
                modele=modele, vue=vue, valeurs=form.valeurs(), by=request.user
            )
        except ValidationError as error:
            form.erreurs_du_service(error)
        else:
            annonce = _("Vue « %(vue)s » enregistrée pour %(n)s champ(s).") % {
                "vue": Vue(vue).label,
                "n": n,
            }
            if request.htmx:
                return _rendre(request, modele, annonce=annonce)
            messages.success(request, annonce)
            return redirect("crm:formulaire_proprietes", pk=modele.pk)
    nb = sum(1 for nom in form.errors if nom != "__all__") or 1
    annonce = _(
        "La vue « %(vue)s » n’est pas enregistrée : %(n)s champ(s) à corriger, signalés "
        "dans la grille. Rien n’a été modifié."
    ) % {"vue": Vue(vue).label, "n": nb}
    return _rendre(request, modele, lies={vue: form}, annonce=annonce, erreur=True)


def _copier(request, modele):
    form = VueCopierForm(request.POST, prefix="copier")
    if form.is_valid():
        try:
            n = services.vue_copier(modele=modele, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            annonce = _("Vue « %(s)s » copiée vers la vue « %(c)s » pour %(n)s champ(s).") % {
                "s": Vue(form.cleaned_data["source"]).label,
                "c": Vue(form.cleaned_data["cible"]).label,
                "n": n,
            }
            if request.htmx:
                return _rendre(request, modele, annonce=annonce)
            messages.success(request, annonce)
            return redirect("crm:formulaire_proprietes", pk=modele.pk)
    annonce = _("Rien n’a été copié : corrigez le choix des vues.")
    return _rendre(request, modele, copier=form, annonce=annonce, erreur=True)
