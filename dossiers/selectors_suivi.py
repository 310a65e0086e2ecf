"""Reads of the citizen's tracking pages (P9, P10): « Mes demandes », the dossier page's
« Suivi », « Ma demande » and « Documents » tabs. Every read starts from
`selectors.dossiers_of` (or a dossier already fetched through it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dossiers import services, suivi
from dossiers.champs import get as type_de_champ
from dossiers.models import Dispositif, Dossier, Historique, Vue
from dossiers.selectors import dossiers_of
from editique.models import DocumentGenere

EN_COURS = "en_cours"
CLOTURE = "cloture"


def demandes_de(
    user,
    *,
    suivis=(),
    profil: int | None = None,
    dispositif: int | None = None,
    etat: str = "",
    texte: str = "",
) -> QuerySet[Dossier]:
    """The filed dossiers of the tracking list, newest filed first, filtered by demandeur
    profil, dispositif, state (« en cours » or « clôturé ») and free text (reference or
    dispositif title). The form data is not read (the list shows none of it)."""
    qs = (
        dossiers_of(user, suivis=suivis)
        .exclude(statut=Dossier.Statut.BROUILLON)
        .select_related("demandeur_individu")
        .defer("donnees")
    )
    if profil:
        qs = qs.filter(demandeur_profil_id=profil)
    if dispositif:
        qs = qs.filter(dispositif_id=dispositif)
    if etat == EN_COURS:
        qs = qs.filter(statut=Dossier.Statut.DEPOSE)
    elif etat == CLOTURE:
        qs = qs.filter(statut=Dossier.Statut.CLOS)
    texte = texte.strip()
    if texte:
        qs = qs.filter(
            Q(reference__icontains=texte) | Q(dispositif__titre__unaccent__icontains=texte)
        )
    return qs.order_by("-depose_le", "-pk")


def dispositifs_des_demandes(user) -> list[Dispositif]:
    """The dispositifs the citizen's filed dossiers are for (the list's filter)."""
    pks = dossiers_of(user).exclude(statut=Dossier.Statut.BROUILLON).values("dispositif_id")
    return list(Dispositif.objects.filter(pk__in=pks).only("pk", "titre").order_by("titre"))


def historique_usager(dossier: Dossier, *, limite: int | None = None) -> list[Historique]:
    """The history lines the citizen sees, newest first; `limite` + 1 read to tell
    whether there are more."""
    qs = Historique.objects.filter(dossier=dossier, visible_usager=True).order_by("-quand", "-pk")
    return list(qs[: limite + 1] if limite is not None else qs)


@dataclass(frozen=True)
class LigneAffichee:
    libelle: str
    valeur: str


@dataclass(frozen=True)
class OngletAffiche:
    titre: str
    lignes: list[LigneAffichee]


def donnees_affichees(dossier: Dossier, vue: str = Vue.INTERNET) -> list[OngletAffiche]:
    """The filed data as the form showed it, tab by tab: the tabs the answers showed,
    the fields visible in `vue` that store a value, each with its type's display
    (`affichage`: « 1 234,50 € », « 12 mars 2026 », the choice's label — the same text
    éditique's `dossier.champs` gives). Empty answers are left out (G4)."""
    donnees = dossier.donnees or {}
    onglets = []
    surcharges = suivi.onglets_vue(dossier, vue)
    for onglet in services.etapes_visibles(dossier, services.modele_onglets(dossier.modele)):
        if suivi.onglet_masque(surcharges, onglet):
            continue  # hidden for this dossier by the guide (« Onglet par vue »)
        lignes = []
        for ligne in onglet.lignes.all():
            for champ in ligne.champs.all():
                if champ.parent_id is not None:
                    continue  # a repeatable block's sub-field: displayed by its block
                if not services.proprietes_vue(champ, vue).visible:
                    continue
                try:
                    type_champ = type_de_champ(champ.type)
                except KeyError:
                    continue
                if not type_champ.stocke_valeur or champ.nom not in donnees:
                    continue
                definition = services.champ_definition(champ, vue)
                try:
                    texte = type_champ.affichage(definition, donnees[champ.nom])
                except Exception:  # noqa: BLE001, S112 - a value the type no longer reads is not shown
                    continue
                if texte:
                    lignes.append(LigneAffichee(definition.libelle, texte))
        if lignes:
            onglets.append(OngletAffiche(onglet.titre, lignes))
    return onglets


def documents_recus(dossier: Dossier) -> QuerySet:
    """The documents deposited in the citizen's space for this dossier, newest first."""

    return DocumentGenere.objects.filter(
        objet_type=ContentType.objects.get_for_model(Dossier),
        objet_id=dossier.pk,
        depose_usager=True,
    ).order_by("-created_at", "-pk")


def faits(dossier: Dossier) -> list[tuple[str, Any]]:
    """Key facts of the Suivi tab: (label, value) pairs that hold a value."""

    def jour(quand) -> str:
        return date_format(timezone.localtime(quand), "j F Y à H:i")

    lignes: list[tuple[str, Any]] = []
    if dossier.depose_le:
        lignes.append((_("Déposée le"), jour(dossier.depose_le)))
    if dossier.demandeur_profil is not None:
        lignes.append((_("Demandeur"), dossier.demandeur_profil.nom))
    elif dossier.demandeur_individu is not None:
        lignes.append((_("Demandeur"), str(dossier.demandeur_individu)))
    if dossier.beneficiaire is not None:
        lignes.append((_("Bénéficiaire"), str(dossier.beneficiaire)))
    if dossier.clos_le:
        lignes.append((_("Clôturée le"), jour(dossier.clos_le)))
    return lignes
