"""The CRM dossier list (C2, C15): filters, counts, sort, keyset paging, columns, and the
saved views (open with ?vue=, save, rename, share, delete). Dossiers come through
`dossiers_visible_to` (selectors_gestion.dossiers_du_crm); the filters, sorts and
counts are the registries of dossiers.liste. With htmx, choosing a dispositif refreshes
only the filters depending on it (templates/crm/dossiers/includes/liste_dependants.html);
without JavaScript, « Filtrer » reloads the page with them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.nombres import entier
from crm.dossiers import forms_liste
from crm.dossiers.forms import apply_errors
from crm.dossiers.views import instructeur_required
from dossiers import liste, suivi
from dossiers import selectors_gestion as selectors
from dossiers import services_vues as services
from dossiers.selectors_droits import droits_sur_la_liste


def _entier(valeur) -> int | None:
    return entier((valeur or "").strip(), chiffres=6)


def _vue_et_donnees(request):
    """The saved view opened (?vue=) and the list's parameters; a forged or another
    agent's unshared view: 404."""
    pk = _entier(request.GET.get("vue"))
    if pk is None:
        return None, request.GET, []
    vue = get_object_or_404(selectors.vues_ouvrables(request.user), pk=pk)
    data, ignores = forms_liste.donnees_de_vue(vue, request.user, request.GET)
    return vue, data, ignores


def _parametres(form, **extra) -> str:
    """The current filters as a query string, for the paging and sort links."""
    data = form.data.copy() if form.is_bound else QueryDict(mutable=True)
    for nom in forms_liste.PAGINATION:
        data.pop(nom, None)
    for nom, valeur in extra.items():
        if valeur is not None:
            data[nom] = valeur
    return data.urlencode()


@instructeur_required
@require_safe
def liste_dossiers(request):
    vue, data, ignores = _vue_et_donnees(request)
    return _rendre(request, data, vue=vue, ignores=ignores)


def _rendre(request, data, *, vue=None, ignores=(), vue_form=None, status=200):
    ctx = forms_liste.contexte(request.user, data)
    form = forms_liste.ListeForm(data or None, ctx=ctx)
    if request.htmx and data.get("partiel") == "dependants":
        return render(request, "crm/dossiers/includes/liste_dependants.html", {"form": form})
    valeurs = form.valeurs()
    tri, descendant = liste.tri_de(valeurs.get("tri") or "")
    dossiers = liste.filtrer(selectors.dossiers_du_crm(request.user), valeurs, ctx)
    colonnes = form.colonnes_choisies()
    annotations = {
        k: v for c in liste.colonnes() if c.nom in colonnes for k, v in c.annotations.items()
    }
    page = liste.paginer(
        dossiers.annotate(**annotations),
        tri,
        descendant,
        apres=data.get("apres") or "",
        avant=data.get("avant") or "",
        page=_entier(data.get("page")),
        numero=_entier(data.get("p")),
    )
    comptes = liste.compter(dossiers, ctx)
    prefetch_related_objects(page.dossiers, "etiquettes")  # C14: the rows' labels
    etats = suivi.etats(page.dossiers, usager=False)
    parametres = _parametres(form, vue=str(vue.pk) if vue else None)
    colonnes_vues = _colonnes(colonnes, dict(form.fields["colonnes"].choices))
    context = {
        "page_title": vue.nom if vue else _("Dossiers"),
        "form": form,
        "page": page,
        "lignes": [
            (d, etats[d.pk], [(c, _valeur(d, c)) for c in colonnes_vues]) for d in page.dossiers
        ],
        "colonnes": colonnes_vues,
        "page_max": liste.PAGE_MAX,
        "comptes": comptes,
        "indicateurs": [(i, comptes[i.nom]) for i in liste.indicateurs()],
        "plafond": liste.PLAFOND_COMPTE,
        "parametres": parametres,
        "vue": vue,
        "ignores": ignores,
        "vues": list(selectors.vues_ouvrables(request.user).order_by("nom", "pk")),
        "vue_form": vue_form or forms_liste.VueForm(),
        "etat_courant": _parametres(form),
        # C7: the list's actions only for who may use them (the views refuse the rest).
        "droits_liste": droits_sur_la_liste(request.user, _dispositif_filtre(valeurs)),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [],
        "current": _("Dossiers"),
        "menu_actif": "dossiers",
    }
    return render(request, "crm/dossiers/liste.html", context, status=status)


def _dispositif_filtre(valeurs: dict) -> int | None:
    return entier(valeurs.get("dispositif") or "")


def _valeur(dossier, colonne: dict):
    """A form field's stored value as the list shows it (the raw value: one cell)."""
    if not colonne["champ"]:
        return None
    valeur = (dossier.donnees or {}).get(colonne["champ"])
    if valeur in (None, "", []):
        return "—"
    if isinstance(valeur, list):
        return ", ".join(str(v) for v in valeur)
    if isinstance(valeur, bool):
        return _("Oui") if valeur else _("Non")
    return str(valeur)


def _colonnes(noms: list[str], libelles: dict) -> list[dict]:
    """The chosen columns in the registry's order, then the form fields in the agent's."""
    connues = {c.nom: c for c in liste.colonnes()}
    resultat = [
        {"nom": c.nom, "libelle": c.libelle, "champ": ""} for c in liste.colonnes() if c.nom in noms
    ]
    for nom in noms:
        if nom.startswith(liste.PREFIXE_CHAMP) and nom not in connues:
            technique = nom.removeprefix(liste.PREFIXE_CHAMP)
            libelle = libelles.get(nom, technique)
            resultat.append({"nom": nom, "libelle": libelle, "champ": technique})
    return resultat


@instructeur_required
@require_POST
def vue_enregistrer(request):
    """Saves the list as it is shown (its filters, columns and sort: `etat`, the list's
    query string) under a name."""
    etat = QueryDict(request.POST.get("etat", "")[:4000])
    vue_form = forms_liste.VueForm(request.POST)
    form = forms_liste.ListeForm(etat or None, ctx=forms_liste.contexte(request.user, etat))
    if vue_form.is_valid():
        filtres, colonnes, tri = forms_liste.etat_a_enregistrer(form)
        try:
            vue = services.vue_enregistrer(
                agent=request.user,
                nom=vue_form.cleaned_data["nom"],
                partagee=vue_form.cleaned_data["partagee"],
                filtres=filtres,
                colonnes=colonnes,
                tri=tri,
            )
        except ValidationError as error:
            apply_errors(vue_form, error, "nom")
        else:
            messages.success(request, _("La vue « %(nom)s » est enregistrée.") % {"nom": vue.nom})
            return redirect(f"{reverse('crm:dossiers')}?vue={vue.pk}")
    return _rendre(request, etat, vue_form=vue_form, status=400)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def vue_modifier(request, pk):
    vue = get_object_or_404(selectors.vues_de(request.user), pk=pk)
    form = forms_liste.VueForm(
        request.POST or None, initial={"nom": vue.nom, "partagee": vue.partagee}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.vue_modifier(
                    vue=vue, nom=form.cleaned_data["nom"], partagee=form.cleaned_data["partagee"]
                )
            except ValidationError as error:
                apply_errors(form, error, "nom")
            else:
                messages.success(request, _("La vue est renommée."))
                return redirect(f"{reverse('crm:dossiers')}?vue={vue.pk}")
        status = 400
    return render(
        request, "crm/dossiers/vue_modifier.html", _contexte_vue(vue, form=form), status=status
    )


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def vue_supprimer(request, pk):
    vue = get_object_or_404(selectors.vues_de(request.user), pk=pk)
    if request.method == "POST":
        nom = vue.nom
        services.vue_supprimer(vue=vue)
        messages.success(request, _("La vue « %(nom)s » est supprimée.") % {"nom": nom})
        return redirect("crm:dossiers")
    return render(request, "crm/dossiers/vue_supprimer.html", _contexte_vue(vue))


def _contexte_vue(vue, **extra):
    return {
        "vue": vue,
        "page_title": _("Vue « %(nom)s »") % {"nom": vue.nom},
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": vue.nom,
        "menu_actif": "dossiers",
        **extra,
    }
