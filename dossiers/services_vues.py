"""Saved views of the CRM dossier list (C15): an agent saves, renames, shares and deletes
their own; what a view holds is the list's query parameters, parsed by the list's form
before it gets here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dossiers.models import VueListe


def _nom_libre(agent, nom: str, *, sauf: int | None = None) -> str:
    nom = (nom or "").strip()
    if not nom:
        raise ValidationError({"nom": _("Donnez un nom à la vue.")}, code="nom")
    autres = VueListe.objects.filter(agent=agent, nom=nom)
    if sauf is not None:
        autres = autres.exclude(pk=sauf)
    if autres.exists():
        raise ValidationError({"nom": _("Vous avez déjà une vue de ce nom.")}, code="nom")
    return nom


def vue_enregistrer(
    *,
    agent,
    nom: str,
    filtres: dict[str, list[str]],
    colonnes: list[str],
    tri: str,
    partagee: bool = False,
) -> VueListe:
    nom = _nom_libre(agent, nom)
    try:
        with transaction.atomic():
            return VueListe.objects.create(
                agent=agent,
                nom=nom,
                partagee=partagee,
                filtres=filtres,
                colonnes=colonnes,
                tri=tri,
            )
    except IntegrityError:  # the same name saved twice at once
        raise ValidationError({"nom": _("Vous avez déjà une vue de ce nom.")}, code="nom") from None


def vue_modifier(*, vue: VueListe, nom: str, partagee: bool) -> VueListe:
    vue.nom = _nom_libre(vue.agent_id, nom, sauf=vue.pk)
    vue.partagee = partagee
    vue.save(update_fields=["nom", "partagee", "updated_at"])
    return vue


def vue_supprimer(*, vue: VueListe) -> None:
    vue.delete()
