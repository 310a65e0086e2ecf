"""Send the citizen an email from a published mail template, through the outbox (the
worker gets it once the change commits). The template is rendered with the context of
the `dossier.statut_change` event, so write it for that event.

Optionally with the dossier's generated documents attached: the latest of chosen
éditique templates (produced by a « document » action placed before this one, or
earlier), or every document deposited in the citizen's space. The outbox keeps only
their storage names; the files are read when the mail leaves."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import gabarits, lignes
from dossiers import editique as dossiers_editique
from editique.models import ModeleDocument
from instruction.actions import TypeAction
from notifications import services as notifications
from notifications.models import Canal, ModeleMessage

SANS_DOCUMENTS, DOCUMENTS_MODELES, DOCUMENTS_VISIBLES = "", "modeles", "visibles"


class ConfigForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=_("Modèle de courriel"),
        queryset=ModeleMessage.objects.filter(canal=Canal.EMAIL).order_by("nom"),
    )
    documents = forms.ChoiceField(
        label=_("Pièces jointes"),
        choices=[
            (SANS_DOCUMENTS, _("Aucune")),
            (DOCUMENTS_MODELES, _("Le dernier document produit de chaque modèle choisi")),
            (DOCUMENTS_VISIBLES, _("Tous les documents déposés dans l’espace de l’usager")),
        ],
        required=False,
    )
    modeles_documents = forms.ModelMultipleChoiceField(
        label=_("Modèles de document à joindre"),
        queryset=ModeleDocument.objects.filter(contexte="dossier").order_by("nom"),
        required=False,
        error_messages={"invalid_choice": _("Le modèle de document %(value)s n’existe pas.")},
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("documents") == DOCUMENTS_MODELES and not donnees.get("modeles_documents"):
            self.add_error(
                "modeles_documents", _("Choisissez au moins un modèle de document à joindre.")
            )
        if donnees.get("documents") != DOCUMENTS_MODELES:
            donnees["modeles_documents"] = []
        return donnees


def pieces_jointes(dossier, config: dict) -> list:
    """The generated documents the mail carries (ValidationError: one is missing)."""
    choix = config.get("documents") or SANS_DOCUMENTS
    if choix == SANS_DOCUMENTS:
        return []
    documents = dossiers_editique.documents(dossier)
    if choix == DOCUMENTS_VISIBLES:
        return list(documents.filter(depose_usager=True))
    pks = config.get("modeles_documents") or []
    derniers = {}
    for document in documents.filter(modele_id__in=pks):  # newest first
        derniers.setdefault(document.modele_id, document)
    manquants = [pk for pk in pks if pk not in derniers]
    if manquants:
        noms = ModeleDocument.objects.filter(pk__in=manquants).values_list("nom", flat=True)
        raise ValidationError(
            gettext(
                "Aucun document « %(noms)s » n’a été produit pour ce dossier : placez une "
                "action « Générer un document » avant le courriel."
            )
            % {"noms": ", ".join(noms) or "?"}
        )
    return [derniers[pk] for pk in pks]


class Action(TypeAction):
    code = "courriel"
    libelle = _("Envoyer un courriel à l’usager")
    form_class = ConfigForm

    @classmethod
    def config_depuis(cls, cleaned_data: dict) -> dict:
        config = {
            "modele": getattr(cleaned_data.get("modele"), "pk", cleaned_data.get("modele")),
        }
        # A config without attachments stays as it was before the option existed.
        if cleaned_data.get("documents"):
            config["documents"] = cleaned_data["documents"]
            config["modeles_documents"] = [m.pk for m in cleaned_data.get("modeles_documents", [])]
        return config

    @classmethod
    def decrire(cls, config: dict) -> str:
        modele = ModeleMessage.objects.filter(pk=config.get("modele")).first()
        if modele is None:
            return gettext("Envoie un courriel dont le modèle n’existe plus")
        phrase = gettext("Envoie le courriel « %(nom)s » à l’usager") % {"nom": modele.nom}
        if modele.publie_le is None:
            phrase += gettext(" (modèle non publié : échouera)")
        if config.get("documents") == DOCUMENTS_VISIBLES:
            return phrase + gettext(", avec les documents déposés dans son espace")
        if config.get("documents") == DOCUMENTS_MODELES:
            noms = ModeleDocument.objects.filter(
                pk__in=config.get("modeles_documents") or []
            ).values_list("nom", flat=True)
            return phrase + gettext(", avec le dernier document « %(noms)s »") % {
                "noms": ", ".join(noms)
            }
        return phrase

    def executer(self, dossier, config, contexte) -> None:
        modele = _modele(config)
        envoi = _envoi(dossier, config, contexte, modele)
        if envoi is not None:
            notifications.mettre_en_file(**envoi)

    def par_lot(self, config) -> bool:
        return not config.get("documents")  # the attachments: one by one

    def executer_lot(self, dossiers, config, contextes) -> None:
        from instruction.services import charger_lies_lot

        modele = _modele(config)
        charger_lies_lot(dossiers)  # the recipients and contexts' relations, per chunk
        envois = [_envoi(d, config, c, modele) for d, c in zip(dossiers, contextes, strict=True)]
        notifications.mettre_en_file_lot([e for e in envois if e is not None])


def _modele(config) -> ModeleMessage:
    try:
        modele = lignes.lire(ModeleMessage, config.get("modele"))
    except ModeleMessage.DoesNotExist:
        modele = None
    if modele is None or modele.publie_le is None:
        raise ValidationError(
            _("Le modèle de courriel de l’action n’existe pas ou n’est pas publié.")
        )
    return modele


def _envoi(dossier, config, contexte, modele) -> dict | None:
    """`mettre_en_file`'s arguments for the dossier's mail; None: nobody to write to (a
    dossier filed at the desk without an address)."""
    from instruction.services import contexte_notification, destinataire

    email = destinataire(dossier)
    if not email:
        return None
    documents = pieces_jointes(dossier, config)
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
    return {
        "canal": Canal.EMAIL,
        "destinataire": email,
        "sujet": sujet,
        "corps": corps,
        "corps_html": notifications.corps_html(corps),
        "pieces_jointes": documents,
        "evenement": "dossier.statut_change",
        "modele": modele,
        "usager": dossier.cree_par,
        "concerne": dossier,
        "cle": f"instruction.courriel:{contexte.changement.pk}:{modele.pk}",
    }
