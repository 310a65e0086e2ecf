"""Configuring one field of a draft (label, technical name, type options, choices,
condition, prefill, per-view properties) and adding fields from the référentiel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from common.nombres import entier
from crm.access import concepteur_required
from crm.formulaires import common
from crm.formulaires.forms import ChampForm, ProprietesForm, apply_errors
from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.models import Champ, ChampReferentiel


def _prefixe(request, champ) -> str | None:
    """The panel opened in the tree (htmx) prefixes its inputs: several fields' panels may
    be open on the page at once. The full page (without JavaScript) has none."""
    return f"c{champ.pk}" if request.htmx else None


def _options_form(champ, data=None, prefix=None):
    try:
        type_champ = types_de_champ.get(champ.type)
    except KeyError:
        return None
    options_prefix = f"{prefix}-options" if prefix else "options"
    form = type_champ.Options(data=data, initial=champ.options or {}, prefix=options_prefix)
    return form if form.fields else None


def _champ_form(champ, data=None, prefix=None):
    return ChampForm(
        data,
        champ=champ,
        noms=services.modele_noms(champ.modele),
        prefix=prefix,
        initial={
            "libelle": champ.libelle,
            "nom": champ.nom,
            "aide": champ.aide,
            "prefill": champ.prefill,
        },
    )


def _page(request, champ, form, options, proprietes):
    """The field's configuration: a panel in the tree (htmx) or its own page."""
    modele = champ.modele
    context = {
        "page_title": _("Configurer le champ « %(l)s »") % {"l": champ.libelle},
        "champ": champ,
        "type_libelle": getattr(types_de_champ.types().get(champ.type), "libelle", champ.type),
        "form": form,
        "options": options,
        "proprietes": proprietes,
        "panneau": bool(request.htmx),
        "retour": common.url_constructeur(modele, f"champ-{champ.pk}"),
        **common.fil_ariane(
            (common.url_constructeur(modele), modele.dispositif.titre), (None, champ.libelle)
        ),
    }
    if request.htmx:
        return render(request, "crm/formulaires/includes/champ_panneau.html", context)
    return render(request, "crm/formulaires/champ.html", context)


def _item(request, champ, annonce=""):
    """The field's item in the tree, after a save or a cancel (htmx): its configure
    button gets the focus, the tree's problem count follows, `annonce` is read out."""
    context = {
        **common.arbre_item(champ.modele, champ.pk),
        "focus_pk": champ.pk,
        "annonce": annonce,
    }
    return render(request, "crm/formulaires/includes/champ_item_reponse.html", context)


def _hors_brouillon(request, pk):
    """A panel left open while its version was published (or its field deleted): its
    save or "Annuler" answers 409 (404) with a message retargeted into the panel, which
    constructeur.js lets htmx swap, rather than a silent error. A plain 404 otherwise."""
    if not request.htmx:
        raise Http404
    champ = Champ.objects.select_related("modele").filter(pk=pk).first()
    if champ is not None:
        message = _(
            "Cette version a été publiée entre-temps : rechargez le constructeur pour "
            "modifier le nouveau brouillon."
        )
        url, status = common.url_constructeur(champ.modele), 409
    else:
        message = _("Ce champ a été supprimé entre-temps : rechargez le constructeur.")
        url, status = request.htmx.current_url_abs_path or reverse("crm:formulaires"), 404
    response = render(
        request,
        "crm/formulaires/includes/champ_panneau_perime.html",
        {"message": message, "url": url},
        status=status,
    )
    return reswap(retarget(response, f"#champ-{pk}-panneau-alerte"), "innerHTML")


@concepteur_required
def champ(request, pk):
    champ = common.champ_brouillon(pk)
    if champ is None:
        return _hors_brouillon(request, pk)
    if request.htmx and request.method == "GET" and request.GET.get("item"):
        return _item(request, champ)  # the panel's "Annuler"
    prefix = _prefixe(request, champ)
    data = request.POST if request.method == "POST" else None
    form = _champ_form(champ, data, prefix)
    options = _options_form(champ, data, prefix)
    if data is not None:
        valides = form.is_valid() & (options is None or options.is_valid())
        if valides:
            if options is None:
                valeurs_options = {}
            elif hasattr(options, "en_json"):
                valeurs_options = options.en_json()
            else:
                valeurs_options = {
                    k: v for k, v in options.cleaned_data.items() if v not in (None, "")
                }
            try:
                services.champ_modifier(
                    champ=champ,
                    libelle=form.cleaned_data["libelle"],
                    nom=form.cleaned_data["nom"],
                    aide=form.cleaned_data["aide"],
                    prefill=form.cleaned_data["prefill"],
                    options=valeurs_options,
                    choix=form.cleaned_data.get("choix"),
                    liste=form.cleaned_data.get("liste"),
                    condition=form.condition_json(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                annonce = _("Le champ « %(l)s » est enregistré.") % {"l": champ.libelle}
                if request.htmx:
                    return _item(request, champ, annonce)
                messages.success(request, annonce)
                return redirect(common.url_constructeur(champ.modele, f"champ-{champ.pk}"))
    return _page(request, champ, form, options, ProprietesForm(champ=champ, prefix=prefix))


@concepteur_required
@require_POST
def champ_proprietes(request, pk):
    champ = common.champ_brouillon(pk)
    if champ is None:
        return _hors_brouillon(request, pk)
    prefix = _prefixe(request, champ)
    form = ProprietesForm(request.POST, champ=champ, prefix=prefix)
    if form.is_valid():
        try:
            services.proprietes_enregistrer(champ=champ, valeurs=form.valeurs())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            annonce = _("Les propriétés par vue de « %(l)s » sont enregistrées.") % {
                "l": champ.libelle
            }
            if request.htmx:
                return _item(request, champ, annonce)
            messages.success(request, _("Les propriétés par vue sont enregistrées."))
            return redirect("crm:formulaire_champ", pk=champ.pk)
    return _page(
        request, champ, _champ_form(champ, None, prefix), _options_form(champ, None, prefix), form
    )


@concepteur_required
def referentiel_choisir(request, pk):
    """Search the référentiel des champs (technical name or label) and add one."""
    ligne = common.ligne_ou_404(pk)
    modele = ligne.onglet.modele
    colonne = int(request.GET["colonne"]) if request.GET.get("colonne") in ("1", "2") else 1
    erreur = ""
    if request.method == "POST":
        choisi = request.POST.get("referentiel", "")
        referentiel = get_object_or_404(ChampReferentiel, pk=entier(choisi) or 0)
        try:
            champ = services.champ_depuis_referentiel(
                ligne=ligne, referentiel=referentiel, colonne=colonne
            )
        except ValidationError as error:
            erreur = " ".join(error.messages)
        else:
            messages.success(request, _("Le champ « %(l)s » est ajouté.") % {"l": champ.libelle})
            return redirect(common.url_constructeur(modele, f"champ-{champ.pk}"))
    q = request.GET.get("q", "").strip()[:100]
    resultats = ChampReferentiel.objects.select_related("liste")
    if q:
        resultats = resultats.filter(Q(nom__icontains=q) | Q(libelle__unaccent__icontains=q))
    context = {
        "page_title": _("Ajouter un champ du référentiel"),
        "ligne": ligne,
        "colonne": colonne,
        "q": q,
        "erreur": erreur,
        "resultats": resultats[:50],
        "types": types_de_champ.types(),
        "retour": common.url_constructeur(modele, f"ligne-{ligne.pk}"),
        **common.fil_ariane(
            (common.url_constructeur(modele), modele.dispositif.titre),
            (None, _("Champ du référentiel")),
        ),
    }
    template = (
        "crm/formulaires/includes/referentiel_resultats.html"
        if request.htmx and request.method == "GET"
        else "crm/formulaires/referentiel_choisir.html"
    )
    return render(request, template, context)
