from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with French, plain-text hints (DSFR puts hints in the label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse électronique")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
