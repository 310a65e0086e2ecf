"""Field-type endpoints: suggestions for the address, commune and EPCI inputs of forms.

JSON, GET only, open to anyone (a form may be filled without an account): each answer
is small (8 suggestions at most), needs a few characters first, and reads no personal
data. `static/js/champs.js` turns them into listboxes; without JavaScript nothing calls
them and the server resolves what was typed.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from common import adresses
from dossiers.champs.donnees import territoires

LIMITE = 8
MIN_ADRESSE = adresses.LONGUEUR_MIN
MIN_TERRITOIRE = 2


def _q(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:200]


def _trop_court(minimum: int) -> JsonResponse:
    return JsonResponse(
        {
            "resultats": [],
            "message": _("Saisissez au moins %(n)d caractères.") % {"n": minimum},
        }
    )


def _reponse(resultats: list[dict]) -> JsonResponse:
    message = (
        _("Aucune suggestion : vérifiez la saisie ou continuez à la main.") if not resultats else ""
    )
    return JsonResponse({"resultats": resultats, "message": message})


@require_safe
@cache_control(max_age=300, public=True)
def adresses_suggerees(request):
    """`?q=12 rue des tann` (3 characters at least), optional `commune=<INSEE code>`."""
    q = _q(request)
    if len(q) < MIN_ADRESSE:
        return _trop_court(MIN_ADRESSE)
    code_insee = request.GET.get("commune", "")[:5] or None
    return _reponse(
        [a.en_json() for a in adresses.rechercher(q, limite=LIMITE, code_insee=code_insee)]
    )


@require_safe
@cache_control(max_age=86400, public=True)
def communes_suggerees(request):
    """`?q=nan` (name prefix, postcode or INSEE code), optional `departement=`, `region=`."""
    q = _q(request)
    if len(q) < MIN_TERRITOIRE:
        return _trop_court(MIN_TERRITOIRE)
    communes = territoires().communes_suggerees(
        q,
        limite=LIMITE,
        departement=request.GET.get("departement", "")[:3],
        region=request.GET.get("region", "")[:3],
    )
    return _reponse(
        [
            {
                "code": c.code,
                "libelle": c.libelle,
                "nom": c.nom,
                "departement": c.departement,
                "codes_postaux": list(c.codes_postaux),
            }
            for c in communes
        ]
    )


@require_safe
@cache_control(max_age=86400, public=True)
def epci_suggeres(request):
    """`?q=nantes` (words of the name, or the SIREN), optional `departement=`, `region=`."""
    q = _q(request)
    if len(q) < MIN_TERRITOIRE:
        return _trop_court(MIN_TERRITOIRE)
    trouves = territoires().epci_candidats(
        q,
        departement=request.GET.get("departement", "")[:3],
        region=request.GET.get("region", "")[:3],
    )[:LIMITE]
    return _reponse([{"code": e.siren, "libelle": e.libelle, "type": e.type} for e in trouves])
