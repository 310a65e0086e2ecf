"""The form renderer's fast path (config/forms.py) gives the HTML of the templates it
stands for: every registered field type, rendered both ways — unbound, with an initial
value, bound valid and invalid (error messages), disabled, required or not, with and
without a hint — compared after whitespace normalisation."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from config.forms import DsfrFormRenderer
from dossiers.champs import get, types
from tests.dossiers.champs.outils import definition
from tests.dossiers.champs.test_registre import CHOIX, OPTIONS

CODES = sorted(code for code in types() if get(code).stocke_valeur)
# A value each type accepts, by the Python type its form field expects.
VALEURS = {
    "choix_multiple": ["a", "b"],
    "case_a_cocher": "on",
    "oui_non": "oui",
    "acceptation_cgu": "on",
    "entier": "12",
    "decimal": "12,5",
    "montant": "-1 234,50",
    "date": "2026-03-12",
    "date_heure": "2026-03-12T10:30",
    "email": "camille@exemple.fr",
    "choix_unique_radio": "a",
    "choix_unique_liste": "b",
    "civilite": "mme",
}
LISTES = ("radioselect", "checkboxselectmultiple")
LIBELLE = "Votre <réponse> & « guillemets »"


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


def _formulaire(code, *, rapide, data=None, initial=None, obligatoire, aide, desactive):
    definition_ = definition(
        code,
        options=OPTIONS.get(code, {}),
        choix=CHOIX,
        libelle=LIBELLE,
        obligatoire=obligatoire,
        aide=aide,
    )
    champ = get(code).form_field(definition_)
    champ.disabled = desactive
    form = forms.Form(data=data, initial=initial, renderer=DsfrFormRenderer(rapide=rapide))
    form.use_required_attribute = False
    form.fields["champ"] = champ
    return form


CAS = {
    "vide": {},
    "valeur initiale": {"initial": "valeur"},
    "posté valable": {"data": "valeur"},
    "posté invalide": {"data": "\x00 <pas> valable"},
    "posté vide": {"data": None},
}


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("cas", CAS)
@pytest.mark.parametrize("obligatoire", [True, False])
@pytest.mark.parametrize("aide", ["", "Une aide <em>échappée</em>"])
@pytest.mark.parametrize("desactive", [False, True])
def test_fast_path_renders_what_the_templates_render(code, cas, obligatoire, aide, desactive):
    valeur = VALEURS.get(code, "Une valeur <b>&</b>")
    kwargs = {}
    if "initial" in CAS[cas]:
        kwargs["initial"] = {"champ": valeur}
    if "data" in CAS[cas]:
        posted = CAS[cas]["data"]
        kwargs["data"] = (
            {} if posted is None else {"champ": valeur if posted == "valeur" else posted}
        )
    rendus = {}
    for rapide in (True, False):
        form = _formulaire(
            code, rapide=rapide, obligatoire=obligatoire, aide=aide, desactive=desactive, **kwargs
        )
        if form.is_bound:
            form.is_valid()
        bound = form["champ"]
        rendus[rapide] = (
            _normal(bound.as_field_group()),
            _normal(str(form)),
            # The wizard's own markup for lists of radios and boxes: each option's tag.
            _normal(render_to_string("portal/includes/wizard_champ.html", {"field": bound})),
            [_normal(option.tag()) for option in bound] if bound.widget_type in LISTES else [],
        )
    assert rendus[True] == rendus[False]


def test_the_fast_path_is_taken_for_the_common_widgets(monkeypatch):
    """The templates are not reached for a text input, a select or a textarea."""
    renderer = DsfrFormRenderer()
    atteints = []
    original = type(renderer).__mro__[1].render

    def espion(self, template_name, context, request=None):
        atteints.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(type(renderer).__mro__[1], "render", espion)
    for code in ("texte", "texte_long", "entier", "date", "email", "choix_unique_liste"):
        champ = get(code).form_field(definition(code, choix=CHOIX))
        form = forms.Form(renderer=renderer)
        form.fields["champ"] = champ
        form["champ"].as_field_group()
    for code in ("choix_unique_radio", "choix_multiple", "oui_non", "civilite"):
        form = forms.Form(renderer=renderer)
        form.fields["champ"] = get(code).form_field(definition(code, choix=CHOIX))
        [option.tag() for option in form["champ"]]
    assert atteints == []


def test_an_overridden_widget_template_turns_its_fast_path_off():
    """django-dsfr overrides the radio options' templates: those go through templates,
    and a template name the fast path does not know always does."""
    renderer = DsfrFormRenderer()
    assert renderer._rapide("django/forms/widgets/text.html") is not None
    assert renderer._rapide("django/forms/widgets/radio.html") is None
    assert renderer._rapide("forms/widgets/adresse.html") is None
