"""The CRM list as a source of exports: its query string, parsed by the list's own form
and selector, so an export holds what the list showed (and keeps doing so when the
list's filters change). Registered in CrmConfig.ready()."""

from django.http import QueryDict

from crm.dossiers.forms import FiltresForm
from dossiers import selectors_gestion

SOURCE_LISTE = "liste_crm"


def dossiers_de_la_liste(agent, filtres: str):
    form = FiltresForm(QueryDict(filtres or ""))
    donnees = form.cleaned_data if form.is_valid() else {}
    # TODO(droits): the list's selector goes through dossiers_visible_to(agent); the
    # droits slice makes exports ask for droit="exporter".
    return selectors_gestion.dossiers_du_crm(
        agent,
        q=donnees.get("q") or "",
        dispositif=donnees.get("dispositif"),
        drapeau=donnees.get("drapeau") or "",
        attribution=donnees.get("attribution") or "",
    )


def register() -> None:
    from dossiers import services_exports

    services_exports.register_source(SOURCE_LISTE, dossiers_de_la_liste)
