"""Déclencheurs (I8): a guide's global actions, applied to one dossier by the signed
webhook (instruction/webhooks.py) or to a selection by an agent (services_lot).

`declencheur_appliquer` sets the whitelisted fields from the received data, then moves
the dossier to the target statut (found by its code in the dossier's guide version) or
back to its previous one, in one transaction: a refusal leaves nothing behind.

The webhook's signature: HMAC-SHA256 with the déclencheur's secret over
`<timestamp>.<nonce>.<body>` (docs/webhooks.md); a call older than `FENETRE` or whose
nonce was already seen is refused (replay)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import services_champs
from dossiers.models import Dossier, Historique
from instruction import services, services_retour
from instruction.models import (
    ChangementStatut,
    Declencheur,
    NonceWebhook,
    Statut,
    SuiviInstruction,
)

FENETRE = timedelta(minutes=5)


class DonneesInvalides(ValidationError):
    """Values of the call that the dossier's field types refuse (the webhook answers 400:
    the sender's fault, not a refusal of the guide)."""


class Refus(Exception):
    """A webhook call refused before anything is applied (`statut`: the HTTP answer)."""

    def __init__(self, statut: int, message: str):
        super().__init__(message)
        self.statut, self.message = statut, message


def signer(secret: str, horodatage: str, nonce: str, corps: bytes) -> str:
    message = f"{horodatage}.{nonce}.".encode() + corps
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verifier_appel(
    declencheur: Declencheur, *, signature: str, horodatage: str, nonce: str, corps: bytes
) -> None:
    """Signature, freshness, then the nonce (recorded: the same call twice is refused)."""
    attendue = signer(declencheur.secret, horodatage, nonce, corps)
    if not signature or not hmac.compare_digest(attendue, signature):
        raise Refus(403, _("Signature invalide."))
    try:
        quand = datetime.datetime.fromtimestamp(int(horodatage), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise Refus(403, _("Horodatage invalide.")) from None
    if abs(timezone.now() - quand) > FENETRE:
        raise Refus(403, _("Appel trop ancien (plus de 5 minutes) : refusé."))
    if not nonce or len(nonce) > 100:
        raise Refus(403, _("Nonce manquant ou trop long."))
    try:
        with transaction.atomic():
            NonceWebhook.objects.create(declencheur=declencheur, nonce=nonce)
    except IntegrityError:
        raise Refus(403, _("Appel déjà reçu (nonce réutilisé) : refusé.")) from None


def _cible(declencheur: Declencheur, suivi) -> Statut | None:
    if declencheur.cible_id is None:
        return None
    if declencheur.cible.version_id == suivi.version_id:
        return declencheur.cible
    cible = Statut.objects.filter(version_id=suivi.version_id, code=declencheur.cible.code).first()
    if cible is None:
        raise ValidationError(
            _("La version du guide de ce dossier n’a pas de statut « %(code)s ».")
            % {"code": declencheur.cible.code},
            code="sans_cible",
        )
    return cible


@transaction.atomic
def declencheur_appliquer(
    *, declencheur: Declencheur, dossier: Dossier, by, donnees: dict | None = None
) -> ChangementStatut | None:
    """Apply the déclencheur to the dossier; returns the statut change (None: fields only,
    or already in the target statut — a webhook sent again changes nothing more)."""
    donnees = donnees or {}
    inconnus = sorted(set(donnees) - set(declencheur.champs))
    if inconnus:
        raise ValidationError(
            _("Champs non modifiables par ce déclencheur : %(champs)s.")
            % {"champs": ", ".join(inconnus)},
            code="champs",
        )
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    suivi = SuiviInstruction.objects.select_related("version").filter(dossier_id=dossier.pk).first()
    if suivi is None or suivi.version.guide_id != declencheur.version.guide_id:
        raise ValidationError(
            _("Ce dossier ne suit pas le guide de ce déclencheur."), code="autre_guide"
        )
    motif = declencheur.motif or _("Déclencheur « %(d)s »") % {"d": declencheur.libelle}
    if donnees:
        # Values from outside are typed like an agent's input: « 12,5 » for a montant,
        # a date for a date field; one bad value refuses the whole call.
        donnees, erreurs = services_champs.valeurs_valider(dossier=dossier, valeurs=donnees)
        if erreurs:
            raise DonneesInvalides(
                [
                    _("%(champ)s : %(erreur)s") % {"champ": nom, "erreur": " ".join(e.messages)}
                    for nom, e in sorted(erreurs.items())
                ]
            )
        avant = {cle: dossier.donnees.get(cle) for cle in donnees}
        dossier.donnees = {**dossier.donnees, **donnees}
        dossier.save(update_fields=["donnees", "updated_at"])
        Historique.objects.create(
            dossier=dossier,
            par=by,
            nature=Historique.Nature.AUTRE,
            libelle=motif[:300],
            details={"avant": avant, "apres": donnees},
        )
    if declencheur.vers_precedent:
        return services_retour.retour_statut_precedent(dossier=dossier, by=by, reason=motif)
    cible = _cible(declencheur, suivi)
    if cible is None or cible.pk == suivi.statut_id:
        return None
    return services.change_status(dossier=dossier, statut=cible, by=by, reason=motif, regle=True)
