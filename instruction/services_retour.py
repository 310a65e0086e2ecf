"""Back to the previous statut (I8): the statut the dossier was in before its current one,
read from its history as a stack — each change pushes the statut it left, each return
pops one — so that two returns in a row go two statuts back instead of bouncing.

The return goes through change_status (lock, history line, citizen notification) and
**runs the actions of the statut re-entered**: a statut's actions are what being in that
statut means (the citizen's tracking line, the assignment, the conversation opened or
closed, the tab made editable); skipping them would leave the dossier in a statut whose
effects are not in place. It is allowed whatever the statut's next statuts are."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from instruction import services
from instruction.models import ChangementStatut, Statut


def statut_precedent(dossier) -> Statut | None:
    """The statut a return would go to (None: the dossier never changed statut)."""
    pile: list[Statut] = []
    changements = (
        ChangementStatut.objects.filter(dossier_id=dossier.pk)
        .select_related("de__etape")
        .order_by("le", "pk")
    )
    for changement in changements:
        if changement.retour:
            if pile:
                pile.pop()
        elif changement.de is not None:
            pile.append(changement.de)
    return pile[-1] if pile else None


@transaction.atomic
def retour_statut_precedent(
    *, dossier, by, reason: str = "", attendu: Statut | None = None
) -> ChangementStatut:
    """Move the dossier back to `statut_precedent` (refused when there is none, or when
    it is not of the dossier's guide version any more). The dossier's row is locked
    first, so the history read is the one the change applies to."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    precedent = statut_precedent(dossier)
    if precedent is None:
        raise ValidationError(
            _("Ce dossier n’a pas de statut précédent où revenir."), code="sans_precedent"
        )
    return services.change_status(
        dossier=dossier, statut=precedent, by=by, reason=reason, attendu=attendu, retour=True
    )
