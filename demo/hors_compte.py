"""Demo of filing without an account (P6): a request for a civil-status record filed by
Jeanne Durand, who has no account, with a tracking code and an attach key that the demo
prints with the logins (the real ones are random and the key is shown only once).
Idempotent: keyed by its reference."""

import datetime

from django.utils import timezone

from dossiers import services, services_hors_compte
from dossiers.evenements_hors_compte import modeles_installer
from dossiers.models import Dispositif, Dossier, Historique
from usagers.models import Individu

CODE = "DEM7S-ANSCP"
CLE = "DEMQ-SANS-CPTE-2K26"
DATE_NAISSANCE = "14/07/1985"
EMAIL = "jeanne.durand@demo.guichet.fr"


def reference() -> str:
    return f"{timezone.localdate().year}-ETC-000901"


def load_hors_compte() -> Dossier | None:
    modeles_installer()  # the two mails shown in CRM › Messages
    dispositif = Dispositif.objects.filter(code="ETC", depot_sans_compte=True).first()
    modele = services.modele_publie(dispositif) if dispositif else None
    if modele is None:
        return None
    dossier = Dossier.objects.filter(reference=reference()).first()
    if dossier is not None:
        return dossier
    individu = Individu.objects.filter(email__iexact=EMAIL).first() or Individu.objects.create(
        nom="Durand", prenom="Jeanne", email=EMAIL, date_naissance=datetime.date(1985, 7, 14)
    )
    dossier = Dossier.objects.create(
        reference=reference(),
        dispositif=dispositif,
        modele=modele,
        demandeur_individu=individu,
        statut=Dossier.Statut.DEPOSE,
        depose_le=timezone.now() - datetime.timedelta(days=2),
        email_suivi=EMAIL,
        donnees={
            "type_acte": "naissance",
            "type_copie": "integrale",
            "qualite": "titulaire",
            "exemplaires": 1,
            "nom_acte": "Durand",
            "prenoms_acte": "Jeanne Marie",
            "date_evenement": "1985-07-14",
            "en_france": True,
            "delivrance": "courrier",
            "email": EMAIL,
        },
    )
    services_hors_compte.suivi_definir(
        dossier=dossier, code=CODE, cle=CLE, verification=DATE_NAISSANCE
    )
    Historique.objects.create(
        dossier=dossier,
        quand=dossier.depose_le,
        nature=Historique.Nature.DEPOT,
        libelle=f"Demande déposée sans compte (référence {dossier.reference})",
        visible_usager=True,
    )
    return dossier
