"""The routing screens (C14) for agents with dossiers.gerer_equipes: teams and their
members, routing rules in their order, labels. Rules, once saved, are applied by
dossiers.services_routage at each deposit."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crm.access import agent_permission_required
from crm.routage import forms
from dossiers import selectors_routage as selectors
from dossiers import services_routage as services
from dossiers.models import Equipe, Etiquette, RegleRoutage

gestionnaire_equipes_required = agent_permission_required("dossiers.gerer_equipes")

MENU = "routage"
RUBRIQUES = {
    "equipes": ("crm:routage_equipes", gettext_lazy("Équipes")),
    "regles": ("crm:routage_regles", gettext_lazy("Règles de routage")),
    "etiquettes": ("crm:routage_etiquettes", gettext_lazy("Étiquettes")),
}


def _cadre(rubrique: str, titre: str, *, sous_page: bool = False) -> dict:
    url_name, libelle = RUBRIQUES[rubrique]
    links = [{"url": reverse(url_name), "label": libelle}] if sous_page else []
    return {
        "page_title": titre,
        "rubrique": rubrique,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": titre,
        "menu_actif": MENU,
    }


@gestionnaire_equipes_required
@require_safe
def equipes(request):
    context = {**_cadre("equipes", _("Équipes")), "equipes": selectors.equipes()}
    return render(request, "crm/routage/equipes.html", context)


@gestionnaire_equipes_required
@require_safe
def regles(request):
    context = {**_cadre("regles", _("Règles de routage")), "regles": selectors.regles()}
    return render(request, "crm/routage/regles.html", context)


@gestionnaire_equipes_required
@require_safe
def etiquettes(request):
    context = {**_cadre("etiquettes", _("Étiquettes")), "etiquettes": selectors.etiquettes()}
    return render(request, "crm/routage/etiquettes.html", context)


def _formulaire(request, rubrique, form_class, instance, titre, avant_save=None):
    """Create or edit one configuration row; the form's errors next to its fields."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            objet = form.save(commit=False)
            if avant_save is not None:
                avant_save(objet)
            objet.save()
            form.save_m2m()
        messages.success(request, _("« %(o)s » est enregistré.") % {"o": objet})
        return redirect(RUBRIQUES[rubrique][0])
    context = {**_cadre(rubrique, titre, sous_page=True), "form": form, "objet": instance}
    status = 400 if form.is_bound else 200
    return render(request, "crm/routage/formulaire.html", context, status=status)


@gestionnaire_equipes_required
@require_http_methods(["GET", "HEAD", "POST"])
def equipe(request, pk=None):
    instance = get_object_or_404(Equipe, pk=pk) if pk else None
    titre = str(instance) if instance else _("Nouvelle équipe")
    return _formulaire(request, "equipes", forms.EquipeForm, instance, titre)


def _ordre_en_fin(regle: RegleRoutage) -> None:
    if regle.pk is None:
        regle.ordre = services.prochain_ordre()


@gestionnaire_equipes_required
@require_http_methods(["GET", "HEAD", "POST"])
def regle(request, pk=None):
    instance = get_object_or_404(RegleRoutage, pk=pk) if pk else None
    titre = str(instance) if instance else _("Nouvelle règle de routage")
    return _formulaire(
        request, "regles", forms.RegleRoutageForm, instance, titre, avant_save=_ordre_en_fin
    )


@gestionnaire_equipes_required
@require_POST
def regle_deplacer(request, pk):
    regle = get_object_or_404(RegleRoutage, pk=pk)
    services.regle_deplacer(regle=regle, vers_le_haut=request.POST.get("sens") != "bas")
    return redirect("crm:routage_regles")


@gestionnaire_equipes_required
@require_http_methods(["GET", "HEAD", "POST"])
def etiquette(request, pk=None):
    instance = get_object_or_404(Etiquette, pk=pk) if pk else None
    titre = str(instance) if instance else _("Nouvelle étiquette")
    return _formulaire(request, "etiquettes", forms.EtiquetteForm, instance, titre)
