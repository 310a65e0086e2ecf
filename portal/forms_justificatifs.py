"""Forms of the justificatifs pages (portal/views_justificatifs.py, the profil page)."""

from django import forms
from django.utils.translation import gettext_lazy

from dossiers.selectors_justificatifs import types_pour_profil


class DepotForm(forms.Form):
    fichier = forms.FileField(label=gettext_lazy("Document"), allow_empty_file=True)
    commentaire = forms.CharField(
        label=gettext_lazy("Commentaire (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RepriseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DocumentProfilForm(DepotForm):
    type = forms.ModelChoiceField(
        label=gettext_lazy("Type de document"), queryset=types_pour_profil(), empty_label=None
    )

    field_order = ["type", "fichier", "commentaire"]
