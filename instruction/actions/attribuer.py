"""Assign the dossier: to a named agent, or to the agent making the change."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers import services_gestion
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    agent = forms.ModelChoiceField(
        label=_("Agent"),
        queryset=get_user_model().objects.filter(is_agent=True, is_active=True),
        required=False,
        help_text=_("Vide : l’agent qui change le statut."),
    )


class Action(TypeAction):
    code = "attribuer"
    libelle = _("Attribuer le dossier")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        pk = config.get("agent")
        agent = get_user_model().objects.filter(pk=pk).first() if pk else contexte.par
        if agent is None:
            raise ValidationError(_("L’agent à qui attribuer le dossier n’existe plus."))
        services_gestion.dossier_attribuer(dossier=dossier, agent=agent, by=contexte.par)

    def decrire(self, config) -> str:
        pk = config.get("agent")
        if not pk:
            return _("Attribue le dossier à l’agent qui change le statut")
        agent = get_user_model().objects.filter(pk=pk).first()
        if agent is None:
            return _("Attribue le dossier à un agent qui n’existe plus")
        return _("Attribue le dossier à %(agent)s") % {"agent": agent}
