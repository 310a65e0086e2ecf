"""Send the citizen an email from a published mail template, through the outbox (the
worker gets it once the change commits). The template is rendered with the context of
the `dossier.statut_change` event, so write it for that event."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import gabarits
from instruction.actions import TypeAction
from notifications import services as notifications
from notifications.models import Canal, ModeleMessage


class ConfigForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=_("Modèle de courriel"),
        queryset=ModeleMessage.objects.filter(canal=Canal.EMAIL).order_by("nom"),
    )


class Action(TypeAction):
    code = "courriel"
    libelle = _("Envoyer un courriel à l’usager")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        from instruction.services import contexte_notification, destinataire

        modele = ModeleMessage.objects.filter(pk=config.get("modele")).first()
        if modele is None or modele.publie_le is None:
            raise ValidationError(
                _("Le modèle de courriel de l’action n’existe pas ou n’est pas publié.")
            )
        email = destinataire(dossier)
        if not email:
            return  # nobody to write to (a dossier filed at the desk without an address)
        try:
            sujet, corps = notifications.rendre(
                sujet=modele.sujet_publie,
                corps=modele.corps_publie,
                contexte=contexte_notification(dossier, contexte.statut),
            )
        except gabarits.ErreurGabarit as exc:
            raise ValidationError(
                _("Le modèle « %(nom)s » ne peut pas être rendu : %(erreur)s")
                % {"nom": modele.nom, "erreur": exc}
            ) from exc
        notifications.mettre_en_file(
            canal=Canal.EMAIL,
            destinataire=email,
            sujet=sujet,
            corps=corps,
            corps_html=notifications.corps_html(corps),
            evenement="dossier.statut_change",
            modele=modele,
            usager=dossier.cree_par,
            concerne=dossier,
            cle=f"instruction.courriel:{contexte.changement.pk}:{modele.pk}",
        )

    def decrire(self, config) -> str:
        modele = ModeleMessage.objects.filter(pk=config.get("modele")).first()
        if modele is None:
            return _("Envoie un courriel dont le modèle n’existe plus")
        if modele.publie_le is None:
            return _("Envoie le courriel « %(nom)s » à l’usager (modèle non publié : échouera)") % {
                "nom": modele.nom
            }
        return _("Envoie le courriel « %(nom)s » à l’usager") % {"nom": modele.nom}
