"""Forms of the guide test cases (I9): the case, and its passages as a small formset
whose expectations are typed one per line rather than as JSON."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from instruction import actions
from instruction.models import CasTest, PassageCasTest, VersionGuide


class ObjetJSONField(forms.JSONField):
    """A JSON object typed in a textarea; nothing expected shows an empty box, not {}."""

    def prepare_value(self, value):
        if value in (None, {}, "null", "{}"):
            return ""
        return super().prepare_value(value)


class CasTestForm(forms.ModelForm):
    class Meta:
        model = CasTest
        fields = ["nom", "demandeur", "donnees"]
        field_classes = {"donnees": ObjetJSONField}
        widgets = {"donnees": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})}


def _lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in (texte or "").splitlines() if ligne.strip()]


class PassageForm(forms.ModelForm):
    statut = forms.ChoiceField(label=_("Statut"))
    actions = forms.MultipleChoiceField(
        label=_("Actions attendues"), required=False, widget=forms.CheckboxSelectMultiple
    )
    messages = forms.CharField(
        label=_("Messages attendus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Un par ligne : le nom du modèle ou le code de l’événement, suivi si besoin de "
            "« | » et de l’adresse du destinataire."
        ),
    )
    suivi = forms.CharField(
        label=_("Lignes de suivi attendues"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une par ligne : un texte que l’historique visible de l’usager contient."),
    )
    champs = ObjetJSONField(
        label=_("Valeurs attendues des champs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_('Objet JSON, ex. {"montant_accorde": "500.00"}'),
    )

    class Meta:
        model = PassageCasTest
        fields = ["statut", "motif", "refus_attendu", "actions", "messages", "suivi", "champs"]

    def __init__(self, *args, statuts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", _("Choisir un statut"))] + [
            (s.code, f"{s.etape.libelle} — {s.libelle} ({s.code})") for s in statuts
        ]
        self.fields["actions"].choices = actions.choix()
        if self.instance.pk:
            self.initial["messages"] = "\n".join(
                " | ".join(filter(None, (m.get("modele", ""), m.get("destinataire", ""))))
                for m in self.instance.messages or []
            )
            self.initial["suivi"] = "\n".join(self.instance.suivi or [])
        for nom in ("motif", "champs", "messages", "suivi"):
            self.fields[nom].widget.attrs.setdefault("rows", 2)

    def clean_messages(self):
        attendus = []
        for ligne in _lignes(self.cleaned_data["messages"]):
            modele, _barre, adresse = (p.strip() for p in ligne.partition("|"))
            if not modele:
                raise ValidationError(_("Chaque ligne commence par un nom de modèle."))
            if adresse:
                forms.EmailField().clean(adresse)
            attendus.append({"modele": modele, "destinataire": adresse})
        return attendus

    def clean_suivi(self):
        return _lignes(self.cleaned_data["suivi"])

    def clean_champs(self):
        champs = self.cleaned_data["champs"]
        if champs in (None, ""):
            return {}
        if not isinstance(champs, dict):
            raise ValidationError(_("Indiquez un objet JSON {nom technique : valeur}."))
        return champs


class BasePassageFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, version: VersionGuide, **kwargs):
        self.statuts = list(version.statuts.select_related("etape"))
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "statuts": self.statuts}

    def clean(self):
        super().clean()
        if not any(
            form.cleaned_data.get("statut") and not form.cleaned_data.get("DELETE")
            for form in self.forms
            if hasattr(form, "cleaned_data")
        ):
            raise ValidationError(_("Indiquez au moins un statut par lequel passer."))


PassageFormSet = forms.inlineformset_factory(
    CasTest,
    PassageCasTest,
    form=PassageForm,
    formset=BasePassageFormSet,
    extra=2,
    can_delete=True,
)


class SimulationForm(forms.Form):
    """The statut to simulate for a dossier (any of its version: a refusal is a result)."""

    statut = forms.ModelChoiceField(label=_("Statut à simuler"), queryset=None)
    motif = forms.CharField(label=_("Motif"), required=False, max_length=2000)

    def __init__(self, *args, suivi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].queryset = suivi.version.statuts.select_related("etape")
