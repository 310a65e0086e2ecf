"""The citizen's account on the portal: its individu, its current profil, what it shows."""

from django.db.models import Model
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.validators import format_phone
from usagers.models import Individu, Membre, Profil
from usagers.selectors import profils_de_user
from usagers.services import compte_initialiser

# The profil the citizen acts for (files dossiers as…), chosen on "Mon compte".
PROFIL_COURANT = "guichet_profil_courant"


def individu_de(user) -> Individu:
    """The account's individu; made on first need for accounts created elsewhere (the
    admin, a script), with its personal profil."""
    individu = getattr(user, "individu", None)
    return individu if individu is not None else compte_initialiser(user=user)


def profil_courant_choisir(request, profil: Profil) -> None:
    request.session[PROFIL_COURANT] = profil.pk


def adhesion_courante(request, adhesions: list[Membre]) -> Membre | None:
    """Among the account's memberships, the one of the current profil: the profil chosen
    in this session if the account still belongs to it, else the personal one."""
    chosen = request.session.get(PROFIL_COURANT)
    by_profil = {adhesion.profil_id: adhesion for adhesion in adhesions}
    if chosen in by_profil:
        return by_profil[chosen]
    return next((a for a in adhesions if a.profil.personnel), None)


def profil_courant(request) -> Profil | None:
    """The current profil for pages that act for it (one query)."""
    if not request.user.is_authenticated:
        return None
    profils = profils_de_user(request.user).select_related("type_profil")
    chosen = request.session.get(PROFIL_COURANT)
    if chosen is not None:
        profil = profils.filter(pk=chosen).first()
        if profil is not None:
            return profil
    return profils.filter(personnel=True).first()


def lignes_remplies(instance: Model, names: list[str]) -> list[tuple[str, list]]:
    """(label, lines of its value) of the fields that hold a value, then the address, for
    the pages that show only what is filled in (G4: never a "Non renseigné" row)."""
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if value in ("", None):
            continue
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        elif name.startswith("telephone"):
            value = format_phone(value)
        rows.append((capfirst(field.verbose_name), [value]))
    adresse = instance.adresse_lignes() if hasattr(instance, "adresse_lignes") else []
    if adresse:
        rows.append((_("Adresse"), adresse))
    return rows


def fil_ariane(*links: tuple[str, str]) -> list[dict]:
    """Breadcrumb links from "Mon compte" down: (label, url) pairs after it."""
    return [
        {"label": _("Mon compte"), "url": reverse("portal:account")},
        *({"label": label, "url": url} for label, url in links),
    ]
