"""Assign the dossier: to a named agent, or to the agent making the change; and/or to a
team (C14). Config {"agent": pk|None, "equipe": pk|None}: neither named assigns the
agent making the change (the config of issue 8, still valid); a team alone leaves the
agent as it is."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import lignes
from dossiers import services_gestion, services_routage
from dossiers.models import Equipe
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    agent = forms.ModelChoiceField(
        label=_("Agent"),
        queryset=get_user_model().objects.filter(is_agent=True, is_active=True),
        required=False,
        help_text=_("Vide (et sans équipe) : l’agent qui change le statut."),
    )
    equipe = forms.ModelChoiceField(
        label=_("Équipe"),
        queryset=Equipe.objects.filter(active=True),
        required=False,
        help_text=_("Vide : l’équipe du dossier ne change pas."),
    )


def _agent(pk):
    """The named agent, read afresh (its rights may have changed since the config)."""
    try:
        return lignes.lire(get_user_model(), pk)
    except get_user_model().DoesNotExist:
        return None


class Action(TypeAction):
    code = "attribuer"
    libelle = _("Attribuer le dossier")
    form_class = ConfigForm

    @classmethod
    def config_depuis(cls, cleaned_data: dict) -> dict:
        # Without a team the config keeps issue 8's shape, so existing guides, their
        # exports and round trips stay as they were.
        config = super().config_depuis(cleaned_data)
        if config.get("equipe") is None:
            config.pop("equipe", None)
        return config

    def executer(self, dossier, config, contexte) -> None:
        agent_pk, equipe_pk = config.get("agent"), config.get("equipe")
        if equipe_pk:
            equipe = Equipe.objects.filter(pk=equipe_pk).first()
            if equipe is None:
                raise ValidationError(_("L’équipe à qui attribuer le dossier n’existe plus."))
            services_routage.dossier_attribuer_equipe(
                dossier=dossier, equipe=equipe, by=contexte.par
            )
            if not agent_pk:
                return
        agent = _agent(agent_pk) if agent_pk else contexte.par
        if agent is None:
            raise ValidationError(_("L’agent à qui attribuer le dossier n’existe plus."))
        services_gestion.dossier_attribuer(dossier=dossier, agent=agent, by=contexte.par)

    def par_lot(self, config) -> bool:
        return not config.get("equipe")  # a team's routing: one by one

    def executer_lot(self, dossiers, config, contextes) -> None:
        par = contextes[0].par  # one agent per chunk
        agent = _agent(config["agent"]) if config.get("agent") else par
        if agent is None:
            raise ValidationError(_("L’agent à qui attribuer le dossier n’existe plus."))
        services_gestion.dossiers_attribuer(dossiers=dossiers, agent=agent, by=par)

    def decrire(self, config) -> str:
        agent_pk, equipe_pk = config.get("agent"), config.get("equipe")
        parties = []
        if equipe_pk:
            equipe = Equipe.objects.filter(pk=equipe_pk).first()
            parties.append(
                _("à l’équipe %(e)s") % {"e": equipe}
                if equipe
                else _("à une équipe qui n’existe plus")
            )
        if agent_pk:
            agent = get_user_model().objects.filter(pk=agent_pk).first()
            parties.append(
                _("à %(agent)s") % {"agent": agent} if agent else _("à un agent qui n’existe plus")
            )
        elif not equipe_pk:
            parties.append(_("à l’agent qui change le statut"))
        cibles = str(_(" et ")).join(str(p) for p in parties)
        return _("Attribue le dossier %(cibles)s") % {"cibles": cibles}
