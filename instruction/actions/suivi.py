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
        lignes.inserer(self._ligne(dossier, config, contexte))

    def par_lot(self, config) -> bool:
        return True

    def executer_lot(self, dossiers, config, contextes) -> None:
        lignes.inserer_lot(
            [self._ligne(d, config, c) for d, c in zip(dossiers, contextes, strict=True)]
        )

    def _ligne(self, dossier, config, contexte) -> Historique:
        return Historique(
            dossier=dossier,
            par=contexte.par,
            nature=Historique.Nature.AUTRE,
            libelle=config["texte"][:300],
            visible_usager=True,
            details={"action": self.code, "statut": contexte.statut.code},
        )

    def decrire(self, config) -> str:
        return _("Ajoute la ligne de suivi « %(texte)s », visible de l’usager") % {
            "texte": config.get("texte", "")
        }
