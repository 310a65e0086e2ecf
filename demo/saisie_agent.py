"""The CRM's journal and desk entry (C11, C4) in the demo: the instructeurs' group may
read dossiers' journals, and the instance's « Anonyme » demandeur exists; a quick entry
is filed for it on the first demo form the agents' view lets file empty (none, when every
form has a required field: the demo's forms do today)."""

import pghistory
from django.contrib.auth.models import Group, Permission


def load_saisie_agent(users) -> None:
    from dossiers.models import Dossier
    from dossiers.services import DepotRefuse
    from dossiers.services_saisie_agent import dispositifs_pour_saisie, dossier_deposer_par_agent
    from usagers.services import individu_anonyme

    instructeurs = Group.objects.filter(name="Instructeurs (démo)").first()
    if instructeurs:
        instructeurs.permissions.add(Permission.objects.get(codename="consulter_journal"))
    agent = users.get("instructeur") or users.get("agent")
    anonyme = individu_anonyme(by=agent)
    if Dossier.objects.filter(demandeur_individu=anonyme).exists():
        return
    for dispositif in dispositifs_pour_saisie():
        try:
            with pghistory.context(user=agent.pk if agent else None):
                dossier_deposer_par_agent(
                    dispositif=dispositif, individu=anonyme, data={}, by=agent
                )
        except DepotRefuse:
            continue  # a form with required fields: the next one
        return
