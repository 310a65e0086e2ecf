from django import forms
from django.utils.translation import gettext_lazy as _

from editique import contextes
from editique.models import DocumentGenere, ModeleDocument


class ModeleDocumentForm(forms.ModelForm):
    class Meta:
        model = ModeleDocument
        fields = [
            "nom", "code", "description", "contexte", "cible", "corps", "entete", "pied",
            "orientation", "marge_mm", "logo", "archivage", "deposer_usager", "actif",
        ]  # fmt: skip
        widgets = {
            "corps": forms.Textarea(
                attrs={"rows": 18, "spellcheck": "false", "class": "guichet-code"}
            ),
            "entete": forms.Textarea(
                attrs={"rows": 3, "spellcheck": "false", "class": "guichet-code"}
            ),
            "pied": forms.Textarea(
                attrs={"rows": 3, "spellcheck": "false", "class": "guichet-code"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contexte"] = forms.ChoiceField(
            label=_("Contexte"),
            choices=contextes.choix_contextes(),
            # A new template is a dossier's unless told otherwise (the model's default),
            # whichever context a module registered first.
            initial=self.instance.contexte or ModeleDocument._meta.get_field("contexte").default,
            help_text=ModeleDocument._meta.get_field("contexte").help_text,
        )
        self.fields["cible"] = forms.ChoiceField(
            label=_("Formulaire"),
            choices=contextes.choix_cibles(),
            required=False,
            help_text=ModeleDocument._meta.get_field("cible").help_text,
        )


class ApercuForm(forms.Form):
    """On what to preview: the sample context, or one existing object (a dossier)."""

    objet = forms.TypedChoiceField(
        label=_("Prévisualiser sur"), coerce=int, empty_value=None, required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=DocumentGenere.Format.choices, required=False
    )

    def __init__(self, *args, objets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objet"].choices = [("", _("Un exemple (valeurs fictives)")), *objets]
