"""Open or close the dossier's conversation with the citizen (P11)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers import services_conversation
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    ouvrir = forms.BooleanField(
        label=_("Ouvrir la conversation"), required=False, help_text=_("Décoché : la fermer.")
    )


class Action(TypeAction):
    code = "conversation"
    libelle = _("Ouvrir ou fermer la conversation")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        if config.get("ouvrir"):
            services_conversation.conversation_ouvrir(dossier, contexte.par)
        else:
            services_conversation.conversation_fermer(dossier, contexte.par)

    def par_lot(self, config) -> bool:
        return True

    def executer_lot(self, dossiers, config, contextes) -> None:
        par = contextes[0].par  # one agent per chunk
        if config.get("ouvrir"):
            services_conversation.conversations_ouvrir(dossiers, par)
        else:
            services_conversation.conversations_fermer(dossiers, par)

    def decrire(self, config) -> str:
        if config.get("ouvrir"):
            return _("Ouvre la conversation avec l’usager")
        return _("Ferme la conversation avec l’usager")
