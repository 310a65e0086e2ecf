"""Reads of the référentiel shared by the portal and the CRM."""

import re

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, F, FloatField, Func, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone
from pghistory.models import Events

from accounts.models import Connexion, User
from common.text import digits, fold, search_words
from usagers.models import (
    Individu,
    Invitation,
    LienParente,
    Membre,
    MotRecherche,
    NatureProfil,
    Profil,
    TypeProfil,
)

SEARCH_LIMIT = 50


class WordDistance(Func):
    """`recherche <->> 'query'`: pg_trgm's word-similarity distance (0 = every word found)."""

    function = ""
    arg_joiner = " <->> "
    output_field = FloatField()


CORRECTIONS_PER_WORD = 6
CANDIDATES = 100


def _corrections(words: list[str]) -> dict[str, list[str]]:
    """Known words close to each typed word, from the small MotRecherche table."""
    condition = Q()
    for word in words:
        condition |= Q(mot__trigram_similar=word)
    found: dict[str, list[tuple[float, str]]] = {word: [] for word in words}
    for mot in MotRecherche.objects.filter(condition).values_list("mot", flat=True)[:500]:
        for word in words:
            score = _similarity(word, mot)
            if score >= 0.3:
                found[word].append((score, mot))
    return {
        w: [m for _s, m in sorted(c, reverse=True)[:CORRECTIONS_PER_WORD]] for w, c in found.items()
    }


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(), computed here to rank a handful of dictionary words."""
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _tsquery(query: str) -> tuple[str, str] | None:
    """The folded query and its tsquery: every typed word must match, as a prefix or as
    one of its corrections. Digits, emails and identifiers are matched as prefixes."""
    folded = fold(query)
    number = digits(query)
    if len(number) >= 6 and not re.search(r"[a-z]", folded):
        folded = number  # a phone or a SIRET typed with spaces or dots
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if len(w) >= 2]
    if not words:
        return None
    corrections = _corrections([w for w in words if not w.isdigit()])
    terms = []
    for word in words:
        # Words hold only [a-z0-9]: safe inside a quoted tsquery lexeme.
        options = [f"'{word}':*"] + [f"'{m}'" for m in corrections.get(word, []) if m != word]
        if word.startswith("0") and word.isdigit():
            options.append(f"'33{word[1:]}':*")  # a French phone typed in national form
        terms.append("(" + " | ".join(options) + ")")
    return folded, " & ".join(terms)


def _search(queryset: QuerySet, query: str) -> list:
    """Accents and case ignored, misspellings tolerated, at any size of the référentiel:
    typed words are corrected against the dictionary of known words, then found by the
    full-text index; at most CANDIDATES rows are then ranked by word similarity."""
    parsed = _tsquery(query)
    if parsed is None:
        return queryset.none()
    folded, tsquery = parsed
    match = SearchQuery(tsquery, search_type="raw", config="simple")
    model = queryset.model
    candidates = (
        model.objects.filter(document=match)
        .order_by()  # no default ordering: any CANDIDATES matches, straight from the index
        .values("pk")[:CANDIDATES]
    )
    return (
        queryset.filter(pk__in=Subquery(candidates))
        .annotate(distance=WordDistance(F("recherche"), Value(folded)))
        .order_by("distance", "pk")
    )


def individus_rechercher(query: str, *, limit: int = SEARCH_LIMIT) -> list[Individu]:
    qs = Individu.objects.select_related("agent_referent")
    return list(_search(qs, query)[:limit])


def profils_rechercher(query: str, *, limit: int = SEARCH_LIMIT) -> list[Profil]:
    qs = Profil.objects.select_related("type_profil", "nature")
    return list(_search(qs, query)[:limit])


def _filtrer(queryset: QuerySet, texte: str) -> QuerySet:
    """Every row whose words match `texte` (corrected as `_search` does), ranked; unlike
    `_search`, not cut to CANDIDATES first, so other filters narrow the whole match."""
    parsed = _tsquery(texte)
    if parsed is None:
        return queryset
    folded, tsquery = parsed
    return (
        queryset.filter(document=SearchQuery(tsquery, search_type="raw", config="simple"))
        .annotate(distance=WordDistance(F("recherche"), Value(folded)))
        .order_by("distance", "pk")
    )


def individus_recherche_avancee(*, texte: str = "", date_naissance=None) -> QuerySet[Individu]:
    """The advanced search (C10): names, email, phone or commune words in `texte`
    (accents ignored, misspellings tolerated) and an exact birth date. Nothing when no
    criterion is given."""
    if not search_words(texte) and date_naissance is None:
        return Individu.objects.none()
    qs = Individu.objects.select_related("agent_referent")
    if date_naissance is not None:
        qs = qs.filter(date_naissance=date_naissance).order_by("nom", "prenom", "pk")
    return _filtrer(qs, texte)


def profils_recherche_avancee(*, texte: str = "") -> QuerySet[Profil]:
    """The advanced search (C10) among profils: name, SIRET, email, phone or commune."""
    if not search_words(texte):
        return Profil.objects.none()
    return _filtrer(Profil.objects.select_related("type_profil", "nature"), texte)


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
    """Tracked changes of `instance`, newest first in a stable order; each event keeps its
    `pgh_diff` and its `pgh_context` (a dict: the author's user id, the request's url)."""
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


def agents_actifs() -> QuerySet:
    """The accounts an individu can be assigned to (CRM mass assignment)."""
    return User.objects.filter(is_agent=True, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


# Citizens' portal ---------------------------------------------------------------------------


def profils_de_user(user) -> QuerySet:
    """The profils an account is a member of: every profil the portal lets it reach."""
    if user is None or not user.is_authenticated:
        return Profil.objects.none()
    return Profil.objects.filter(adhesions__individu__user=user)


def profils_de_user_pour_page(user) -> QuerySet:
    """`profils_de_user` with what the portal's profil page shows: type, nature, members
    with their role (responsables first), pending invitations; a fixed number of queries."""
    return (
        profils_de_user(user)
        .select_related("type_profil", "nature")
        .prefetch_related(
            Prefetch(
                "adhesions",
                queryset=Membre.objects.select_related("individu", "role").order_by(
                    "-role__responsable", "individu__nom", "individu__prenom", "pk"
                ),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(statut="en_attente")
                .select_related("role")
                .order_by("-created_at"),
                to_attr="invitations_en_attente",
            ),
        )
    )


def adhesions_avec_effectif(individu: Individu | None) -> list[Membre]:
    """Like `adhesions_de` (personal profil first), each with `effectif`: its profil's
    number of members."""
    if individu is None:
        return []
    return list(
        Membre.objects.filter(individu=individu)
        .select_related("profil__type_profil", "profil__nature", "role")
        .annotate(effectif=Count("profil__adhesions"))
        .order_by("-profil__personnel", "profil__nom", "profil__pk")
    )


def invitations_ouvertes_recues(email: str) -> list[Invitation]:
    """Pending, unexpired invitations sent to `email`, newest first."""
    return list(
        Invitation.objects.filter(
            email__iexact=email, statut="en_attente", expire_le__gt=timezone.now()
        )
        .select_related("profil__type_profil", "role", "invite_par")
        .order_by("-created_at")
    )


def invitations_par_lien() -> QuerySet:
    """Invitations reached through their emailed link (the token is the key)."""
    return Invitation.objects.select_related("profil__type_profil", "role", "invite_par")


def types_profil_creables() -> list[TypeProfil]:
    """The kinds of profil a citizen may create: active, not the personal one."""
    return list(
        TypeProfil.objects.filter(actif=True, personnel=False)
        .prefetch_related(Prefetch("natures", queryset=NatureProfil.objects.filter(actif=True)))
        .order_by("ordre", "libelle")
    )
