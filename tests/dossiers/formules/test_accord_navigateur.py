"""The page agrees with the server: static/js/formules.js, run in headless Chromium,
gives the results dossiers/formules gives, on the unit cases and on generated ones."""

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.formules import (
    ErreurCalcul,
    analyser,
    ast_en_json,
    evaluer,
    evaluer_condition,
    texte_decimal,
)
from tests.dossiers.formules import strategies as s

pytestmark = pytest.mark.browser

MODULE = Path(__file__).resolve().parents[3] / "static" / "js" / "formules.js"
JOUR = datetime.date(2026, 3, 12)
REGLAGES = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXPOSER = """
import * as formules from "formules";
window.formules = formules;
window.conditions = (cas) => cas.map(([c, d, p]) => formules.evaluerCondition(c, d, p));
window.calculs = (cas, jour) => cas.map(([ast, data]) => {
  try {
    return ["ok", formules.evaluerCalcul(ast, data, {aujourdhui: jour})];
  } catch (e) {
    return [e instanceof formules.ErreurCalcul ? "erreur" : "exception", String(e.message)];
  }
});
"""


@pytest.fixture(scope="module")
def onglet(browser):
    """A blank tab with formules.js loaded as a module, its exports on `window`."""
    page = browser.new_page()
    source = MODULE.read_text()
    page.route(
        "http://formules.test/**",
        lambda route: (
            route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                body='<!doctype html><html lang="fr"><title>formules</title>'
                '<script type="importmap">{"imports": {"formules": "/formules.js"}}</script>'
                f'<script type="module">{EXPOSER}</script><body></body></html>',
            )
            if not route.request.url.endswith(".js")
            else route.fulfill(status=200, content_type="text/javascript", body=source)
        ),
    )
    page.goto("http://formules.test/")
    page.wait_for_function("window.calculs !== undefined")
    yield page
    page.close()


def cote_serveur_calcul(ast, data):
    try:
        return ["ok", texte_decimal(evaluer(ast, data, aujourdhui=JOUR))]
    except ErreurCalcul as erreur:
        return ["erreur", erreur.message]


def accord_calculs(onglet, cas):
    attendus = [cote_serveur_calcul(ast, data) for ast, data in cas]
    obtenus = onglet.evaluate(
        "([cas, jour]) => calculs(cas, jour)",
        [[[ast_en_json(ast), data] for ast, data in cas], JOUR.isoformat()],
    )
    for (ast, data), attendu, obtenu in zip(cas, attendus, obtenus, strict=True):
        assert obtenu == attendu, (ast_en_json(ast), data)


def accord_conditions(onglet, cas):
    attendus = [evaluer_condition(c, d, profil=p) for c, d, p in cas]
    obtenus = onglet.evaluate("(cas) => conditions(cas)", [list(c) for c in cas])
    for un_cas, attendu, obtenu in zip(cas, attendus, obtenus, strict=True):
        assert obtenu is attendu, un_cas


# --- the unit cases, both sides ---------------------------------------------------------

FORMULES = [
    'montant_demande - (nb_enfants * 50) + si(situation = "marie", 100, 0)',
    "arrondi(total / 3, 2)",
    "1 / 3",
    "2 / 3",
    "-2 / 3",
    "1 / 7 * 7",
    "10 / 4",
    "123456789 / 0.0007",
    "1 / 123456789123456789123456789",
    "99999999999999999999999999999 / 3",
    "0.1 + 0.2",
    "arrondi(2.345, 2) + arrondi(-2.345, 2) * 10",
    "arrondi(0.125, 2)",
    "arrondi(-2.5) + arrondi(2.4999)",
    "arrondi(1 / 3, 10)",
    "max(a, b) - min(a, b)",
    "abs(a - b)",
    "somme(depenses) / nb(depenses)",
    "max(enfants.age) + nb(enfants)",
    "age(naissance)",
    "age(mauvaise_date)",
    "a / zero",
    "situation + 1",
    "depenses * 2",
    '"abc" * 2',
    "si(1, 5, 1 / 0)",
    'contient(aides, "apl") + contient(texte, "jour")',
    "non a > b ou a = b et 1",
    '"é" < "😀"',
    '"\uffff" < "😀"',
    "absent + constructor + __proto__",
    "arrondi(1, 11)",
    "a * 1e",
]
DATA = {
    "montant_demande": "1000.50",
    "nb_enfants": 2,
    "situation": "marie",
    "total": "100",
    "a": 0.1,
    "b": "-12.25",
    "zero": "0.00",
    "depenses": ["100.50", 20, 3.25],
    "enfants": [{"age": 4}, {"age": "12"}, {}],
    "naissance": "2008-02-29",
    "mauvaise_date": "2023-02-29",
    "aides": ["apl", "rsa"],
    "texte": "bonjour",
}


def test_unit_formulas_agree(onglet):
    cas = []
    for formule in FORMULES:
        try:
            cas.append((analyser(formule), DATA))
        except Exception:  # noqa: S112 — an unreadable formula never reaches the page
            continue
    assert len(cas) == len(FORMULES) - 1
    accord_calculs(onglet, cas)


def test_unit_conditions_agree(onglet):
    from tests.dossiers.formules.test_conditions import EXEMPLE

    conditions = [
        EXEMPLE,
        {"champ": "nb_enfants", "op": ">", "valeur": 2},
        {"champ": "situation", "op": "parmi", "valeur": ["marie", "pacse"]},
        {"champ": "aides", "op": "contient", "valeur": "apl"},
        {"champ": "texte", "op": "contient", "valeur": "jour"},
        {"champ": "naissance", "op": "<", "valeur": "2010-01-01"},
        {"champ": "constructor", "op": "vide"},
        {"champ": "__proto__", "op": "vide"},
        {"champ": "toString", "op": "rempli"},
        {"champ": "enfants.age", "op": "contient", "valeur": 4},
        {"champ": "a", "op": "<=", "valeur": "0.1"},
        {"champ": "b", "op": "=", "valeur": -12.25},
        {"profil": ["association", "particulier"]},
        {"non": {"profil": "association"}},
        {"champ": "a", "op": "inconnu", "valeur": 1},
        {"tous": []},
        {"un_parmi": []},
        {},
        None,
    ]
    cas = [(c, {**DATA, "x": "1"}, p) for c in conditions for p in (None, "association")]
    accord_conditions(onglet, cas)


def test_every_tie_and_every_awkward_text_order_agree(onglet):
    cas = [
        (analyser(f"arrondi(x, {n}) + arrondi(-x, {n}) * 1000"), {"x": x})
        for x in s.EGALITES
        for n in range(4)
    ]
    cas += [
        (analyser(f"si(a {op} b, 1, 2)"), {"a": a, "b": b})
        for a in s.TEXTES_DELICATS
        for b in s.TEXTES_DELICATS
        for op in ("<", "≥", "=")
    ]
    accord_calculs(onglet, cas)


# --- generated cases ---------------------------------------------------------------------


@REGLAGES
@given(st.lists(st.tuples(s.conditions, s.donnees, s.profils), min_size=1, max_size=15))
def test_generated_conditions_agree(onglet, cas):
    accord_conditions(onglet, cas)


@REGLAGES
@given(
    st.lists(
        st.tuples(
            st.one_of(s.arbres, s.arbres_numeriques), st.one_of(s.donnees, s.donnees_numeriques)
        ),
        min_size=1,
        max_size=15,
    )
)
def test_generated_calculs_agree(onglet, cas):
    accord_calculs(onglet, cas)


# --- brancher(form) ------------------------------------------------------------------------

FORMULAIRE = """
<form novalidate data-profil="particulier">
  <input name="montant" inputmode="decimal">
  <input name="nb_enfants" type="number">
  <input type="radio" name="situation" value="marie">
  <input type="radio" name="situation" value="celibataire">
  <input type="checkbox" name="aides" value="apl">
  <input type="checkbox" name="aides" value="rsa">
  <input type="checkbox" name="accepte">
  <input id="total" name="total" readonly data-calcul='{calcul}' data-decimales="2">
  <input id="double" name="double" readonly data-calcul='{double}'>
  <p id="affiche" data-calcul='{calcul}' data-decimales="2"></p>
  <p id="erreur" data-calcul-erreur="total" hidden></p>
  <div id="section" data-condition='{condition}'>section</div>
  <div id="asso" data-condition='{{"profil": "association"}}'>asso</div>
  <div id="cassee" data-condition='{{pas du json'>toujours là</div>
</form>
"""


def test_brancher_updates_the_form_live(onglet):
    calcul = json.dumps(ast_en_json(analyser("montant / nb_enfants + si(accepte, 0.005, 0)")))
    double = json.dumps(ast_en_json(analyser("total * 2")))  # declared after: passes settle it
    condition = json.dumps(
        {
            "tous": [
                {"champ": "situation", "op": "=", "valeur": "marie"},
                {"champ": "aides", "op": "contient", "valeur": "rsa"},
                {"champ": "total", "op": ">", "valeur": 100},
            ]
        }
    )
    html = FORMULAIRE.format(calcul=calcul, double=double, condition=condition)
    onglet.evaluate("(html) => { document.body.innerHTML = html; }", html)
    onglet.evaluate("() => { window.branche = formules.brancher(document.querySelector('form')); }")
    valeur = lambda selecteur: onglet.eval_on_selector(selecteur, "e => e.value")  # noqa: E731
    texte = lambda selecteur: onglet.inner_text(selecteur)  # noqa: E731
    cache = lambda selecteur: onglet.eval_on_selector(selecteur, "e => e.hidden")  # noqa: E731

    # Nothing typed: nb_enfants is 0, so the division fails, in French, without throwing.
    assert valeur("#total") == ""
    assert onglet.get_attribute("#total", "aria-invalid") == "true"
    assert texte("#erreur") == "Le calcul divise par zéro : vérifiez les valeurs saisies."
    assert cache("#section") and cache("#asso") and not cache("#cassee")

    onglet.fill("[name=montant]", "1 234,50 €")  # typed the French way, with its unit
    onglet.fill("[name=nb_enfants]", "3")
    assert valeur("#total") == "411.50"
    assert valeur("#double") == "823"
    assert texte("#affiche") == "411,50"
    assert onglet.get_attribute("#total", "aria-invalid") is None
    assert cache("#erreur")
    assert cache("#section")

    onglet.check("[name=situation][value=marie]")
    onglet.check("[name=aides][value=rsa]")
    assert not cache("#section")
    onglet.check("[name=accepte]")  # 411.5 + 0.005, rounded half up
    assert valeur("#total") == "411.51"
    onglet.fill("[name=nb_enfants]", "20")  # total 61.73: not above 100 any more
    assert cache("#section")

    data = onglet.evaluate("() => formules.lireDonnees(document.querySelector('form'))")
    assert data["montant"] == "1234.50"
    assert data["situation"] == "marie"
    assert data["aides"] == ["rsa"]
    assert data["accepte"] is True
    assert evaluer_condition(json.loads(condition), data, profil="particulier") is False

    onglet.evaluate("() => { document.querySelector('form').dataset.profil = 'association'; }")
    onglet.evaluate("() => branche.actualiser()")
    assert not cache("#asso")
    onglet.evaluate("() => branche.detacher()")
    onglet.fill("[name=nb_enfants]", "1")
    assert valeur("#total") == "61.73"


def test_helpers(onglet):
    assert onglet.evaluate("() => formules.arrondir('2.345', 2)") == "2.35"
    assert onglet.evaluate("() => formules.arrondir('-2.5', 0)") == "-3"
    assert onglet.evaluate("() => formules.arrondir('7', 2)") == "7.00"
    assert onglet.evaluate("() => formules.arrondir('-0.001', 2)") == "0.00"
    assert (
        onglet.evaluate("() => formules.formaterNombre('-1234567.5')") == "-1\u00a0234\u00a0567,5"
    )


def test_a_yes_no_answer_is_read_as_the_server_stores_it(onglet):
    """The yes/no field's own radios (as Django renders them): "non" is false, not a
    non-empty text, so a condition on `true` and a si() agree with the server."""
    from django import forms

    from dossiers.champs import Definition, get

    type_champ = get("oui_non")
    champ = type_champ.form_field(Definition(nom="resident", libelle="Résident ?", type="oui_non"))
    radios = forms.Form()
    radios.fields["resident"] = champ
    tarif = json.dumps(ast_en_json(analyser("si(resident, 150, 300)")))
    condition = json.dumps({"champ": "resident", "op": "=", "valeur": True})
    html = (
        f"<form novalidate>{radios['resident'].as_widget()}"
        f"<input id='tarif' name='tarif' readonly data-calcul='{tarif}'>"
        f"<p id='note' data-condition='{condition}'>note</p></form>"
    )
    onglet.evaluate("(html) => { document.body.innerHTML = html; }", html)
    onglet.evaluate("() => { window.branche = formules.brancher(document.querySelector('form')); }")
    lire = "() => formules.lireDonnees(document.querySelector('form'))"
    assert onglet.evaluate(lire)["resident"] is None
    onglet.check("[name=resident][value=non]")
    assert onglet.evaluate(lire)["resident"] is False
    assert onglet.eval_on_selector("#tarif", "e => e.value") == "300"
    assert onglet.eval_on_selector("#note", "e => e.hidden")
    onglet.check("[name=resident][value=oui]")
    data = onglet.evaluate(lire)
    assert data["resident"] is True
    assert data["resident"] is type_champ.clean(Definition("resident", "R", "oui_non"), "oui")
    assert onglet.eval_on_selector("#tarif", "e => e.value") == "150"
    assert not onglet.eval_on_selector("#note", "e => e.hidden")
    onglet.evaluate("() => branche.detacher()")


# --- an address's parts (conditions on "adresse.code_postal") -----------------------------


def _adresse_dans_la_page(onglet, saisies_par_adresse, condition_par_adresse=()):
    """Render the address widget once per address, set its inputs to what is given (as
    typed or as a suggestion fills them), and return, per address, what the browser
    holds (the values it keeps: a text input drops line breaks) and what formules.js
    reads. Conditions (optional) are evaluated by formules.js on that reading."""
    from django import forms

    from dossiers.champs import get

    type_champ = get("adresse")
    champ = type_champ.form_field(s.DEFINITION_ADRESSE)
    formulaire = forms.Form()
    formulaire.fields["adresse"] = champ
    html = f"<form novalidate>{formulaire['adresse'].as_widget()}</form>"
    return onglet.evaluate(
        """([html, cas, conditions]) => cas.map((saisies, i) => {
          document.body.innerHTML = html;
          const form = document.querySelector("form");
          for (const [cle, valeur] of Object.entries(saisies)) {
            form.elements.namedItem(`adresse_${cle}`).value = valeur;
          }
          const postees = Object.fromEntries(
            Array.from(form.elements, (el) => [el.name, el.value]),
          );
          const data = formules.lireDonnees(form);
          const condition = conditions[i] ?? null;
          return [postees, data.adresse, formules.evaluerCondition(condition, data)];
        })""",
        [html, saisies_par_adresse, list(condition_par_adresse)],
    )


def _cote_serveur_adresse(postees):
    """What the server reads of the same post: the cleaned address when valid, else its
    parts as typed (`valeur_saisie`), as etape_valider gives conditions and calculs."""
    from django.core.exceptions import ValidationError
    from django.http import QueryDict

    from dossiers.champs import get

    type_champ = get("adresse")
    data = QueryDict(mutable=True)
    for nom, valeur in postees.items():
        data[nom] = valeur
    raw = type_champ.form_field(s.DEFINITION_ADRESSE).widget.value_from_datadict(
        data, {}, "adresse"
    )
    try:
        return type_champ.clean(s.DEFINITION_ADRESSE, raw)
    except ValidationError:
        return type_champ.valeur_saisie(s.DEFINITION_ADRESSE, raw)


def test_address_parts_are_read_as_the_server_stores_them(onglet):
    tanneurs = {
        "numero_voie": "  12   rue des\u00a0Tanneurs ",
        "code_postal": "18240",
        "commune": "Belleville-sur-Loire",
    }
    suggestion = {
        **tanneurs,
        "code_insee": "18024",
        "lon": "2.8508",
        "lat": "47.5028",
        "ban_id": "18024_0150_00012",
    }
    cas = [
        tanneurs,
        suggestion,
        {**suggestion, "code_insee": "1802"},  # tampered: every hidden part dropped
        {"code_postal": "451"},  # refused (no street, 3 digits): its parts still read
        {"complement": "\u2003"},  # nothing typed but spaces: empty
        {},
    ]
    obtenus = _adresse_dans_la_page(onglet, cas)
    for (postees, lue, _condition), saisies in zip(obtenus, cas, strict=True):
        assert lue == _cote_serveur_adresse(postees), saisies
    assert obtenus[0][1]["label"] == "12 rue des Tanneurs, 18240 Belleville-sur-Loire"
    assert obtenus[1][1]["code_insee"] == "18024" and obtenus[1][1]["lon"] == 2.8508
    assert obtenus[2][1]["code_insee"] == "" and obtenus[2][1]["lon"] is None
    assert obtenus[3][1]["code_postal"] == "451" and obtenus[3][1]["label"] == "451"
    assert obtenus[4][1] is None and obtenus[5][1] is None


@REGLAGES
@given(st.lists(st.tuples(s.saisies_adresse(), s.conditions_adresse), min_size=1, max_size=10))
def test_generated_address_parts_and_their_conditions_agree(onglet, cas):
    saisies = [saisie for saisie, _condition in cas]
    conditions = [condition for _saisie, condition in cas]
    obtenus = _adresse_dans_la_page(onglet, saisies, conditions)
    for (postees, lue, vue), condition in zip(obtenus, conditions, strict=True):
        attendue = _cote_serveur_adresse(postees)
        assert lue == attendue, postees
        assert vue is evaluer_condition(condition, {"adresse": attendue}), (condition, postees)


def test_brancher_shows_a_row_on_an_address_part_live(onglet):
    """The address widget as the wizard renders it, and a row shown when the postcode is
    the commune's: typing by hand and picking a suggestion both count, at once."""
    from django import forms

    from dossiers.champs import get

    formulaire = forms.Form()
    formulaire.fields["adresse"] = get("adresse").form_field(s.DEFINITION_ADRESSE)
    condition = json.dumps(
        {
            "tous": [
                {"champ": "adresse.code_postal", "op": "=", "valeur": "18240"},
                {"champ": "adresse.commune", "op": "contient", "valeur": "Belleville"},
            ]
        }
    )
    hors = json.dumps({"champ": "adresse.code_insee", "op": "≠", "valeur": "18024"})
    html = (
        f"<form novalidate>{formulaire['adresse'].as_widget()}"
        f"<p id='commune' data-condition='{condition}'>habitant</p>"
        f"<p id='insee' data-condition='{hors}'>pas encore situé</p></form>"
    )
    onglet.evaluate("(html) => { document.body.innerHTML = html; }", html)
    onglet.evaluate("() => { window.branche = formules.brancher(document.querySelector('form')); }")
    cache = lambda selecteur: onglet.eval_on_selector(selecteur, "e => e.hidden")  # noqa: E731
    assert cache("#commune") and not cache("#insee")
    onglet.fill("[name=adresse_numero_voie]", "12 rue des Tanneurs")
    onglet.fill("[name=adresse_code_postal]", "18240")
    assert cache("#commune")
    onglet.fill("[name=adresse_commune]", "Belleville-sur-Loire")
    assert not cache("#commune")
    # A suggestion picked (champs.js fills the hidden parts, then signals a change).
    onglet.evaluate(
        """() => {
          const form = document.querySelector("form");
          form.elements.namedItem("adresse_code_insee").value = "18024";
          form.elements.namedItem("adresse_lon").value = "2.85";
          form.elements.namedItem("adresse_lat").value = "47.5";
          form.elements.namedItem("adresse_numero_voie").dispatchEvent(
            new Event("change", {bubbles: true}));
        }"""
    )
    assert cache("#insee")
    onglet.fill("[name=adresse_code_postal]", "45000")
    assert cache("#commune")
    onglet.evaluate("() => branche.detacher()")
