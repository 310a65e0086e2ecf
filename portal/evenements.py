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


NOTIFICATIONS_A_LA_CONNEXION = 3


def notifications_a_la_connexion(sender, request=None, user=None, **kwargs) -> None:
    """P9: right after a citizen signs in, the first page tells the in-app notices not
    read yet (the newest few, with a link to the bell's page), as a message. One query;
    nothing for the CRM's and the admin's sign-in, nor when all is read."""
    from django.contrib import messages
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from notifications.models import Notification

    if request is None or user is None:
        return
    if request.path.startswith((reverse("crm:home"), reverse("admin:index"))):
        return  # agents sign in to the CRM: its own bell
    non_lues = list(
        Notification.objects.filter(destinataire=user, lue_le__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("titre", flat=True)[: NOTIFICATIONS_A_LA_CONNEXION + 1]
    )
    if not non_lues:
        return
    titres = format_html_join(
        " ; ", "« {} »", ((t,) for t in non_lues[:NOTIFICATIONS_A_LA_CONNEXION])
    )
    annonce = ngettext(
        "Vous avez une notification non lue :",
        "Vous avez des notifications non lues :",
        len(non_lues),
    )
    suite = "…" if len(non_lues) > NOTIFICATIONS_A_LA_CONNEXION else ""
    messages.info(
        request,
        format_html(
            '{} {}{}. <a class="fr-link" href="{}">{}</a>',
            annonce,
            titres,
            suite,
            reverse("portal:notifications"),
            _("Voir mes notifications"),
        ),
        fail_silently=True,  # a sign-in without the message middleware (tests, scripts)
    )
