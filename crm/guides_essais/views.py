"""Guide tests in the CRM (I9), for the admins who design guides (the builder's right):
a version's test cases, writing one with its passages, running one or all with the
report per passage, and the version's dry run (what entering each statut does). And,
for instructeurs, the dry run of a real dossier from its Instruction tab: « what would
happen if this dossier moved to that statut », nothing changed."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm.access import concepteur_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers.views import instructeur_required
from crm.guides_essais.forms import CasTestForm, PassageFormSet, SimulationForm
from instruction import essais, selectors
from instruction.models import CasTest, VersionGuide

MENU = "formulaires"


def _version(pk: int) -> VersionGuide:
    return get_object_or_404(VersionGuide.objects.select_related("guide__dispositif"), pk=pk)


def _cas(pk: int) -> CasTest:
    return get_object_or_404(CasTest.objects.select_related("version__guide__dispositif"), pk=pk)


def _fil(version: VersionGuide, *pairs) -> dict:
    """Breadcrumb: CRM home › guides › the version in the builder › its test cases › …
    › current page."""
    liste = (reverse("crm:guide_essais", args=[version.pk]), _titre(version))
    pairs = (liste, *pairs) if pairs else ((None, liste[1]),)
    pairs = (
        (reverse("crm:guides"), _("Guides d’instruction")),
        (
            reverse("crm:guide_version", args=[version.pk]),
            _("Guide « %(dispositif)s » v%(numero)s")
            % {"dispositif": version.guide.dispositif.titre, "numero": version.numero},
        ),
        *pairs,
    )
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": url, "label": label} for url, label in pairs[:-1]],
        "current": pairs[-1][1],
        "menu_actif": MENU,
    }


def _titre(version: VersionGuide) -> str:
    return _("Tests du guide « %(dispositif)s » v%(numero)s") % {
        "dispositif": version.guide.dispositif.titre,
        "numero": version.numero,
    }


@concepteur_required
@require_safe
def liste(request, pk):
    version = _version(pk)
    cas = version.cas_tests.annotate(nb_passages=Count("passages")).order_by("nom", "pk")
    context = {
        "page_title": _titre(version),
        "version": version,
        "cas_tests": cas,
        **_fil(version),
    }
    return render(request, "crm/guides_essais/liste.html", context)


def _formulaire(request, version: VersionGuide, cas: CasTest | None):
    data = request.POST if request.method == "POST" else None
    instance = cas or CasTest(version=version)
    form = CasTestForm(data, instance=instance)
    passages = PassageFormSet(data, instance=instance, prefix="passages", version=version)
    if data is not None and form.is_valid() & passages.is_valid():
        with transaction.atomic():
            cas = form.save()
            passages.instance = cas
            passages.save(commit=False)
            for supprime in passages.deleted_objects:
                supprime.delete()
            # The passages' order is the rows' order on the page.
            gardes = {id(o) for o in passages.new_objects} | {
                id(o) for o, _champs in passages.changed_objects
            }
            for position, ligne in enumerate(passages.forms):
                objet = ligne.instance
                if objet in passages.deleted_objects or (
                    objet.pk is None and id(objet) not in gardes
                ):
                    continue
                objet.cas, objet.ordre = cas, position
                objet.save()
        messages.success(request, _("Le cas de test « %(nom)s » est enregistré.") % {"nom": cas})
        if "lancer" in data:
            return _lancer(request, cas)
        return redirect("crm:guide_essai", pk=cas.pk)
    titre = cas.nom if cas else _("Nouveau cas de test")
    context = {
        "page_title": titre,
        "version": version,
        "cas": cas,
        "form": form,
        "passages": passages,
        "erreurs": data is not None,
        "rapport": cas.rapport if cas and cas.lance_le else None,
        "adresse_usager": essais.ADRESSE_USAGER,
        **_fil(version, (None, titre)),
    }
    return render(
        request, "crm/guides_essais/cas.html", context, status=400 if data is not None else 200
    )


@concepteur_required
def creer(request, pk):
    return _formulaire(request, _version(pk), None)


@concepteur_required
def modifier(request, pk):
    cas = _cas(pk)
    return _formulaire(request, cas.version, cas)


def _lancer(request, cas: CasTest):
    rapport = essais.cas_executer(cas, par=request.user)
    if rapport.reussi:
        messages.success(request, _("Le cas « %(nom)s » réussit.") % {"nom": cas})
    else:
        messages.error(request, _("Le cas « %(nom)s » échoue : voir le rapport.") % {"nom": cas})
    return redirect(reverse("crm:guide_essai", args=[cas.pk]) + "#rapport")


@concepteur_required
@require_POST
def lancer(request, pk):
    return _lancer(request, _cas(pk))


@concepteur_required
@require_POST
def lancer_tous(request, pk):
    version = _version(pk)
    resultats = essais.version_executer_tests(version, par=request.user)
    echecs = [cas.nom for cas, rapport in resultats if not rapport.reussi]
    if not resultats:
        messages.info(request, _("Cette version n’a pas encore de cas de test."))
    elif echecs:
        messages.error(
            request,
            _("%(n)s cas sur %(total)s échouent : %(noms)s.")
            % {"n": len(echecs), "total": len(resultats), "noms": ", ".join(echecs)},
        )
    else:
        messages.success(
            request, _("Les %(total)s cas de test réussissent.") % {"total": len(resultats)}
        )
    return redirect("crm:guide_essais", pk=version.pk)


@concepteur_required
@require_POST
def supprimer(request, pk):
    cas = _cas(pk)
    version = cas.version
    cas.delete()
    messages.success(request, _("Le cas de test « %(nom)s » est supprimé.") % {"nom": cas.nom})
    return redirect("crm:guide_essais", pk=version.pk)


@concepteur_required
@require_safe
def simulation(request, pk):
    version = _version(pk)
    context = {
        "page_title": _("Simulation du guide « %(dispositif)s » v%(numero)s")
        % {"dispositif": version.guide.dispositif.titre, "numero": version.numero},
        "version": version,
        "etapes": essais.version_simulation(version),
        **_fil(version, (None, _("Simulation"))),
    }
    return render(request, "crm/guides_essais/simulation.html", context)


@instructeur_required
@require_safe
def dossier_simuler(request, pk):
    """GET only: it changes nothing (the change is run and rolled back)."""
    dossier = dossier_de_l_agent(request, pk)
    suivi = selectors.suivi_de(dossier)
    form = SimulationForm(request.GET or None, suivi=suivi) if suivi else None
    resultat, status = None, 200
    if form is not None and form.is_valid():
        resultat = essais.simuler(
            dossier=dossier,
            statut=form.cleaned_data["statut"],
            par=request.user,
            motif=form.cleaned_data["motif"],
        )
    elif form is None or form.is_bound:
        status = 400
    context = {
        **contexte_dossier(request, dossier, "instruction"),
        "suivi": suivi,
        "form": form,
        "resultat": resultat,
    }
    return render(request, "crm/guides_essais/dossier_simulation.html", context, status=status)
