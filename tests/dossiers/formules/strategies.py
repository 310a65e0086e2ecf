"""Hypothesis strategies for the two languages: stored values and dossier data as the
field types store them, conditions, and formula trees (arbitrary or well typed)."""

from decimal import Decimal

from hypothesis import strategies as st

from dossiers.champs.base import Definition
from dossiers.formules.calculs import (
    COMPARAISONS,
    FONCTIONS,
    Binaire,
    Champ,
    Fonction,
    Nombre,
    Unaire,
)
from dossiers.formules.calculs import Texte as TexteAst

NOMS = ["a", "b", "c", "montant", "situation", "aides", "enfants", "enfants.age", "adresse.commune"]
CLES_DATA = ["a", "b", "c", "montant", "situation", "aides", "enfants", "adresse"]
CHOIX = ["marie", "pacse", "celibataire", "apl", "0", "1", "2.50", "-3", ""]
# Integers JavaScript holds exactly: the dossier's JSON goes through JSON.parse.
ENTIERS = st.integers(min_value=-(2**53), max_value=2**53)


@st.composite
def decimaux_stockes(draw):
    """ "1234.50", "-3", "0.001": how number and amount fields store their values."""
    entier = draw(st.integers(min_value=-(10**15), max_value=10**15))
    decimales = draw(st.integers(min_value=0, max_value=4))
    if decimales == 0:
        return str(entier)
    fraction = draw(st.integers(min_value=0, max_value=10**decimales - 1))
    signe = "-" if entier == 0 and draw(st.booleans()) else ""
    return f"{signe}{entier}.{fraction:0{decimales}d}"


dates = st.dates().map(lambda d: d.isoformat())
# Ties for rounding half up, and texts whose order differs between UTF-16 units and code
# points (what JavaScript and Python compare by).
EGALITES = ["0.5", "2.5", "-2.5", "0.125", "-0.125", "1.005", "0.05"]
TEXTES_DELICATS = ["😀", "\uffff", "\ue000", "a😀", "a\uffff", "é", "Z", "a"]
textes = st.one_of(st.text(max_size=8), st.sampled_from(TEXTES_DELICATS))
nombres = st.one_of(
    st.sampled_from(EGALITES),
    ENTIERS,
    st.integers(min_value=-100, max_value=100),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False),
    decimaux_stockes(),
)
scalaires = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    nombres,
    dates,
    st.sampled_from(CHOIX),
    textes,
)
valeurs_stockees = st.one_of(
    scalaires,
    st.lists(st.one_of(st.sampled_from(CHOIX), nombres, st.none()), max_size=4),
    st.lists(st.fixed_dictionaries({"age": st.one_of(st.none(), nombres, dates)}), max_size=3),
    st.fixed_dictionaries({"commune": st.one_of(st.none(), st.sampled_from(CHOIX))}),
    st.just({}),
)
donnees = st.dictionaries(st.sampled_from(CLES_DATA), valeurs_stockees, max_size=8)
profils = st.one_of(st.none(), st.sampled_from(["particulier", "association", "entreprise"]))

# --- conditions --------------------------------------------------------------------------

OPS = [*COMPARAISONS, "vide", "rempli", "contient", "parmi", "<=", ">=", "!=", "==", "<>"]


@st.composite
def conditions_champ(draw):
    condition = {"champ": draw(st.sampled_from(NOMS)), "op": draw(st.sampled_from(OPS))}
    if condition["op"] == "parmi":
        condition["valeur"] = draw(st.lists(scalaires, max_size=4))
    elif draw(st.integers(0, 9)) > 0:
        condition["valeur"] = draw(valeurs_stockees)
    return condition


malformees = st.one_of(
    st.just({"inconnu": 1}),
    st.just({"champ": "a", "op": "ressemble", "valeur": 1}),
    st.just({"champ": "a", "op": "parmi", "valeur": "x"}),
    st.just({"tous": "x"}),
    st.just({"profil": 1}),
    st.just([]),
)
conditions = st.recursive(
    st.one_of(
        conditions_champ(),
        st.builds(lambda p: {"profil": p}, st.sampled_from(["particulier", "association"])),
        st.builds(lambda p: {"profil": p}, st.lists(st.sampled_from(["association", "x"]))),
        malformees,
    ),
    lambda enfants: st.one_of(
        st.builds(lambda c: {"tous": c}, st.lists(enfants, max_size=4)),
        st.builds(lambda c: {"un_parmi": c}, st.lists(enfants, max_size=4)),
        st.builds(lambda c: {"non": c}, enfants),
    ),
    max_leaves=12,
)

# --- formula trees -----------------------------------------------------------------------

litteraux = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(Decimal),
    st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(["0", "0.5", "1", "2", "3", "100", "2.5", "0.125", "1.005"]).map(Decimal),
).map(Nombre)
champs = st.sampled_from(NOMS).map(Champ)


def _fonction(enfants, nom):
    minimum, maximum = FONCTIONS[nom]
    return st.lists(enfants, min_size=minimum, max_size=maximum or 4).map(
        lambda args: Fonction(nom, tuple(args))
    )


def _etendre(enfants):
    return st.one_of(
        st.builds(Unaire, st.sampled_from(["-", "non"]), enfants),
        st.builds(
            Binaire,
            st.sampled_from(["+", "-", "*", "/", *COMPARAISONS, "et", "ou"]),
            enfants,
            enfants,
        ),
        st.sampled_from(sorted(FONCTIONS)).flatmap(lambda nom: _fonction(enfants, nom)),
    )


arbres = st.recursive(
    st.one_of(litteraux, champs, textes.map(TexteAst)),
    _etendre,
    max_leaves=12,
)

# Well typed: numbers where numbers go, conditions where conditions go.
NOMS_NUMERIQUES = ["a", "b", "c", "montant"]
donnees_numeriques = st.dictionaries(
    st.sampled_from(NOMS_NUMERIQUES),
    st.one_of(st.none(), st.just(""), st.booleans(), nombres),
    max_size=4,
)


def _numeriques(enfants):
    conditions_num = st.one_of(
        st.builds(Binaire, st.sampled_from(COMPARAISONS), enfants, enfants),
        st.builds(Unaire, st.just("non"), enfants),
    )
    return st.one_of(
        st.builds(Unaire, st.just("-"), enfants),
        st.builds(Binaire, st.sampled_from(["+", "-", "*", "/"]), enfants, enfants),
        st.builds(lambda c, a, b: Fonction("si", (c, a, b)), conditions_num, enfants, enfants),
        st.builds(
            lambda x, n: Fonction("arrondi", (x, Nombre(Decimal(n)))),
            enfants,
            st.one_of(st.sampled_from([0, 1, 2, 3]), st.integers(min_value=0, max_value=10)),
        ),
        st.sampled_from(["min", "max", "somme", "nb", "abs"]).flatmap(
            lambda nom: _fonction(enfants, nom)
        ),
        st.builds(
            Binaire,
            st.sampled_from(["et", "ou"]),
            conditions_num,
            conditions_num,
        ),
    )


arbres_numeriques = st.recursive(
    st.one_of(litteraux, st.sampled_from(NOMS_NUMERIQUES).map(Champ)),
    _numeriques,
    max_leaves=12,
)

# --- an address's parts, as typed or filled by a suggestion (adresse) --------------------

DEFINITION_ADRESSE = Definition(
    nom="adresse",
    libelle="Adresse",
    type="adresse",
    # Never geocoded here: the page cannot geocode a hand-typed address, the server does
    # (a documented difference, on code INSEE and coordinates only).
    options={"sans_geolocalisation": True},
)
# Letters, digits and every kind of space either side collapses (Python's str.isspace,
# plus U+FEFF, a space for JavaScript's \s only), and a NUL the server refuses.
ESPACES_DIVERS = [" ", "\t", "\u00a0", "\u2003", "\u202f", "\u3000", "\x1c", "\x85", "\ufeff"]
texte_adresse = st.text(
    alphabet=st.one_of(st.sampled_from([*"aBé1-',", *ESPACES_DIVERS, "\x00"]), st.characters()),
    max_size=12,
)
coordonnees = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(min_value=-200, max_value=200).map(repr),
    st.sampled_from(["", " 2.5 ", "1_0.5", "1__0", "+.5", "1.", "1e2", "-0", "nan", "inf", "x"]),
)


@st.composite
def saisies_adresse(draw):
    """What the inputs of an address hold: some parts typed, maybe a suggestion's."""
    saisies = {}
    for cle in ("numero_voie", "complement", "code_postal", "commune"):
        if draw(st.booleans()):
            saisies[cle] = draw(
                st.one_of(texte_adresse, st.sampled_from(["18240", "45000", "Gien", " 18240"]))
            )
    if draw(st.booleans()):
        saisies["code_insee"] = draw(st.sampled_from(["18024", "2A004", "", "1802", "x8024"]))
        saisies["lon"] = draw(coordonnees)
        saisies["lat"] = draw(coordonnees)
        saisies["ban_id"] = draw(
            st.one_of(
                st.sampled_from(["", "18024_0150_00012", "a:b-c", "é_ü", "a b", "x" * 65]),
                st.text(max_size=6),
            )
        )
    return saisies


PARTIES_ADRESSE = [
    "adresse",
    "adresse.label",
    "adresse.numero_voie",
    "adresse.complement",
    "adresse.code_postal",
    "adresse.commune",
    "adresse.code_insee",
    "adresse.lon",
    "adresse.lat",
    "adresse.ban_id",
]


@st.composite
def _condition_adresse(draw):
    condition = {"champ": draw(st.sampled_from(PARTIES_ADRESSE)), "op": draw(st.sampled_from(OPS))}
    if condition["op"] == "parmi":
        condition["valeur"] = draw(
            st.lists(st.sampled_from(["18240", "Gien", "18024", 2.5]), max_size=3)
        )
    elif condition["op"] not in ("vide", "rempli"):
        condition["valeur"] = draw(
            st.one_of(st.sampled_from(["18240", "Gien", "18024", "rue", 2.5, 0, ""]), texte_adresse)
        )
    return condition


conditions_adresse = st.recursive(
    _condition_adresse(),
    lambda enfants: st.one_of(
        st.builds(lambda c: {"tous": c}, st.lists(enfants, max_size=3)),
        st.builds(lambda c: {"non": c}, enfants),
    ),
    max_leaves=4,
)
