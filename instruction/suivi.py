"""The guide's provider for `dossiers.suivi` (registered in InstructionConfig.ready()):
a dossier in a guide shows its statut (the citizen label, or its étape when the statut
has none) and the guide's étapes as its lifeline; dossiers outside a guide fall back to
their life cycle."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dossiers.suivi import DetailsSuivi, EtapeVie, EtatAffiche
from instruction import selectors
from instruction.models import Statut
from instruction.services import change_status


class FournisseurGuide:
    def etats(self, dossiers, *, usager: bool) -> dict[int, EtatAffiche]:
        maintenant = timezone.now()
        resultat = {}
        for pk, suivi in selectors.suivis(dossiers).items():
            statut = suivi.statut
            retard = suivi.en_retard(maintenant)
            if usager:
                # The citizen too is told when the authority is late (« Mes demandes »).
                libelle = statut.libelle_usager or statut.etape.libelle
                resultat[pk] = EtatAffiche(libelle, statut.couleur, retard)
            else:
                resultat[pk] = EtatAffiche(statut.libelle, statut.couleur, retard)
        return resultat

    def details(self, dossiers) -> dict[int, DetailsSuivi]:
        """The étape and its deadline: entry in the étape + its target duration (the
        day after which the dossier is late); none for a closing statut."""
        resultat = {}
        for pk, suivi in selectors.suivis(dossiers).items():
            etape = suivi.statut.etape
            echeance = None
            if etape.duree_cible is not None and not suivi.statut.cloture:
                echeance = timezone.localdate(suivi.etape_entree_le) + timedelta(
                    days=etape.duree_cible
                )
            resultat[pk] = DetailsSuivi(etape.libelle, echeance)
        return resultat

    def ligne_de_vie(self, dossier, *, usager: bool) -> list[EtapeVie] | None:
        suivi = selectors.suivi_de(dossier)
        if suivi is None:
            return None
        return [
            EtapeVie(ligne.etape.libelle, ligne.etat, ligne.depuis, en_retard=ligne.en_retard)
            for ligne in selectors.ligne_de_vie(suivi)
        ]

    def usager_peut_modifier(self, dossier) -> bool | None:
        suivi = selectors.suivi_de(dossier)
        if suivi is None:
            return None
        return suivi.statut.modifiable_usager and not suivi.statut.cloture

    def onglets_vue(self, dossier, vue: str) -> dict | None:
        """The « Onglet par vue » actions' overrides for this dossier (dossiers.suivi)."""
        suivi = selectors.suivi_de(dossier)
        if suivi is None:
            return None
        return (suivi.onglets or {}).get(vue) or {}

    def appliquer_statut(self, dossier, code: str) -> bool:
        """F10: the statut `code` of the dossier's guide version, through change_status
        (by the system); False when the guide has no such statut or does not allow it."""
        suivi = selectors.suivi_de(dossier)
        statut = (
            Statut.objects.filter(version_id=suivi.version_id, code=code).first()
            if suivi is not None
            else None
        )
        if statut is None:
            return False
        try:
            # A savepoint: a refused change must not break the caller's transaction.
            with transaction.atomic():
                change_status(dossier=dossier, statut=statut, by=None, reason="")
        except ValidationError:
            return False
        return True
