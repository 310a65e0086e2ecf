"""A dispositif open to requests without an account (P6), for the hors-compte tests."""

from django.utils import timezone

from dossiers import services, services_hors_compte
from dossiers.models import Champ, Ligne, Onglet, VerificationSuivi
from tests.dossiers.factories import DispositifFactory


def dispositif_sans_compte(*, verification=VerificationSuivi.DATE_NAISSANCE, identite=True, **kw):
    """Two tabs: « Vous » (nom, prénom prefilled from the individu when `identite`)
    and « Demande » (motif)."""
    dispositif = DispositifFactory(
        **{"depot_sans_compte": True, **kw}, suivi_verification=verification
    )
    modele = services.modele_brouillon(dispositif=dispositif)
    vous = Onglet.objects.create(modele=modele, titre="Vous", ordre=0)
    ligne = Ligne.objects.create(onglet=vous)
    prefill = "individu." if identite else ""
    Champ.objects.create(
        ligne=ligne,
        nom="nom",
        libelle="Nom",
        type="texte",
        prefill=f"{prefill}nom" if identite else "",
    )
    Champ.objects.create(
        ligne=ligne,
        nom="prenom",
        libelle="Prénom",
        type="texte",
        ordre=1,
        prefill=f"{prefill}prenom" if identite else "",
    )
    demande = Onglet.objects.create(modele=modele, titre="Demande", ordre=1)
    Champ.objects.create(
        ligne=Ligne.objects.create(onglet=demande), nom="motif", libelle="Motif", type="texte"
    )
    services.modele_publier(modele=modele, by=None)
    return dispositif


def deposer(dispositif, *, email="jeanne@exemple.fr", verification="1985-07-14", **donnees):
    dossier = services.dossier_commencer(dispositif=dispositif, user=None)
    dossier.donnees = {"nom": "Durand", "prenom": "Jeanne", "motif": "Mariage", **donnees}
    return services_hors_compte.depot_sans_compte(
        dossier=dossier,
        email=email,
        verification=verification,
        lien=lambda jeton: f"http://testserver/suivi/{jeton}/",
        lien_code="http://testserver/suivi/",
    )


def hier():
    return timezone.now() - timezone.timedelta(days=1)
