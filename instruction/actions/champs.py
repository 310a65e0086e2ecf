"""Set fields of the dossier's data (`donnees`) to fixed values."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import lignes
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    valeurs = forms.JSONField(
        label=_("Valeurs"),
        help_text=_('Objet JSON {nom technique du champ : valeur}, ex. {"montant_accorde": 0}'),
    )

    def clean_valeurs(self):
        valeurs = self.cleaned_data["valeurs"]
        if not isinstance(valeurs, dict) or not valeurs:
            raise ValidationError(_("Indiquez un objet JSON non vide."))
        return valeurs


class Action(TypeAction):
    code = "champs"
    libelle = _("Renseigner des champs")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        dossier.donnees = {**dossier.donnees, **config["valeurs"]}
        lignes.ecrire(dossier, ["donnees", "updated_at"])

    def par_lot(self, config) -> bool:
        return True

    def executer_lot(self, dossiers, config, contextes) -> None:
        for dossier in dossiers:
            dossier.donnees = {**dossier.donnees, **config["valeurs"]}
        lignes.ecrire_lot(dossiers, ["donnees", "updated_at"])

    def decrire(self, config) -> str:
        valeurs = config.get("valeurs") or {}
        return _("Renseigne les champs : %(valeurs)s") % {
            "valeurs": ", ".join(
                f"{nom} = {json.dumps(valeur, ensure_ascii=False)}"
                for nom, valeur in valeurs.items()
            )
        }
