"""Reads of the catalogue and of dossiers shared by the portal and the CRM."""

import functools
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from common.expressions import ParmiLesValeurs
from common.postgresql.base import curseur_prepare
from common.text import search_words
from dossiers.models import (
    Champ,
    CoEditeur,
    Dispositif,
    Dossier,
    InvitationDossier,
    ModeleDossier,
    PieceAFournir,
    StatutJeton,
    Thematique,
    TransfertDossier,
    ValeurListe,
)
from dossiers.models.droits import DROITS
from dossiers.selectors_droits import portee
from usagers.models import Membre, Profil, TypeProfil


def catalogue(
    *, thematique: str = "", type_profil: str = "", recherche: str = ""
) -> QuerySet[Dispositif]:
    """Published dispositifs, filtered by theme slug, profile type code and free text
    (French stemming: « associations » finds « association »)."""
    # A tile shows none of the sheet's long texts nor the search columns: not read.
    qs = (
        Dispositif.objects.publies()
        .defer(*COLONNES_DE_FICHE)
        .prefetch_related(
            Prefetch("thematiques", queryset=Thematique.objects.order_by("ordre", "libelle")),
            Prefetch("types_profil", queryset=TypeProfil.objects.only("pk", "libelle")),
        )
    )
    if thematique:
        qs = qs.filter(thematiques__slug=thematique)
    if type_profil:
        # A dispositif with no profile type is open to all.
        qs = qs.filter(Q(types_profil__code=type_profil) | Q(types_profil__isnull=True))
    words = search_words(recherche)
    if words:
        query = SearchQuery(words, config="french", search_type="plain")
        qs = qs.filter(document=query).annotate(rang=SearchRank(F("document"), query))
        return qs.distinct().order_by("-rang", "ordre", "titre")
    return qs.distinct().order_by("ordre", "titre")


# The columns of a dispositif that only its sheet (or the search, in SQL) reads.
COLONNES_DE_FICHE = (
    "mode_operatoire",
    "eligibilite",
    "aide",
    "page_confirmation",
    "recherche",
    "document",
)


def catalogue_empreinte(*, now=None) -> str:
    """A fingerprint of everything the catalogue's tiles and filters show: which
    dispositifs are published at `now` (their publication windows evaluated then) and
    their tiles' content, the thématiques, the profile types and the links between them.
    Any change — by `save()`, `update()` or by hand — gives another fingerprint, so a
    cache keyed by it never serves a stale page. One query over a few hundred small rows
    (under a millisecond for the benchmark's 61 dispositifs)."""
    now = now or timezone.now()
    lien_thematique = Dispositif.thematiques.through._meta.db_table
    lien_type = Dispositif.types_profil.through._meta.db_table
    sql = f"""
        SELECT md5(concat_ws('#',
            (SELECT string_agg(concat_ws('|', d.id, d.updated_at, d.titre, d.slug, d.resume,
                                         d.illustration, d.illustration_alt, d.mots_cles,
                                         d.ordre), ','
                               ORDER BY d.id)
               FROM {Dispositif._meta.db_table} d
              WHERE d.actif AND (d.publie_du IS NULL OR d.publie_du <= %(now)s)
                AND (d.publie_au IS NULL OR d.publie_au > %(now)s)),
            (SELECT string_agg(concat_ws('|', t.id, t.libelle, t.slug, t.icone, t.ordre), ','
                               ORDER BY t.id)
               FROM {Thematique._meta.db_table} t),
            (SELECT string_agg(l.dispositif_id || ':' || l.thematique_id, ',' ORDER BY l.id)
               FROM {lien_thematique} l),
            (SELECT string_agg(concat_ws('|', p.id, p.code, p.libelle, p.public, p.ordre,
                                         p.actif), ',' ORDER BY p.id)
               FROM {TypeProfil._meta.db_table} p),
            (SELECT string_agg(l.dispositif_id || ':' || l.typeprofil_id, ',' ORDER BY l.id)
               FROM {lien_type} l)
        ))
    """  # noqa: S608 (table names from the models; the only value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": now})
        return cursor.fetchone()[0]


def fiche_empreinte(slug: str, *, now=None) -> str | None:
    """A fingerprint of everything the service sheet of the dispositif `slug` shows — its
    row whole (every column: `d::text`), its pieces and links, its thématiques and
    profile types, whether a form model is published — or None when no dispositif with
    this slug is published at `now` (the sheet then answers 404, never from a cache).
    Any change, by `save()`, `update()` or by hand, gives another fingerprint. One
    query; the publication rule is `Dispositif.objects.publies`'s own SQL."""
    publies = Dispositif.objects.publies(now=now).filter(slug=slug).values("pk")
    sous_requete, params = publies.query.sql_with_params()
    table = {
        modele: modele._meta.db_table
        for modele in (Dispositif, PieceAFournir, Thematique, TypeProfil, ModeleDossier)
    }
    lien_thematique = Dispositif.thematiques.through._meta.db_table
    lien_type = Dispositif.types_profil.through._meta.db_table
    liens = Dispositif._meta.get_field("liens").related_model._meta.db_table
    sql = f"""
        SELECT md5(concat_ws('#', d::text,
            (SELECT string_agg(p::text, ',' ORDER BY p.id)
               FROM {table[PieceAFournir]} p WHERE p.dispositif_id = d.id),
            (SELECT string_agg(l::text, ',' ORDER BY l.id)
               FROM {liens} l WHERE l.dispositif_id = d.id),
            (SELECT string_agg(t::text, ',' ORDER BY t.id)
               FROM {table[Thematique]} t JOIN {lien_thematique} x ON x.thematique_id = t.id
              WHERE x.dispositif_id = d.id),
            (SELECT string_agg(tp::text, ',' ORDER BY tp.id)
               FROM {table[TypeProfil]} tp JOIN {lien_type} y ON y.typeprofil_id = tp.id
              WHERE y.dispositif_id = d.id),
            EXISTS (SELECT 1 FROM {table[ModeleDossier]} m
                     WHERE m.dispositif_id = d.id AND m.statut = %s)))
          FROM {table[Dispositif]} d
         WHERE d.id IN ({sous_requete})
    """  # noqa: S608 (table names from the models, the publication rule compiled by the ORM)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ModeleDossier.Statut.PUBLIE, *params])
        ligne = cursor.fetchone()
    return ligne[0] if ligne else None


def thematiques_du_catalogue() -> list[Thematique]:
    return list(Thematique.objects.filter(dispositifs__in=Dispositif.objects.publies()).distinct())


def types_profil_du_catalogue() -> list[TypeProfil]:
    return list(TypeProfil.objects.filter(actif=True).order_by("ordre", "libelle"))


def fiche(slug: str) -> Dispositif:
    """A published dispositif with everything its sheet shows."""
    return fiches_publiees().get(slug=slug)


def fiches_publiees() -> QuerySet[Dispositif]:
    """Published dispositifs with everything their sheet shows, for
    `get_object_or_404(fiches_publiees(), slug=…)`: a fixed number of queries."""
    return Dispositif.objects.publies().prefetch_related(
        "pieces",
        "liens",
        Prefetch("thematiques", queryset=Thematique.objects.order_by("ordre", "libelle")),
        "types_profil",
    )


def modeles_publies() -> QuerySet[PieceAFournir]:
    """Pieces with a template to download, of published dispositifs only."""
    return PieceAFournir.objects.filter(dispositif__in=Dispositif.objects.publies()).exclude(
        modele=""
    )


def demande_en_cours(
    slug: str, profils: dict[int, int | None], *, now=None
) -> ModeleDossier | None:
    """For each step a usager is shown: among the versions `profils` maps to the profil
    acting (None: none), the one still published of the dispositif `slug` open to
    requests with an account (published at `now`), with its dispositif, and as its
    `profil_demandeur` that profil with its type (None without, or when it is gone).

    The version also gets `valeurs_listes`: the rows of the values of the central lists
    its fields use, every column, in primary-key order: what `services.modele_structure`
    compares with the values its cached structure holds, instead of reading them itself.

    One hand-written query (its text made once per process), since building SQL through
    the ORM cost more CPU than the four queries it replaces; it repeats
    `Dispositif.objects.publies()` and tests/dossiers/test_demande_en_cours.py checks
    both agree. The profil and its type hold only their keys and the type's code (what
    showing a step reads; any other field read loads itself); the dispositif lacks the
    sheet's long texts and search columns likewise."""
    now = now or timezone.now()
    modeles, profils_ = zip(*profils.items(), strict=True) if profils else ((), ())
    with curseur_prepare(connection) as cursor:
        cursor.execute(
            _sql_demande_en_cours(),
            {
                # As array literals: psycopg's list dumper inspects the elements' types
                # at every call (~35 µs of CPU here, a string's costs nothing).
                "modeles": _tableau(modeles),
                "profils": _tableau(profils_),
                "slug": slug,
                "publie": ModeleDossier.Statut.PUBLIE,
                "now": now,
            },
        )
        ligne = cursor.fetchone()
    if ligne is None:
        return None
    db = connection.alias
    n_modele, n_dispositif = len(_COLONNES_MODELE), len(_colonnes_dispositif())
    modele = ModeleDossier.from_db(db, _COLONNES_MODELE, ligne[:n_modele])
    modele.dispositif = Dispositif.from_db(
        db, _colonnes_dispositif(), ligne[n_modele : n_modele + n_dispositif]
    )
    profil_id, type_id, type_code, *valeurs = ligne[n_modele + n_dispositif :]
    # The lists' values as rows (one array per column; NULL without any value).
    modele.valeurs_listes = tuple(zip(*valeurs, strict=True)) if valeurs[0] else ()
    profil = None
    if profil_id is not None:
        profil = Profil.from_db(db, ["id", "type_profil_id"], [profil_id, type_id])
        profil.type_profil = TypeProfil.from_db(db, ["id", "code"], [type_id, type_code])
    modele.profil_demandeur = profil
    return modele


def _tableau(cles) -> str:
    """A PostgreSQL array literal of keys (NULL for None), cast in the query."""
    return "{" + ",".join("NULL" if cle is None else str(int(cle)) for cle in cles) + "}"


_COLONNES_MODELE = [f.attname for f in ModeleDossier._meta.concrete_fields]
# The columns of services._COLONNES_VALEUR (the same rows as services._lignes_de_valeurs).
_COLONNES_VALEURS = ("id", "liste_id", "cle", "libelle", "ordre", "active")


@functools.cache
def _colonnes_dispositif() -> list[str]:
    return [f.attname for f in Dispositif._meta.concrete_fields if f.name not in COLONNES_DE_FICHE]


@functools.cache
def _sql_demande_en_cours() -> str:
    colonnes = [f"m.{connection.ops.quote_name(c)}" for c in _COLONNES_MODELE]
    colonnes += [f"d.{connection.ops.quote_name(c)}" for c in _colonnes_dispositif()]
    # One array per column of the lists' values, in the same order.
    agregats = ", ".join(f"array_agg(v.{c} ORDER BY v.id) AS v_{c}" for c in _COLONNES_VALEURS)
    valeurs = ", ".join(f"vl.v_{c}" for c in _COLONNES_VALEURS)
    return f"""
        SELECT {", ".join(colonnes)}, p.id, t.id, t.code, {valeurs}
          FROM unnest(%(modeles)s::bigint[], %(profils)s::bigint[]) AS e(modele_id, profil_id)
          JOIN {ModeleDossier._meta.db_table} m ON m.id = e.modele_id
          JOIN {Dispositif._meta.db_table} d ON d.id = m.dispositif_id
          LEFT JOIN {Profil._meta.db_table} p ON p.id = e.profil_id
          LEFT JOIN {TypeProfil._meta.db_table} t ON t.id = p.type_profil_id
          LEFT JOIN LATERAL (
                SELECT {agregats}
                  FROM {ValeurListe._meta.db_table} v
                 WHERE v.liste_id = ANY(ARRAY(
                        SELECT c.liste_id FROM {Champ._meta.db_table} c
                         WHERE c.modele_id = m.id AND c.liste_id IS NOT NULL))
          ) AS vl ON true
         WHERE m.statut = %(publie)s AND d.slug = %(slug)s AND d.depot_avec_compte
           AND d.actif AND (d.publie_du IS NULL OR d.publie_du <= %(now)s)
           AND (d.publie_au IS NULL OR d.publie_au > %(now)s)
         LIMIT 1
    """  # noqa: S608 (table and column names from the models; values are parameters)


def dossiers_of(user, *, suivis: Iterable[int] = ()) -> QuerySet[Dossier]:
    """The dossiers a citizen reaches: those their account created, those filed for a
    profil the account is a member of (an association's members see its requests), and
    `suivis`: the filed dossiers this browser proved it may follow without an account
    (P6: follow link or tracking code, kept in the session), and those it co-edits (F14,
    drafts included; a subquery, so no join multiplies rows). A draft stays its
    author's and co-editors' until it is filed.

    The subqueries are `ParmiLesValeurs`, not `__in`: each branch of the OR then reads
    its own index (a citizen's page costs the same with 10,000 or 1,000,000 dossiers:
    bench/README.md, issue 7), where `IN (subquery)` in an OR scans the whole table."""
    suivis = [int(pk) for pk in suivis]
    acces = Q(pk__in=suivis) & ~Q(statut=Dossier.Statut.BROUILLON) if suivis else None
    if user is not None and user.is_authenticated:
        profils = Membre.objects.filter(individu__user=user).values("profil_id")
        compte = (
            Q(cree_par=user)
            | (
                Q(ParmiLesValeurs("demandeur_profil", profils))
                & ~Q(statut=Dossier.Statut.BROUILLON)
            )
            | Q(ParmiLesValeurs("pk", _coedites(user)))
        )
        acces = compte if acces is None else compte | acces
    if acces is None:
        return Dossier.objects.none()
    # A dossier in the trash (C14) is gone for its citizens too until restored.
    return Dossier.objects.filter(acces, supprime_le__isnull=True).select_related(
        "dispositif", "modele", "demandeur_profil__type_profil"
    )


def dossiers_visible_to(
    agent, droit: str = "voir", *, corbeille: bool = False
) -> QuerySet[Dossier]:
    """Every dossier an agent reaches in the CRM goes through here (ARCHITECTURE.md).
    Filed dossiers only (a draft is its author's alone); an agent needs the
    « instruire les dossiers » permission, then (C7, C8) the dispositifs on which one of
    their profils métier grants `droit` (voir, instruire, configurer, exporter,
    supprimer), and, when assigned to territoires, those territoires and their
    sous-territoires. Superusers see every filed dossier. The scope is two short literal
    lists computed once per request (`selectors_droits.portee`). Dossiers in the trash
    (C14) are left out; `corbeille=True` gives only them (the trash page)."""
    if droit not in DROITS:
        raise ValueError(droit)
    if (
        agent is None
        or not agent.is_authenticated
        or not agent.can_use_crm
        or not agent.has_perm("dossiers.instruire_dossiers")
    ):
        return Dossier.objects.none()
    qs = (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .filter(supprime_le__isnull=not corbeille)
        .select_related(
            "dispositif", "modele", "demandeur_individu", "demandeur_profil__type_profil"
        )
    )
    scope = portee(agent)
    dispositifs = scope.dispositifs_pour(droit)
    if dispositifs is not None:
        if not dispositifs:
            return Dossier.objects.none()
        qs = qs.filter(dispositif_id__in=sorted(dispositifs))
    if scope.territoires is not None:
        qs = qs.filter(territoire_id__in=sorted(scope.territoires))
    return qs


def restreindre_au_droit(dossiers: QuerySet[Dossier], agent, droit: str) -> QuerySet[Dossier]:
    """`dossiers` (already from dossiers_visible_to: territories applied) narrowed to the
    dispositifs where the agent holds `droit` (« exporter » for an export of the list,
    « instruire » for a lot of it)."""
    if droit not in DROITS:
        raise ValueError(droit)
    ids = portee(agent).dispositifs_pour(droit)
    if ids is None:
        return dossiers
    return dossiers.filter(dispositif_id__in=sorted(ids)) if ids else dossiers.none()


def _coedites(user):
    return CoEditeur.objects.filter(user=user).values("dossier_id")


def brouillons_de(user) -> QuerySet[Dossier]:
    """The citizen's drafts, the most recently changed first (Mon compte): their own and
    those they co-edit (F14); a draft is only ever theirs (dossiers_of), so no membership
    is looked at."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(
            Q(cree_par=user) | Q(ParmiLesValeurs("pk", _coedites(user))),
            statut=Dossier.Statut.BROUILLON,
        )
        .select_related("dispositif", "modele", "demandeur_profil__type_profil")
        .order_by("-updated_at")
    )


def brouillons_du_dispositif(user, dispositif: Dispositif) -> QuerySet[Dossier]:
    """The drafts an account authored for a dispositif (brouillons_max counts them)."""
    return Dossier.objects.filter(
        cree_par=user, dispositif=dispositif, statut=Dossier.Statut.BROUILLON
    ).order_by("-updated_at")


def partage_du_dossier(dossier: Dossier) -> dict:
    """The partage tab (F14): co-editors, pending invitations, the pending transfer; three
    queries whatever their number."""
    maintenant = timezone.now()
    return {
        "coediteurs": list(dossier.coediteurs.select_related("user").order_by("ajoute_le")),
        "invitations": list(
            dossier.invitations.filter(
                statut=StatutJeton.EN_ATTENTE, expire_le__gt=maintenant
            ).order_by("created_at")
        ),
        "transfert": dossier.transferts.filter(
            statut=StatutJeton.EN_ATTENTE, expire_le__gt=maintenant
        ).first(),
    }


def propositions_recues(email: str) -> tuple[list, list]:
    """The open co-editing invitations and transfers sent to this address (Mon compte's
    « à faire »): two queries."""
    if not email:
        return [], []
    ouvertes = {"email__iexact": email, "statut": StatutJeton.EN_ATTENTE}
    maintenant = timezone.now()
    return (
        list(
            InvitationDossier.objects.filter(**ouvertes, expire_le__gt=maintenant)
            .select_related("dossier__dispositif")
            .order_by("expire_le")[:20]
        ),
        list(
            TransfertDossier.objects.filter(**ouvertes, expire_le__gt=maintenant)
            .select_related("dossier__dispositif")
            .order_by("expire_le")[:20]
        ),
    )


def invitation_dossier_ouverte(token: str) -> InvitationDossier | None:
    return (
        InvitationDossier.objects.select_related("dossier__dispositif", "invite_par")
        .filter(token=token)
        .first()
    )


def transfert_ouvert(token: str) -> TransfertDossier | None:
    return (
        TransfertDossier.objects.select_related("dossier__dispositif", "par")
        .filter(token=token)
        .first()
    )


def fiches_publiees_avec_formulaire() -> QuerySet[Dispositif]:
    """`fiches_publiees()` with `a_formulaire`: whether a published form model exists
    (the sheet's start button), in the same query."""
    return fiches_publiees().annotate(
        a_formulaire=Exists(
            ModeleDossier.objects.filter(
                dispositif=OuterRef("pk"), statut=ModeleDossier.Statut.PUBLIE
            )
        )
    )


def dispositifs_du_constructeur(*, q: str = "", filtre: str = "") -> QuerySet[Dispositif]:
    """The CRM builder's list: every dispositif with its versions (newest first),
    searched by title or code; `filtre` "actifs" or "brouillon" (those with a draft)."""
    dispositifs = Dispositif.objects.prefetch_related(
        Prefetch(
            "modeles",
            queryset=ModeleDossier.objects.select_related("publie_par").order_by("-version"),
        )
    ).order_by("titre")
    if q:
        dispositifs = dispositifs.filter(Q(titre__unaccent__icontains=q) | Q(code__iexact=q))
    if filtre == "actifs":
        dispositifs = dispositifs.filter(actif=True)
    elif filtre == "brouillon":
        brouillons = ModeleDossier.objects.filter(
            dispositif=OuterRef("pk"), statut=ModeleDossier.Statut.BROUILLON
        )
        dispositifs = dispositifs.filter(Exists(brouillons))
    return dispositifs
