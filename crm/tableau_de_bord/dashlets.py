"""The CRM's own dashlets (C1), registered in crm.apps: what waits for the agent. The
modules (contacts, follows…) register theirs the same way (common.extensions)."""

from django.utils.translation import gettext_lazy as _

from common.extensions import Dashlet, register_dashlet
from dossiers import selectors_routage
from instruction import selectors_tableau


def _instruit(agent) -> bool:
    return agent.has_perm("dossiers.instruire_dossiers")


DASHLETS = (
    Dashlet(
        code="bannettes",
        libelle=_("Bannettes"),
        description=_("Les dossiers en cours par dispositif, étape et statut."),
        template="crm/tableau_de_bord/dashlets/bannettes.html",
        contexte=selectors_tableau.bannettes,
        ordre=10,
        visible=_instruit,
    ),
    Dashlet(
        code="mes_dossiers",
        libelle=_("Mes dossiers"),
        description=_("Les dossiers en cours qui vous sont attribués."),
        template="crm/tableau_de_bord/dashlets/dossiers.html",
        contexte=selectors_tableau.mes_dossiers,
        ordre=20,
        visible=_instruit,
    ),
    Dashlet(
        code="en_retard",
        libelle=_("En retard"),
        description=_("Les dossiers restés plus longtemps que prévu dans leur étape."),
        template="crm/tableau_de_bord/dashlets/dossiers.html",
        contexte=selectors_tableau.en_retard,
        ordre=30,
        visible=_instruit,
    ),
    Dashlet(
        code="justificatifs_renvoyes",
        libelle=_("Justificatifs renvoyés"),
        description=_("Les pièces que l’usager a déposées à nouveau après un refus."),
        template="crm/tableau_de_bord/dashlets/justificatifs.html",
        contexte=selectors_tableau.justificatifs_renvoyes,
        ordre=40,
        visible=_instruit,
    ),
    Dashlet(
        code="non_attribues",
        libelle=_("Non attribués"),
        description=_("Les dossiers en cours que personne ne suit encore."),
        template="crm/tableau_de_bord/dashlets/dossiers.html",
        contexte=selectors_tableau.non_attribues,
        ordre=50,
        visible=_instruit,
    ),
    Dashlet(
        code="dispositifs",
        libelle=_("Dispositifs"),
        description=_("Vos dispositifs : dossiers en cours, déposés cette semaine."),
        template="crm/tableau_de_bord/dashlets/dispositifs.html",
        contexte=selectors_tableau.dispositifs,
        ordre=60,
        visible=_instruit,
    ),
    Dashlet(
        code="favoris",
        libelle=_("Favoris"),
        description=_("Les dossiers que vous suivez, les derniers modifiés d’abord."),
        template="crm/tableau_de_bord/dashlets/favoris.html",
        contexte=selectors_routage.favoris,
        ordre=65,
        visible=_instruit,
    ),
)


def register() -> None:
    for dashlet in DASHLETS:
        register_dashlet(dashlet)
