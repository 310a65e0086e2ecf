"""Choix classé (F13): the usager ranks choices ("1er choix", "2e choix"…), all of them or
the first K (option `rangs`).

Without JavaScript: one drop-down list per rank, in a fieldset (static/js/classement.js
adds "Monter" / "Descendre" buttons that swap two ranks); a choice picked at two
ranks, a gap ("3e choix" filled, "2e choix" empty) or an unknown key are refused with a
French message. The selects carry `data-champ` (the technical name) and `data-rang`, so
static/js/formules.js reads them as one list for live conditions.

Stored: the list of the ranked keys, first choice first (`[]` when nothing is ranked).
Displayed "1. Piscine, 2. Médiathèque"; exported "piscine | mediatheque" (keys) or the
labels; the template variable is the list of labels in rank order. Conditions: nature
"classement": `contient` (ranked at any rank), `parmi`, `premier` (the first choice is),
`vide`, `rempli`.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition
from dossiers.champs.natifs.choix import MESSAGE_CHOIX_INCONNU
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register

RANGS_MAX = 50


def rang_fr(numero: int) -> str:
    """1 → "1er choix", 2 → "2e choix"."""
    return _("1er choix") if numero == 1 else _("%(n)de choix") % {"n": numero}


class SaisieClassement(forms.Widget):
    """One select per rank, named `<nom>-rang-<n>`."""

    template_name = "forms/widgets/choix_classe.html"

    class Media:
        js = ["js/classement.js"]  # "Monter" / "Descendre" buttons (progressive enhancement)

    def __init__(self, *, choix=(), rangs: int = 1, attrs=None) -> None:
        super().__init__(attrs)
        self.choix = list(choix)
        self.rangs = rangs

    def nom_du_rang(self, name: str, numero: int) -> str:
        return f"{name}-rang-{numero}"

    def value_from_datadict(self, data, files, name) -> list[str]:
        return [data.get(self.nom_du_rang(name, n)) or "" for n in range(1, self.rangs + 1)]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return not any(self.nom_du_rang(name, n) in data for n in range(1, self.rangs + 1))

    def get_context(self, name, value, attrs) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        valeurs = list(value) if isinstance(value, list | tuple) else []
        identifiant = context["widget"]["attrs"].get("id") or f"id_{name}"
        decrit_par = context["widget"]["attrs"].get("aria-describedby", "")
        context["widget"]["rangs"] = [
            {
                "numero": n,
                "libelle": rang_fr(n),
                "name": self.nom_du_rang(name, n),
                "id": identifiant if n == 1 else f"{identifiant}-rang-{n}",
                "valeur": str(valeurs[n - 1]) if n <= len(valeurs) and valeurs[n - 1] else "",
            }
            for n in range(1, self.rangs + 1)
        ]
        context["widget"]["choix"] = [(str(cle), libelle) for cle, libelle in self.choix]
        context["widget"]["nom_champ"] = name
        context["widget"]["decrit_par"] = decrit_par
        return context


class ChampClassement(forms.Field):
    """The ranked keys, first choice first; empty ranks at the end are dropped."""

    def __init__(self, *, choix, rangs: int, **kwargs: Any) -> None:
        self.choix = list(choix)
        self.rangs = rangs
        kwargs.setdefault("widget", SaisieClassement(choix=choix, rangs=rangs))
        kwargs.setdefault("template_name", "dossiers/champs/choix_classe.html")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(
            v is None or (isinstance(v, str | int) and not isinstance(v, bool)) for v in value
        ):
            raise ValidationError(MESSAGE_CHOIX_INCONNU, code="invalid_choice")
        cles = ["" if v is None else str(v).strip() for v in value]
        while cles and not cles[-1]:
            cles.pop()
        return cles

    def validate(self, value: list[str]) -> None:
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        libelles = {str(cle): str(libelle) for cle, libelle in self.choix}
        if len(value) > self.rangs:
            raise ValidationError(
                _("Classez au plus %(n)d choix."),
                code="trop_de_rangs",
                params={"n": self.rangs},
            )
        for numero, cle in enumerate(value, start=1):
            if not cle:
                raise ValidationError(
                    _(
                        "Remplissez les rangs dans l’ordre : le %(rang)s est vide alors qu’un "
                        "rang suivant est rempli."
                    ),
                    code="rang_vide",
                    params={"rang": rang_fr(numero)},
                )
            if cle not in libelles:
                raise ValidationError(MESSAGE_CHOIX_INCONNU, code="invalid_choice")
        vus: dict[str, int] = {}
        for numero, cle in enumerate(value, start=1):
            if cle in vus:
                raise ValidationError(
                    _(
                        "« %(choix)s » est classé deux fois (%(premier)s et %(second)s) : "
                        "chaque choix ne peut occuper qu’un rang."
                    ),
                    code="doublon",
                    params={
                        "choix": libelles[cle],
                        "premier": rang_fr(vus[cle]),
                        "second": rang_fr(numero),
                    },
                )
            vus[cle] = numero
        if self.required and len(value) < self.rangs:
            raise ValidationError(
                _("Classez %(n)d choix, du préféré au moins souhaité."),
                code="incomplet",
                params={"n": self.rangs},
            )


@register
class ChoixClasse(Type):
    code = "choix_classe"
    libelle = _("Choix classé (par ordre de préférence)")
    categorie = "Choix"
    valeurs_multiples = True
    type_json = list

    class Options(OptionsForm):
        rangs = forms.IntegerField(
            label=_("Nombre de choix à classer"),
            help_text=_(
                "Par exemple 3 pour « vos trois vœux ». Laissez vide pour classer tous les choix."
            ),
            required=False,
            min_value=1,
            max_value=RANGS_MAX,
        )

    def rangs(self, definition: Definition) -> int:
        nombre = len(definition.choix) or 1
        demande = self.options(definition)["rangs"]
        return min(demande, nombre) if demande else min(nombre, RANGS_MAX)

    def form_field(self, definition: Definition) -> forms.Field:
        attributs = self.attributs(
            definition, required=_("Classez vos choix par ordre de préférence.")
        )
        if not definition.aide:
            attributs["help_text"] = _("Du préféré au moins souhaité ; un choix par rang.")
        return ChampClassement(choix=definition.choix, rangs=self.rangs(definition), **attributs)

    def to_json(self, value: Any) -> list[str]:
        return list(value or [])

    def from_json(self, stored: Any) -> list[str]:
        if not isinstance(stored, list) or not all(isinstance(c, str) for c in stored):
            raise TypeError(stored)
        return list(stored)

    def afficher(self, definition: Definition, valeur: list[str]) -> str:
        libelles = dict(definition.choix)
        return ", ".join(f"{n}. {libelles.get(cle, cle)}" for n, cle in enumerate(valeur, 1))

    def exporter(self, definition: Definition, valeur: list[str], *, libelles: bool) -> str:
        noms = dict(definition.choix) if libelles else {}
        return " | ".join(str(noms.get(cle, cle)) for cle in valeur)

    def variable(self, definition: Definition, stored: Any) -> list[str]:
        lu, valeur = self.lire(stored) if not self.est_vide(stored) else (True, [])
        if not lu:
            return []
        libelles = dict(definition.choix)
        return [str(libelles.get(cle, cle)) for cle in valeur]
