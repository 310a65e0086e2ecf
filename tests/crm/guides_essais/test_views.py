"""CRM guide tests (I9): writing a case, bad input kept with its message, running one
or all, the version's dry run, « Simuler » on a real dossier; the list's query budget."""

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from instruction.models import CasTest, PassageCasTest, SuiviInstruction
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import ActionStatutFactory, guide_publie
from tests.queries import assert_page_budget


@pytest.fixture
def statuts(db):
    statuts = guide_publie(dispositif_publie())
    ActionStatutFactory(
        statut=statuts["instruction"], type="suivi", config={"texte": "Dossier complet"}
    )
    return statuts


@pytest.fixture
def version(statuts):
    return statuts["depose"].version


def _post(donnees="", passages=(), **cas):
    data = {
        "nom": "Parcours simple",
        "demandeur": "individu",
        "donnees": donnees,
        "passages-TOTAL_FORMS": str(len(passages)),
        "passages-INITIAL_FORMS": "0",
        "passages-MIN_NUM_FORMS": "0",
        "passages-MAX_NUM_FORMS": "1000",
        **cas,
    }
    for i, passage in enumerate(passages):
        for cle, valeur in passage.items():
            data[f"passages-{i}-{cle}"] = valeur
    return data


def test_a_concepteur_writes_a_case_with_its_passages(client, concepteur, version):
    client.force_login(concepteur)
    url = reverse("crm:guide_essai_creer", args=[version.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _post(
            '{"nom": "Martin", "montant": "12,5"}',
            [
                {
                    "statut": "instruction",
                    "actions": ["suivi"],
                    "suivi": "Dossier complet\n",
                    "messages": "Statut changé | usager.essai@exemple.fr",
                },
                {"statut": "refuse", "refus_attendu": "on"},
                {},  # a blank extra row
            ],
        ),
    )
    cas = CasTest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:guide_essai", args=[cas.pk])
    assert cas.donnees == {"nom": "Martin", "montant": "12.50"}
    instruction, refuse = cas.passages.all()
    assert (instruction.ordre, instruction.statut, instruction.actions) == (
        0,
        "instruction",
        ["suivi"],
    )
    assert instruction.suivi == ["Dossier complet"]
    assert instruction.messages == [
        {"modele": "Statut changé", "destinataire": "usager.essai@exemple.fr"}
    ]
    assert (refuse.ordre, refuse.refus_attendu) == (1, True)
    # The page shows the expectations as they were typed.
    page = client.get(response["Location"]).content.decode()
    assert "Statut changé | usager.essai@exemple.fr" in page


def test_bad_input_is_kept_with_its_message(client, concepteur, version):
    client.force_login(concepteur)
    url = reverse("crm:guide_essai_creer", args=[version.pk])
    response = client.post(
        url,
        _post(
            '{"inconnu": 1}',
            [
                {
                    "statut": "instruction",
                    "champs": "{pas du json",
                    "messages": "x | pas-une-adresse",
                }
            ],
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "« inconnu » n’est pas un champ du formulaire." in page
    assert "{pas du json" in page and "pas-une-adresse" in page
    assert "Saisissez une adresse" in page or "adresse électronique valide" in page
    assert not CasTest.objects.exists()
    response = client.post(url, _post("", [{"statut": "nimporte"}]))
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(url, _post("", []))
    assert "Indiquez au moins un statut par lequel passer." in response.content.decode()


def test_running_a_case_shows_its_report(client, concepteur, version):
    cas = CasTest.objects.create(version=version, nom="Parcours")
    PassageCasTest.objects.create(cas=cas, statut="instruction", suivi=["Dossier complet"])
    client.force_login(concepteur)
    response = client.post(reverse("crm:guide_essai_lancer", args=[cas.pk]), follow=True)
    page = response.content.decode()
    assert "Le cas « Parcours » réussit." in page
    assert "Ajoute la ligne de suivi « Dossier complet », visible de l’usager" in page
    PassageCasTest.objects.filter(cas=cas).update(suivi=["Autre chose"])
    response = client.post(reverse("crm:guide_essais_lancer", args=[version.pk]), follow=True)
    page = response.content.decode()
    assert "1 cas sur 1 échouent : Parcours." in page
    assert "En échec" in page
    cas.refresh_from_db()
    assert cas.reussi is False
    assert not Dossier.objects.exists()


def test_the_version_dry_run(client, concepteur, version):
    client.force_login(concepteur)
    page = client.get(reverse("crm:guide_simulation", args=[version.pk])).content.decode()
    assert "Ajoute la ligne de suivi « Dossier complet », visible de l’usager" in page
    assert "Clôture le dossier" in page


def test_deleting_a_case(client, concepteur, version):
    cas = CasTest.objects.create(version=version, nom="Parcours")
    client.force_login(concepteur)
    response = client.post(reverse("crm:guide_essai_supprimer", args=[cas.pk]))
    assert response["Location"] == reverse("crm:guide_essais", args=[version.pk])
    assert not CasTest.objects.exists()


def test_simulating_a_dossier_changes_nothing(client, instructeur, statuts, citizen):
    dossier = deposer(statuts["depose"].version.guide.dispositif, citizen)
    client.force_login(instructeur)
    instruction = client.get(reverse("crm:dossier_instruction", args=[dossier.pk]))
    assert "Simuler" in instruction.content.decode()
    url = reverse("crm:dossier_simuler", args=[dossier.pk])
    response = client.get(url, {"statut": statuts["instruction"].pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Voici ce que ferait ce changement" in page
    assert "Votre demande est en cours d’examen" in page
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]
    response = client.get(url, {"statut": statuts["accorde"].pk})
    assert "Ce changement serait refusé." in response.content.decode()
    assert client.get(url, {"statut": "abc"}).status_code == 400


def test_query_budget_of_the_case_list(client, concepteur, version):
    client.force_login(concepteur)
    url = reverse("crm:guide_essais", args=[version.pk])

    def grow():
        for n in range(3):
            cas = CasTest.objects.create(version=version, nom=f"Cas {n}")
            PassageCasTest.objects.create(cas=cas, statut="instruction")

    # The session and user, the user's permissions (2), the version with its guide and
    # dispositif, the cases with their passage counts.
    response = assert_page_budget(client, url, budget=6, grow=grow)
    page = response.content.decode()
    assert "Version publiée." in page and "Cas 2" in page
