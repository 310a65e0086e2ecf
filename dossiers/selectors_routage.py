"""Reads of routing and labels (C14) shared by the CRM's screens."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from dossiers.models import (
    Champ,
    Dossier,
    Equipe,
    Etiquette,
    Historique,
    RegleRoutage,
    SuiviAgent,
)
from dossiers.selectors import dossiers_visible_to


def equipes() -> QuerySet[Equipe]:
    return Equipe.objects.annotate(nombre_agents=Count("agents", distinct=True)).order_by("nom")


def equipes_actives() -> QuerySet[Equipe]:
    return Equipe.objects.filter(active=True).order_by("nom")


def regles() -> QuerySet[RegleRoutage]:
    return RegleRoutage.objects.select_related(
        "dispositif", "equipe", "agent", "territoire"
    ).order_by("ordre", "pk")


def etiquettes() -> QuerySet[Etiquette]:
    return Etiquette.objects.annotate(nombre_dossiers=Count("dossiers")).order_by("libelle")


def etiquettes_actives() -> QuerySet[Etiquette]:
    return Etiquette.objects.filter(active=True).order_by("libelle")


def panneau(dossier: Dossier, agent) -> dict:
    """What the dossier page's « Équipe, étiquettes et suivi » panel shows: the labels
    it has, those it could get (active ones), whether the agent follows it. Two
    queries whatever the number of labels."""
    posee = Exists(
        Dossier.etiquettes.through.objects.filter(dossier_id=dossier.pk, etiquette=OuterRef("pk"))
    )
    toutes = list(Etiquette.objects.annotate(posee=posee).filter(Q(active=True) | Q(posee=True)))
    return {
        "etiquettes": [e for e in toutes if e.posee],
        "etiquettes_proposees": [e for e in toutes if not e.posee],
        "suivi": SuiviAgent.objects.filter(agent=agent, dossier=dossier).exists(),
    }


def avec_etiquettes(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """A list of dossiers with their labels (one more query whatever the page size)."""
    return dossiers.prefetch_related(
        Prefetch("etiquettes", queryset=Etiquette.objects.order_by("libelle"))
    )


def champs_du_dispositif(dispositif) -> QuerySet[Champ]:
    """The fields of any version of the dispositif's form (a rule outlives versions)."""
    return Champ.objects.filter(modele__dispositif=dispositif)


def suivis_de(agent) -> QuerySet[SuiviAgent]:
    """The dossiers the agent follows and still reaches (a trashed dossier or a right
    withdrawn drops out, as from the digest), the latest followed first."""
    return (
        SuiviAgent.objects.filter(agent=agent, dossier__in=dossiers_visible_to(agent))
        .select_related("dossier__dispositif")
        .order_by("-depuis", "-pk")
    )


FAVORIS_LIGNES = 8
FAVORIS_PLAFOND = 1000


def favoris(agent) -> dict:
    """The « Favoris » dashlet (C1): the dossiers the agent follows and may still see
    (dossiers_visible_to: a follow outside their rights now is left out), the latest
    changed first — the later of the row's update and its last history line (index
    historique_dossier_quand) — and their count, stopped at FAVORIS_PLAFOND. Two queries
    whatever the number of follows."""
    dernier = (
        Historique.objects.filter(dossier_id=OuterRef("pk")).order_by("-quand").values("quand")[:1]
    )
    suivis = dossiers_visible_to(agent).filter(
        Exists(SuiviAgent.objects.filter(agent_id=agent.pk, dossier_id=OuterRef("pk")))
    )
    nombre = suivis.values("pk")[: FAVORIS_PLAFOND + 1].count()
    dossiers = list(
        suivis.annotate(
            dernier_changement=Greatest("updated_at", Coalesce(Subquery(dernier), "updated_at"))
        )
        .select_related("dispositif", "demandeur_individu", "demandeur_profil")
        .order_by("-dernier_changement", "-pk")[:FAVORIS_LIGNES]
    )
    return {
        "nombre": min(nombre, FAVORIS_PLAFOND),
        "plus": nombre > FAVORIS_PLAFOND,
        "dossiers": dossiers,
    }
