"""Ask the citizen for a supporting document (issue 7's justificatifs): the dossier gets
an expected piece of the type, listed in the citizen's « À faire » and Justificatifs
tab. One still to provide of the same type is not asked twice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers import services_justificatifs
from dossiers.models import Justificatif, TypeJustificatif
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    type_justificatif = forms.ModelChoiceField(
        label=_("Type de justificatif"),
        queryset=TypeJustificatif.objects.filter(actif=True).order_by("libelle"),
    )
    obligatoire = forms.BooleanField(label=_("Obligatoire"), required=False, initial=True)
    commentaire = forms.CharField(
        label=_("Commentaire pour l’usager"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class Action(TypeAction):
    code = "justificatif"
    libelle = _("Demander un justificatif à l’usager")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        type_ = TypeJustificatif.objects.filter(pk=config.get("type_justificatif")).first()
        if type_ is None:
            raise ValidationError(_("Le type de justificatif de l’action n’existe plus."))
        if Justificatif.objects.filter(
            dossier_id=dossier.pk, type=type_, statut__in=Justificatif.A_FOURNIR
        ).exists():
            return
        services_justificatifs.justificatif_demander(
            dossier=dossier,
            type_justificatif=type_,
            agent=contexte.par,
            obligatoire=bool(config.get("obligatoire", True)),
            commentaire=config.get("commentaire", ""),
        )

    def decrire(self, config) -> str:
        libelle = (
            TypeJustificatif.objects.filter(pk=config.get("type_justificatif"))
            .values_list("libelle", flat=True)
            .first()
        )
        if libelle is None:
            return _("Demande un justificatif dont le type n’existe plus")
        phrase = _("Demande à l’usager le justificatif « %(type)s »") % {"type": libelle}
        if config.get("obligatoire", True):
            return phrase + _(" (obligatoire)")
        return phrase + _(" (facultatif)")
