"""Bloc répétable (F12): a group of fields the usager repeats (children, members, quotes),
from `minimum` to `maximum` times.

The sub-fields are ordinary field definitions (`definition.enfants`, filled from the
Champ rows whose `parent` is the block), of any stored type except another block.

Stored value: a list of elements, one dict per element keyed by the sub-fields'
technical names, holding the sub-types' own JSON values:

    donnees["enfants"] = [{"prenom": "Léa", "naissance": "2019-04-02"}, …]

- Input: the wizard names each sub-field `<bloc>-<index>-<sous_champ>` and posts the
  number of elements as `<bloc>-TOTAL` (see `WidgetBloc`); `ajouter` / `supprimer`
  rewrite what was posted to add an empty element or remove one, without JavaScript.
- Per element, the sub-fields are cleaned by their types, a calcul sub-field is computed
  on that element (its formula names the element's sub-fields directly, and top-level
  fields), and a sub-field's condition is evaluated the same way: hidden sub-fields are
  dropped and never required. Then each sub-type's cross-field check (`valider_ensemble`,
  e.g. a liste_liee whose parent is a sibling or a top-level field) runs on the element's
  values over the dossier's data. Errors are collected by `<index>-<sous_champ>` in
  `ErreurBloc`, with the block's own (too few, too many elements).
- Calculs and conditions read a block as a list: somme(devis.montant),
  moyenne(…), nombre(enfants), {"champ": "nombre(enfants)", "op": "≥", "valeur": 1}.
- Export: one column per sub-field (`colonnes_export` / `export_cellules`:
  "enfants.prenom" → "Léa | Tom"),
  the elements' values joined by " | " in element order, so a dossier stays one row of
  a CSV; `export()` (a single cell) gives the display text. Chosen over one row per
  element because every other field type is one row per dossier.
- Display: "Enfant 1 : Léa, 2 avril 2019 ; Enfant 2 : Tom, …". Template variable: a list
  of dicts of the sub-types' variables (`{% for enfant in enfants %}`).
"""

import json
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from common.nombres import entier
from dossiers.champs.base import Definition, TypeChamp, refuse
from dossiers.champs.natifs.communs import MESSAGE_OBLIGATOIRE, OptionsForm, lire_options
from dossiers.champs.registry import get, register
from dossiers.formules import evaluer_condition

CODE = "bloc_repetable"
MAXIMUM_PAR_DEFAUT = 20
PLAFOND = 100  # never more elements than this, whatever the options or the post say
SEPARATEUR_EXPORT = " | "


class ErreurBloc(ValidationError):
    """The errors of a block: its own (`bloc`: too few or too many elements) and its
    sub-fields' (`elements`: by "<index>-<sous_champ>"). `valeur` is what could be kept
    (invalid sub-values emptied), for a draft."""

    def __init__(
        self,
        bloc: list[ValidationError],
        elements: dict[str, ValidationError],
        valeur: list[dict[str, Any]],
    ):
        super().__init__([*bloc, *elements.values()])
        self.bloc = bloc
        self.elements = elements
        self.valeur = valeur


def pluriel(mot: str, nombre: int) -> str:
    """ "enfant", 2 → "enfants"; words ending in s, x or z do not change ("devis")."""
    if nombre <= 1 or not mot or mot[-1] in "sxz":
        return mot
    return f"{mot}s"


class WidgetBloc(forms.Widget):
    """Reads a block from what was posted: `<bloc>-TOTAL` elements, each sub-field read
    by its own widget under `<bloc>-<index>-<sous_champ>`. Rendering is the wizard's
    (templates/portal/includes/wizard_bloc.html), not this widget's."""

    def __init__(self, definition: Definition):
        super().__init__()
        self.definition = definition

    def value_from_datadict(self, data, files, name) -> list[dict[str, Any]] | None:
        total = nombre_poste(data, name)
        if total is None:
            return None
        elements = []
        for index in range(total):
            element = {}
            for sous, type_sous in sous_champs(self.definition):
                if type_sous.calcule:
                    continue
                widget = type_sous.form_field(sous).widget
                element[sous.nom] = widget.value_from_datadict(
                    data, files, f"{name}-{index}-{sous.nom}"
                )
            elements.append(element)
        return elements

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        """Outside the wizard (a plain Django form), only the element count."""
        total = len(value) if isinstance(value, list) else 0
        return format_html('<input type="hidden" name="{}-TOTAL" value="{}">', name, total)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return f"{name}-TOTAL" not in data


def nombre_poste(data, nom: str) -> int | None:
    """The element count posted for block `nom` (clamped to 0…PLAFOND); None if absent."""
    texte = data.get(f"{nom}-TOTAL") if hasattr(data, "get") else None
    if texte is None:
        return None
    try:
        return min(max(int(str(texte).strip()), 0), PLAFOND)
    except ValueError:
        return 0


def sous_champs(definition: Definition) -> list[tuple[Definition, TypeChamp]]:
    """The sub-fields that store a value, with their types (unknown types left out)."""
    trouves = []
    for sous in definition.enfants:
        try:
            type_sous = get(sous.type)
        except KeyError:
            continue
        if type_sous.stocke_valeur and sous.type != CODE:
            trouves.append((sous, type_sous))
    return trouves


def ajouter(data: QueryDict, nom: str, maximum: int) -> QueryDict:
    """What was posted, with one more (empty) element at the end of block `nom`."""
    copie = data.copy()
    total = nombre_poste(data, nom) or 0
    copie[f"{nom}-TOTAL"] = str(min(total + 1, maximum, PLAFOND))
    return copie


def supprimer(data: QueryDict, nom: str, index: int) -> QueryDict:
    """What was posted, without element `index` of block `nom`: the elements after it
    move up one place, with everything typed in them."""
    total = nombre_poste(data, nom) or 0
    if not 0 <= index < total:
        return data.copy()
    copie = QueryDict(mutable=True)
    prefixe = f"{nom}-"
    for cle, valeurs in data.lists():
        if not cle.startswith(prefixe):
            copie.setlist(cle, valeurs)
            continue
        numero, tiret, reste = cle[len(prefixe) :].partition("-")
        position = entier(numero) if tiret else None
        if position is None:
            continue  # TOTAL (set below), or a forged key
        if position == index:
            continue
        if position > index:
            position -= 1
        copie.setlist(f"{prefixe}{position}-{reste}", valeurs)
    copie[f"{nom}-TOTAL"] = str(total - 1)
    return copie


class ChampBloc(forms.Field):
    widget = WidgetBloc

    def __init__(self, definition: Definition, **kwargs: Any):
        kwargs["widget"] = WidgetBloc(definition)
        super().__init__(**kwargs)


@register
class BlocRepetable(TypeChamp):
    code = CODE
    libelle = _("Bloc répétable")
    categorie = "Saisie"

    class Options(OptionsForm):
        minimum = forms.IntegerField(
            label=_("Nombre minimum d’éléments"),
            required=False,
            min_value=0,
            max_value=PLAFOND,
            help_text=_("0 par défaut ; 1 au moins quand le bloc est obligatoire."),
        )
        maximum = forms.IntegerField(
            label=_("Nombre maximum d’éléments"),
            required=False,
            min_value=1,
            max_value=PLAFOND,
            help_text=_("%(n)s par défaut, %(plafond)s au plus.")
            % {"n": MAXIMUM_PAR_DEFAUT, "plafond": PLAFOND},
        )
        libelle_element = forms.CharField(
            label=_("Nom d’un élément"),
            required=False,
            max_length=60,
            help_text=_("Au singulier, par exemple « Enfant » ou « Devis »."),
        )
        libelle_ajout = forms.CharField(
            label=_("Texte du bouton d’ajout"),
            required=False,
            max_length=100,
            help_text=_("Par exemple « Ajouter un enfant »."),
        )

        def clean(self):
            donnees = super().clean()
            minimum, maximum = donnees.get("minimum"), donnees.get("maximum")
            if minimum is not None and minimum > (maximum or MAXIMUM_PAR_DEFAUT):
                self.add_error("minimum", _("Le minimum dépasse le maximum du nombre d’éléments."))
            return donnees

    def options(self, definition: Definition) -> dict[str, Any]:
        options = lire_options(self, definition)
        minimum = options["minimum"] or 0
        if definition.obligatoire:
            minimum = max(minimum, 1)
        element = options["libelle_element"] or str(_("Élément"))
        return {
            "minimum": minimum,
            "maximum": options["maximum"] or MAXIMUM_PAR_DEFAUT,
            "libelle_element": element,
            "libelle_ajout": options["libelle_ajout"] or str(_("Ajouter un élément")),
        }

    # --- input -----------------------------------------------------------------------------
    def form_field(self, definition: Definition) -> forms.Field:
        self.options(definition)
        for sous, type_sous in sous_champs(definition):  # a sub-field's options must read
            type_sous.form_field(sous)
        if any(sous.type == CODE for sous in definition.enfants):
            raise ImproperlyConfigured(f"Block {definition.nom!r} holds another block")
        return ChampBloc(
            definition,
            label=definition.libelle,
            required=definition.obligatoire,
            help_text=definition.aide,
            error_messages={"required": MESSAGE_OBLIGATOIRE},
        )

    def clean(self, definition: Definition, raw: Any) -> list[dict[str, Any]]:
        return self.nettoyer(definition, raw)

    def nettoyer(
        self,
        definition: Definition,
        raw: Any,
        contexte: dict[str, Any] | None = None,
        *,
        profil: str | None = None,
    ) -> list[dict[str, Any]]:
        """Validate a block (as posted by `WidgetBloc`, or stored) against the dossier's
        other values (`contexte`, for the sub-fields' conditions and calculs). Returns the
        elements as stored; raises ErreurBloc (or a plain refusal for a malformed value)."""
        contexte = contexte or {}
        options = self.options(definition)
        if raw is None or raw == "":
            raw = []
        if not isinstance(raw, list | tuple) or not all(isinstance(e, dict) for e in raw):
            raise refuse(
                _("Cette valeur n’est pas valide : une liste d’éléments est attendue."),
                "valeur_invalide",
            )
        element = options["libelle_element"].lower()
        bloc: list[ValidationError] = []
        if len(raw) > min(options["maximum"], PLAFOND):
            bloc.append(
                ValidationError(
                    _("Pas plus de %(n)s %(element)s.")
                    % {"n": options["maximum"], "element": pluriel(element, options["maximum"])},
                    code="maximum",
                )
            )
            raw = raw[: min(options["maximum"], PLAFOND)]
        if len(raw) < options["minimum"]:
            # Like an empty required field: a draft may keep fewer elements.
            bloc.append(
                ValidationError(
                    _("Ajoutez au moins %(n)s %(element)s.")
                    % {"n": options["minimum"], "element": pluriel(element, options["minimum"])},
                    code="required",
                )
            )
        erreurs: dict[str, ValidationError] = {}
        elements = []
        for index, saisi in enumerate(raw):
            valeurs, fautes = self.nettoyer_element(definition, saisi, contexte, profil=profil)
            elements.append(valeurs)
            erreurs.update({f"{index}-{nom}": faute for nom, faute in fautes.items()})
        if bloc or erreurs:
            raise ErreurBloc(bloc, erreurs, elements)
        return elements

    def nettoyer_element(
        self,
        definition: Definition,
        saisi: dict[str, Any],
        contexte: dict[str, Any],
        *,
        profil: str | None = None,
    ) -> tuple[dict[str, Any], dict[str, ValidationError]]:
        """One element: (its values, invalid ones emptied; its errors by sub-field)."""
        valeurs: dict[str, Any] = {}
        fautes: dict[str, ValidationError] = {}
        champs = sous_champs(definition)
        for sous, type_sous in champs:
            if type_sous.calcule:
                continue
            try:
                valeurs[sous.nom] = type_sous.clean(sous, saisi.get(sous.nom))
            except ValidationError as erreur:
                fautes[sous.nom] = erreur
                valeurs[sous.nom] = None
        vue = {**contexte, **valeurs}
        calcules = [(sous, type_sous) for sous, type_sous in champs if type_sous.calcule]
        for _passe in range(len(calcules) + 1):  # a calcul may read another
            change = False
            for sous, type_sous in calcules:
                valeur = type_sous.calculer(sous, vue)
                change = change or sous.nom not in valeurs or valeurs[sous.nom] != valeur
                valeurs[sous.nom] = vue[sous.nom] = valeur
            if not change:
                break
        for sous, _type in champs:
            if not evaluer_condition(sous.condition, vue, profil=profil):
                valeurs.pop(sous.nom, None)
                fautes.pop(sous.nom, None)
        # Cross-field checks (a liste_liee whose parent is a sibling or a top-level
        # field), like etape_valider's: the element's values over the dossier's data.
        ensemble = {**contexte, **valeurs}
        for sous, type_sous in champs:
            if sous.nom not in valeurs or sous.nom in fautes:
                continue
            try:
                type_sous.valider_ensemble(sous, valeurs[sous.nom], ensemble)
            except ValidationError as erreur:
                fautes[sous.nom] = erreur
                valeurs[sous.nom] = None
        return valeurs, fautes

    def est_vide(self, stored: Any) -> bool:
        return not isinstance(stored, list) or not stored

    # --- output ----------------------------------------------------------------------------
    def elements(self, stored: Any) -> list[dict[str, Any]]:
        if not isinstance(stored, list):
            return []
        return [e if isinstance(e, dict) else {} for e in stored]

    def affichage(self, definition: Definition, stored: Any) -> str:
        if self.est_vide(stored):
            return "" if stored in (None, "", []) else str(stored)
        nom = self.options(definition)["libelle_element"]
        morceaux = []
        for numero, element in enumerate(self.elements(stored), start=1):
            textes = [
                texte
                for sous, type_sous in sous_champs(definition)
                if (texte := type_sous.affichage(sous, element.get(sous.nom)))
            ]
            morceaux.append(f"{nom} {numero} : {', '.join(textes)}")
        return " ; ".join(morceaux)

    def export(self, definition: Definition, stored: Any, *, libelles: bool = True) -> str:
        return self.affichage(definition, stored)

    def colonnes_export(self, definition: Definition) -> list[tuple[str, str]]:
        """One CSV column per sub-field, named "<bloc>.<sous_champ>"."""
        return [(sous.nom, sous.libelle) for sous, _type in sous_champs(definition)]

    def export_cellules(
        self, definition: Definition, stored: Any, *, libelles: bool = True
    ) -> list[str]:
        """Per sub-field, the elements' values joined by " | " (in element order)."""
        elements = self.elements(stored)
        return [
            SEPARATEUR_EXPORT.join(
                str(type_sous.export(sous, element.get(sous.nom), libelles=libelles))
                for element in elements
            )
            for sous, type_sous in sous_champs(definition)
        ]

    def variable(self, definition: Definition, stored: Any) -> list[dict[str, Any]]:
        return [
            {
                sous.nom: type_sous.variable(sous, element.get(sous.nom))
                for sous, type_sous in sous_champs(definition)
            }
            for element in self.elements(stored)
        ]


def disposition(
    form, nom: str, definition, type_champ, donnees: dict, *, data, modifiable: bool
) -> dict:
    """A repeatable block's layout for the wizard's templates (portal wizard, CRM
    preview): one fieldset per element, its sub-fields added to `form` (a Django form) as
    "<bloc>-<index>-<sous_champ>", and a template element (index "__INDEX__") that
    static/js/bloc.js clones. `donnees`: the dossier's data; `data`: what was posted."""
    options = type_champ.options(definition)
    stockes = donnees.get(nom)
    stockes = (
        [e if isinstance(e, dict) else {} for e in stockes] if isinstance(stockes, list) else []
    )
    total = nombre_poste(data, nom) if data is not None else None
    if total is not None:  # re-shown after a POST: computed sub-fields from what was typed
        postes = type_champ.form_field(definition).widget.value_from_datadict(data, {}, nom)
        stockes = [type_champ.nettoyer_element(definition, e, donnees)[0] for e in postes]
    else:
        total = max(len(stockes), options["minimum"])
    total = min(total, PLAFOND)

    def element(index, stocke: dict) -> dict:
        prefixe = f"{nom}-{index}-"
        items = []
        for sous, type_sous in sous_champs(definition):
            field = type_sous.form_field(sous)
            if not modifiable:
                field.disabled = True
            if hasattr(type_sous, "message"):  # a calcul: why it has no value, if so
                field.widget.message = type_sous.message(sous, {**donnees, **stocke})
            form.fields[prefixe + sous.nom] = field
            form.initial[prefixe + sous.nom] = stocke.get(sous.nom)
            items.append(
                {
                    "nom": prefixe + sous.nom,
                    "condition": json.dumps(sous.condition) if sous.condition else "",
                }
            )
        numero = index + 1 if isinstance(index, int) else "__NUMERO__"
        return {
            "index": index,
            "prefixe": prefixe,
            "libelle": f"{options['libelle_element']} {numero}",
            "items": items,
        }

    return {
        "nom": nom,
        "libelle": definition.libelle,
        "aide": definition.aide,
        "total": total,
        "minimum": options["minimum"],
        "maximum": options["maximum"],
        "libelle_element": options["libelle_element"],
        "libelle_ajout": options["libelle_ajout"],
        "modifiable": modifiable,
        "peut_ajouter": modifiable and total < options["maximum"],
        "elements": [element(i, stockes[i] if i < len(stockes) else {}) for i in range(total)],
        "modele": element("__INDEX__", {}),
    }
