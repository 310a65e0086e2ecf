"""Tableau (F4): fixed labelled rows × typed columns, e.g. a budget ("Recettes" ×
"Montant", "Commentaire").

Options:

- `lignes`: [[key, label], …] — the rows, in order ("subventions", "Subventions");
- `colonnes`: [{nom, libelle, type, obligatoire, choix, formule, decimales, total}, …] —
  `type` is one of TYPES_COLONNE; `choix` ([[key, label], …]) for `liste`; `formule` for
  `calcul`, in the calcul language (dossiers/formules/calculs.py) over the same row's
  other columns by their `nom` (`quantite * prix_unitaire`); `total` adds a totals row
  for a numeric column.

Each cell is validated by the column's own field type through the registry (a `montant`
cell is cleaned by `montant`), with the column's `obligatoire`, once the table is
started (an optional table left empty is stored as None). Stored:
`{row_key: {col_nom: json_value}}`, every row and column present (None for an empty
cell); calcul cells are computed on the server from the row's values (authoritative, like
the `calcul` type: None when they cannot be computed) and live in the page by
static/js/formules.js (`brancher`), which reads each cell under `data-champ`
`<nom>.<row>.<col>`. Totals are not stored: they are computed from the cells.

Input: one `<table>` (caption = the field's label, `<th scope>` row and column headers,
each input labelled by its row and column headers), cells named `<nom>.<row>.<col>`;
each cell's error is shown in its cell, what was typed is kept.

Formulas of other fields read a tableau: `budget.recettes.montant` is one cell,
`budget.montant` the list of a column's cells (so `somme(budget.montant)` is its total):
see `lire_champ` in dossiers/formules/calculs.py.

Output: `affichage` is text (one line per filled row, then the totals),
`affichage_html` an HTML table for the agent's page; `colonnes_export` /
`export_cellules` give one export column per cell (`<nom>.<row>.<col>`, then
`<nom>.total.<col>`); `variable` is `{row: {col: display}, "total": {col: display}}`,
so templates write `{{ budget.recettes.montant }}`.
"""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dossiers.champs.base import Definition, refuse
from dossiers.champs.natifs.communs import MESSAGE_OBLIGATOIRE, OptionsForm, Type, nombre_fr
from dossiers.champs.natifs.nombres import LIMITE, MAX_DECIMALES
from dossiers.champs.registry import get, register
from dossiers.formules import ErreurFormule, analyser, ast_en_json, references

# Column type → the registered field type that cleans its cells.
TYPES_COLONNE = {
    "texte": "texte",
    "entier": "entier",
    "decimal": "decimal",
    "montant": "montant",
    "date": "date",
    "oui_non": "oui_non",
    "liste": "choix_unique_liste",
    "calcul": "calcul",
}
NUMERIQUES = ("entier", "decimal", "montant", "calcul")
LIGNES_MAX = 50
COLONNES_MAX = 12
TOTAL = "total"  # the totals row's key in the template variable and the export
_CLE = re.compile(r"[a-z][a-z0-9_]{0,49}")


def _paires(valeur: Any, quoi: str, maximum: int) -> list[list[str]]:
    """[[key, label], …] checked: keys like technical names, unique; labels not empty."""
    if not isinstance(valeur, list) or not valeur:
        raise ValidationError(
            _('Indiquez au moins un élément (%(quoi)s) : [["cle", "Libellé"], …].'),
            code="vide",
            params={"quoi": quoi},
        )
    if len(valeur) > maximum:
        raise ValidationError(
            _("%(max)d %(quoi)s au plus."), code="trop", params={"max": maximum, "quoi": quoi}
        )
    paires, cles = [], set()
    for paire in valeur:
        if (
            not isinstance(paire, list | tuple)
            or len(paire) != 2
            or not all(isinstance(x, str) for x in paire)
            or not paire[1].strip()
        ):
            raise ValidationError(
                _('Chaque élément (%(quoi)s) s’écrit ["cle", "Libellé"].'),
                code="paire",
                params={"quoi": quoi},
            )
        cle = paire[0]
        if not _CLE.fullmatch(cle) or cle == TOTAL:
            raise ValidationError(
                _(
                    "La clé « %(cle)s » n’est pas valide : lettres minuscules sans accent, "
                    "chiffres et _, en commençant par une lettre (« total » est réservé)."
                ),
                code="cle",
                params={"cle": cle},
            )
        if cle in cles:
            raise ValidationError(
                _("La clé « %(cle)s » est en double."), code="doublon", params={"cle": cle}
            )
        cles.add(cle)
        paires.append([cle, paire[1].strip()])
    return paires


def _colonne(colonne: Any, noms: set[str]) -> dict[str, Any]:
    if not isinstance(colonne, dict):
        raise ValidationError(
            _('Chaque colonne s’écrit {"nom": …, "libelle": …, "type": …}.'),
            code="colonne",
        )
    nom, libelle, genre = colonne.get("nom"), colonne.get("libelle"), colonne.get("type")
    if not isinstance(nom, str) or not _CLE.fullmatch(nom) or nom == TOTAL:
        raise ValidationError(
            _(
                "Le nom de colonne « %(nom)s » n’est pas valide : lettres minuscules sans "
                "accent, chiffres et _, en commençant par une lettre."
            ),
            code="nom",
            params={"nom": nom},
        )
    if not isinstance(libelle, str) or not libelle.strip():
        raise ValidationError(
            _("La colonne « %(nom)s » n’a pas de libellé."), code="libelle", params={"nom": nom}
        )
    if genre not in TYPES_COLONNE:
        raise ValidationError(
            _("Le type « %(type)s » de la colonne « %(nom)s » est inconnu (types : %(types)s)."),
            code="type",
            params={"type": genre, "nom": nom, "types": ", ".join(TYPES_COLONNE)},
        )
    propre: dict[str, Any] = {
        "nom": nom,
        "libelle": libelle.strip(),
        "type": genre,
        "obligatoire": colonne.get("obligatoire") is True and genre != "calcul",
    }
    if genre == "liste":
        propre["choix"] = _paires(colonne.get("choix"), str(_("choix")), 200)
    decimales = colonne.get("decimales")
    if genre in ("decimal", "calcul") and decimales is not None:
        if isinstance(decimales, bool) or not isinstance(decimales, int):
            raise ValidationError(
                _("Les décimales de la colonne « %(nom)s » : un nombre de 0 à 6."),
                code="decimales",
                params={"nom": nom},
            )
        if not 0 <= decimales <= MAX_DECIMALES:
            raise ValidationError(
                _("Les décimales de la colonne « %(nom)s » : un nombre de 0 à 6."),
                code="decimales",
                params={"nom": nom},
            )
        propre["decimales"] = decimales
    if genre == "calcul":
        formule = colonne.get("formule")
        try:
            arbre = analyser(formule)
        except ErreurFormule as erreur:
            raise ValidationError(
                _("Formule de la colonne « %(nom)s » : %(erreur)s"),
                code="formule",
                params={"nom": nom, "erreur": erreur.message},
            ) from None
        inconnus = sorted(references(arbre) - noms)
        if inconnus:
            raise ValidationError(
                _(
                    "La formule de la colonne « %(nom)s » lit « %(inconnu)s », qui n’est pas "
                    "une colonne du tableau."
                ),
                code="formule",
                params={"nom": nom, "inconnu": inconnus[0]},
            )
        propre["formule"] = formule
    if colonne.get("total") is True and genre in NUMERIQUES:
        propre["total"] = True
    return propre


class ChampJson(forms.JSONField):
    """A JSON option typed in a textarea; read back from a Python list as well."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        kwargs.setdefault(
            "error_messages", {"invalid": _('Saisissez du JSON valide (exemple : [["a", "A"]]).')}
        )
        super().__init__(**kwargs)

    def bound_data(self, data: Any, initial: Any) -> Any:
        if data is not None and not isinstance(data, str):
            return data  # options read back from the definition: already parsed
        return super().bound_data(data, initial)


class SaisieTableau(forms.Widget):
    """The table's inputs, named `<nom>.<row>.<col>`."""

    def __init__(self, type_champ: "Tableau", definition: Definition) -> None:
        super().__init__()
        self.type_champ, self.definition = type_champ, definition

    def value_from_datadict(self, data, files, name) -> dict[str, dict[str, Any]]:
        lignes, colonnes = self.type_champ.structure(self.definition)
        return {
            cle: {
                col["nom"]: data.get(f"{name}.{cle}.{col['nom']}")
                for col in colonnes
                if col["type"] != "calcul"
            }
            for cle, _libelle in lignes
        }

    def value_omitted_from_data(self, data, files, name) -> bool:
        return not any(cle.startswith(f"{name}.") for cle in data)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        identifiant = (attrs or {}).get("id") or f"id_{name}"
        contexte = self.type_champ.grille(
            self.definition, value, identifiant=identifiant, nom=name, saisie=False
        )
        return SafeString(
            render_to_string("dossiers/champs/tableau_grille.html", {"grille": contexte})
        )


class BoundTableau(BoundField):
    """The bound field the tableau's field template reads (`field.grille`)."""

    @cached_property
    def grille(self) -> dict[str, Any]:
        champ: ChampTableau = self.field
        return champ.type_champ.grille(
            champ.definition,
            self.value(),
            identifiant=self.auto_id or f"id_{self.html_name}",
            nom=self.html_name,
            saisie=self.form.is_bound,
            erreurs=self.form.is_bound and bool(self.errors),
            desactive=champ.disabled,
        )


class ChampTableau(forms.Field):
    bound_field_class = BoundTableau

    def __init__(self, *, type_champ: "Tableau", definition: Definition, **kwargs: Any) -> None:
        self.type_champ, self.definition = type_champ, definition
        kwargs.setdefault("widget", SaisieTableau(type_champ, definition))
        kwargs.setdefault("template_name", "dossiers/champs/tableau.html")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        return self.type_champ.clean(self.definition, value)


def _prefixer(arbre: Any, prefixe: str) -> Any:
    """A row's formula as JSON for the page: each column name becomes the cell's name."""
    if isinstance(arbre, list):
        return [_prefixer(x, prefixe) for x in arbre]
    if not isinstance(arbre, dict):
        return arbre
    copie = {cle: _prefixer(valeur, prefixe) for cle, valeur in arbre.items()}
    if copie.get("type") == "champ":
        copie["nom"] = prefixe + copie["nom"]
    return copie


@register
class Tableau(Type):
    code = "tableau"
    libelle = _("Tableau (lignes et colonnes)")
    categorie = "Nombres"
    type_json = dict

    class Options(OptionsForm):
        lignes = ChampJson(
            label=_("Lignes"),
            help_text=_(
                'En JSON, dans l’ordre : [["subventions", "Subventions"], '
                '["cotisations", "Cotisations"]].'
            ),
        )
        colonnes = ChampJson(
            label=_("Colonnes"),
            help_text=_(
                'En JSON : [{"nom": "montant", "libelle": "Montant", "type": '
                '"montant", "obligatoire": true, "total": true}]. Types : texte, entier, '
                'decimal, montant, date, oui_non, liste (avec "choix"), calcul (avec '
                '"formule" sur les colonnes de la même ligne).'
            ),
        )

        def clean_lignes(self) -> list[list[str]]:
            return _paires(self.cleaned_data["lignes"], str(_("lignes")), LIGNES_MAX)

        def clean_colonnes(self) -> list[dict[str, Any]]:
            colonnes = self.cleaned_data["colonnes"]
            if not isinstance(colonnes, list) or not colonnes:
                raise ValidationError(_("Indiquez au moins une colonne."), code="vide")
            if len(colonnes) > COLONNES_MAX:
                raise ValidationError(
                    _("%(max)d colonnes au plus."), code="trop", params={"max": COLONNES_MAX}
                )
            noms = {c.get("nom") for c in colonnes if isinstance(c, dict)}
            propres = [_colonne(colonne, noms) for colonne in colonnes]
            if len({c["nom"] for c in propres}) != len(propres):
                raise ValidationError(_("Deux colonnes ont le même nom."), code="doublon")
            if all(c["type"] == "calcul" for c in propres):
                raise ValidationError(
                    _("Il faut au moins une colonne à remplir (pas seulement des calculs)."),
                    code="calculs",
                )
            return propres

        def clean(self) -> dict[str, Any]:
            donnees = super().clean()
            lignes, colonnes = donnees.get("lignes"), donnees.get("colonnes")
            if lignes and colonnes:
                communs = {c for c, _l in lignes} & {c["nom"] for c in colonnes}
                if communs:
                    raise ValidationError(
                        _(
                            "« %(cle)s » est à la fois une ligne et une colonne : donnez-leur "
                            "des clés différentes."
                        ),
                        code="ambigu",
                        params={"cle": sorted(communs)[0]},
                    )
            return donnees

    # --- structure -----------------------------------------------------------------------

    def structure(self, definition: Definition) -> tuple[list[list[str]], list[dict]]:
        options = self.options(definition)
        return options["lignes"], options["colonnes"]

    def cellule(self, definition: Definition, ligne: list[str], colonne: dict) -> Definition:
        """The definition of one cell, for the column's field type."""
        options: dict[str, Any] = {}
        if colonne["type"] == "calcul":
            options = {"formule": colonne["formule"], "decimales": colonne.get("decimales", 2)}
        elif colonne["type"] == "decimal" and "decimales" in colonne:
            options = {"decimales": colonne["decimales"]}
        return Definition(
            nom=f"{definition.nom}.{ligne[0]}.{colonne['nom']}",
            libelle=f"{ligne[1]} — {colonne['libelle']}",
            type=TYPES_COLONNE[colonne["type"]],
            obligatoire=colonne["obligatoire"],
            options=options,
            choix=tuple(tuple(c) for c in colonne.get("choix", ())),
        )

    # --- input ---------------------------------------------------------------------------

    def form_field(self, definition: Definition) -> forms.Field:
        self.structure(definition)  # ImproperlyConfigured early on bad options
        return ChampTableau(type_champ=self, definition=definition, **self.attributs(definition))

    def clean(self, definition: Definition, raw: Any) -> dict[str, dict[str, Any]] | None:
        lignes, colonnes = self.structure(definition)
        if raw is None or raw == "" or raw == {}:
            raw = {}
        if not isinstance(raw, dict):
            raise refuse(_("Ce tableau n’est pas valide : complétez ses cellules."), "invalid")
        brut = {}
        for cle, _libelle in lignes:
            ligne = raw.get(cle)
            if ligne is not None and not isinstance(ligne, dict):
                raise refuse(_("Ce tableau n’est pas valide : complétez ses cellules."), "invalid")
            brut[cle] = ligne or {}
        saisies = [c for c in colonnes if c["type"] != "calcul"]
        vide = all(_vide_saisi(brut[cle].get(col["nom"])) for cle, _l in lignes for col in saisies)
        if vide:
            if definition.obligatoire:
                raise refuse(MESSAGE_OBLIGATOIRE, "required")
            return None
        valeurs, erreurs = self.nettoyer(definition, brut)
        if erreurs:
            codes = {e.code for e in erreurs.values()}
            resume = ngettext(
                "Une cellule du tableau est à corriger.",
                "%(n)d cellules du tableau sont à corriger.",
                len(erreurs),
            ) % {"n": len(erreurs)}
            detail = [
                ValidationError(
                    f"{self.cellule(definition, ligne, col).libelle} : {' '.join(e.messages)}",
                    code=e.code,
                )
                for ligne in lignes
                for col in saisies
                if (e := erreurs.get((ligne[0], col["nom"]))) is not None
            ]
            code = "required" if codes == {"required"} else "cellules"
            raise ValidationError([ValidationError(resume, code=code), *detail])
        return valeurs

    def nettoyer(
        self, definition: Definition, brut: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], ValidationError]]:
        """Each input cell cleaned by its column's type, then the calcul cells computed
        from the row (an invalid cell counts as empty there). Returns (values, errors by
        (row, column))."""
        lignes, colonnes = self.structure(definition)
        valeurs: dict[str, dict[str, Any]] = {}
        erreurs: dict[tuple[str, str], ValidationError] = {}
        for ligne in lignes:
            rangee: dict[str, Any] = {}
            for col in colonnes:
                if col["type"] == "calcul":
                    continue
                cellule = self.cellule(definition, ligne, col)
                try:
                    rangee[col["nom"]] = get(cellule.type).clean(
                        cellule, brut.get(ligne[0], {}).get(col["nom"])
                    )
                except ValidationError as erreur:
                    erreurs[(ligne[0], col["nom"])] = erreur
                    rangee[col["nom"]] = None
            rangee.update(self.calculer_ligne(definition, ligne, rangee))
            valeurs[ligne[0]] = {col["nom"]: rangee.get(col["nom"]) for col in colonnes}
        return valeurs, erreurs

    def calculer_ligne(
        self, definition: Definition, ligne: list[str], rangee: dict[str, Any]
    ) -> dict[str, Any]:
        """The row's calcul cells (a calcul may read another: a few passes settle it)."""
        calculs = [c for c in self.structure(definition)[1] if c["type"] == "calcul"]
        contexte = dict(rangee)
        resultats: dict[str, Any] = {}
        for _passe in range(len(calculs) + 1):
            change = False
            for col in calculs:
                valeur = get("calcul").calculer(self.cellule(definition, ligne, col), contexte)
                if resultats.get(col["nom"], "∅") != valeur:
                    change = True
                resultats[col["nom"]] = contexte[col["nom"]] = valeur
            if not change:
                break
        return resultats

    # --- stored values -------------------------------------------------------------------

    def from_json(self, stored: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(stored, dict) or not all(isinstance(v, dict) for v in stored.values()):
            raise TypeError(stored)
        return stored

    def est_vide(self, stored: Any) -> bool:
        if stored in (None, "", [], {}):
            return True
        if isinstance(stored, dict) and all(isinstance(v, dict) for v in stored.values()):
            return all(_vide_saisi(x) for v in stored.values() for x in v.values())
        return False

    def totaux(self, definition: Definition, stored: dict) -> dict[str, Any]:
        """{col: stored-like total} of the columns with a total (from the readable cells)."""
        lignes, colonnes = self.structure(definition)
        totaux: dict[str, Any] = {}
        for col in colonnes:
            if not col.get("total"):
                continue
            cellule = self.cellule(definition, lignes[0], col)
            type_cellule = get(cellule.type)
            somme = Decimal(0)
            for cle, _libelle in lignes:
                valeur = (stored.get(cle) or {}).get(col["nom"])
                if _vide_saisi(valeur):
                    continue
                lu, nombre = type_cellule.lire(valeur)
                if lu:
                    somme += Decimal(nombre)
            if abs(somme) >= LIMITE:
                totaux[col["nom"]] = None
            elif col["type"] == "entier":
                totaux[col["nom"]] = int(somme)
            else:
                decimales = {"montant": 2, "calcul": col.get("decimales", 2)}.get(
                    col["type"], col.get("decimales")
                )
                if decimales is not None:
                    somme = somme.quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
                totaux[col["nom"]] = format(abs(somme) if somme == 0 else somme, "f")
        return totaux

    def _cellules_lisibles(self, definition: Definition, stored: Any):
        """(row, [(column, cell definition, stored value)], …) of a readable stored value."""
        lignes, colonnes = self.structure(definition)
        for ligne in lignes:
            rangee = stored.get(ligne[0]) if isinstance(stored.get(ligne[0]), dict) else {}
            yield (
                ligne,
                [
                    (col, self.cellule(definition, ligne, col), rangee.get(col["nom"]))
                    for col in colonnes
                ],
            )

    def afficher(self, definition: Definition, valeur: dict) -> str:
        lignes_texte = []
        for ligne, cellules in self._cellules_lisibles(definition, valeur):
            morceaux = [
                f"{col['libelle']} {get(cellule.type).affichage(cellule, v)}"
                for col, cellule, v in cellules
                if not _vide_saisi(v)
            ]
            if morceaux:
                lignes_texte.append(f"{ligne[1]} : {', '.join(morceaux)}")
        totaux = self.totaux_affiches(definition, valeur)
        if totaux:
            lignes_texte.append(
                "Total : " + ", ".join(f"{libelle} {texte}" for libelle, texte in totaux.values())
            )
        return "\n".join(lignes_texte)

    def totaux_affiches(self, definition: Definition, stored: dict) -> dict[str, tuple[str, str]]:
        """{col: (column label, displayed total)}."""
        lignes, colonnes = self.structure(definition)
        par_nom = {c["nom"]: c for c in colonnes}
        sortie = {}
        for nom, total in self.totaux(definition, stored).items():
            cellule = self.cellule(definition, lignes[0], par_nom[nom])
            sortie[nom] = (par_nom[nom]["libelle"], get(cellule.type).affichage(cellule, total))
        return sortie

    def affichage_html(self, definition: Definition, stored: Any) -> SafeString:
        """The agent's page: the table with its values (empty string when empty)."""
        if self.est_vide(stored) or not self.lire(stored)[0]:
            return SafeString(self.affichage(definition, stored))
        contexte = self.grille(definition, stored, identifiant=f"id_{definition.nom}", lecture=True)
        return SafeString(
            render_to_string("dossiers/champs/tableau_grille.html", {"grille": contexte})
        )

    def exporter(self, definition: Definition, valeur: dict, *, libelles: bool) -> str:
        return self.afficher(definition, valeur).replace("\n", " | ")

    def colonnes_export(self, definition: Definition) -> list[tuple[str, str]]:
        lignes, colonnes = self.structure(definition)
        sortie = [
            (f"{ligne[0]}.{col['nom']}", f"{definition.libelle} — {ligne[1]} — {col['libelle']}")
            for ligne in lignes
            for col in colonnes
        ]
        sortie += [
            (f"{TOTAL}.{col['nom']}", f"{definition.libelle} — Total — {col['libelle']}")
            for col in colonnes
            if col.get("total")
        ]
        return sortie

    def export_cellules(
        self, definition: Definition, stored: Any, *, libelles: bool = True
    ) -> list[Any]:
        lisible = not self.est_vide(stored) and self.lire(stored)[0]
        cellules = []
        for _ligne, rangee in self._cellules_lisibles(definition, stored if lisible else {}):
            cellules += [get(c.type).export(c, v, libelles=libelles) for _col, c, v in rangee]
        totaux = self.totaux(definition, stored) if lisible else {}
        for col in self.structure(definition)[1]:
            if col.get("total"):
                total = totaux.get(col["nom"])
                cellules.append("" if total is None else total)
        return cellules

    def variable(self, definition: Definition, stored: Any) -> dict[str, dict[str, Any]]:
        lisible = not self.est_vide(stored) and self.lire(stored)[0]
        sortie: dict[str, dict[str, Any]] = {}
        for ligne, rangee in self._cellules_lisibles(definition, stored if lisible else {}):
            sortie[ligne[0]] = {col["nom"]: get(c.type).variable(c, v) for col, c, v in rangee}
        sortie[TOTAL] = {
            nom: texte
            for nom, (_l, texte) in (
                self.totaux_affiches(definition, stored) if lisible else {}
            ).items()
        }
        return sortie

    # --- the grid (input, errors, read-only) ---------------------------------------------

    def grille(
        self,
        definition: Definition,
        value: Any,
        *,
        identifiant: str,
        nom: str = "",
        saisie: bool = False,
        erreurs: bool = False,
        desactive: bool = False,
        lecture: bool = False,
    ) -> dict[str, Any]:
        """What templates/dossiers/champs/tableau_grille.html draws. `value` is what was
        posted (`saisie`: shown as typed; cell errors when `erreurs`) or the stored value."""
        lignes, colonnes = self.structure(definition)
        value = value if isinstance(value, dict) else {}
        brut = {
            cle: (value.get(cle) if isinstance(value.get(cle), dict) else {}) for cle, _l in lignes
        }
        if saisie:
            valeurs, problemes = self.nettoyer(definition, brut)
        else:
            valeurs, problemes = brut, {}
        entetes = [
            {"id": f"{identifiant}-col-{col['nom']}", "libelle": col["libelle"], **col}
            for col in colonnes
        ]
        rangees = []
        for ligne in lignes:
            id_ligne = f"{identifiant}-ligne-{ligne[0]}"
            cellules = []
            for col, entete in zip(colonnes, entetes, strict=True):
                cellule = self.cellule(definition, ligne, col)
                nom_cellule = f"{nom}.{ligne[0]}.{col['nom']}"
                id_cellule = f"{identifiant}-{ligne[0]}-{col['nom']}"
                stocke = valeurs.get(ligne[0], {}).get(col["nom"])
                case = {
                    "id": id_cellule,
                    "etiquettes": f"{id_ligne} {entete['id']}",
                    "type": col["type"],
                    "numerique": col["type"] in NUMERIQUES,
                }
                if lecture:
                    case["texte"] = get(cellule.type).affichage(cellule, stocke)
                elif col["type"] == "calcul":
                    calcul = get("calcul")
                    rangee = valeurs.get(ligne[0], {})
                    arbre = ast_en_json(analyser(col["formule"]))
                    case |= {
                        "champ": nom_cellule,
                        "valeur": "" if stocke is None else stocke,
                        "calcul": json.dumps(
                            _prefixer(arbre, f"{nom}.{ligne[0]}."), ensure_ascii=False
                        ),
                        "decimales": col.get("decimales", 2),
                        "message": calcul.message(cellule, rangee) if stocke is None else "",
                    }
                else:
                    erreur = problemes.get((ligne[0], col["nom"])) if erreurs else None
                    typee = brut[ligne[0]].get(col["nom"]) if saisie else stocke
                    case |= {
                        "widget": self._widget(
                            cellule,
                            col,
                            nom_cellule,
                            id_cellule,
                            typee,
                            saisie=saisie,
                            etiquettes=case["etiquettes"],
                            erreur=erreur,
                            desactive=desactive,
                        ),
                        "erreur": " ".join(erreur.messages) if erreur else "",
                    }
                cellules.append(case)
            rangees.append({"id": id_ligne, "libelle": ligne[1], "cellules": cellules})
        totaux = []
        if any(col.get("total") for col in colonnes):
            calcules = self.totaux(definition, valeurs)
            for col in colonnes:
                if not col.get("total"):
                    totaux.append(None)
                    continue
                total = calcules.get(col["nom"])
                unite = "€" if col["type"] == "montant" else ""
                somme = {
                    "type": "fonction",
                    "nom": "somme",
                    "args": [{"type": "champ", "nom": f"{nom}.{col['nom']}"}],
                }
                decimales = {"montant": 2, "entier": 0, "calcul": col.get("decimales", 2)}.get(
                    col["type"], col.get("decimales")
                )
                totaux.append(
                    {
                        "texte": "" if total is None else nombre_fr(Decimal(total)),
                        "unite": unite,
                        "calcul": json.dumps(somme, ensure_ascii=False),
                        "decimales": "" if decimales is None else decimales,
                        "colonne": entetes[colonnes.index(col)]["id"],
                    }
                )
        return {
            "identifiant": identifiant,
            "entetes": entetes,
            "rangees": rangees,
            "totaux": totaux,
            "total_id": f"{identifiant}-ligne-{TOTAL}",
            "lecture": lecture,
            "legende": definition.libelle,
        }

    def _widget(
        self,
        cellule: Definition,
        col: dict,
        nom: str,
        identifiant: str,
        valeur: Any,
        *,
        saisie: bool,
        etiquettes: str,
        erreur: ValidationError | None,
        desactive: bool,
    ) -> SafeString:
        """One cell's input: the column type's own widget (oui/non as a drop-down list)."""
        type_cellule = get(cellule.type)
        champ = type_cellule.form_field(cellule)
        if col["type"] == "oui_non":
            widget: forms.Widget = forms.Select(
                choices=[("", "—"), ("oui", _("Oui")), ("non", _("Non"))]
            )
            if isinstance(valeur, bool):
                valeur = "oui" if valeur else "non"
        else:
            widget = champ.widget
            if not saisie and not _vide_saisi(valeur):
                lu, python = type_cellule.lire(valeur)
                valeur = champ.prepare_value(python) if lu else valeur
        css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
        attrs = {"id": identifiant, "class": css, "aria-labelledby": etiquettes}
        if erreur is not None:
            attrs |= {
                "class": f"{css} {css}--error",
                "aria-invalid": "true",
                "aria-describedby": f"{identifiant}-erreur",
            }
        if desactive:
            attrs["disabled"] = True
        if col["type"] in NUMERIQUES:
            attrs["data-nombre"] = ""
        attrs["data-champ"] = nom
        return widget.render(nom, valeur, attrs=attrs)


def _vide_saisi(valeur: Any) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())
