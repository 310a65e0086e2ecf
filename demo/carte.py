"""Demo of the CRM map and search (C9, C10): benne requests placed all over the demo
commune — at addresses of the Base Adresse Nationale's fake (common/adresses.py) — by
demandeurs of the référentiel, some closed, so the map shows groups, points and two
colours; and the BEN dossiers already filed get their delivery address. Idempotent."""

import datetime

from django.utils import timezone

from common import adresses
from dossiers import services
from dossiers.models import Dispositif, Dossier, Historique
from usagers.models import Individu

# (numéro et voie, days ago, closed?, waste, volume)
DEMANDES = [
    ("3 rue des Tanneurs", 2, False, ["vegetaux"], "3"),
    ("11 rue des Tanneurs", 5, False, ["gravats"], "6"),
    ("18 rue des Tanneurs", 40, True, ["encombrants"], "10"),
    ("2 allée des Tilleuls", 3, False, ["vegetaux", "bois"], "6"),
    ("7 allée des Tilleuls", 12, False, ["vegetaux"], "3"),
    ("4 chemin du Moulin", 8, False, ["gravats"], "10"),
    ("12 chemin du Moulin", 60, True, ["bois"], "6"),
    ("5 grande rue", 1, False, ["encombrants"], "6"),
    ("21 grande rue", 15, False, ["vegetaux"], "3"),
    ("33 grande rue", 33, True, ["gravats", "encombrants"], "10"),
    ("9 rue de la Loire", 4, False, ["vegetaux"], "6"),
    ("24 rue de la Loire", 20, False, ["bois"], "3"),
    ("6 quai de la Loire", 6, False, ["encombrants"], "6"),
    ("14 rue Jean Jaurès", 9, False, ["gravats"], "6"),
    ("2 rue Victor Hugo", 45, True, ["vegetaux"], "3"),
    ("17 avenue de la Gare", 7, False, ["encombrants", "bois"], "10"),
    ("3 impasse des Vignes", 11, False, ["vegetaux"], "3"),
    ("10 rue des Écoles", 2, False, ["gravats"], "6"),
    ("25 route de Gien", 18, False, ["vegetaux", "gravats"], "10"),
    ("8 rue du Port", 26, True, ["bois"], "6"),
    ("4 chemin des Prés", 13, False, ["vegetaux"], "3"),
    ("15 boulevard de la République", 10, False, ["encombrants"], "6"),
]


def _adresse(numero_voie: str) -> dict | None:
    trouvee = adresses.geocoder(numero_voie, "18240", "Belleville-sur-Loire")
    if trouvee is None:
        return None
    return {
        "numero_voie": numero_voie,
        "complement": "",
        "code_postal": trouvee.code_postal,
        "commune": trouvee.commune,
        "code_insee": trouvee.code_insee,
        "lon": trouvee.lon,
        "lat": trouvee.lat,
        "ban_id": trouvee.ban_id,
    }


def load_carte() -> None:
    benne = Dispositif.objects.filter(code="BEN").first()
    modele = services.modele_publie(benne) if benne else None
    if modele is None:
        return
    # The BEN dossiers filed by other demo modules: their delivery address.
    for dossier in Dossier.objects.filter(dispositif=benne, latitude__isnull=True).exclude(
        statut=Dossier.Statut.BROUILLON
    ):
        adresse = _adresse("1 place de la Mairie")
        if adresse:
            dossier.donnees = {**dossier.donnees, "adresse_depot": adresse}
            dossier.save(update_fields=["donnees", "updated_at"])
    if Dossier.objects.filter(
        dispositif=benne, demandeur_profil__isnull=True, latitude__isnull=False
    ).exists():
        return  # already loaded
    demandeurs = list(
        Individu.objects.filter(type_individu="adulte", anonyme=False).order_by("pk")[:8]
    )
    if not demandeurs:
        return
    maintenant = timezone.now()
    for i, (numero_voie, jours, clos, dechets, volume) in enumerate(DEMANDES):
        adresse = _adresse(numero_voie)
        if adresse is None:
            continue
        depose_le = maintenant - datetime.timedelta(days=jours, hours=i % 7)
        dossier = Dossier.objects.create(
            reference=services._prochaine_reference(benne, depose_le.year),  # noqa: SLF001
            dispositif=benne,
            modele=modele,
            demandeur_individu=demandeurs[i % len(demandeurs)],
            statut=Dossier.Statut.CLOS if clos else Dossier.Statut.DEPOSE,
            depose_le=depose_le,
            clos_le=depose_le + datetime.timedelta(days=10) if clos else None,
            donnees={
                "dechets": dechets,
                "volume": volume,
                "date_souhaitee": (depose_le + datetime.timedelta(days=14)).date().isoformat(),
                "duree": 3,
                "adresse_depot": adresse,
            },
        )
        Dossier.objects.filter(pk=dossier.pk).update(created_at=depose_le, updated_at=depose_le)
        Historique.objects.create(
            dossier=dossier,
            quand=depose_le,
            nature=Historique.Nature.DEPOT,
            libelle=f"Demande déposée (référence {dossier.reference})",
            visible_usager=True,
        )
