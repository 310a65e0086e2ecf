"""Query expressions PostgreSQL plans better than the ORM's own spelling."""

from django.db.models import BooleanField, Expression, F, FloatField, Func, QuerySet, Subquery


class ParmiLesValeurs(Expression):
    """`champ = ANY(ARRAY(sous_requete))`: the rows whose `champ` is one of the values
    the one-column `sous_requete` returns (its primary keys when it selects no column),
    as `champ__in=sous_requete` selects them.

    Why: PostgreSQL runs `ARRAY(subquery)` once, before the scan (an InitPlan), and
    compares the column to that array with its index, also inside an OR (one index per
    branch, then a BitmapOr). `champ IN (subquery)` inside an OR cannot be pulled up
    into a join: it stays a hashed SubPlan tested row by row, that is a sequential scan
    of the whole table; and outside an OR the planner, misjudging how many values come
    back, often picks a hash join over the whole table too. Meant for subqueries that
    return a handful of values (a citizen's profils or dossiers), all in memory.

    Use it in `filter()` or in a `Q` (`Q(cree_par=user) | ParmiLesValeurs(...)`). Not for
    `exclude()` nor `~`: a NULL `champ` is neither in nor out, and SQL's NOT keeps it
    out, where `~Q(champ__in=…)` lets it in."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, champ: str | Expression, sous_requete: QuerySet | Subquery):
        super().__init__(output_field=BooleanField())
        self.champ = F(champ) if isinstance(champ, str) else champ
        if isinstance(sous_requete, QuerySet):
            # As `__in` does: no ORDER BY (the model's default one may add joins), and
            # the primary key when no column was chosen.
            sous_requete = sous_requete.all()
            sous_requete.query.clear_ordering(clear_default=True)
            if not sous_requete.query.has_select_fields:
                sous_requete = sous_requete.values("pk")
            sous_requete = Subquery(sous_requete)
        self.sous_requete = sous_requete

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.champ!r}, {self.sous_requete!r})"

    def get_source_expressions(self):
        return [self.champ, self.sous_requete]

    def set_source_expressions(self, exprs):
        self.champ, self.sous_requete = exprs

    def as_sql(self, compiler, connection):
        champ, params_champ = compiler.compile(self.champ)
        # A Subquery compiles to "(SELECT …)", parentheses included.
        sous_requete, params_sous_requete = compiler.compile(self.sous_requete)
        return f"{champ} = ANY(ARRAY{sous_requete})", (*params_champ, *params_sous_requete)


class CoordonneeDesDonnees(Func):
    """The latitude (`axe="lat"`) or longitude (`axe="lon"`) of the first value of a JSON
    object that is itself an object holding numeric `lat` and `lon` (a geolocated
    address, as the adresse field type stores it), else NULL. Immutable (jsonpath
    without time zones): usable in a generated column, so PostgreSQL keeps it current.
    Strict: a list of objects (a tableau field) is not looked into. "First" follows jsonb's key order (shorter keys first), stable for a given form."""

    CHEMIN = 'strict $.* ? (@.lat.type() == "number" && @.lon.type() == "number")'
    template = (
        "CAST(jsonb_path_query_first(%(expressions)s, '" + CHEMIN + "') ->> '%(axe)s'"
        " AS double precision)"
    )

    def __init__(self, champ, *, axe: str):
        if axe not in ("lat", "lon"):
            raise ValueError(f"axe must be 'lat' or 'lon', not {axe!r}")
        super().__init__(champ, axe=axe, output_field=FloatField())
