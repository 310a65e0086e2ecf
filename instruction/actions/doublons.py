"""Detect duplicate dossiers (same demandeur and/or bénéficiaire) and flag the dossier
for the agent (dossiers.doublons); never blocks the change."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers import doublons
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    critere = forms.ChoiceField(
        label=_("Dossiers du même"),
        choices=[
            (doublons.DEMANDEUR, _("demandeur")),
            (doublons.BENEFICIAIRE, _("bénéficiaire")),
            (doublons.LES_DEUX, _("demandeur et du même bénéficiaire")),
        ],
        error_messages={
            "required": _("Choisissez ce qui fait un doublon."),
            "invalid_choice": _("Choisissez demandeur, bénéficiaire ou les deux."),
        },
    )
    tous_dispositifs = forms.BooleanField(
        label=_("Chercher dans tous les dispositifs"),
        required=False,
        help_text=_("Décoché : dans le dispositif du dossier seulement."),
    )
    clos = forms.BooleanField(label=_("Compter aussi les dossiers clôturés"), required=False)


class Action(TypeAction):
    code = "doublons"
    libelle = _("Détecter les doublons")
    form_class = ConfigForm

    @classmethod
    def decrire(cls, config: dict) -> str:
        qui = {
            doublons.DEMANDEUR: gettext("le même demandeur"),
            doublons.BENEFICIAIRE: gettext("le même bénéficiaire"),
            doublons.LES_DEUX: gettext("le même demandeur et le même bénéficiaire"),
        }.get(config.get("critere"), "?")
        ou = (
            gettext("tous dispositifs")
            if config.get("tous_dispositifs")
            else gettext("même dispositif")
        )
        return gettext("Signale comme doublon si un autre dossier %(etat)s a %(qui)s (%(ou)s)") % {
            "etat": gettext("même clôturé") if config.get("clos") else gettext("en cours"),
            "qui": qui,
            "ou": ou,
        }

    def executer(self, dossier, config, contexte) -> None:
        autres = list(
            doublons.doublons_probables(
                dossier,
                critere=config.get("critere") or doublons.DEMANDEUR,
                tous_dispositifs=bool(config.get("tous_dispositifs")),
                clos=bool(config.get("clos")),
            ).only("pk", "reference")
        )
        doublons.dossier_signaler_doublons(dossier=dossier, autres=autres, by=contexte.par)
