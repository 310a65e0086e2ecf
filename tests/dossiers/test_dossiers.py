"""Dossiers filed through the portal wizard: prefill, step validation, conditions, drafts
and submissions with their references (P5)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from demo.formulaires import SUBVENTION
from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.models import Dossier
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"


@pytest.fixture
def sub():
    dispositif = DispositifFactory(code="SUB", titre="Subvention aux associations")
    modele = services.modele_importer(SUBVENTION, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


@pytest.fixture
def association(citizen):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(
        nom="Les Amis du Parc",
        rna="W751234567",
        email="contact@amis-du-parc.fr",
        iban=IBAN,
        bic="AGRIFRPP",
    )
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    return profil


def _post(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = value
    return data


ETAPE_1 = {
    "nom_association": "Les Amis du Parc",
    "rna": "W751234567",
    "domaine": "sport",
    "nb_adherents": "42",
    "email_contact": "contact@amis-du-parc.fr",
}
ETAPE_2 = {"nature_demande": "fonctionnement", "budget_total": "5000", "montant_demande": "1500"}
ETAPE_3 = {"iban": IBAN, "bic": "AGRIFRPP", "engagement": "on"}


def _onglets(dossier):
    return services.modele_onglets(dossier.modele)


def _remplir(dossier, *etapes):
    onglets = _onglets(dossier)
    for onglet, valeurs in zip(onglets, etapes, strict=False):
        cleaned, errors = services.etape_valider(
            dossier=dossier, onglet=onglet, data=_post(**valeurs)
        )
        assert errors == {}
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    return dossier


def test_commencer_prefills_from_the_profil_and_saves_nothing(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)

    assert dossier.pk is None
    assert dossier.modele.statut == "publie"
    assert dossier.demandeur_individu == citizen.individu
    assert dossier.donnees == {
        "nom_association": "Les Amis du Parc",
        "rna": "W751234567",
        "email_contact": "contact@amis-du-parc.fr",
        "iban": IBAN,
        "bic": "AGRIFRPP",
    }
    assert Dossier.objects.count() == 0


def test_commencer_without_a_published_model_refuses(citizen):
    dispositif = DispositifFactory()
    services.modele_brouillon(dispositif=dispositif)
    with pytest.raises(services.ModeleDossier.DoesNotExist):
        services.dossier_commencer(dispositif=dispositif, user=citizen, profil=None)


def test_bad_input_gives_french_errors_next_to_each_field(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    onglet = _onglets(dossier)[0]

    cleaned, errors = services.etape_valider(
        dossier=dossier,
        onglet=onglet,
        data=_post(nom_association="", rna="12", nb_adherents="beaucoup", email_contact="x@"),
    )

    assert set(errors) == {"nom_association", "rna", "domaine", "nb_adherents", "email_contact"}
    assert errors["nom_association"].messages == ["Ce champ est obligatoire."]
    assert all(
        message.isascii() is False or " " in message
        for error in errors.values()
        for message in error.messages
    )
    assert "telephone_contact" in cleaned  # optional and empty: valid
    assert "rna" not in cleaned


def test_a_condition_hides_a_field_and_drops_its_value(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    onglet = _onglets(dossier)[1]
    projet = {**ETAPE_2, "nature_demande": "projet", "titre_projet": "Tournoi d’été"}

    cleaned, errors = services.etape_valider(dossier=dossier, onglet=onglet, data=_post(**projet))
    assert errors == {}
    assert cleaned["titre_projet"] == "Tournoi d’été"
    services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    assert dossier.donnees["titre_projet"] == "Tournoi d’été"

    fonctionnement = {**projet, "nature_demande": "fonctionnement", "date_debut_projet": "n/a"}
    cleaned, errors = services.etape_valider(
        dossier=dossier, onglet=onglet, data=_post(**fonctionnement)
    )
    assert errors == {}  # the hidden date is not validated
    assert "titre_projet" not in cleaned
    services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    assert "titre_projet" not in dossier.donnees
    assert dossier.donnees["montant_demande"] == "1500.00"


def test_a_draft_is_saved_only_when_asked(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1)
    assert Dossier.objects.count() == 0

    services.dossier_enregistrer_brouillon(dossier=dossier, user=citizen)

    stored = Dossier.objects.get()
    assert stored.statut == Dossier.Statut.BROUILLON
    assert stored.reference == ""
    assert stored.cree_par == citizen
    assert stored.donnees["nb_adherents"] == 42


def test_deposit_issues_sequential_references(sub, citizen, association):
    references = []
    for _ in range(2):
        dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
        _remplir(dossier, ETAPE_1, ETAPE_2, ETAPE_3)
        dossier = services.dossier_deposer(dossier=dossier, user=citizen)
        references.append(dossier.reference)
        assert dossier.statut == Dossier.Statut.DEPOSE
        assert dossier.depose_le is not None

    year = references[0][:4]
    assert references == [f"{year}-SUB-000001", f"{year}-SUB-000002"]
    assert Dossier.objects.filter(statut="depose").count() == 2


def test_deposit_of_a_saved_draft_files_it(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1)
    services.dossier_enregistrer_brouillon(dossier=dossier, user=citizen)
    _remplir(dossier, ETAPE_1, ETAPE_2, ETAPE_3)

    services.dossier_deposer(dossier=dossier, user=citizen)

    assert Dossier.objects.get().reference.endswith("-SUB-000001")
    with pytest.raises(services.ValidationError):
        services.dossier_deposer(dossier=dossier, user=citizen)


def test_deposit_refuses_a_missing_answer_and_says_which_step(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1)

    with pytest.raises(services.DepotRefuse) as refus:
        services.dossier_deposer(dossier=dossier, user=citizen)

    assert refus.value.etape == 1
    assert "nature_demande" in refus.value.erreurs
    assert Dossier.objects.count() == 0


def test_a_calcul_is_computed_by_the_server_never_posted(sub, citizen, association):
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1, {**ETAPE_2, "part_demandee": "99"}, ETAPE_3)
    assert dossier.donnees["part_demandee"] == "30.0"  # 1500 / 5000

    dossier.donnees["part_demandee"] = "99"  # a stale value is computed again on submission
    dossier = services.dossier_deposer(dossier=dossier, user=citizen)

    assert Dossier.objects.get(pk=dossier.pk).donnees["part_demandee"] == "30.0"


def test_the_demo_share_is_zero_without_a_budget_never_a_division_by_zero(
    sub, citizen, association
):
    """The demo's formula guards its division with si(budget_total > 0, …, 0)."""
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1, {**ETAPE_2, "budget_total": "0"}, ETAPE_3)
    assert dossier.donnees["part_demandee"] == "0.0"
    # The empty form of the wizard and of the CRM preview: no message under the field.
    calcul = types_de_champ.get("calcul")
    part = dossier.modele.champs.get(nom="part_demandee")
    assert (calcul.calculer(part, {}), calcul.message(part, {})) == ("0.0", "")


def test_a_calcul_dividing_by_zero_stores_nothing_and_does_not_block(sub, citizen, association):
    # A test-only formula without the demo's guard.
    sub.modeles.get().champs.filter(nom="part_demandee").update(
        options={"formule": "montant_demande / budget_total * 100", "decimales": 1}
    )
    dossier = services.dossier_commencer(dispositif=sub, user=citizen, profil=association)
    _remplir(dossier, ETAPE_1, {**ETAPE_2, "budget_total": "0"}, ETAPE_3)
    assert dossier.donnees["part_demandee"] is None

    dossier = services.dossier_deposer(dossier=dossier, user=citizen)

    assert dossier.statut == Dossier.Statut.DEPOSE
    assert dossier.donnees["part_demandee"] is None


def test_modele_verifier_reports_a_calcul_on_a_missing_field(sub):
    modele = services.modele_importer(SUBVENTION, dispositif=sub)
    modele.champs.filter(nom="part_demandee").update(
        options={"formule": "montant_demande / budget_inconnu", "decimales": 1}
    )
    assert services.modele_verifier(modele) == [
        "Le champ « part_demandee » : Le calcul utilise le champ « budget_inconnu », "
        "qui n’existe pas dans le modèle."
    ]


def test_modele_verifier_reports_options_the_type_refuses(sub):
    """A calcul without formula or a number with min above max would be left out of the
    wizard: such a model is not published."""
    modele = services.modele_importer(SUBVENTION, dispositif=sub)
    modele.champs.filter(nom="part_demandee").update(options={"decimales": 1})
    modele.champs.filter(nom="nb_adherents").update(options={"min": 10, "max": 1})
    problemes = services.modele_verifier(modele)
    assert any("« part_demandee », option « Formule »" in p for p in problemes), problemes
    assert any(p.startswith("Le champ « nb_adherents », option") for p in problemes), problemes
    with pytest.raises(ValidationError):
        services.modele_publier(modele=modele, by=None)
