"""Batches (« lots », issue 9, I6): create one from the CRM list — the checked dossiers,
or every dossier matching the list's filters — choosing the operation then its
parameters, with the count to confirm; follow it on its page (a progress bar refreshed
by htmx polling, a refresh link without JavaScript, the report of the ignored and failed
dossiers, « Interrompre » / « Reprendre »); « Mes lots ». The work is done by a Celery
task (instruction.services_lots). Dossiers come through `dossiers_visible_to` (forged or
foreign pks are counted, never named); a lot is its agent's alone (another's: 404).

The small synchronous move of a selection (crm/dossiers/views_lot.py) stays for the
quick case; this is for large selections and the other operations."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.nombres import entiers
from crm.dossiers.forms import apply_errors
from crm.dossiers.selection import dossiers_et_refus
from crm.dossiers.views import instructeur_required as _instructeur_required
from crm.lots import forms
from dossiers import liste
from dossiers.selectors import dossiers_visible_to, restreindre_au_droit
from dossiers.selectors_droits import droits_sur_la_liste
from instruction import services_lots
from instruction.models import Lot


def instructeur_required(view):
    """A lot changes dossiers: the permission, then « instruire » on at least one
    dispositif through a profil métier (C7; the « Lots » menu entry asks the same),
    else 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not droits_sur_la_liste(request.user)["instruire"]:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _instructeur_required(wrapper)


POLLING_STOP = 286  # htmx stops polling on this status


def _selection(request, data):
    """(scoped queryset, forged-or-foreign count, hidden inputs to carry it on, refusals):
    the checked pks, or the list's filters re-run the way the list does — refused when
    one names a dispositif or territoire outside the agent's scope (its messages)."""
    # A lot changes dossiers: those the agent may instruct (C7).
    if "filtres" in data:
        filtres, refus = dossiers_et_refus(request.user, data.get("filtres", ""))
        dossiers = restreindre_au_droit(filtres, request.user, "instruire")
        return dossiers, 0, [("filtres", data.get("filtres", ""))], refus
    demandes = sorted(entiers(data.getlist("dossiers")))
    dossiers = dossiers_visible_to(request.user, "instruire").filter(pk__in=demandes)
    trouves = dossiers.count()
    return dossiers, len(demandes) - trouves, [("dossiers", pk) for pk in demandes], []


def _contexte(request, **extra):
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "menu_actif": "lots",
        **extra,
    }


def _valeur_data(post) -> QueryDict:
    data = QueryDict(mutable=True)
    for cle in post:
        if cle.startswith("v-"):
            data.setlist(cle[2:], post.getlist(cle))
    return data


def _parametres(sorte, dossiers, total, data, lancer):
    """The parameters' forms of `sorte` bound to `data`, and the service's params when
    they are complete (None otherwise)."""
    if sorte == Lot.Sorte.STATUT:
        form = forms.StatutForm(
            data if lancer else None, choix=services_lots.statuts_possibles(dossiers), total=total
        )
        return [form], form.params() if lancer and form.is_valid() else None
    if sorte == Lot.Sorte.CAMPAGNE:
        form = forms.CampagneForm(data if lancer else None)
        return [form], form.params() if lancer and form.is_valid() else None
    dispositifs = services_lots.dispositifs_de(dossiers)
    choisi = {d.pk: d for d, _n in dispositifs}.get(liste.identifiant(data.get("dispositif")))
    if choisi is None and len(dispositifs) == 1:
        choisi = dispositifs[0][0]
    champs = services_lots.champs_possibles(choisi) if choisi else []
    form = forms.ChampsForm(
        data if "dispositif" in data else None, dispositifs=dispositifs, champs=champs
    )
    champ = next((c for c in champs if c.nom == data.get("champ")), None)
    if champ is None or not form.is_valid():
        return [form], None
    valeur = forms.valeur_form(champ, data if "lancer" in data else None)
    if not lancer:
        return [form, valeur], None
    return [form, valeur], {
        "dispositif": choisi.pk,
        "champ": champ.nom,
        "data": _valeur_data(data),
    }


@instructeur_required
@require_http_methods(["GET", "POST"])
def nouveau(request):
    data = request.POST if request.method == "POST" else request.GET
    dossiers, introuvables, selection, refus = _selection(request, data)
    if refus:
        # Back to the list with its filters: the message shows beside the field too.
        for message in refus:
            messages.error(request, _("Le lot n’est pas créé : %(m)s") % {"m": message})
        filtres = QueryDict(str(data.get("filtres", ""))[:4000]).urlencode()
        return redirect(reverse("crm:dossiers") + (f"?{filtres}" if filtres else ""))
    total = dossiers.count()
    if not total:
        messages.error(request, _("Sélectionnez au moins un dossier dans la liste."))
        return redirect("crm:dossiers")
    sorte_form = forms.SorteForm(data if "sorte" in data else None)
    sorte = sorte_form.cleaned_data["sorte"] if sorte_form.is_valid() else None
    lancer = request.method == "POST" and "lancer" in data
    parametres, params = ([], None)
    if sorte:
        parametres, params = _parametres(sorte, dossiers, total, data, lancer)
    if params is not None:
        try:
            lot = services_lots.lot_creer(
                agent=request.user,
                sorte=sorte,
                params=params,
                dossiers=dossiers,
                introuvables=introuvables,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "valeur" in error.error_dict:
                valeur = parametres[-1]
                valeur.add_error(next(iter(valeur.fields)), error.error_dict.pop("valeur"))
            if not hasattr(error, "error_dict") or error.error_dict:
                apply_errors(parametres[0], error)
        else:
            messages.success(request, _("Le lot est lancé."))
            return redirect("crm:lot", pk=lot.pk)
    context = _contexte(
        request,
        page_title=_("Traiter des dossiers en lot"),
        links=[{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        current=_("Nouveau lot"),
        total=total,
        introuvables=introuvables,
        selection=selection,
        sorte_form=sorte_form,
        sorte=sorte,
        sorte_libelle=Lot.Sorte(sorte).label if sorte else "",
        parametres=parametres,
        complet=bool(parametres) and (sorte != Lot.Sorte.CHAMPS or len(parametres) == 2),
    )
    invalide = lancer or any(f.is_bound and f.errors for f in [sorte_form, *parametres])
    return render(request, "crm/lots/nouveau.html", context, status=400 if invalide else 200)


def _lot(request, pk) -> Lot:
    return get_object_or_404(Lot.objects.filter(agent=request.user), pk=pk)


@instructeur_required
@require_safe
def lot(request, pk):
    lot = _lot(request, pk)
    context = _contexte(
        request,
        page_title=lot.libelle,
        links=[{"url": reverse("crm:lots"), "label": _("Mes lots")}],
        current=lot.libelle,
        lot=lot,
        compteurs=services_lots.compteurs(lot),
        signales=services_lots.lignes_a_signaler(lot),
        peut_reprendre=services_lots.peut_reprendre(lot),
    )
    if request.htmx:
        status = 200 if lot.actif else POLLING_STOP
        return render(request, "crm/lots/includes/progression.html", context, status=status)
    return render(request, "crm/lots/lot.html", context)


@instructeur_required
@require_POST
def interrompre(request, pk):
    lot = _lot(request, pk)
    if services_lots.lot_interrompre(lot=lot):
        messages.success(request, _("Le lot est interrompu : vous pourrez le reprendre."))
    else:
        messages.error(request, _("Ce lot n’est plus en cours."))
    return redirect("crm:lot", pk=lot.pk)


@instructeur_required
@require_POST
def reprendre(request, pk):
    lot = _lot(request, pk)
    if services_lots.lot_reprendre(lot=lot):
        messages.success(request, _("Le lot reprend là où il s’était arrêté."))
    else:
        messages.error(request, _("Ce lot est terminé ou encore en cours."))
    return redirect("crm:lot", pk=lot.pk)


@instructeur_required
@require_safe
def mes_lots(request):
    page = Paginator(services_lots.lots_de(request.user), 30).get_page(request.GET.get("page"))
    context = _contexte(
        request,
        page_title=_("Mes lots"),
        links=[],
        current=_("Mes lots"),
        page=page,
        parametres="",
    )
    return render(request, "crm/lots/liste.html", context)
