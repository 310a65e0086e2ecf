"""Open or close the dossier's conversation with the citizen (P11)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers import services_conversation
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    ouvrir = forms.TypedChoiceField(
        label=_("Conversation"),
        choices=[("1", _("Ouvrir")), ("0", _("Fermer"))],
        coerce=lambda v: v in (True, "1", 1, "True"),
    )


class Action(TypeAction):
    code = "conversation"
    libelle = _("Ouvrir ou fermer la conversation")
    form_class = ConfigForm

    @classmethod
    def config_depuis(cls, cleaned_data):
        return {"ouvrir": bool(cleaned_data["ouvrir"])}

    def executer(self, dossier, config, contexte) -> None:
        if config.get("ouvrir"):
            services_conversation.conversation_ouvrir(dossier, contexte.par)
        else:
            services_conversation.conversation_fermer(dossier, contexte.par)
