"""The routing screens and the dossier page's panel (C14): teams, rules, labels; labels
added and removed (htmx or not), follows, the team, routing again; the trash."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dossiers.models import Dossier, Equipe, Etiquette, RegleRoutage, SuiviAgent
from dossiers.services_corbeille import dossier_mettre_a_la_corbeille
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer
from tests.dossiers.routage.factories import EquipeFactory, EtiquetteFactory, RegleRoutageFactory
from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _avec(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # permissions cache dropped


@pytest.fixture
def gestionnaire(db):
    return _avec(UserFactory(agent=True), "gerer_equipes", "instruire_dossiers")


@pytest.fixture
def supprimeur(instructeur):
    return _avec(instructeur, "supprimer_dossiers")


def _contenu(reponse) -> str:
    return reponse.content.decode()


# --- configuration screens -------------------------------------------------------------


def test_team_created_with_its_members(client, gestionnaire, instructeur, agent):
    client.force_login(gestionnaire)
    url = reverse("crm:routage_equipe_creer")
    page = _contenu(client.get(url))
    assert instructeur.email in page or str(instructeur) in page
    assert f'value="{agent.pk}"' not in page  # an agent who may not instruct: not offered
    reponse = client.post(
        url, {"nom": "Pôle enfance", "code": "enfance", "active": "on", "agents": [instructeur.pk]}
    )
    assert reponse.status_code == 302
    equipe = Equipe.objects.get(code="enfance")
    assert list(equipe.agents.all()) == [instructeur]
    assert "Pôle enfance" in _contenu(client.get(reverse("crm:routage_equipes")))


def test_rule_form_refuses_bad_input_and_keeps_it(client, gestionnaire, dispositif):
    client.force_login(gestionnaire)
    equipe = EquipeFactory()
    url = reverse("crm:routage_regle_creer")
    data = {
        "nom": "Crèches",
        "active": "on",
        "dispositif": dispositif.pk,
        "champ": "type_inconnu",
        "operateur": "=",
        "valeur": "creche",
        "communes": "18033, pas-un-code",
        "equipe": equipe.pk,
    }
    reponse = client.post(url, data)
    assert reponse.status_code == 400
    page = _contenu(reponse)
    assert "n’a pas de champ « type_inconnu »" in page
    assert "« PAS-UN-CODE » n’est pas un code INSEE" in page
    assert 'value="18033, pas-un-code"' in page  # typed input kept
    assert not RegleRoutage.objects.exists()
    reponse = client.post(url, data | {"champ": "nom", "communes": "18033"})
    assert reponse.status_code == 302
    regle = RegleRoutage.objects.get()
    assert (regle.ordre, regle.codes_communes()) == (10, ["18033"])


def test_rule_without_target_is_refused(client, gestionnaire):
    client.force_login(gestionnaire)
    reponse = client.post(
        reverse("crm:routage_regle_creer"), {"nom": "Sans cible", "operateur": "="}
    )
    assert reponse.status_code == 400
    assert "Choisissez une équipe, un agent, ou les deux." in _contenu(reponse)


def test_rules_listed_in_order_and_moved(client, gestionnaire):
    client.force_login(gestionnaire)
    premiere = RegleRoutageFactory(nom="Première", ordre=10)
    seconde = RegleRoutageFactory(nom="Seconde", ordre=20)
    page = _contenu(client.get(reverse("crm:routage_regles")))
    assert page.index("Première") < page.index("Seconde")
    client.post(reverse("crm:routage_regle_deplacer", args=[seconde.pk]), {"sens": "haut"})
    page = _contenu(client.get(reverse("crm:routage_regles")))
    assert page.index("Seconde") < page.index("Première")
    assert client.post(reverse("crm:routage_regle_deplacer", args=[999999])).status_code == 404
    del premiere


def test_label_created_and_edited(client, gestionnaire):
    client.force_login(gestionnaire)
    reponse = client.post(
        reverse("crm:routage_etiquette_creer"),
        {"libelle": "Pièce manquante", "couleur": "orange-terre-battue", "active": "on"},
    )
    assert reponse.status_code == 302
    etiquette = Etiquette.objects.get()
    reponse = client.post(
        reverse("crm:routage_etiquette", args=[etiquette.pk]),
        {"libelle": "Pièce manquante", "couleur": "pas-une-couleur"},
    )
    assert reponse.status_code == 400
    page = _contenu(client.get(reverse("crm:routage_etiquettes")))
    assert "fr-tag--orange-terre-battue" in page


def test_config_screens_budget(client, gestionnaire, dispositif):
    client.force_login(gestionnaire)

    def grow():
        for _ in range(5):
            equipe = EquipeFactory()
            equipe.agents.add(gestionnaire)
            RegleRoutageFactory(equipe=equipe, dispositif=dispositif, agent=gestionnaire)
            EtiquetteFactory()

    grow()
    assert_page_budget(client, reverse("crm:routage_equipes"), budget=6, grow=grow)
    assert_page_budget(client, reverse("crm:routage_regles"), budget=6, grow=grow)
    assert_page_budget(client, reverse("crm:routage_etiquettes"), budget=6, grow=grow)


# --- the dossier page's panel ------------------------------------------------------------


def test_labels_added_and_removed_with_and_without_htmx(client, instructeur, dossier):
    client.force_login(instructeur)
    rappel = EtiquetteFactory(libelle="À rappeler", couleur="pink-tuile")
    sensible = EtiquetteFactory(libelle="Dossier sensible")
    url = reverse("crm:dossier_etiquettes", args=[dossier.pk])

    reponse = client.post(url, {"action": "ajouter", "etiquette": rappel.pk})
    assert reponse.status_code == 302
    reponse = client.post(url, {"action": "ajouter", "etiquette": sensible.pk}, **HTMX)
    assert reponse.status_code == 200
    partiel = _contenu(reponse)
    assert 'id="dossier-etiquettes"' in partiel and "<html" not in partiel
    assert "Étiquette « Dossier sensible » ajoutée." in partiel
    assert set(dossier.etiquettes.all()) == {rappel, sensible}

    synthese = _contenu(client.get(reverse("crm:dossier", args=[dossier.pk])))
    assert "fr-tag--pink-tuile" in synthese
    liste = _contenu(client.get(reverse("crm:dossiers")))
    assert "À rappeler" in liste and "Dossier sensible" in liste

    client.post(url, {"action": "retirer", "etiquette": rappel.pk}, **HTMX)
    assert list(dossier.etiquettes.all()) == [sensible]


def test_forged_or_inactive_labels(client, instructeur, dossier):
    client.force_login(instructeur)
    url = reverse("crm:dossier_etiquettes", args=[dossier.pk])
    assert client.post(url, {"action": "ajouter", "etiquette": 999999}).status_code == 404
    assert client.post(url, {"action": "ajouter", "etiquette": "abc"}).status_code == 404
    assert client.post(url, {"action": "pirater", "etiquette": 1}).status_code == 404
    inactive = EtiquetteFactory(active=False)
    reponse = client.post(url, {"action": "ajouter", "etiquette": inactive.pk}, **HTMX)
    assert "n’est plus proposée" in _contenu(reponse)
    assert not dossier.etiquettes.exists()
    # A dossier the agent cannot reach: 404, nothing written
    autre = deposer(dossier.dispositif)
    Dossier.objects.filter(pk=autre.pk).update(statut=Dossier.Statut.BROUILLON)
    reponse = client.post(
        reverse("crm:dossier_etiquettes", args=[autre.pk]),
        {"action": "ajouter", "etiquette": EtiquetteFactory().pk},
    )
    assert reponse.status_code == 404 and not autre.etiquettes.exists()


def test_follow_and_unfollow(client, instructeur, dossier):
    client.force_login(instructeur)
    url = reverse("crm:dossier_suivre", args=[dossier.pk])
    reponse = client.post(url, {"action": "suivre"}, **HTMX)
    assert "Ne plus suivre" in _contenu(reponse)
    assert SuiviAgent.objects.filter(agent=instructeur, dossier=dossier).exists()
    assert client.post(url, {"action": "ne_plus_suivre"}).status_code == 302
    assert not SuiviAgent.objects.exists()


def test_team_by_hand_and_routing_again(client, instructeur, dossier):
    client.force_login(instructeur)
    equipe = EquipeFactory(nom="Accueil")
    url = reverse("crm:dossier_equipe", args=[dossier.pk])
    assert client.post(url, {"equipe": equipe.pk}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.equipe == equipe
    reponse = client.post(url, {"equipe": 999999})
    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in _contenu(reponse)

    router = reverse("crm:dossier_router", args=[dossier.pk])
    reponse = client.post(router, follow=True)
    assert "Aucune règle de routage ne s’applique" in _contenu(reponse)
    autre = EquipeFactory(nom="Pôle associations")
    RegleRoutageFactory(nom="Associations", equipe=autre)
    reponse = client.post(router, follow=True)
    assert "Règle « Associations » appliquée." in _contenu(reponse)
    dossier.refresh_from_db()
    assert dossier.equipe == autre


def test_synthese_budget_with_labels(client, instructeur, dossier):
    client.force_login(instructeur)
    client.get(reverse("crm:dossiers"))

    def grow():
        for _ in range(5):
            etiquette = EtiquetteFactory()
            dossier.etiquettes.add(etiquette)
            EtiquetteFactory()
            EquipeFactory()

    grow()
    assert_page_budget(client, reverse("crm:dossier", args=[dossier.pk]), budget=15, grow=grow)


def test_list_budget_with_labels(client, instructeur, dispositif):
    client.force_login(instructeur)
    client.get(reverse("crm:dossiers"))

    def grow():
        for _ in range(5):
            d = deposer(dispositif, individu=IndividuFactory())
            d.etiquettes.add(EtiquetteFactory(), EtiquetteFactory())

    grow()
    # + 1: the équipe and étiquette filters' options (issue 9 — tableau, one query).
    # + 1 since the page's ids are read apart from its rows (liste.paginer).
    assert_page_budget(client, reverse("crm:dossiers"), budget=14, grow=grow)


# --- the trash ---------------------------------------------------------------------------


def test_trash_restore_and_delete_for_good(client, supprimeur, dossier, citizen):
    client.force_login(supprimeur)
    page_dossier = reverse("crm:dossier", args=[dossier.pk])
    assert "Mettre à la corbeille" in _contenu(client.get(page_dossier))
    reponse = client.post(
        reverse("crm:dossier_mettre_a_la_corbeille", args=[dossier.pk]), follow=True
    )
    assert f"Le dossier {dossier.reference} est dans la corbeille" in _contenu(reponse)
    assert dossier.reference in _contenu(reponse)  # the trash page lists it
    assert client.get(page_dossier).status_code == 404
    assert dossier.reference not in _contenu(client.get(reverse("crm:dossiers")))

    reponse = client.post(reverse("crm:dossier_restaurer", args=[dossier.pk]), follow=True)
    assert f"Le dossier {dossier.reference} est restauré." in _contenu(reponse)
    assert client.get(page_dossier).status_code == 200
    # Not in the trash: no restore, no final deletion
    assert client.post(reverse("crm:dossier_restaurer", args=[dossier.pk])).status_code == 404
    supprimer = reverse("crm:dossier_supprimer", args=[dossier.pk])
    assert client.get(supprimer).status_code == 404

    dossier_mettre_a_la_corbeille(dossier=dossier, by=supprimeur)
    assert "Cette suppression est définitive." in _contenu(client.get(supprimer))
    reponse = client.post(supprimer, follow=True)
    assert f"Le dossier {dossier.reference} est supprimé." in _contenu(reponse)
    assert not Dossier.objects.filter(pk=dossier.pk).exists()


def test_trash_needs_its_right(client, instructeur, dossier):
    client.force_login(instructeur)
    assert "Mettre à la corbeille" not in _contenu(
        client.get(reverse("crm:dossier", args=[dossier.pk]))
    )
    url = reverse("crm:dossier_mettre_a_la_corbeille", args=[dossier.pk])
    assert client.post(url).status_code == 403
    dossier.refresh_from_db()
    assert dossier.supprime_le is None


def test_trash_page_budget(client, supprimeur, dispositif):
    client.force_login(supprimeur)

    def grow():
        for _ in range(5):
            d = deposer(dispositif, individu=IndividuFactory())
            dossier_mettre_a_la_corbeille(dossier=d, by=supprimeur)

    grow()
    assert_page_budget(client, reverse("crm:corbeille"), budget=6, grow=grow)
