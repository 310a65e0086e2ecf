"""Template filters of the agent's dossier pages."""

from django import template
from django.utils.translation import gettext as _

from dossiers.models import Dossier

register = template.Library()
_STATUTS = dict(Dossier.Statut.choices)

# Facts kept for the record but not worth a line on the page.
_CACHES = {"donnees_precedentes", "modele", "document", "avant_pk", "apres_pk", "motif"}


def _texte(valeur) -> str:
    if valeur is True:
        return _("oui")
    if valeur is False:
        return _("non")
    if valeur in (None, ""):
        return "—"
    return str(valeur)


@register.filter
def details_lisibles(details) -> list[str]:
    """A history line's `details` as short sentences: « statut : depose → clos »."""
    if not isinstance(details, dict):
        return []
    lignes: list[str] = []

    def parcourir(cle: str, valeur) -> None:
        if cle in _CACHES:
            return
        if cle == "statut" and isinstance(valeur, dict):
            valeur = {k: _STATUTS.get(v, v) for k, v in valeur.items()}
        if isinstance(valeur, dict) and ("avant" in valeur or "apres" in valeur):
            lignes.append(f"{cle} : {_texte(valeur.get('avant'))} → {_texte(valeur.get('apres'))}")
        elif isinstance(valeur, dict):
            for sous_cle, sous_valeur in valeur.items():
                parcourir(sous_cle, sous_valeur)
        elif cle not in ("champ", "agent", "demandeur"):
            lignes.append(f"{cle} : {_texte(valeur)}")

    if "avant" in details or "apres" in details:
        parcourir(details.get("champ", ""), {k: details.get(k) for k in ("avant", "apres")})
        if details.get("champ") == "":
            lignes[-1] = lignes[-1].lstrip(" :")
    for cle, valeur in details.items():
        if cle not in ("avant", "apres"):
            parcourir(cle, valeur)
    return lignes
