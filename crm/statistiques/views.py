"""Statistics (C13): the agent's dossiers counted per dispositif, étape, statut, territoire
or month,
as a chart and a table, and as CSV. Agents who instruct; counts are limited to what
they may see."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crm.access import agent_permission_required
from crm.statistiques.forms import StatistiquesForm
from instruction.selectors_statistiques import REGROUPEMENTS, statistiques


class _Tampon:
    """csv.writer writes into this; each row is handed to the response as it comes."""

    def write(self, valeur):
        return valeur


def _nombre(valeur) -> str:
    # No thousands separator, decimal comma: what French spreadsheets read as a number.
    return "" if valeur is None else str(valeur).replace(".", ",")


def _csv(tableau):
    ecrivain = csv.writer(_Tampon(), delimiter=";")
    yield "\ufeff"  # so that Excel reads UTF-8
    yield ecrivain.writerow(
        [
            str(REGROUPEMENTS[tableau.regroupement]),
            _("Territoire parent") if tableau.regroupement == "territoire" else _("Dispositif"),
            _("Déposés"),
            _("En cours"),
            _("Clôturés"),
            _("En retard"),
            _("Part en retard (%)"),
            _("Durée moyenne (jours)"),
            _("Durée médiane (jours)"),
        ]
    )
    for ligne in [*tableau.lignes, tableau.total]:
        yield ecrivain.writerow(
            [
                ligne.libelle,
                ligne.parent if tableau.regroupement == "territoire" else ligne.dispositif,
                ligne.deposes,
                ligne.en_cours,
                ligne.clos,
                ligne.en_retard,
                _nombre(ligne.part_retard),
                _nombre(ligne.jours_moyenne),
                _nombre(ligne.jours_mediane),
            ]
        )


@require_safe
@agent_permission_required("dossiers.instruire_dossiers")
def statistiques_page(request):
    form = StatistiquesForm(request.GET or None, agent=request.user)
    filtres = form.cleaned_data if form.is_valid() else {}
    dispositif = filtres.get("dispositif")
    tableau = statistiques(
        request.user,
        regroupement=filtres.get("regroupement") or "dispositif",
        dispositif=dispositif.pk if dispositif else None,
        du=filtres.get("du"),
        au=filtres.get("au"),
        hors_portee=form.hors_portee(),
    )
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(_csv(tableau), content_type="text/csv; charset=utf-8")
        nom = f"statistiques-{tableau.regroupement}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{nom}"'
        return response
    parametres = request.GET.copy()
    parametres["format"] = "csv"
    context = {
        "page_title": _("Statistiques"),
        "form": form,
        "tableau": tableau,
        "intitule": REGROUPEMENTS[tableau.regroupement],
        "barres": [
            (ligne, round(100 * ligne.deposes / tableau.maximum) if tableau.maximum else 0)
            for ligne in tableau.lignes
        ],
        "url_csv": f"{reverse('crm:statistiques')}?{parametres.urlencode()}",
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [],
        "current": _("Statistiques"),
        "menu_actif": "statistiques",
    }
    return render(request, "crm/statistiques/statistiques.html", context)
