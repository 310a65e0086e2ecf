"""The message form of the conversation, shared by the portal and the CRM (the same
input: a text and several files; the rules are in services_conversation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models.conversation import TEXTE_MAX
from dossiers.services_conversation import PIECES_MAX, TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        nettoyer = super().clean
        if isinstance(data, list | tuple):
            return [nettoyer(d, initial) for d in data if d]
        return [nettoyer(data, initial)] if data else []


class MessageForm(forms.Form):
    texte = forms.CharField(
        label=_("Votre message"),
        max_length=TEXTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Écrivez votre message.")},
    )
    fichiers = MultipleFileField(label=_("Pièces jointes"), required=False)

    ACCEPT = ",".join(TYPES)
    PIECES_MAX = PIECES_MAX
