"""The CRM's rights (C7) and territories (C8) screens, for agents holding
dossiers.gerer_droits (superusers have it): the profils métier × dispositifs matrix on
one page (one POST, no JavaScript needed) and its CSV export, the profils métier with
their agents, the territoires tree with its secteurs and agents."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crm.access import agent_permission_required
from crm.droits.forms import AIDE_TABLEAU, ProfilMetierForm, SecteurFormSet, TerritoireForm
from dossiers import services_droits, services_territoires
from dossiers.models import ProfilMetier, Territoire
from dossiers.models.droits import DROITS, LIBELLES_DROITS

gestionnaire_droits_required = agent_permission_required("dossiers.gerer_droits")
MENU = "droits"


def _cadre(titre, *liens) -> dict:
    return {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": url, "label": label} for url, label in liens],
        "current": titre,
        "menu_actif": MENU,
    }


@gestionnaire_droits_required
@require_http_methods(["GET", "HEAD", "POST"])
def matrice(request):
    if request.method == "POST":
        cases, ignores = services_droits.parse_cases(request.POST.getlist("case"))
        bilan = services_droits.matrice_enregistrer(cases=cases, ignores=ignores)
        messages.success(
            request,
            _("Droits enregistrés : %(c)s ajoutés, %(m)s modifiés, %(s)s retirés.")
            % {"c": bilan.crees, "m": bilan.modifies, "s": bilan.supprimes},
        )
        if bilan.ignores:
            messages.warning(
                request,
                _("%(n)s case(s) ne correspondaient à aucun profil ou dispositif : ignorées.")
                % {"n": bilan.ignores},
            )
        return redirect("crm:droits")
    m = services_droits.matrice()
    lignes = [
        (
            profil,
            [
                (
                    dispositif,
                    [
                        (
                            droit,
                            LIBELLES_DROITS[droit],
                            (profil.pk, dispositif.pk, droit) in m.cases,
                        )
                        for droit in DROITS
                    ],
                )
                for dispositif in m.dispositifs
            ],
        )
        for profil in m.profils
    ]
    context = {
        **_cadre(_("Droits par dispositif")),
        "matrice": m,
        "lignes": lignes,
        "droits": [(d, LIBELLES_DROITS[d]) for d in DROITS],
    }
    return render(request, "crm/droits/matrice.html", context)


@gestionnaire_droits_required
@require_safe
def matrice_export(request):
    nom = f"droits-{timezone.localdate():%Y-%m-%d}.csv"
    # A BOM so that spreadsheets read the accents as UTF-8.
    response = HttpResponse("\ufeff" + services_droits.matrice_csv(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@gestionnaire_droits_required
@require_safe
def profils(request):
    liste = ProfilMetier.objects.annotate(
        nb_agents=Count("agents", distinct=True),
        nb_dispositifs=Count("droits_dispositifs", distinct=True),
    ).order_by("libelle")
    context = {
        **_cadre(_("Profils métier"), (reverse("crm:droits"), _("Droits"))),
        "profils": liste,
    }
    return render(request, "crm/droits/profils.html", context)


@gestionnaire_droits_required
@require_http_methods(["GET", "HEAD", "POST"])
def profil(request, pk=None):
    instance = get_object_or_404(ProfilMetier, pk=pk) if pk else None
    form = ProfilMetierForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le profil métier est enregistré."))
        return redirect("crm:droits_profils")
    titre = instance.libelle if instance else _("Nouveau profil métier")
    context = {
        **_cadre(
            titre,
            (reverse("crm:droits"), _("Droits")),
            (reverse("crm:droits_profils"), _("Profils métier")),
        ),
        "form": form,
        "profil": instance,
        "aide_tableau": AIDE_TABLEAU,
    }
    return render(request, "crm/droits/profil.html", context, status=400 if form.errors else 200)


def _arbre(territoires: list[Territoire]) -> list[tuple[Territoire, int]]:
    """Depth-first order of the tree, with each node's depth."""
    enfants: dict[int | None, list[Territoire]] = {}
    connus = {t.pk for t in territoires}
    for t in territoires:
        enfants.setdefault(t.parent_id if t.parent_id in connus else None, []).append(t)
    ordre, pile, vus = [], [(t, 0) for t in reversed(enfants.get(None, []))], set()
    while pile:
        noeud, profondeur = pile.pop()
        if noeud.pk in vus:
            continue
        vus.add(noeud.pk)
        ordre.append((noeud, profondeur))
        pile.extend((e, profondeur + 1) for e in reversed(enfants.get(noeud.pk, [])))
    return ordre


@gestionnaire_droits_required
@require_safe
def territoires(request):
    liste = list(
        Territoire.objects.select_related("type")
        .annotate(
            nb_secteurs=Count("secteurs", distinct=True), nb_agents=Count("agents", distinct=True)
        )
        .order_by("nom")
    )
    context = {
        **_cadre(_("Territoires"), (reverse("crm:droits"), _("Droits"))),
        "arbre": _arbre(liste),
    }
    return render(request, "crm/droits/territoires.html", context)


@gestionnaire_droits_required
@require_http_methods(["GET", "HEAD", "POST"])
def territoire(request, pk=None):
    instance = get_object_or_404(Territoire, pk=pk) if pk else Territoire()
    form = TerritoireForm(request.POST or None, instance=instance)
    formset = SecteurFormSet(request.POST or None, instance=instance, prefix="secteurs")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # Only the dossiers the edit may move are sectorised again (C8), once committed.
        with transaction.atomic(), services_territoires.suivre_secteurs([instance.pk]) as suivi:
            territoire = form.save()
            formset.instance = territoire
            formset.save()
            suivi.ajouter(territoire.pk)
        messages.success(request, _("Le territoire est enregistré."))
        return redirect("crm:droits_territoires")
    titre = instance.nom if instance.pk else _("Nouveau territoire")
    context = {
        **_cadre(
            titre,
            (reverse("crm:droits"), _("Droits")),
            (reverse("crm:droits_territoires"), _("Territoires")),
        ),
        "form": form,
        "formset": formset,
        "territoire": instance if instance.pk else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "crm/droits/territoire.html", context, status=status)


@gestionnaire_droits_required
@require_POST
def sectoriser(request):
    services_territoires.sectoriser_plus_tard()
    messages.success(
        request,
        _("La sectorisation des dossiers déposés est lancée : elle se termine en arrière-plan."),
    )
    return redirect("crm:droits_territoires")
