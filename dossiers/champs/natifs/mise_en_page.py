"""Types that store nothing: a note (static text in the form) and the declaration of a
pièce justificative.

Both have `stocke_valeur = False` and `form_field()` returns None. The wizard and the CRM
leave them out of the Django form and skip them in data, validation, exports and
document variables; a note shows `rendu(definition)` (safe HTML) at its place, a pièce
its upload (portal/views_wizard.py).
"""

from typing import Any

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.html import clean_html
from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import OptionsForm, TypeSansValeur
from dossiers.champs.registry import register


@register
class Note(TypeSansValeur):
    """Static rich text between fields (a help paragraph, a warning, a title)."""

    code = "note"
    libelle = _("Note (texte d’information)")
    categorie = "Mise en page"

    class Options(OptionsForm):
        texte = forms.CharField(
            label=_("Texte affiché"),
            help_text=_("Texte mis en forme : paragraphes, listes, liens."),
            widget=forms.Textarea(attrs={"rows": 6, "data-editeur": "riche"}),
            max_length=20_000,
        )

        def clean_texte(self) -> str:
            return clean_html(self.cleaned_data["texte"])

    def rendu(self, definition: Definition) -> str:
        # Cleaned again: options may have been written by an import rather than the builder.
        texte = clean_html(definition.options.get("texte") or "")
        return mark_safe(texte)  # noqa: S308 - nh3's output is safe by construction


@register
class PieceJustificative(TypeSansValeur):
    """Declares that the form asks for a document of a given type (F9 document types).

    Nothing is stored under the field's name: the wizard shows a file upload at the
    field's place (and the profil's documents of that type to reuse), checks the file
    and keeps it pending until a draft is saved or the request filed, when the dossier
    gets a received Justificatif of the TypeJustificatif coded `type_document`
    (dossiers/services_pieces.py). Left empty (optional, or filed outside the wizard),
    the piece is expected at deposit and provided on the dossier's Justificatifs tab
    (dossiers/services_justificatifs.py)."""

    code = "piece_justificative"
    libelle = _("Pièce justificative")
    categorie = "Saisie"

    class Options(OptionsForm):
        type_document = forms.SlugField(
            label=_("Code du type de document"),
            help_text=_("Par exemple « justificatif-domicile »."),
            max_length=100,
        )

    def type_document(self, definition: Definition) -> str:
        options: dict[str, Any] = self.options(definition)
        return options["type_document"]
