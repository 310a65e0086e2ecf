"""The portal raises the account events that notifications registers
(notifications/evenements.py); admins map them to templates in the CRM."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.gabarits import date_longue
from notifications.services import notifier
from usagers.models import Individu


def _usager(user) -> dict:
    return {"prenom": user.first_name, "nom": user.last_name, "email": user.email}


def compte_cree(user) -> None:
    notifier(
        "compte.cree",
        contexte={
            "usager": _usager(user),
            "lien_connexion": settings.GUICHET_SITE_URL.rstrip("/") + reverse("account_login"),
        },
        email=user.email,
        usager=user,
        concerne=user,
        lien=reverse("portal:account"),
        cle=f"compte.cree:{user.pk}",
    )


def mot_de_passe_modifie(sender, request=None, user=None, **kwargs) -> None:
    if user is None:
        return
    maintenant = timezone.localtime()
    individu = Individu.objects.filter(user=user).only("telephone_mobile").first()
    notifier(
        "compte.mot_de_passe_modifie",
        contexte={"usager": _usager(user), "date": date_longue(maintenant)},
        email=user.email,
        telephone=individu.telephone_mobile if individu else "",
        usager=user,
        concerne=user,
    )
