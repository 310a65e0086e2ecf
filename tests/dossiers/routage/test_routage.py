"""Routing (C14): the first matching rule at deposit and again by hand; teams; labels;
follows."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from dossiers import services_routage as routage
from dossiers.models import Historique, RegleRoutage, SuiviAgent
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.routage.factories import EquipeFactory, EtiquetteFactory, RegleRoutageFactory

pytestmark = pytest.mark.django_db

CHAMPS = (
    ("nom", "Nom", "texte"),
    ("type_structure", "Type", "texte"),
    ("ville", "Ville", "commune"),
)


@pytest.fixture
def dispositif():
    return dispositif_publie(champs=CHAMPS)


def _deposer(dispositif, **donnees):
    return deposer(dispositif, donnees={"nom": "Martin", **donnees})


def test_first_matching_rule_routes_the_dossier_at_deposit(dispositif):
    enfance, associations = (
        EquipeFactory(nom="Pôle enfance"),
        EquipeFactory(nom="Pôle associations"),
    )
    RegleRoutageFactory(
        ordre=10, dispositif=dispositif, champ="type_structure", valeur="creche", equipe=enfance
    )
    RegleRoutageFactory(ordre=20, dispositif=dispositif, equipe=associations)  # catch-all
    RegleRoutageFactory(ordre=30, equipe=EquipeFactory())  # never reached

    creche = _deposer(dispositif, type_structure="creche")
    club = _deposer(dispositif, type_structure="club")

    creche.refresh_from_db()
    club.refresh_from_db()
    assert creche.equipe == enfance
    assert club.equipe == associations
    ligne = creche.historique.get(nature=Historique.Nature.ATTRIBUTION)
    assert "Pôle enfance" in ligne.libelle and not ligne.visible_usager


def test_no_rule_matches_leaves_the_dossier_alone(dispositif):
    autre = dispositif_publie()
    RegleRoutageFactory(dispositif=autre)  # another dispositif
    RegleRoutageFactory(champ="type_structure", operateur="parmi", valeur="creche, halte")
    dossier = _deposer(dispositif, type_structure="club")
    dossier.refresh_from_db()
    assert dossier.equipe is None and dossier.agent is None
    assert not dossier.historique.filter(nature=Historique.Nature.ATTRIBUTION).exists()
    assert routage.router(dossier=dossier) is None


def test_commune_and_agent_criteria(dispositif, instructeur):
    equipe = EquipeFactory()
    RegleRoutageFactory(communes="18033, 18197", equipe=equipe, agent=instructeur)
    dans = _deposer(dispositif, ville="18197")
    hors = _deposer(dispositif, ville="45234")
    dans.refresh_from_db()
    hors.refresh_from_db()
    assert (dans.equipe, dans.agent) == (equipe, instructeur)
    assert hors.equipe is None


def test_bad_rule_values_never_raise_nor_match(dispositif, agent):
    equipe = EquipeFactory()
    # A field the form does not have, a number compared with text, an inactive team, an
    # agent who may not instruct: all passed over; the next good rule applies.
    RegleRoutageFactory(ordre=1, champ="nexiste_pas", valeur="x")
    RegleRoutageFactory(ordre=2, champ="nom", operateur="=", valeur="12,5")
    RegleRoutageFactory(ordre=3, equipe=EquipeFactory(active=False))
    RegleRoutageFactory(ordre=4, equipe=None, agent=agent)
    RegleRoutageFactory(ordre=5, active=False, equipe=EquipeFactory())
    RegleRoutageFactory(ordre=6, equipe=equipe)
    dossier = _deposer(dispositif)
    dossier.refresh_from_db()
    assert dossier.equipe == equipe and dossier.agent is None


def test_a_rule_is_checked_on_save():
    regle = RegleRoutage(nom="Sans cible", champ="", valeur="x", communes="ABC")
    with pytest.raises(ValidationError) as erreur:
        regle.full_clean()
    assert set(erreur.value.message_dict) == {"equipe", "champ", "communes"}


def test_routing_again_from_the_page_follows_the_rules_of_today(dispositif, instructeur):
    dossier = _deposer(dispositif, type_structure="creche")
    assert routage.router(dossier=dossier, by=instructeur) is None
    equipe = EquipeFactory()
    regle = RegleRoutageFactory(champ="type_structure", valeur="creche", equipe=equipe)
    assert routage.router(dossier=dossier, by=instructeur) == regle
    dossier.refresh_from_db()
    assert dossier.equipe == equipe
    assert dossier.historique.filter(par=instructeur, nature="attribution").exists()


def test_team_by_hand(dispositif, instructeur):
    dossier = _deposer(dispositif)
    equipe = EquipeFactory(nom="Accueil")
    routage.dossier_attribuer_equipe(dossier=dossier, equipe=equipe, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.equipe == equipe
    assert dossier.historique.filter(libelle="Dossier confié à l’équipe Accueil").exists()
    with pytest.raises(routage.RoutageRefuse):
        routage.dossier_attribuer_equipe(
            dossier=dossier, equipe=EquipeFactory(active=False), by=instructeur
        )
    routage.dossier_attribuer_equipe(dossier=dossier, equipe=None, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.equipe is None


def test_rules_move_up_and_down():
    a, b, c = (RegleRoutageFactory(ordre=0) for _ in range(3))
    routage.regle_deplacer(regle=c, vers_le_haut=True)
    assert list(RegleRoutage.objects.order_by("ordre")) == [a, c, b]
    routage.regle_deplacer(regle=a, vers_le_haut=False)
    assert list(RegleRoutage.objects.order_by("ordre")) == [c, a, b]
    routage.regle_deplacer(regle=b, vers_le_haut=False)  # already last: stays
    assert list(RegleRoutage.objects.order_by("ordre")) == [c, a, b]
    assert routage.prochain_ordre() == 40


def test_labels_added_and_removed_with_history(dispositif, instructeur):
    dossier = _deposer(dispositif)
    etiquette = EtiquetteFactory(libelle="À rappeler")
    assert routage.dossier_etiqueter(dossier=dossier, etiquette=etiquette, by=instructeur)
    assert not routage.dossier_etiqueter(dossier=dossier, etiquette=etiquette, by=instructeur)
    assert list(dossier.etiquettes.all()) == [etiquette]
    assert routage.dossier_desetiqueter(dossier=dossier, etiquette=etiquette, by=instructeur)
    assert not routage.dossier_desetiqueter(dossier=dossier, etiquette=etiquette, by=instructeur)
    assert list(
        dossier.historique.filter(nature="etiquette").values_list("libelle", flat=True)
    ) == ["Étiquette retirée : À rappeler", "Étiquette ajoutée : À rappeler"]
    with pytest.raises(routage.RoutageRefuse):
        routage.dossier_etiqueter(
            dossier=dossier, etiquette=EtiquetteFactory(active=False), by=instructeur
        )


def test_follow_and_unfollow(dispositif, instructeur):
    dossier = _deposer(dispositif)
    premier = routage.dossier_suivre(dossier=dossier, agent=instructeur)
    assert routage.dossier_suivre(dossier=dossier, agent=instructeur) == premier
    assert SuiviAgent.objects.filter(agent=instructeur).count() == 1
    assert routage.dossier_ne_plus_suivre(dossier=dossier, agent=instructeur)
    assert not routage.dossier_ne_plus_suivre(dossier=dossier, agent=instructeur)


def test_a_rule_with_an_agent_who_lost_the_right_is_skipped(dispositif):
    ancien = UserFactory(agent=True)
    ancien.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    RegleRoutageFactory(equipe=None, agent=ancien)
    ancien.is_active = False
    ancien.save()
    dossier = _deposer(dispositif)
    dossier.refresh_from_db()
    assert dossier.agent is None
