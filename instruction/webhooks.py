"""The déclencheurs' signed webhook (I8): POST /api/instruction/webhooks/<code>/ from an
outside system (a commission's tool, a payment platform…), documented in
docs/webhooks.md. Answers JSON, never a 500 on bad input: 404 unknown déclencheur or
dossier, 403 bad signature or replay, 400 malformed body, 409 refused by the guide."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dossiers.models import Dossier
from instruction import selectors, services_declencheurs
from instruction.models import Declencheur

CORPS_MAX = 64 * 1024


def _erreur(statut: int, message) -> JsonResponse:
    return JsonResponse({"erreur": str(message)}, status=statut)


def _lire(corps: bytes) -> tuple[str, dict]:
    try:
        data = json.loads(corps)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("Le corps n’est pas du JSON valide.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("reference"), str):
        raise ValueError(_("Le corps doit être un objet JSON avec « reference » (texte)."))
    donnees = data.get("donnees", {})
    if not isinstance(donnees, dict):
        raise ValueError(_("« donnees » doit être un objet JSON."))
    return data["reference"], donnees


@csrf_exempt  # an outside system, authenticated by the signature, not a browser session
@require_POST
def webhook(request, code):
    declencheur = (
        Declencheur.objects.select_related("version__guide", "cible")
        .filter(code=code, webhook=True)
        .first()
    )
    if declencheur is None:
        return _erreur(404, _("Déclencheur inconnu."))
    corps = request.body
    if len(corps) > CORPS_MAX:
        return _erreur(400, _("Corps trop long."))
    try:
        services_declencheurs.verifier_appel(
            declencheur,
            signature=request.headers.get("X-Guichet-Signature", ""),
            horodatage=request.headers.get("X-Guichet-Horodatage", ""),
            nonce=request.headers.get("X-Guichet-Nonce", ""),
            corps=corps,
        )
    except services_declencheurs.Refus as refus:
        return _erreur(refus.statut, refus.message)
    try:
        reference, donnees = _lire(corps)
    except ValueError as error:
        return _erreur(400, error)
    dossier = (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .filter(reference=reference, dispositif_id=declencheur.version.guide.dispositif_id)
        .first()
    )
    if dossier is None:
        return _erreur(404, _("Dossier inconnu pour ce déclencheur."))
    try:
        services_declencheurs.declencheur_appliquer(
            declencheur=declencheur, dossier=dossier, by=None, donnees=donnees
        )
    except services_declencheurs.DonneesInvalides as error:
        return _erreur(400, " ".join(error.messages))
    except ValidationError as error:
        return _erreur(409, " ".join(error.messages))
    suivi = selectors.suivi_de(dossier)
    return JsonResponse(
        {"reference": dossier.reference, "statut": suivi.statut.code if suivi else None}
    )
