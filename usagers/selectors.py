"""Reads of the référentiel shared by the portal and the CRM."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Prefetch, Q, QuerySet
from pghistory.models import Events

from accounts.models import Connexion
from common.text import digits, fold
from usagers.models import Individu, Invitation, LienParente, Membre, Profil

SEARCH_LIMIT = 50


def _search(queryset: QuerySet, query: str) -> QuerySet:
    """Accents and case ignored, misspellings tolerated: the folded query is matched as a
    substring (emails, phone digits, SIRET) or by trigram word similarity (names), both
    served by the GIN trigram index on `recherche`."""
    folded = fold(query)
    if len(folded) < 2:
        return queryset.none()
    number = digits(query)
    condition = Q(recherche__trigram_word_similar=folded) | Q(recherche__contains=folded)
    if len(number) >= 6:
        condition |= Q(recherche__contains=number)
    return (
        queryset.filter(condition)
        .annotate(pertinence=TrigramWordSimilarity(folded, "recherche"))
        .order_by("-pertinence", "pk")
    )


def individus_rechercher(query: str, *, limit: int = SEARCH_LIMIT) -> list[Individu]:
    qs = Individu.objects.select_related("agent_referent")
    return list(_search(qs, query)[:limit])


def profils_rechercher(query: str, *, limit: int = SEARCH_LIMIT) -> list[Profil]:
    qs = Profil.objects.select_related("type_profil", "nature")
    return list(_search(qs, query)[:limit])


def individu_pour_fiche(pk: int) -> Individu:
    """The individu with everything its CRM page shows, in a fixed number of queries."""
    return (
        Individu.objects.select_related("user", "agent_referent")
        .prefetch_related(
            Prefetch(
                "adhesions",
                queryset=Membre.objects.select_related("profil__type_profil", "role"),
            ),
            Prefetch("liens", queryset=LienParente.objects.select_related("apparente")),
            Prefetch("liens_recus", queryset=LienParente.objects.select_related("individu")),
            "adresses_precedentes",
        )
        .get(pk=pk)
    )


def profil_pour_fiche(pk: int) -> Profil:
    return (
        Profil.objects.select_related("type_profil", "nature")
        .prefetch_related(
            Prefetch(
                "adhesions",
                queryset=Membre.objects.select_related("individu", "role").order_by(
                    "-role__responsable", "individu__nom"
                ),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(statut="en_attente").select_related("role"),
                to_attr="invitations_en_attente",
            ),
            "adresses_precedentes",
        )
        .get(pk=pk)
    )


def connexions_recentes(user, *, limit: int = 10) -> list[Connexion]:
    if user is None:
        return []
    return list(Connexion.objects.filter(user=user)[:limit])


def journal(instance, *, limit: int = 50) -> list:
    """Tracked changes of `instance`, newest first, each with its diff and its author."""
    return list(Events.objects.tracks(instance).order_by("-pgh_created_at", "-pgh_id")[:limit])


def doublons_individu(individu: Individu) -> list[Individu]:
    """Same email, or same names and birth date (accents and case ignored)."""
    condition = Q()
    if individu.email:
        condition |= Q(email__iexact=individu.email)
    if individu.date_naissance:
        condition |= Q(
            nom__unaccent__iexact=individu.nom,
            prenom__unaccent__iexact=individu.prenom,
            date_naissance=individu.date_naissance,
        )
    if not condition:
        return []
    return list(Individu.objects.filter(condition).exclude(pk=individu.pk).order_by("pk")[:20])


def doublons_profil(profil: Profil) -> list[Profil]:
    condition = Q(nom__unaccent__iexact=profil.nom, type_profil=profil.type_profil)
    if profil.siret:
        condition |= Q(siret=profil.siret)
    if profil.rna:
        condition |= Q(rna=profil.rna)
    return list(
        Profil.objects.filter(condition, personnel=False).exclude(pk=profil.pk).order_by("pk")[:20]
    )


def adhesions_de(individu: Individu | None) -> list[Membre]:
    """A citizen's profils (personal first) with role and type, for 'Mon compte'."""
    if individu is None:
        return []
    return list(
        Membre.objects.filter(individu=individu)
        .select_related("profil__type_profil", "profil__nature", "role")
        .order_by("-profil__personnel", "profil__nom")
    )


def invitations_recues(email: str) -> list[Invitation]:
    return list(
        Invitation.objects.filter(email__iexact=email, statut="en_attente")
        .select_related("profil", "role", "invite_par")
        .order_by("-created_at")
    )
