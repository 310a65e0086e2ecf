"""Send the demandeur an SMS from a published SMS template, through the outbox (written
in the change's transaction, handed to a worker once it commits, retried by Celery like
any message; a refused number fails there with its reason). The template is rendered
with the context of the `dossier.statut_change` event, so write it for that event."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import gabarits
from dossiers.models import Historique
from instruction.actions import TypeAction
from notifications import services as notifications
from notifications.models import Canal, ModeleMessage


class ConfigForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=_("Modèle de SMS"),
        queryset=ModeleMessage.objects.filter(canal=Canal.SMS).order_by("nom"),
        error_messages={
            "required": _("Choisissez le modèle de SMS à envoyer."),
            "invalid_choice": _("Ce modèle de SMS n’existe pas."),
        },
    )


def _est_mobile(numero: str) -> bool:
    try:
        type_ = phonenumbers.number_type(phonenumbers.parse(numero, "FR"))
    except phonenumbers.NumberParseException:
        return False
    return type_ in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def mobile(dossier) -> str:
    """The demandeur's mobile: a profil's number when it is a mobile one (a structure's
    switchboard cannot receive an SMS), else the mobile of the individu who filed."""
    individu, profil = dossier.demandeur_individu, dossier.demandeur_profil
    if profil is not None and profil.telephone and _est_mobile(profil.telephone):
        return profil.telephone
    if individu is not None:
        return individu.telephone_mobile or ""
    return ""


class Action(TypeAction):
    code = "sms"
    libelle = _("Envoyer un SMS à l’usager")
    form_class = ConfigForm

    @classmethod
    def decrire(cls, config: dict) -> str:
        nom = ModeleMessage.objects.filter(pk=config.get("modele")).values_list("nom", flat=True)
        return gettext("Envoie le SMS « %(modele)s » au mobile du demandeur") % {
            "modele": nom.first() or "?"
        }

    def executer(self, dossier, config, contexte) -> None:
        from instruction.services import contexte_notification

        modele = ModeleMessage.objects.filter(pk=config.get("modele"), canal=Canal.SMS).first()
        if modele is None or modele.publie_le is None:
            raise ValidationError(
                gettext("Le modèle de SMS de l’action n’existe pas ou n’est pas publié.")
            )
        numero = mobile(dossier)
        if not numero:
            # Not a failure: many demandeurs give no mobile (a mail is enough), and the
            # agent moving the dossier could not fix that; the note tells them why no
            # SMS left.
            Historique.objects.create(
                dossier=dossier,
                par=contexte.par,
                nature=Historique.Nature.AUTRE,
                libelle=gettext("SMS « %(modele)s » non envoyé : pas de numéro de mobile.")
                % {"modele": modele.nom},
                details={"action": self.code, "statut": contexte.statut.code},
            )
            return
        try:
            _sujet, corps = notifications.rendre(
                sujet="",
                corps=modele.corps_publie,
                contexte=contexte_notification(dossier, contexte.statut),
            )
        except gabarits.ErreurGabarit as exc:
            raise ValidationError(
                gettext("Le modèle « %(nom)s » ne peut pas être rendu : %(erreur)s")
                % {"nom": modele.nom, "erreur": exc}
            ) from exc
        notifications.mettre_en_file(
            canal=Canal.SMS,
            destinataire=numero,
            corps=corps,
            evenement="dossier.statut_change",
            modele=modele,
            usager=dossier.cree_par,
            concerne=dossier,
            cle=f"instruction.sms:{contexte.changement.pk}:{modele.pk}",
        )
