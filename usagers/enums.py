from django.db import models
from django.utils.translation import gettext_lazy as _


class TypeIndividu(models.TextChoices):
    ADULTE = "adulte", _("Adulte")
    ENFANT = "enfant", _("Enfant")
    CONTACT = "contact", _("Contact")


class Civilite(models.TextChoices):
    MADAME = "mme", _("Madame")
    MONSIEUR = "m", _("Monsieur")


class SituationFamiliale(models.TextChoices):
    CELIBATAIRE = "celibataire", _("Célibataire")
    MARIE = "marie", _("Marié(e)")
    PACSE = "pacse", _("Pacsé(e)")
    CONCUBINAGE = "concubinage", _("En concubinage")
    DIVORCE = "divorce", _("Divorcé(e)")
    SEPARE = "separe", _("Séparé(e)")
    VEUF = "veuf", _("Veuf ou veuve")


class TypeLien(models.TextChoices):
    """Read as: <individu> est <lien> de <apparenté>."""

    PARENT = "parent", _("parent de")
    CONJOINT = "conjoint", _("conjoint de")
    FRATRIE = "fratrie", _("frère ou sœur de")
    GRAND_PARENT = "grand_parent", _("grand-parent de")
    TUTEUR = "tuteur", _("tuteur de")
    AUTRE = "autre", _("autre lien avec")


# The same link read from the other side.
LIEN_INVERSE = {
    TypeLien.PARENT: _("enfant de"),
    TypeLien.CONJOINT: _("conjoint de"),
    TypeLien.FRATRIE: _("frère ou sœur de"),
    TypeLien.GRAND_PARENT: _("petit-enfant de"),
    TypeLien.TUTEUR: _("sous la tutelle de"),
    TypeLien.AUTRE: _("autre lien avec"),
}


class ModeGarde(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Garde exclusive")
    ALTERNEE = "alternee", _("Garde alternée")
    DROIT_VISITE = "visite", _("Droit de visite et d’hébergement")
    AUTRE = "autre", _("Autre")


class ReglePaiement(models.TextChoices):
    PAYEUR = "payeur", _("Payeur")
    PARTAGE = "partage", _("Paiement partagé")
    NON_PAYEUR = "non_payeur", _("Non payeur")


class IdentifiantRequis(models.TextChoices):
    AUCUN = "", _("Aucun")
    SIRET = "siret", _("SIRET")
    RNA = "rna", _("RNA")


class StatutInvitation(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    ACCEPTEE = "acceptee", _("Acceptée")
    REFUSEE = "refusee", _("Refusée")
    REVOQUEE = "revoquee", _("Révoquée")
