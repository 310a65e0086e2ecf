from django.db import models
from django.utils.translation import gettext_lazy as _


class Canal(models.TextChoices):
    TELEPHONE = "telephone", _("Téléphone")
    ACCUEIL = "accueil", _("Accueil")
    COURRIER = "courrier", _("Courrier")
    COURRIEL = "courriel", _("Courriel")
    INTERNET = "internet", _("Internet")


class Sens(models.TextChoices):
    ENTRANT = "entrant", _("Entrant")
    SORTANT = "sortant", _("Sortant")


class StatutContact(models.TextChoices):
    OUVERT = "ouvert", _("Ouvert")
    TRAITE = "traite", _("Traité")
