"""The guide builder's services: a draft changes, a published version never does."""

import pytest
from django.core.exceptions import ValidationError

from instruction import services, services_guide
from instruction.models import ActionStatut, Etape, Statut
from tests.crm.dossiers.conftest import dispositif_publie
from tests.dossiers.factories import DispositifFactory
from tests.instruction.factories import guide_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def publiee():
    return guide_publie(dispositif_publie())["depose"].version


@pytest.fixture
def brouillon(publiee):
    return services.version_copier(version=publiee)


def test_create_a_guide_with_its_first_draft():
    dispositif = DispositifFactory()
    version = services_guide.guide_creer(dispositif=dispositif)
    assert (version.numero, version.etat, version.guide.dispositif) == (1, "brouillon", dispositif)
    with pytest.raises(ValidationError, match="a déjà un guide"):
        services_guide.guide_creer(dispositif=dispositif)


def test_build_a_draft_from_scratch():
    version = services_guide.guide_creer(dispositif=DispositifFactory())
    depot = services_guide.etape_ajouter(version=version, libelle="Dépôt")
    decision = services_guide.etape_ajouter(version=version, libelle="Décision")
    assert [depot.ordre, decision.ordre] == [0, 1]
    recu = services_guide.statut_ajouter(etape=depot, libelle="Reçu")
    accorde = services_guide.statut_ajouter(etape=decision, libelle="Accordé !")
    # The first statut of a version is its initial one; codes come from the labels.
    assert (recu.code, recu.initial, accorde.code, accorde.initial) == (
        "recu",
        True,
        "accorde",
        False,
    )
    services_guide.statut_modifier(
        statut=accorde,
        libelle_usager="Votre demande est accordée",
        cloture=True,
        motif_obligatoire=True,
        libelle_bouton="Accorder",
        suivants=[],
    )
    services_guide.statut_modifier(statut=recu, suivants=[accorde.pk])
    assert list(recu.suivants.all()) == [accorde]
    action = services_guide.action_ajouter(statut=accorde, type="suivi", config={"texte": "Bravo"})
    assert action.config == {"texte": "Bravo"}
    services.version_publier(version=version)
    accorde.refresh_from_db()
    assert accorde.cloture and accorde.bouton == "Accorder"


def test_statut_codes_stay_unique_and_the_initial_mark_moves(brouillon):
    depose = brouillon.statuts.get(code="depose")
    instruction = brouillon.statuts.get(code="instruction")
    assert services_guide.statut_ajouter(etape=depose.etape, libelle="Déposé").code == "depose-2"
    with pytest.raises(ValidationError) as erreur:
        services_guide.statut_modifier(statut=instruction, code="depose")
    assert "déjà celui du statut « Déposé »" in str(erreur.value)
    services_guide.statut_modifier(statut=instruction, code="instruction", initial=True)
    assert list(brouillon.statuts.filter(initial=True)) == [instruction]


def test_suivants_and_etape_must_be_of_the_same_version(brouillon, publiee):
    statut = brouillon.statuts.get(code="depose")
    autre = publiee.statuts.get(code="accorde")
    with pytest.raises(ValidationError, match="statuts de cette version"):
        services_guide.statut_modifier(statut=statut, suivants=[autre.pk])
    with pytest.raises(ValidationError, match="étape de cette version"):
        services_guide.statut_modifier(statut=statut, etape=autre.etape)
    with pytest.raises(ValidationError, match="autres que lui-même"):
        services_guide.statut_modifier(statut=statut, suivants=[statut.pk])


def test_move_a_statut_to_another_etape_and_reorder(brouillon):
    depose, incomplet = brouillon.statuts.filter(etape__ordre=1).order_by("ordre")
    services_guide.statut_deplacer(statut=incomplet, sens=-1)
    assert list(Statut.objects.filter(etape=depose.etape).order_by("ordre")) == [
        incomplet,
        depose,
    ]
    decision = brouillon.etapes.get(libelle="Décision")
    services_guide.statut_modifier(statut=incomplet, etape=decision)
    incomplet.refresh_from_db()
    assert incomplet.etape == decision
    assert list(Statut.objects.filter(etape=decision).order_by("ordre", "pk"))[-1] == incomplet
    etapes = list(brouillon.etapes.order_by("ordre"))
    services_guide.etape_deplacer(etape=etapes[2], sens=-1)
    assert [e.libelle for e in brouillon.etapes.order_by("ordre")] == [
        "Dépôt",
        "Décision",
        "Instruction",
    ]
    services_guide.etape_deplacer(etape=etapes[0], sens=-1)  # already first: unchanged
    assert brouillon.etapes.order_by("ordre").first().libelle == "Dépôt"


def test_actions_are_checked_by_their_type_form_and_ordered(brouillon):
    statut = brouillon.statuts.get(code="instruction")
    with pytest.raises(ValidationError, match="Type d’action inconnu"):
        services_guide.action_ajouter(statut=statut, type="teleporter", config={})
    with pytest.raises(ValidationError) as erreur:
        services_guide.action_ajouter(statut=statut, type="champs", config={"valeurs": [1]})
    assert "objet JSON non vide" in str(erreur.value)
    premiere = services_guide.action_ajouter(statut=statut, type="suivi", config={"texte": "1"})
    seconde = services_guide.action_ajouter(
        statut=statut, type="champs", config={"valeurs": {"montant": 0}}
    )
    services_guide.action_deplacer(action=seconde, sens=-1)
    assert list(statut.actions.all()) == [seconde, premiere]
    services_guide.action_modifier(action=premiere, config={"texte": "Reçu"})
    premiere.refresh_from_db()
    assert premiere.config == {"texte": "Reçu"}
    services_guide.action_supprimer(action=seconde)
    assert list(statut.actions.all()) == [premiere]


def test_delete_an_etape_with_its_statuts(brouillon):
    etape = brouillon.etapes.get(libelle="Décision")
    services_guide.etape_supprimer(etape=etape)
    assert set(brouillon.statuts.values_list("code", flat=True)) == {
        "depose",
        "incomplet",
        "instruction",
    }
    services_guide.statut_supprimer(statut=brouillon.statuts.get(code="incomplet"))
    assert brouillon.statuts.count() == 2


def test_a_published_version_is_read_only(publiee):
    etape = publiee.etapes.first()
    statut = publiee.statuts.get(code="depose")
    action = ActionStatut.objects.create(statut=statut, type="suivi", config={"texte": "x"})
    refus = [
        lambda: services_guide.etape_ajouter(version=publiee, libelle="Nouvelle"),
        lambda: services_guide.etape_modifier(etape=etape, libelle="Autre"),
        lambda: services_guide.etape_deplacer(etape=etape, sens=1),
        lambda: services_guide.etape_supprimer(etape=etape),
        lambda: services_guide.statut_ajouter(etape=etape, libelle="Nouveau"),
        lambda: services_guide.statut_modifier(statut=statut, libelle="Autre"),
        lambda: services_guide.statut_deplacer(statut=statut, sens=1),
        lambda: services_guide.statut_supprimer(statut=statut),
        lambda: services_guide.action_ajouter(statut=statut, type="suivi", config={"texte": "y"}),
        lambda: services_guide.action_modifier(action=action, config={"texte": "y"}),
        lambda: services_guide.action_deplacer(action=action, sens=1),
        lambda: services_guide.action_supprimer(action=action),
    ]
    for appel in refus:
        with pytest.raises(ValidationError, match="publiée : elle ne se modifie plus"):
            appel()
    assert Etape.objects.filter(version=publiee).count() == 3
    assert Statut.objects.get(pk=statut.pk).libelle == "Déposé"
    assert ActionStatut.objects.get(pk=action.pk).config == {"texte": "x"}
