"""Ask the citizen to correct named fields (I10), so that entering a statut opens the
correction request by itself. The dossier is already entering this statut: the request
remembers the statut it came from, where the citizen's answer sends it back. A request
already open (the agent's own, which moved the dossier here) is left as it is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from instruction.actions import TypeAction
from instruction.models import DemandeCorrection


class ConfigForm(forms.Form):
    champs = forms.CharField(
        label=_("Champs à corriger"),
        max_length=1000,
        help_text=_("Noms techniques séparés par des virgules, ex. « montant, telephone »."),
    )
    motif = forms.CharField(
        label=_("Motif montré à l’usager"), max_length=2000, widget=forms.Textarea
    )

    def clean_champs(self):
        noms = [n.strip() for n in self.cleaned_data["champs"].split(",") if n.strip()]
        if not noms:
            raise forms.ValidationError(_("Indiquez au moins un nom technique de champ."))
        return noms


class Action(TypeAction):
    code = "correction"
    libelle = _("Demander une correction à l’usager")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        from instruction import services_corrections

        if DemandeCorrection.objects.filter(
            dossier_id=dossier.pk, etat=DemandeCorrection.Etat.OUVERTE
        ).exists():
            return
        services_corrections.ouvrir(
            dossier=dossier,
            champs=config.get("champs") or [],
            motif=config.get("motif", ""),
            by=contexte.par,
            statut_avant=contexte.changement.de,
            statut_demande=contexte.statut,
        )

    def decrire(self, config) -> str:
        champs = config.get("champs") or []
        if isinstance(champs, str):
            champs = [champs]
        return _("Demande à l’usager de corriger : %(champs)s") % {
            "champs": ", ".join(champs) or "?"
        }
