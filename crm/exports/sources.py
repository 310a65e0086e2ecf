"""The CRM list as a source of exports: its query string, parsed by the list's own form
and selector, so an export holds what the list showed (and keeps doing so when the
list's filters change). Registered in CrmConfig.ready()."""

from crm.dossiers import selection
from dossiers.selectors import restreindre_au_droit

SOURCE_LISTE = "liste_crm"


def dossiers_de_la_liste(agent, filtres: str):
    """What the list shows for `filtres`, on the dispositifs the agent may export."""
    return restreindre_au_droit(selection.dossiers_de_la_liste(agent, filtres), agent, "exporter")


def register() -> None:
    from dossiers import services_exports

    services_exports.register_source(SOURCE_LISTE, dossiers_de_la_liste)
