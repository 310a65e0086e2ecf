"""Séances for éditique (I6): the « seance » context a minutes template (procès-verbal,
ordre du jour) is written for — the commission, the séance, its agenda lines with their
decisions and amounts, the totals — as plain data. Registered in InstructionConfig.ready();
éditique never imports it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from common.gabarits import Variable
from common.gabarits import montant as montant_fr
from dossiers import editique as dossiers_editique
from editique import contextes
from instruction.models import PointOrdreDuJour, Seance

SCHEMA_SEANCE = (
    Variable(
        "commission",
        "La commission",
        (
            Variable("nom", "Nom", exemple="Commission vie associative"),
            Variable("membres", "Membres (un par ligne)", exemple="Mme Le Gall, adjointe"),
        ),
    ),
    Variable(
        "seance",
        "La séance",
        (
            Variable("date", "Date et heure", exemple=dt.datetime(2026, 3, 12, 18, 30)),  # noqa: DTZ001
            Variable("lieu", "Lieu", exemple="Salle du conseil"),
            Variable("etat", "État", exemple="Close"),
        ),
    ),
    Variable(
        "points",
        "Les dossiers de l’ordre du jour",
        (
            Variable("ordre", "Rang", exemple=1),
            Variable("reference", "Référence", exemple="2026-SUB-000123"),
            Variable("dispositif", "Dispositif", exemple="Subvention aux associations"),
            Variable("demandeur", "Demandeur", exemple="Association Les Amis du Vieux Bourg"),
            Variable("rapporteur", "Rapporteur", exemple="Claire Martin"),
            Variable("avis_propose", "Avis proposé", exemple="Favorable"),
            Variable("decision", "Décision", exemple="Favorable"),
            Variable("montant", "Montant accordé", exemple="1 500,00 €"),
            Variable("motivation", "Motivation", exemple="Projet d’intérêt local"),
        ),
        liste=True,
    ),
    Variable(
        "totaux",
        "Totaux",
        (
            Variable("dossiers", "Nombre de dossiers", exemple=3),
            Variable("favorables", "Décisions favorables", exemple=2),
            Variable("defavorables", "Décisions défavorables", exemple=1),
            Variable("montant", "Montant total accordé", exemple="3 000,00 €"),
        ),
    ),
)


def points_de(seance: Seance) -> list[PointOrdreDuJour]:
    return list(
        seance.points.select_related(
            "dossier__dispositif",
            "dossier__demandeur_individu",
            "dossier__demandeur_profil",
            "rapporteur",
        ).order_by("ordre", "pk")
    )


def contexte_seance(seance: Seance, agent=None) -> dict[str, Any]:
    from instruction.services_commissions import totaux

    points = points_de(seance)
    total = totaux(points)
    return {
        "commission": {"nom": seance.commission.nom, "membres": seance.commission.membres},
        "seance": {
            "date": timezone.localtime(seance.date),
            "lieu": seance.lieu,
            "etat": seance.get_etat_display(),
        },
        "points": [
            {
                "ordre": rang,
                "reference": p.dossier.reference,
                "dispositif": p.dossier.dispositif.titre,
                "demandeur": dossiers_editique.personne(p.dossier).get("nom_complet", ""),
                "rapporteur": p.rapporteur.get_full_name() if p.rapporteur else "",
                "avis_propose": p.get_avis_propose_display(),
                "decision": p.get_decision_display(),
                "montant": montant_fr(p.montant),
                "motivation": p.motivation,
            }
            for rang, p in enumerate(points, start=1)
        ],
        "totaux": {
            "dossiers": total.points,
            "favorables": total.favorables,
            "defavorables": total.defavorables,
            "montant": montant_fr(total.montant or Decimal(0)),
        },
        **contextes.contexte_commun(agent),
    }


class ContexteSeance(contextes.TypeContexte):
    code = "seance"
    libelle = "Séance de commission"

    def schema(self, cible: str = "") -> list[Variable]:
        return [*SCHEMA_SEANCE, *contextes.SCHEMA_COMMUN]

    def objets(self, cible: str = "", *, limite: int = 50) -> list[tuple[int, str]]:
        seances = Seance.objects.select_related("commission").order_by("-date", "-pk")
        return [(s.pk, str(s)) for s in seances[:limite]]

    def contexte(self, pk: int, *, utilisateur=None) -> tuple[Seance, dict[str, Any]]:
        try:
            seance = Seance.objects.select_related("commission").get(pk=pk)
        except (Seance.DoesNotExist, ValueError, TypeError):
            raise LookupError(pk) from None
        return seance, contexte_seance(seance, utilisateur)
