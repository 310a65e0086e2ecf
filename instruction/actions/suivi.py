"""Add a line to the dossier's history, shown to the citizen on their Suivi tab."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import lignes
from dossiers.models import Historique
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    texte = forms.CharField(label=_("Texte montré à l’usager"), max_length=300)


class Action(TypeAction):
    code = "suivi"
    libelle = _("Ajouter une ligne de suivi visible de l’usager")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        lignes.inserer(
            Historique(
                dossier=dossier,
                par=contexte.par,
                nature=Historique.Nature.AUTRE,
                libelle=config["texte"][:300],
                visible_usager=True,
                details={"action": self.code, "statut": contexte.statut.code},
            )
        )

    def decrire(self, config) -> str:
        return _("Ajoute la ligne de suivi « %(texte)s », visible de l’usager") % {
            "texte": config.get("texte", "")
        }
