from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class AgentLoginForm(AuthenticationForm):
    """Django's login form, refused to accounts that are not agents."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. "
            "Vérifiez la saisie, en respectant les majuscules et minuscules."
        ),
        "not_agent": _(
            "Ce compte n’a pas accès à l’espace agents. "
            "Les usagers se connectent depuis le portail."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Adresse électronique professionnelle")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].label = _("Mot de passe")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_agent:
            raise forms.ValidationError(self.error_messages["not_agent"], code="not_agent")
