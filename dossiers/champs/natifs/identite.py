"""Pièce d'identité (F13): the declaration that the form asks for an identity document.

Like `piece_justificative` (see mise_en_page.py), it stores nothing under its name: the
wizard shows an upload at its place for the TypeJustificatif coded "piece-identite",
attached to the dossier as a received Justificatif (dossiers/services_pieces.py). The
options say what is accepted and kept:

- `documents`: the identity documents accepted (carte nationale d'identité, passeport,
  titre de séjour, permis de conduire); at least one;
- `filigrane`: a text written over the copy kept in the dossier ("Copie réservée à la
  demande de subvention"), as the State's FiligraneFacile service recommends;
- `purger_a_la_decision`: the copy is deleted as soon as the dossier is decided, not at
  the end of the usual retention period.

Nothing is validated, stored, exported or given to document templates under the field's
name; `documents()`, `filigrane()` and `purger_a_la_decision()` read the options (the
watermark and the early purge are not applied yet).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import OptionsForm, TypeSansValeur
from dossiers.champs.registry import register

DOCUMENTS = (
    ("cni", _("Carte nationale d’identité")),
    ("passeport", _("Passeport")),
    ("titre_sejour", _("Titre de séjour")),
    ("permis", _("Permis de conduire")),
)


@register
class PieceIdentite(TypeSansValeur):
    code = "piece_identite"
    libelle = _("Pièce d’identité")
    categorie = "Saisie"

    class Options(OptionsForm):
        documents = forms.MultipleChoiceField(
            label=_("Documents acceptés"),
            choices=DOCUMENTS,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Cochez au moins un document accepté."),
                "invalid_choice": _("Ce document ne fait pas partie de la liste."),
            },
        )
        filigrane = forms.CharField(
            label=_("Texte du filigrane"),
            help_text=_(
                "Écrit sur la copie conservée, par exemple « Copie réservée à la demande "
                "de subvention ». Laissez vide pour ne pas en mettre."
            ),
            required=False,
            max_length=120,
        )
        purger_a_la_decision = forms.BooleanField(
            label=_("Supprimer la copie dès la décision"),
            help_text=_("Sinon, elle suit la durée de conservation du dossier."),
            required=False,
        )

    def documents(self, definition: Definition) -> list[str]:
        """The accepted documents' codes, in the order of DOCUMENTS."""
        acceptes = set(self.options(definition)["documents"])
        return [code for code, _libelle in DOCUMENTS if code in acceptes]

    def filigrane(self, definition: Definition) -> str:
        return self.options(definition)["filigrane"]

    def purger_a_la_decision(self, definition: Definition) -> bool:
        return self.options(definition)["purger_a_la_decision"]
