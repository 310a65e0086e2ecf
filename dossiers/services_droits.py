"""The rights matrix (C7): profils métier × dispositifs × the five rights, read and saved
in bulk (a fixed number of queries whatever its size: 30 profils × 50 dispositifs is
1,500 cells), and exported."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from common.nombres import entier
from dossiers.models import Dispositif, DroitDispositif, ProfilMetier
from dossiers.models.droits import DROITS, DROITS_IMPLIQUANT_VOIR, LIBELLES_DROITS


@dataclass
class Matrice:
    profils: list[ProfilMetier]  # the ones listing their dispositifs (not « tous »)
    globaux: list[ProfilMetier]  # « tous les dispositifs »
    dispositifs: list[Dispositif]
    cases: set[tuple[int, int, str]]  # (profil, dispositif, right) ticked


@dataclass
class BilanMatrice:
    crees: int = 0
    modifies: int = 0
    supprimes: int = 0
    ignores: int = 0  # cells naming an unknown profil, dispositif or right


def matrice() -> Matrice:
    """Three queries: the profils, the dispositifs, the rows."""
    profils = list(ProfilMetier.objects.order_by("libelle", "pk"))
    dispositifs = list(Dispositif.objects.only("pk", "titre").order_by("titre", "pk"))
    cases = set()
    for ligne in DroitDispositif.objects.values("profil_metier_id", "dispositif_id", *DROITS):
        for droit in DROITS:
            if ligne[droit]:
                cases.add((ligne["profil_metier_id"], ligne["dispositif_id"], droit))
    return Matrice(
        profils=[p for p in profils if not p.tous_dispositifs],
        globaux=[p for p in profils if p.tous_dispositifs],
        dispositifs=dispositifs,
        cases=cases,
    )


def parse_cases(valeurs: list[str]) -> tuple[set[tuple[int, int, str]], int]:
    """« profil:dispositif:droit » strings as posted → the cells, and how many were not
    understood (ignored, never an error page)."""
    cases, ignores = set(), 0
    for valeur in valeurs:
        parts = str(valeur).split(":")
        pks = [entier(p) for p in parts[:2]]
        if len(parts) == 3 and None not in pks and parts[2] in DROITS:
            cases.add((pks[0], pks[1], parts[2]))
        else:
            ignores += 1
    return cases, ignores


@transaction.atomic
def matrice_enregistrer(*, cases: set[tuple[int, int, str]], ignores: int = 0) -> BilanMatrice:
    """Make the rows say exactly `cases` for the profils listing their dispositifs. A
    cell naming a profil « tous les dispositifs », an unknown profil or dispositif is
    ignored (counted). « voir » is added where another right implies it. Five queries at
    most, whatever the size."""
    bilan = BilanMatrice(ignores=ignores)
    profils = set(
        ProfilMetier.objects.select_for_update()
        .filter(tous_dispositifs=False)
        .values_list("pk", flat=True)
    )
    dispositifs = set(Dispositif.objects.values_list("pk", flat=True))
    voulu: dict[tuple[int, int], set[str]] = {}
    for profil, dispositif, droit in cases:
        if profil in profils and dispositif in dispositifs:
            voulu.setdefault((profil, dispositif), set()).add(droit)
        else:
            bilan.ignores += 1
    for droits in voulu.values():
        if droits & set(DROITS_IMPLIQUANT_VOIR):
            droits.add("voir")
    existants = {
        (d.profil_metier_id, d.dispositif_id): d
        for d in DroitDispositif.objects.filter(profil_metier_id__in=profils)
    }
    a_creer, a_modifier, a_supprimer = [], [], []
    for cle, ligne in existants.items():
        droits = voulu.get(cle, set())
        if not droits:
            a_supprimer.append(ligne.pk)
        elif set(ligne.droits()) != droits:
            for droit in DROITS:
                setattr(ligne, droit, droit in droits)
            a_modifier.append(ligne)
    for (profil, dispositif), droits in voulu.items():
        if (profil, dispositif) not in existants:
            a_creer.append(
                DroitDispositif(
                    profil_metier_id=profil,
                    dispositif_id=dispositif,
                    **{d: d in droits for d in DROITS},
                )
            )
    if a_supprimer:
        DroitDispositif.objects.filter(pk__in=a_supprimer).delete()
    if a_modifier:
        DroitDispositif.objects.bulk_update(a_modifier, list(DROITS), batch_size=1000)
    if a_creer:
        DroitDispositif.objects.bulk_create(a_creer, batch_size=1000)
    bilan.crees, bilan.modifies, bilan.supprimes = len(a_creer), len(a_modifier), len(a_supprimer)
    return bilan


def _cellule(texte: str) -> str:
    # A label starting like a formula is read as text by spreadsheets (CSV injection).
    return f"'{texte}" if texte[:1] in ("=", "+", "-", "@") else texte


def matrice_csv() -> str:
    """The matrix as CSV (semicolons, as French spreadsheets open it): one line per
    profil and dispositif holding a right, and one per profil « tous les dispositifs »."""
    m = matrice()
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow(
        [_("Profil métier"), _("Code"), _("Dispositif"), *(LIBELLES_DROITS[d] for d in DROITS)]
    )
    oui, non = _("oui"), _("non")
    for profil in m.globaux:
        ecrivain.writerow(
            [
                _cellule(profil.libelle),
                profil.code,
                _("Tous les dispositifs"),
                *(oui if getattr(profil, d) else non for d in DROITS),
            ]
        )
    for profil in m.profils:
        for dispositif in m.dispositifs:
            droits = [(profil.pk, dispositif.pk, d) in m.cases for d in DROITS]
            if any(droits):
                ecrivain.writerow(
                    [
                        _cellule(profil.libelle),
                        profil.code,
                        _cellule(dispositif.titre),
                        *(oui if x else non for x in droits),
                    ]
                )
    return sortie.getvalue()
