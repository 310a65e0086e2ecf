"""Generate a document for the dossier from a published éditique template, stored on the
dossier (the CRM « Documents » tab lists it; deposited in the citizen's space if asked).

Generated inline, inside the change's transaction, not by a task after commit: éditique
has no generation task, and inline keeps the change whole — a template that cannot render
refuses the change with its reason (nothing half-applied), and a « courriel » action
placed after this one can attach the document. The price is WeasyPrint's time (a few
hundred milliseconds) on the change; the file of a change rolled back afterwards is
removed by éditique's orphan sweeper."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import gabarits
from dossiers import editique as dossiers_editique
from dossiers.models import Historique
from editique import services as editique
from editique.models import DocumentGenere, ModeleDocument
from instruction.actions import TypeAction


class ConfigForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=_("Modèle de document"),
        queryset=ModeleDocument.objects.filter(contexte="dossier", actif=True).order_by("nom"),
        error_messages={
            "required": _("Choisissez le modèle de document à produire."),
            "invalid_choice": _("Ce modèle de document n’existe pas ou n’est pas actif."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=DocumentGenere.Format.choices, initial="pdf", required=False
    )
    deposer_usager = forms.BooleanField(
        label=_("Déposer le document dans l’espace de l’usager"), required=False
    )

    def clean_format(self):
        return self.cleaned_data.get("format") or DocumentGenere.Format.PDF


class Action(TypeAction):
    code = "document"
    libelle = _("Générer un document")
    form_class = ConfigForm

    @classmethod
    def decrire(cls, config: dict) -> str:
        nom = ModeleDocument.objects.filter(pk=config.get("modele")).values_list("nom", flat=True)
        phrase = gettext("Produit le document « %(modele)s » (%(format)s)") % {
            "modele": nom.first() or "?",
            "format": (config.get("format") or "pdf").upper(),
        }
        if config.get("deposer_usager"):
            return phrase + gettext(", déposé dans l’espace de l’usager")
        return phrase

    def executer(self, dossier, config, contexte) -> None:
        modele = ModeleDocument.objects.filter(pk=config.get("modele"), actif=True).first()
        if modele is None or modele.contexte != "dossier":
            raise ValidationError(
                gettext("Le modèle de document de l’action n’existe pas ou n’est pas actif.")
            )
        if modele.cible and modele.cible != dossier.dispositif.slug:
            raise ValidationError(
                gettext("Le modèle « %(nom)s » est écrit pour un autre dispositif.")
                % {"nom": modele.nom}
            )
        try:
            document = editique.document_generer(
                modele=modele,
                contexte=dossiers_editique.contexte_dossier(dossier, contexte.par),
                format_=config.get("format") or DocumentGenere.Format.PDF,
                objet=dossier,
                titre=f"{modele.nom} — {dossier}",
                par=contexte.par,
                depose_usager=bool(config.get("deposer_usager")),
            )
        except gabarits.ErreurGabarit as exc:
            raise ValidationError(
                gettext("Le modèle « %(nom)s » ne peut pas être rendu : %(erreur)s")
                % {"nom": modele.nom, "erreur": exc}
            ) from exc
        Historique.objects.create(
            dossier=dossier,
            par=contexte.par,
            nature=Historique.Nature.DOCUMENT,
            libelle=gettext("Document produit : %(titre)s") % {"titre": document.titre},
            details={"action": self.code, "statut": contexte.statut.code, "document": document.pk},
        )
