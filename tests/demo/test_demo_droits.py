"""Demo rights (C7) and territories (C8): a realistic matrix, the commune's territories,
agents restricted to one, the demo dossiers sectorised."""

import pytest

from accounts.models import User
from dossiers.models import Dossier, DroitDispositif, ProfilMetier, Territoire
from dossiers.selectors import dossiers_visible_to

pytestmark = pytest.mark.django_db


def test_demo_rights_and_territories(demo):
    assert ProfilMetier.objects.count() == 5
    assert DroitDispositif.objects.filter(profil_metier__code="agent-accueil").count() == 5
    # Filed, not in the trash (C14: the demo puts one there).
    deposes = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).filter(supprime_le=None)
    belleville = Territoire.objects.get(code="belleville")
    print(  # noqa: T201
        "DEMO",
        list(
            deposes.values_list(
                "territoire__code",
                "dispositif__slug",
                "demandeur_individu__code_postal",
                "demandeur_profil__code_postal",
            )
        ),
    )
    # The demo usagers living in Belleville: their dossiers are sectorised there.
    assert deposes.filter(territoire=belleville).exists()
    assert not deposes.filter(
        territoire__isnull=True, demandeur_individu__code_insee="18026"
    ).exists()
    # The demo's instructing agents still see every filed dossier.
    for email in ("agent@demo.guichet.fr", "instructeur@demo.guichet.fr"):
        agent = User.objects.get(email=email)
        assert dossiers_visible_to(agent).count() == deposes.count()
    # Inès (accueil) sees Belleville's dossiers of the dispositifs her profil lists; Hugo
    # is restricted to the neighbouring communes.
    ines = User.objects.get(email="accueil.mairie@demo.guichet.fr")
    visibles = dossiers_visible_to(ines)
    assert visibles.exists()
    assert set(visibles.values_list("territoire__code", flat=True)) <= {
        "belleville",
        "quartier-bourg",
        "quartier-loire",
    }
    assert not visibles.filter(dispositif__slug="aide-sociale-facultative").exists()
    hugo = User.objects.get(email="solidarites.voisines@demo.guichet.fr")
    assert set(dossiers_visible_to(hugo).values_list("territoire__code", flat=True)) <= {
        "communes-voisines"
    }
