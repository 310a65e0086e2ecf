"""The demo's dossiers on the CRM map (C9) and in its search (C10)."""

import pytest
from django.conf import settings

from accounts.models import User
from demo.carte import DEMANDES
from dossiers import selectors_carte as carte
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_recherche import recherche_rapide

pytestmark = pytest.mark.django_db


def test_demo_dossiers_are_placed_in_the_commune_and_found(demo):
    situes = Dossier.objects.filter(latitude__isnull=False)
    assert situes.count() == len(DEMANDES) + 1  # and the benne of « Mes demandes »
    assert situes.filter(statut=Dossier.Statut.CLOS).exists()
    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    centre = settings.GUICHET_CARTE_CENTRE
    emprise = carte.emprise_autour(centre[0], centre[1], settings.GUICHET_CARTE_ZOOM)
    donnees = carte.donnees_carte(dossiers_visible_to(instructeur), emprise, 14)
    # The map shows what the agent may open: not the demo's dossier in the trash (C14).
    assert donnees.total == situes.filter(supprime_le__isnull=True).count()
    demandeur = situes.filter(demandeur_profil__isnull=True).first().demandeur_individu
    resultats = recherche_rapide(instructeur, demandeur.nom)
    assert demandeur in resultats.individus and resultats.dossiers
