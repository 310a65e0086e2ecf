from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from usagers.models import Individu, NatureProfil, Profil, RoleMembre
from usagers.services import compte_initialiser


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the citizen's names first, French plain-text hints (DSFR
    puts hints in the label); the account gets its individu and personal profil."""

    prenom = forms.CharField(label=_("Prénom"), max_length=150)
    nom = forms.CharField(label=_("Nom"), max_length=150)
    field_order = ["prenom", "nom", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prenom"].widget.attrs["autocomplete"] = "given-name"
        self.fields["nom"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].label = _("Adresse électronique")
        self.fields["email"].help_text = _("Format attendu : nom@domaine.fr")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Mot de passe")
        self.fields["password1"].help_text = _(
            "12 caractères minimum ; évitez un mot de passe courant ou uniquement des chiffres."
        )
        self.fields["password1"].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = _("Confirmation du mot de passe")
        self.fields["password2"].widget.attrs.pop("placeholder", None)

    @property
    def adresse_deja_utilisee(self) -> str:
        """The typed email when it already has an account (the page offers to use it)."""
        errors = self.errors.as_data().get("email", []) if self.is_bound else []
        if any(error.code == "email_taken" for error in errors):
            return self.data.get("email", "").strip()
        return ""

    def signup(self, request, user):
        """Called by allauth once the account is saved."""
        compte_initialiser(
            user=user, prenom=self.cleaned_data["prenom"], nom=self.cleaned_data["nom"]
        )


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse électronique")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        # "Se connecter avec cette adresse" (sign-up, invitation) prefills the address.
        email = self.request.GET.get("email", "") if self.request else ""
        if email and not self.is_bound:
            try:
                validate_email(email)
            except forms.ValidationError:
                return
            self.fields["login"].initial = email


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class IndividuForm(forms.ModelForm):
    """The citizen's own personal data; the model's validators check phones and dates."""

    class Meta:
        model = Individu
        fields = [
            "civilite",
            "prenom",
            "nom",
            "nom_usage",
            "date_naissance",
            "lieu_naissance",
            "telephone_mobile",
            "telephone_fixe",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
        ]
        widgets = {"date_naissance": DateInput()}
        help_texts = {
            "nom_usage": _("Par exemple le nom d’époux ou d’épouse."),
            "telephone_mobile": _("Exemple : 06 12 34 56 78"),
            "telephone_fixe": _("Exemple : 01 23 45 67 89"),
            "adresse": _("Exemple : 12 rue de la Paix"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["civilite"].choices = [
            ("", _("Non précisée")),
            *self.fields["civilite"].choices[1:],
        ]
        autocomplete = {
            "prenom": "given-name",
            "nom": "family-name",
            "date_naissance": "bday",
            "telephone_mobile": "tel",
            "telephone_fixe": "tel",
            "adresse": "address-line1",
            "complement_adresse": "address-line2",
            "code_postal": "postal-code",
            "commune": "address-level2",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value


class ProfilForm(forms.ModelForm):
    """A profil of a given type: its natures only, and the identifier the type requires."""

    site_web = forms.URLField(
        label=_("Site internet"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Exemple : https://www.exemple.fr"),
    )

    class Meta:
        model = Profil
        fields = [
            "nature",
            "nom",
            "sigle",
            "siret",
            "rna",
            "email",
            "telephone",
            "site_web",
            "iban",
            "bic",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
        ]
        help_texts = {
            "siret": _("14 chiffres, exemple : 732 829 320 00074"),
            "rna": _("W suivi de 9 caractères, exemple : W751234567"),
            "iban": _(
                "Pour les versements (subventions, remboursements) ; exemple : FR76 3000 6000 0112 3456 7890 189"
            ),
            "telephone": _("Exemple : 01 23 45 67 89"),
            "adresse": _("Exemple : 12 rue de la Paix"),
        }

    def __init__(self, *args, type_profil, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.type_profil = type_profil
        natures = NatureProfil.objects.filter(type_profil=type_profil, actif=True)
        if natures.exists():
            self.fields["nature"].queryset = natures
            self.fields["nature"].empty_label = _("Choisir une nature")
        else:
            del self.fields["nature"]
        requis = type_profil.identifiant_requis
        if requis == "siret":
            self.fields["siret"].required = True
            del self.fields["rna"]
        elif requis == "rna":
            self.fields["rna"].required = True
        else:
            del self.fields["siret"]
            del self.fields["rna"]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne à inviter"),
        help_text=_("Format attendu : nom@domaine.fr"),
    )
    role = forms.ModelChoiceField(
        label=_("Rôle"),
        # Plain members first: the role proposed by default.
        queryset=RoleMembre.objects.order_by("responsable", "ordre", "libelle"),
        empty_label=None,
        help_text=_("Un responsable peut inviter et retirer des membres, et modifier le profil."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
