"""The CRM list as a source of exports: its query string, parsed by the list's own form
and selector, so an export holds what the list showed (and keeps doing so when the
list's filters change). Registered in CrmConfig.ready()."""

from crm.dossiers.selection import dossiers_de_la_liste

SOURCE_LISTE = "liste_crm"


def register() -> None:
    from dossiers import services_exports

    services_exports.register_source(SOURCE_LISTE, dossiers_de_la_liste)
