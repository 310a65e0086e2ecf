"""The contract every field type follows. Definitions are plain data (no database), so
types are tested without models and the same code serves the portal, the CRM, exports
and éditique. A few types depend on who fills the form (`contextuel`: a linked dossier
offers the usager's own dossiers); they read `Definition.contexte`, which the callers
(the wizard, the CRM preview, the validation services) fill for them only."""

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Contexte:
    """Who fills the form, for the `contextuel` types. Never part of a definition's
    identity (equality, repr): caches keyed by the definition stay valid."""

    user: Any = None  # the account whose data the form may offer (the citizen)
    profil: Any = None  # the dossier's demandeur profil, if any
    dossier: Any = None  # the dossier being filled (not saved yet for a new request)
    apercu: bool = False  # the CRM preview: nobody fills it, the type shows an example


@dataclass(frozen=True)
class Definition:
    """What a form model says of one field, as the type needs it."""

    nom: str  # technical name: the key in the dossier's data
    libelle: str
    type: str
    aide: str = ""
    obligatoire: bool = False
    # Type-specific options (min, max, masque, regex, message, unite…), validated by the
    # type's `Options` form when an admin configures the field.
    options: dict[str, Any] = field(default_factory=dict)
    # Choices for choice types: [(key, label), …]; keys are what calculs and exports use.
    choix: tuple[tuple[str, str], ...] = ()
    # The sub-fields of a repeatable block (F12), in order; empty for every other type.
    enfants: tuple["Definition", ...] = ()
    # The display condition (F5 JSON) of a block's sub-field, evaluated per element by the
    # block; top-level conditions are evaluated by dossiers.services, not by the types.
    condition: Any = None
    # Who fills the form, for `contextuel` types only (None elsewhere, and when nobody
    # is known: a contextual type then offers nothing and accepts nothing but empty).
    contexte: Contexte | None = field(default=None, compare=False, repr=False)


class TypeChamp:
    """Base class. Subclasses set the class attributes and override what differs."""

    code: ClassVar[str]
    libelle: ClassVar[str]
    categorie: ClassVar[str] = "Saisie"
    # False for layout-only types (note): nothing is stored, validated or exported.
    stocke_valeur: ClassVar[bool] = True
    # True for computed types (age, calcul): never read from what is posted; the wizard
    # and the submission store `calculer(definition, donnees)` (the dossier's data).
    calcule: ClassVar[bool] = False
    # True for types whose choices or checks depend on who fills the form (dossier_lie:
    # the usager's own dossiers); they read `definition.contexte`. A rendered step that
    # holds one is never cached.
    contextuel: ClassVar[bool] = False

    class Options(forms.Form):
        """The options an admin sets for this type in the builder (none by default)."""

    # --- input ---------------------------------------------------------------------------
    def form_field(self, definition: Definition) -> forms.Field:
        """The Django form field the portal wizard and the CRM render (DSFR markup comes
        from the project's form renderer)."""
        raise NotImplementedError

    def clean(self, definition: Definition, raw: Any) -> Any:
        """Validate a raw value (as posted) and return it JSON-ready (str, int, bool, list,
        dict or None). Raises ValidationError with a French message."""
        value = self.form_field(definition).clean(raw)
        return self.to_json(value)

    def to_json(self, value: Any) -> Any:
        """Python value (from the form field) → JSON-storable value."""
        return value

    def from_json(self, stored: Any) -> Any:
        """Stored JSON → Python value (Decimal, date…) for calculs and display."""
        return stored

    def est_vide(self, stored: Any) -> bool:
        return stored in (None, "", [], {})

    def valeur_saisie(self, definition: Definition, raw: Any) -> Any:
        """What conditions and calculs read of a value this type refuses (a step shown
        again with its errors): what was typed, as static/js/formules.js reads it in the
        page. The raw value by default; a type whose widget posts several parts gives
        them shaped as it stores them (adresse)."""
        return raw

    def apercu(self, definition: Definition, raw: Any) -> Any:
        """A posted value as a step shown again reads it for its calculs
        (services.etape_apercu): cleaned when valid, else `valeur_saisie`. A type whose
        clean calls an outside service (adresse: geocoding) reads it without."""
        try:
            return self.clean(definition, raw)
        except ValidationError:
            return self.valeur_saisie(definition, raw)

    def valider_ensemble(
        self, definition: Definition, valeur: Any, donnees: dict[str, Any]
    ) -> None:
        """Cross-field check, after every field of the step is cleaned: `valeur` is this
        field's cleaned value, `donnees` the dossier's data with the step's cleaned values
        over it. Raises ValidationError (French message); the default accepts anything.
        Used by linked lists (liste_liee: the key belongs to the parent's answer)."""
        return None

    def verifier(self, definition: Definition, noms: dict[str, str]) -> list[str]:
        """Problems of this field in its form model (`noms`: technical name → type code of
        the model's fields), reported by the builder and refused at publication: e.g. a
        linked list whose parent field does not exist. French messages; none by default."""
        return []

    # --- output --------------------------------------------------------------------------
    def affichage(self, definition: Definition, stored: Any) -> str:
        """French display: "1 234,50 €", "12 mars 2026", "Oui"…; "" when empty."""
        return "" if self.est_vide(stored) else str(stored)

    def export(self, definition: Definition, stored: Any, *, libelles: bool = True) -> Any:
        """A CSV cell: no thousands separator; keys or labels for choices."""
        return "" if self.est_vide(stored) else stored

    def colonnes_export(self, definition: Definition) -> list[tuple[str, str]]:
        """The export columns of this field: (suffix, label) pairs. One column by
        default (suffix ""): the column is named after the field. A type with several
        cells (tableau: one per row and column) returns one pair per cell; the column is
        then named `<nom>.<suffix>`."""
        return [("", definition.libelle)]

    def export_cellules(
        self, definition: Definition, stored: Any, *, libelles: bool = True
    ) -> list[Any]:
        """The cells of `colonnes_export`, in the same order."""
        return [self.export(definition, stored, libelles=libelles)]

    def calculer(self, definition: Definition, donnees: dict[str, Any]) -> Any:
        """Computed types only: the value from the dossier's data (stored JSON values)."""
        raise NotImplementedError

    def variable(self, definition: Definition, stored: Any) -> Any:
        """What document templates get for this field (éditique)."""
        return self.affichage(definition, stored)


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)
