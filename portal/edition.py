"""What « Mon compte » lists as waiting (P9) for who edits a dossier (F14): the
co-editing invitations and transfers sent to the account's address."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.extensions import AFaire
from dossiers.selectors import propositions_recues


def propositions_a_traiter(user) -> list[AFaire]:
    invitations, transferts = propositions_recues(getattr(user, "email", ""))
    items = [
        AFaire(
            libelle=_("Invitation à compléter la demande « %(titre)s »")
            % {"titre": invitation.dossier.dispositif.titre},
            url=reverse("portal:partage_accepter", args=[invitation.token]),
            categorie="partages",
        )
        for invitation in invitations
    ]
    items += [
        AFaire(
            libelle=_("Demande « %(titre)s » à reprendre")
            % {"titre": transfert.dossier.dispositif.titre},
            url=reverse("portal:transfert_accepter", args=[transfert.token]),
            categorie="partages",
        )
        for transfert in transferts
    ]
    return items
