"""The CRM dossier list (C2, C15): its filters, sorts, columns and indicators, each one
small entry of a registry, and its paging.

Adding a filter is one entry: a `Filtre` subclass naming its form fields (`champs`) and
narrowing the queryset (`appliquer`), registered with `enregistrer_filtre()` — here for
the dossier's own columns, from `InstructionConfig.ready()` for étape, statut and
lateness, and likewise for teams, territories and labels once their models exist. The
list's form, its saved views (`VueListe`) and the query string all speak the filters'
field names, so a new filter needs nothing else.

Paging (the list must stay as fast on page 1,000 of a million dossiers as on page 1):
- keyset (seek) pagination: the page after a row is `WHERE (sort keys, pk) < (its
  keys, its pk) ORDER BY sort keys, pk LIMIT n + 1`, each offered sort backed by an index
  ending on the pk (dossiers/migrations/0013, instruction/migrations/0006); the cursor
  (the last or first row's keys) travels in the URL (`apres=` / `avant=`), so any page is
  reachable and bookmarkable and costs the same as the first;
- a direct jump to page n (`page=n`) uses OFFSET, bounded to the first `PLAFOND` rows
  (page 334 at most): past it, the cursors go on;
- counts are capped: the indicators aggregate the first `PLAFOND_COMPTE + 1` rows of
  the filtered list in one query (FILTER clauses), « plus de 1 000 » beyond (as the
  dashboard's bannettes: a count reads its rows, so its cap is what it costs at any
  size).

Every filter receives the queryset of `dossiers_visible_to(agent)`: a forged id narrows
it to nothing, never widens it. A dispositif or territoire outside the agent's scope
(unknown, deleted, forbidden, malformed) gives nothing and one message beside its field,
the same for each case (`Filtre.hors_portee`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Field,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from common.nombres import entier

PAR_PAGE = 30
PLAFOND = 10_000
PAGE_MAX = PLAFOND // PAR_PAGE + 1
# The list's total and indicators count at most this many rows (« plus de 1 000 »): the
# count reads them all, so the cap bounds its cost (docs/performance.md).
PLAFOND_COMPTE = 1_000


@dataclass
class Contexte:
    """What the options and predicates of a filter may depend on: the agent, the
    dispositif chosen in the same form (its étapes, statuts and fields), the time."""

    agent: Any
    dispositif_id: int | None = None
    maintenant: datetime = field(default_factory=timezone.now)
    # Per-request memo of option lists (one query each, however many fields use them).
    cache: dict = field(default_factory=dict)
    # False: the options are not read (the map's data, an export, a lot only parse the
    # list's parameters: no form is shown). The `ChoixOuvert` fields accept any
    # well-formed value anyway, so the filtering is the same; a filter shown only when
    # it has options (territoire) is then always parsed.
    options: bool = True
    # The query's filled parameters: a filter hidden for want of options still parses
    # a value it is given (a forged territoire gets its message).
    demandes: frozenset = frozenset()

    def memo(self, cle: str, calcul):
        if cle not in self.cache:
            self.cache[cle] = calcul()
        return self.cache[cle]


class ChoixOuvert(forms.ChoiceField):
    """A select whose forged value (an id outside the options, i.e. outside the agent's
    rights or gone) is still accepted when it has the expected shape, so that it
    narrows the list to nothing — no error that would tell it exists."""

    def __init__(self, *args, motif: str = r"^\d{1,9}$", **kwargs):
        self.motif = re.compile(motif)
        super().__init__(*args, **kwargs)

    def valid_value(self, value) -> bool:
        if "\x00" in str(value):
            return False
        return super().valid_value(value) or bool(self.motif.match(str(value)))


class Filtre:
    """One filter of the list. `champs(ctx)`: its form fields by name (the names are the
    query parameters); `appliquer(qs, valeurs, ctx)`: the queryset narrowed by the
    cleaned values of those fields, called when one of them is filled.

    A filter naming what the agent's scope bounds (a dispositif, a territoire) sets
    `hors_portee_message` and answers `hors_portee(valeur, ctx)`: a value outside the
    scope — unknown, deleted, forbidden or malformed alike, so that the answer reveals
    nothing — narrows the list to nothing (`REFUSE`) with that message beside the
    field, instead of being ignored (which would widen an export or a lot to the whole
    list)."""

    nom: ClassVar[str] = ""
    ordre: ClassVar[int] = 100
    # Shown beside the dispositif (its options depend on it): refreshed by htmx.
    depend_du_dispositif: ClassVar[bool] = False
    hors_portee_message: ClassVar[Any] = ""

    def champs(self, ctx: Contexte) -> dict[str, forms.Field]:
        raise NotImplementedError

    def appliquer(self, qs: QuerySet, valeurs: dict, ctx: Contexte) -> QuerySet:
        raise NotImplementedError

    def hors_portee(self, valeur: str, ctx: Contexte) -> bool:
        return False


class _Refuse:
    """The cleaned value of a scope filter's field naming something outside the agent's
    scope: `filtrer` then gives nothing."""

    def __repr__(self):
        return "REFUSE"


REFUSE = _Refuse()


@dataclass(frozen=True)
class Cle:
    """One sort key: an expression over the dossier, never NULL (Coalesce when the
    column may be), and how its cursor value reads back ("datetime", "texte", "entier")."""

    expression: Any
    type: str = "datetime"


@dataclass(frozen=True)
class Tri:
    nom: str
    libelle: str
    cles: tuple[Cle, ...]
    ordre: int = 100


@dataclass(frozen=True)
class Colonne:
    """A column the agent may show. Core columns are drawn by the list's template;
    others give `valeur(dossier)` (with `annotations` added to the page's query)."""

    nom: str
    libelle: str
    ordre: int = 100
    annotations: dict = field(default_factory=dict)
    valeur: Any = None


@dataclass(frozen=True)
class Indicateur:
    """A count above the list: the filtered dossiers matching `condition(ctx)`."""

    nom: str
    libelle: str
    condition: Any
    ordre: int = 100


_filtres: dict[str, Filtre] = {}
_tris: dict[str, Tri] = {}
_colonnes: dict[str, Colonne] = {}
_indicateurs: dict[str, Indicateur] = {}


def enregistrer_filtre(filtre: Filtre) -> None:
    _filtres[filtre.nom] = filtre


def enregistrer_tri(tri: Tri) -> None:
    _tris[tri.nom] = tri


def enregistrer_colonne(colonne: Colonne) -> None:
    _colonnes[colonne.nom] = colonne


def enregistrer_indicateur(indicateur: Indicateur) -> None:
    _indicateurs[indicateur.nom] = indicateur


def filtres() -> list[Filtre]:
    return sorted(_filtres.values(), key=lambda f: f.ordre)


def tris() -> list[Tri]:
    return sorted(_tris.values(), key=lambda t: t.ordre)


def colonnes() -> list[Colonne]:
    return sorted(_colonnes.values(), key=lambda c: c.ordre)


def indicateurs() -> list[Indicateur]:
    return sorted(_indicateurs.values(), key=lambda i: i.ordre)


TRI_DEFAUT = "-depose_le"
COLONNES_DEFAUT = ["reference", "dispositif", "demandeur", "depose_le", "etat", "agent"]
PREFIXE_CHAMP = "champ:"


# --- Filtering -------------------------------------------------------------------------


def filtrer(qs: QuerySet, valeurs: dict, ctx: Contexte) -> QuerySet:
    """`qs` narrowed by every registered filter one of whose fields holds a value;
    nothing when one names what is outside the agent's scope (`REFUSE`)."""
    if any(v is REFUSE for v in valeurs.values()):
        return qs.none()
    for filtre in filtres():
        mine = {nom: valeurs.get(nom) for nom in filtre.champs(ctx)}
        if any(v not in (None, "", [], False) for v in mine.values()):
            qs = filtre.appliquer(qs, mine, ctx)
    return qs


# --- Keyset pagination -----------------------------------------------------------------


class _Numeric(Func):
    """Text to an unconstrained numeric (Cast would need digits; any size is accepted)."""

    template = "(%(expressions)s)::numeric"
    output_field = DecimalField()


class _Ligne(Func):
    """A row value `(a, b, c)`: PostgreSQL compares it lexicographically and walks a
    matching index for `(a, b, c) < (x, y, z)`."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = Field()


def _expression(cle: Cle):
    return F(cle.expression) if isinstance(cle.expression, str) else cle.expression


def _lire(type_: str, brut):
    if type_ == "datetime":
        valeur = parse_datetime(brut) if isinstance(brut, str) else None
        if valeur is None or timezone.is_naive(valeur):
            raise ValueError(brut)
        return valeur
    if type_ == "entier":
        if not isinstance(brut, int) or isinstance(brut, bool) or abs(brut) >= 2**62:
            raise ValueError(brut)
        return brut
    if not isinstance(brut, str) or len(brut) > 500 or "\x00" in brut:
        raise ValueError(brut)
    return brut


def _ecrire(valeur):
    return valeur.isoformat() if isinstance(valeur, datetime) else valeur


def encoder_curseur(valeurs: list) -> str:
    texte = json.dumps([_ecrire(v) for v in valeurs], separators=(",", ":"))
    return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")


def decoder_curseur(tri: Tri, curseur: str) -> list | None:
    """The cursor's values typed for `tri`'s keys and the pk; None for anything else
    (garbage, another sort's cursor): the list then starts at its first page."""
    if not curseur or len(curseur) > 2000:
        return None
    try:
        brut = json.loads(base64.urlsafe_b64decode(curseur + "=" * (-len(curseur) % 4)))
        types = [c.type for c in tri.cles] + ["entier"]
        if not isinstance(brut, list) or len(brut) != len(types):
            return None
        return [_lire(t, v) for t, v in zip(types, brut, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class PageListe:
    dossiers: list
    numero: int
    suivant: str | None = None  # the cursor of the next page
    precedent: str | None = None  # the cursor of the previous page
    numero_borne: bool = False  # a page number past PAGE_MAX was asked


def tri_de(valeur: str) -> tuple[Tri, bool]:
    """The registered sort named by `valeur` (« -nom »: descending); the default else."""
    valeur = valeur or TRI_DEFAUT
    nom = valeur.lstrip("-")
    if nom not in _tris:
        return tri_de(TRI_DEFAUT) if valeur != TRI_DEFAUT else (tris()[0], True)
    return _tris[nom], valeur.startswith("-")


def dans_l_ordre(qs: QuerySet, ids: list[int]) -> list:
    """The rows of `qs` with these ids, in the ids' order: read by primary key with no
    ORDER BY, since with one the planner may walk the sort's index again instead."""
    if not ids:
        return []
    lignes = {ligne.pk: ligne for ligne in qs.order_by().filter(pk__in=ids)}
    return [lignes[pk] for pk in ids if pk in lignes]


def paginer(
    qs: QuerySet,
    tri: Tri,
    descendant: bool,
    *,
    apres: str = "",
    avant: str = "",
    page: int | None = None,
    numero: int | None = None,
) -> PageListe:
    """One page of `qs` in `tri`'s order: after the `apres` cursor, before the `avant`
    one, at page number `page` (bounded OFFSET), or the first. Two keyset pages never
    overlap nor skip a row, equal sort keys included (the pk breaks ties)."""
    exprs = [_expression(c) for c in tri.cles] + [F("pk")]
    noms = [f"_cle{i}" for i in range(len(exprs))]
    qs = qs.annotate(**dict(zip(noms, exprs, strict=True)))
    curseur_apres = decoder_curseur(tri, apres)
    curseur_avant = None if curseur_apres else decoder_curseur(tri, avant)
    # Backwards (`avant`): the reverse order from the cursor, read back to front.
    a_rebours = curseur_avant is not None
    vers_le_bas = descendant != a_rebours
    ordre = [F(n).desc() if vers_le_bas else F(n).asc() for n in noms]
    qs = qs.order_by(*ordre)
    curseur = curseur_apres or curseur_avant
    borne = False
    decalage = 0
    if curseur is not None:
        lookup = "lt" if vers_le_bas else "gt"
        ligne = _Ligne(*[F(n) for n in noms])
        qs = qs.alias(_ligne=ligne).filter(
            **{f"_ligne__{lookup}": _Ligne(*[Value(v) for v in curseur])}
        )
    elif page and page > 1:
        if page > PAGE_MAX:
            page, borne = PAGE_MAX, True
        decalage = (page - 1) * PAR_PAGE
    # The page's ids first, without the joins of the rows shown, then those rows: in
    # one statement the planner, misjudging how few rows an agent's scope keeps (a
    # territoire among a dispositif's dossiers), joined every matching row before
    # sorting them (15,000 buffers for a restricted agent's page at 1,000,000 dossiers).
    ids = list(qs.values_list("pk", flat=True)[decalage : decalage + PAR_PAGE + 1])
    lus = dans_l_ordre(qs, ids)
    encore = len(lus) > PAR_PAGE
    lus = lus[:PAR_PAGE]
    if a_rebours:
        lus.reverse()

    def cle_de(dossier):
        return encoder_curseur([getattr(dossier, n) for n in noms])

    if curseur is None:
        numero = page or 1
        precedent_existe = decalage > 0
        suivant_existe = encore
    else:
        numero = max(numero or 2, 1)
        precedent_existe = encore if a_rebours else True
        suivant_existe = True if a_rebours else encore
    return PageListe(
        dossiers=lus,
        numero=numero,
        suivant=cle_de(lus[-1]) if lus and suivant_existe else None,
        precedent=cle_de(lus[0]) if lus and precedent_existe else None,
        numero_borne=borne,
    )


# --- Indicators ------------------------------------------------------------------------


def compter(qs: QuerySet, ctx: Contexte) -> dict[str, int]:
    """The total and each indicator over the filtered list, in one query: an aggregate
    with FILTER clauses over its first PLAFOND_COMPTE + 1 rows (so the cost stays bounded; the
    template says « plus de » when the total reached the cap, and the indicators then
    count among those rows only)."""
    marques = {
        f"_ind_{i.nom}": ExpressionWrapper(i.condition(ctx), output_field=BooleanField())
        for i in indicateurs()
    }
    lignes = qs.order_by().annotate(**marques).values("pk", *marques)[: PLAFOND_COMPTE + 1]
    agregats = {"total": Count("pk")}
    agregats.update(
        {i.nom: Count("pk", filter=Q(**{f"_ind_{i.nom}": True})) for i in indicateurs()}
    )
    return lignes.aggregate(**agregats)


# --- The dossier's own filters, sorts, columns and indicators --------------------------

DRAPEAUX = (
    ("prioritaire", _("Prioritaire")),
    ("urgent", _("Urgent")),
    ("signale", _("Signalé")),
    ("doublon", _("Doublon")),
)


class FiltreRecherche(Filtre):
    nom, ordre = "q", 10

    def champs(self, ctx):
        return {
            "q": forms.CharField(
                label=_("Référence ou nom du demandeur"), required=False, max_length=100
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        q = valeurs["q"].strip()
        if not q:
            return qs
        return qs.filter(
            Q(reference__icontains=q)
            | Q(demandeur_individu__nom__unaccent__icontains=q)
            | Q(demandeur_individu__nom_usage__unaccent__icontains=q)
            | Q(demandeur_individu__prenom__unaccent__icontains=q)
            | Q(demandeur_profil__nom__unaccent__icontains=q)
        )


def dispositifs_proposes(ctx: Contexte) -> list[tuple[int, str]]:
    """The dispositif filter's options: the dispositifs the agent may see (C7); a
    forged one lists nothing, the scope being applied first."""
    from dossiers.selectors_gestion import dispositifs_du_filtre

    if not ctx.options:
        return []
    return ctx.memo(
        "dispositifs",
        lambda: list(dispositifs_du_filtre(ctx.agent).values_list("pk", "titre")),
    )


def identifiant(valeur) -> int | None:
    """A well-formed id (ASCII digits: « ² » is a digit to str.isdigit, not to int)."""
    return entier(valeur or "")


class FiltreTerritoire(Filtre):
    """A territoire and its sous-territoires (C8), among the agent's; not offered when
    the collectivité has none (unless the query names one: its message then shows)."""

    nom, ordre = "territoire", 25
    hors_portee_message = _("Territoire inconnu ou hors de vos territoires.")

    def champs(self, ctx):
        from dossiers.selectors_gestion import territoires_du_filtre

        if ctx.options:
            proposes = ctx.memo("territoires", lambda: territoires_du_filtre(ctx.agent))
            if not proposes and "territoire" not in ctx.demandes:
                return {}
        else:
            proposes = []
        return {
            "territoire": ChoixOuvert(
                label=_("Territoire"),
                required=False,
                choices=[("", _("Tous"))] + [(str(pk), t) for pk, t in proposes],
            )
        }

    @staticmethod
    def _arbre(ctx) -> list[tuple[int, int | None]]:
        from dossiers.models import Territoire

        return ctx.memo("arbre", lambda: list(Territoire.objects.values_list("pk", "parent_id")))

    def hors_portee(self, valeur, ctx):
        """Unknown (or deleted) and outside the agent's territoires alike. The tree is
        the one `appliquer` reads (memoised): no query more; the scope is the user's."""
        from dossiers.selectors_droits import portee

        pk = identifiant(valeur)
        if pk is None or pk not in {t for t, _parent in self._arbre(ctx)}:
            return True
        scope = portee(ctx.agent).territoires if ctx.agent is not None else None
        return scope is not None and pk not in scope

    def appliquer(self, qs, valeurs, ctx):
        from dossiers.selectors_droits import descendants

        if self.hors_portee(valeurs["territoire"], ctx):
            return qs.none()
        racine = int(valeurs["territoire"])
        return qs.filter(territoire_id__in=sorted(descendants({racine}, self._arbre(ctx))))


def dispositif_visible(agent, valeur) -> int | None:
    """`valeur` as a dispositif id when the agent may see that dispositif (« voir », the
    scope already read: no query), else None — unknown ones pass (they match nothing and
    have no fields nor statuts to show)."""
    from dossiers.selectors_droits import portee

    pk = identifiant(valeur)
    if pk is None or agent is None:
        return pk
    ids = portee(agent).dispositifs_pour("voir")
    return pk if ids is None or pk in ids else None


class FiltreDispositif(Filtre):
    nom, ordre = "dispositif", 20
    hors_portee_message = _("Dispositif inconnu ou hors de vos droits.")

    def champs(self, ctx):
        return {
            "dispositif": ChoixOuvert(
                label=_("Dispositif"),
                required=False,
                choices=[("", _("Tous"))] + [(str(pk), t) for pk, t in dispositifs_proposes(ctx)],
            )
        }

    def hors_portee(self, valeur, ctx):
        """Outside the agent's dispositifs, or unknown: with the options read, not among
        them; else (map data, export, lot) not in the scope (no query)."""
        if ctx.options:
            return str(valeur) not in {str(pk) for pk, _t in dispositifs_proposes(ctx)}
        return dispositif_visible(ctx.agent, valeur) is None

    def appliquer(self, qs, valeurs, ctx):
        pk = dispositif_visible(ctx.agent, valeurs["dispositif"])
        return qs.none() if pk is None else qs.filter(dispositif_id=pk)


class FiltreAttribution(Filtre):
    nom, ordre = "attribution", 50

    def champs(self, ctx):
        from dossiers.selectors_gestion import agents_instructeurs

        agents = (
            ctx.memo(
                "agents",
                lambda: [(str(a.pk), a.get_full_name() or a.email) for a in agents_instructeurs()],
            )
            if ctx.options
            else []
        )
        return {
            "attribution": ChoixOuvert(
                label=_("Agent chargé"),
                required=False,
                choices=[("", _("Tous")), ("moi", _("Moi")), ("aucun", _("Personne")), *agents],
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        valeur = valeurs["attribution"]
        if valeur == "moi":
            return qs.filter(agent=ctx.agent)
        if valeur == "aucun":
            return qs.filter(agent__isnull=True)
        return qs.filter(agent_id=int(valeur))


class FiltreDrapeaux(Filtre):
    nom, ordre = "drapeau", 60

    def champs(self, ctx):
        return {
            "drapeau": forms.MultipleChoiceField(
                label=_("Marques"),
                required=False,
                choices=DRAPEAUX,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Les dossiers portant toutes les marques cochées."),
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        return qs.filter(**dict.fromkeys(valeurs["drapeau"], True))


def _debut_du_jour(jour: date) -> datetime:
    return timezone.make_aware(datetime.combine(jour, time.min))


class FiltreDepot(Filtre):
    nom, ordre = "depose", 70

    def champs(self, ctx):
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return {
            "depose_du": forms.DateField(label=_("Déposé du"), required=False, widget=widget),
            "depose_au": forms.DateField(label=_("Déposé au"), required=False, widget=widget),
        }

    def appliquer(self, qs, valeurs, ctx):
        # Bounds on the column itself (not its date) so that its index serves them.
        if valeurs["depose_du"]:
            qs = qs.filter(depose_le__gte=_debut_du_jour(valeurs["depose_du"]))
        if valeurs["depose_au"]:
            qs = qs.filter(depose_le__lt=_debut_du_jour(valeurs["depose_au"] + timedelta(days=1)))
        return qs


OPERATEURS = (
    ("egal", _("est égal à")),
    ("different", _("est différent de")),
    ("contient", _("contient")),
    ("superieur", _("est supérieur ou égal à")),
    ("inferieur", _("est inférieur ou égal à")),
    ("renseigne", _("est renseigné")),
    ("vide", _("n’est pas renseigné")),
)
NOM_TECHNIQUE = r"^[A-Za-z][A-Za-z0-9_]{0,79}$"
_NOMBRE = r"^-?[0-9]+(\.[0-9]+)?$"


def champs_proposes(ctx: Contexte) -> list[tuple[str, str]]:
    """The chosen dispositif's fields holding a value, by technical name."""
    if not ctx.dispositif_id or not ctx.options:
        return []

    def calcul():
        from dossiers.models import Dispositif
        from dossiers.selectors_gestion import noms_techniques

        dispositif = Dispositif.objects.filter(pk=ctx.dispositif_id).first()
        return noms_techniques(dispositif) if dispositif else []

    return ctx.memo("champs", calcul)


def _nombre(texte: str) -> Decimal | None:
    try:
        return Decimal(texte.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        return None


class FiltreChamp(Filtre):
    """A field of the form model (C2): `champ` (technical name), `operateur`, `valeur`,
    a predicate on the JSONB data. « égal à » is a containment (@>) the GIN index serves;
    comparisons read numbers (guarded: a non-numeric value never breaks the query) or
    ISO dates as text."""

    nom, ordre, depend_du_dispositif = "champ", 80, True

    def champs(self, ctx):
        proposes = champs_proposes(ctx)
        vide = _("Choisir un champ") if proposes else _("Choisissez d’abord un dispositif")
        return {
            "champ": ChoixOuvert(
                label=_("Champ du formulaire"),
                required=False,
                choices=[("", vide), *proposes],
                motif=NOM_TECHNIQUE,
            ),
            "operateur": forms.ChoiceField(
                label=_("Condition"), required=False, choices=[("", "—"), *OPERATEURS]
            ),
            "valeur": forms.CharField(label=_("Valeur"), required=False, max_length=200),
        }

    def appliquer(self, qs, valeurs, ctx):
        nom, operateur = valeurs["champ"], valeurs["operateur"] or "egal"
        valeur = (valeurs["valeur"] or "").strip()
        if not nom or (not valeur and operateur not in ("renseigne", "vide")):
            return qs
        # Key transforms, not `donnees__<nom>` paths: a name is never parsed as a lookup.
        texte = KeyTextTransform(nom, "donnees")
        vide = Q(donnees__contains={nom: ""}) | Q(donnees__contains={nom: None})
        if operateur == "renseigne":
            return qs.filter(donnees__has_key=nom).exclude(vide)
        if operateur == "vide":
            return qs.filter(~Q(donnees__has_key=nom) | vide)
        qs = qs.alias(_texte=texte).alias(_nombre=_valeur_numerique(texte))
        nombre = _nombre(valeur)
        if operateur in ("egal", "different"):
            # Text as typed through the GIN index (@>); a number whatever its stored
            # form (« 300 » finds « 300.00 »).
            egal = Q(donnees__contains={nom: valeur})
            if nombre is not None:
                egal |= Q(_nombre=nombre)
            return qs.filter(egal) if operateur == "egal" else qs.exclude(egal)
        if operateur == "contient":
            return qs.filter(_texte__unaccent__icontains=valeur)
        lookup = "gte" if operateur == "superieur" else "lte"
        if nombre is not None:
            return qs.filter(**{f"_nombre__{lookup}": nombre})
        jour = _date_saisie(valeur)
        if jour is None:
            return qs.none()
        # Dates are stored as ISO text: compared as text.
        return qs.filter(**{f"_texte__{lookup}": jour.isoformat()})


def _valeur_numerique(texte):
    """The stored value as a number, NULL when it is not one. CASE guards the cast:
    PostgreSQL may evaluate a WHERE clause's predicates in any order."""
    return Case(
        When(Q(_texte__regex=_NOMBRE), then=_Numeric(texte)),
        default=None,
        output_field=DecimalField(),
    )


def _date_saisie(texte: str) -> date | None:
    for forme in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(texte, forme).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    return None


def valider_champ(valeurs: dict) -> dict[str, str]:
    """Errors of the field filter's inputs, by field name (the form shows them)."""
    erreurs = {}
    operateur, valeur = valeurs.get("operateur"), (valeurs.get("valeur") or "").strip()
    comparaison = operateur in ("superieur", "inferieur") and valeur
    if comparaison and _nombre(valeur) is None and _date_saisie(valeur) is None:
        erreurs["valeur"] = _("Saisissez un nombre ou une date (JJ/MM/AAAA).")
    if valeurs.get("champ") and operateur not in ("renseigne", "vide", "") and not valeur:
        erreurs["valeur"] = _("Saisissez la valeur à comparer.")
    return erreurs


def enregistrer_par_defaut() -> None:
    """The dossier's own entries (DossiersConfig.ready())."""
    for filtre in (
        FiltreRecherche(),
        FiltreDispositif(),
        FiltreTerritoire(),
        FiltreAttribution(),
        FiltreDrapeaux(),
        FiltreDepot(),
        FiltreChamp(),
    ):
        enregistrer_filtre(filtre)
    enregistrer_tri(Tri("depose_le", _("Date de dépôt"), (Cle("depose_le"),), ordre=10))
    enregistrer_tri(Tri("reference", _("Référence"), (Cle("reference", "texte"),), ordre=20))
    enregistrer_tri(
        Tri(
            "dispositif",
            _("Dispositif"),
            # Grouped by dispositif (in the order they were created), not by title: a
            # column of the dossier, so that the index (dispositif, depose_le, id) walks
            # it — a joined title would sort the whole list on every page.
            (Cle("dispositif_id", "entier"), Cle("depose_le")),
            ordre=30,
        )
    )
    for nom, libelle, ordre in (
        ("reference", _("Référence"), 10),
        ("demandeur", _("Demandeur"), 20),
        ("dispositif", _("Dispositif"), 30),
        ("etat", _("Étape / statut"), 40),
        ("agent", _("Agent"), 50),
        ("depose_le", _("Déposé le"), 60),
        ("drapeaux", _("Marques"), 80),
    ):
        enregistrer_colonne(Colonne(nom, libelle, ordre))
    enregistrer_indicateur(
        Indicateur("non_attribues", _("non attribués"), lambda ctx: Q(agent__isnull=True), 20)
    )
    enregistrer_indicateur(
        Indicateur("miens", _("attribués à moi"), lambda ctx: Q(agent=ctx.agent), 30)
    )
