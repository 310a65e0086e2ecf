"""The référentiel des champs and its lists of values, in the CRM."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crm.access import concepteur_required
from crm.formulaires import common
from crm.formulaires.forms import ChampReferentielForm, ListeReferentielForm, ValeurFormSet
from dossiers import champs as types_de_champ
from dossiers.models import ChampReferentiel, ListeReferentiel


@concepteur_required
@require_safe
def referentiel(request):
    q = request.GET.get("q", "").strip()[:100]
    champs = ChampReferentiel.objects.select_related("liste")
    if q:
        champs = champs.filter(Q(nom__icontains=q) | Q(libelle__unaccent__icontains=q))
    context = {
        "page_title": _("Référentiel des champs"),
        "q": q,
        "champs": champs,
        "listes": ListeReferentiel.objects.prefetch_related("valeurs"),
        "types": types_de_champ.types(),
        **common.fil_ariane((None, _("Référentiel des champs"))),
    }
    return render(request, "crm/formulaires/referentiel.html", context)


def _fil(titre):
    return common.fil_ariane(
        (reverse("crm:formulaire_referentiel"), _("Référentiel des champs")), (None, titre)
    )


@concepteur_required
def referentiel_champ(request, pk=None):
    instance = get_object_or_404(ChampReferentiel, pk=pk) if pk else None
    form = ChampReferentielForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        champ = form.save()
        messages.success(request, _("Le champ « %(n)s » est enregistré.") % {"n": champ.nom})
        return redirect("crm:formulaire_referentiel")
    titre = instance.libelle if instance else _("Nouveau champ du référentiel")
    return render(
        request,
        "crm/formulaires/referentiel_form.html",
        {"page_title": titre, "form": form, **_fil(titre)},
    )


@concepteur_required
def referentiel_liste(request, pk=None):
    instance = get_object_or_404(ListeReferentiel, pk=pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = ListeReferentielForm(data, instance=instance)
    valeurs = ValeurFormSet(data, instance=instance or ListeReferentiel(), prefix="valeurs")
    if data is not None and form.is_valid() & valeurs.is_valid():
        with transaction.atomic():
            liste = form.save()
            valeurs.instance = liste
            valeurs.save()
        messages.success(request, _("La liste « %(l)s » est enregistrée.") % {"l": liste})
        return redirect("crm:formulaire_referentiel")
    titre = instance.libelle if instance else _("Nouvelle liste du référentiel")
    return render(
        request,
        "crm/formulaires/referentiel_form.html",
        {"page_title": titre, "form": form, "valeurs": valeurs, **_fil(titre)},
    )
