"""Linked drop-down lists: the choices of one list depend on another field's answer.

Options: `depend_de`, the technical name of the parent field (a choice field), and
`choix_par_parent`, {parent key: [[key, label], …]}; optionally `libelles_parents`,
{parent key: label}, for the groups shown without JavaScript.

Without JavaScript every choice is listed, grouped by parent answer (optgroups); with it
(static/js/champs.js), only those of the parent's current answer are. The server checks
both: the key exists (`clean`) and belongs to the parent's answer (`valider_ensemble`,
called by dossiers.services.etape_valider with the dossier's data).
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition
from dossiers.champs.natifs.choix import MESSAGE_CHOIX_INCONNU
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register

_NOM_TECHNIQUE = re.compile(r"[a-z][a-z0-9_]*")


class OptionsListeLiee(OptionsForm):
    depend_de = forms.CharField(
        label=_("Champ dont dépend la liste (nom technique)"),
        required=False,
        max_length=100,
        help_text=_("Un champ à choix du même formulaire, par exemple « type_salle »."),
    )
    choix_par_parent = forms.JSONField(
        label=_("Choix selon la réponse du champ parent"),
        required=False,
        help_text=_(
            "Par clé de réponse du parent, la liste des choix [clé, libellé] ; exemple : "
            '{"sport": [["gymnase", "Gymnase"], ["stade", "Stade"]], "culture": '
            '[["salle_fetes", "Salle des fêtes"]]}'
        ),
    )
    libelles_parents = forms.JSONField(
        label=_("Libellés des groupes (facultatif)"),
        required=False,
        help_text=_('Par clé de réponse du parent, son libellé ; exemple : {"sport": "Sport"}'),
    )

    def clean_depend_de(self) -> str:
        nom = self.cleaned_data["depend_de"]
        if nom and not _NOM_TECHNIQUE.fullmatch(nom):
            raise ValidationError(
                _("Le nom technique s’écrit en minuscules, chiffres et « _ »."), code="nom"
            )
        return nom

    def clean_choix_par_parent(self) -> dict[str, list[list[str]]]:
        valeur = self.cleaned_data["choix_par_parent"] or {}
        message = _(
            "Attendu : un objet JSON dont chaque valeur est une liste de paires "
            "[clé, libellé] (textes non vides)."
        )
        if not isinstance(valeur, dict):
            raise ValidationError(message, code="format")
        propre = {}
        for parent, choix in valeur.items():
            if not isinstance(choix, list) or not all(
                isinstance(paire, list)
                and len(paire) == 2
                and all(isinstance(x, str) and x.strip() for x in paire)
                for paire in choix
            ):
                raise ValidationError(message, code="format")
            cles = [cle for cle, _libelle in choix]
            if len(set(cles)) != len(cles):
                raise ValidationError(
                    _("La réponse « %(parent)s » a deux choix de même clé."),
                    code="doublon",
                    params={"parent": parent},
                )
            propre[str(parent)] = [[cle, libelle] for cle, libelle in choix]
        return propre

    def clean_libelles_parents(self) -> dict[str, str]:
        valeur = self.cleaned_data["libelles_parents"] or {}
        if not isinstance(valeur, dict) or not all(isinstance(v, str) for v in valeur.values()):
            raise ValidationError(
                _("Attendu : un objet JSON {clé du parent : libellé}."), code="format"
            )
        return valeur

    def en_json(self) -> dict[str, Any]:
        return {
            nom: valeur for nom, valeur in self.cleaned_data.items() if valeur not in (None, "", {})
        }


class Select(forms.Select):
    """A select grouped by parent answer: each option carries its parent key
    (data-parent), the select the parent's technical name (data-depend-de). Named
    `Select` so that its `widget_type` is "select" and it gets the DSFR select markup."""

    def __init__(self, *, depend_de: str, parents: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.depend_de, self.parents = depend_de, parents

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.depend_de:
            context["widget"]["attrs"]["data-depend-de"] = self.depend_de
        return context

    def optgroups(self, name: str, value: Any, attrs: Any = None) -> list:
        groupes = super().optgroups(name, value, attrs)
        for nom_groupe, options, _index in groupes:
            if nom_groupe is not None:
                for option in options:
                    option["attrs"]["data-parent"] = self.parents.get(str(nom_groupe), "")
        return groupes


def cle_parent(valeur: Any) -> str | None:
    """The parent's answer as a key of `choix_par_parent` (a yes/no answer is "oui"/"non")."""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, str | int) and valeur != "":
        return str(valeur)
    return None


@register
class ListeLiee(Type):
    code = "liste_liee"
    libelle = _("Liste liée (dépend d’un autre champ)")
    categorie = "Choix"
    Options = OptionsListeLiee

    def _par_parent(self, definition: Definition) -> dict[str, list[list[str]]]:
        return self.options(definition)["choix_par_parent"]

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        libelles = options["libelles_parents"]
        groupes: list[tuple[str, Any]] = [("", _("Sélectionner une option"))]
        parents = {}
        for parent, choix in options["choix_par_parent"].items():
            libelle = str(libelles.get(parent) or parent)
            parents[libelle] = parent
            groupes.append((libelle, [tuple(paire) for paire in choix]))
        return forms.ChoiceField(
            choices=groupes,
            widget=Select(depend_de=options["depend_de"], parents=parents),
            **self.attributs(
                definition,
                required=_("Sélectionnez une réponse."),
                invalid_choice=MESSAGE_CHOIX_INCONNU,
            ),
        )

    def to_json(self, value: Any) -> str | None:
        return value or None

    def verifier(self, definition: Definition, noms: dict[str, str]) -> list[str]:
        parent = self.options(definition)["depend_de"]
        if parent and parent not in noms:
            return [
                _("La liste dépend du champ « %(parent)s », qui n’existe pas dans le modèle.")
                % {"parent": parent}
            ]
        return []

    def valider_ensemble(
        self, definition: Definition, valeur: Any, donnees: dict[str, Any]
    ) -> None:
        """The key must be among the choices of the parent's current answer."""
        depend_de = self.options(definition)["depend_de"]
        if not depend_de or valeur in (None, "") or depend_de not in donnees:
            return  # no parent in this form (deleted, misnamed): the key alone is checked
        parent = cle_parent(donnees.get(depend_de))
        if parent is None:
            raise ValidationError(
                _("Répondez d’abord à la question dont dépend cette liste."), code="parent_vide"
            )
        cles = {cle for cle, _libelle in self._par_parent(definition).get(parent, [])}
        if valeur not in cles:
            raise ValidationError(
                _("Ce choix ne correspond pas à votre réponse précédente : choisissez de nouveau."),
                code="hors_parent",
            )

    def _libelle(self, definition: Definition, valeur: str) -> str:
        for choix in self._par_parent(definition).values():
            for cle, libelle in choix:
                if cle == valeur:
                    return libelle
        return valeur

    def afficher(self, definition: Definition, valeur: Any) -> str:
        return self._libelle(definition, str(valeur))

    def exporter(self, definition: Definition, valeur: Any, *, libelles: bool) -> str:
        return self.afficher(definition, valeur) if libelles else valeur
