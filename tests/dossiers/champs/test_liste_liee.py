"""liste_liee: a drop-down list whose choices depend on another field's answer. The type
checks the key exists; `valider_ensemble` (called by dossiers.services.etape_valider)
checks it belongs to the parent's current answer."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers import services
from dossiers.champs import get
from dossiers.formules.conditions import nature_du_type, valider_condition
from dossiers.models import Dossier
from tests.dossiers.champs.modele_champs import SALLES, dispositif_publie
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties
from usagers.services import compte_initialiser

OPTIONS = {"depend_de": "type_salle", "choix_par_parent": SALLES}


def test_a_key_of_any_parent_is_a_valid_choice():
    assert propre("liste_liee", "dojo", options=OPTIONS) == "dojo"
    assert propre("liste_liee", "auditorium", options=OPTIONS) == "auditorium"
    assert propre("liste_liee", "", options=OPTIONS) is None
    assert "ne fait pas partie de la liste" in refus("liste_liee", "piscine", options=OPTIONS)
    assert refus("liste_liee", "", options=OPTIONS, obligatoire=True) == "Sélectionnez une réponse."
    assert aller_retour("liste_liee", "dojo") == "dojo"


def test_the_key_must_belong_to_the_parent_answer():
    type_champ, champ = get("liste_liee"), definition("liste_liee", options=OPTIONS)
    type_champ.valider_ensemble(champ, "dojo", {"type_salle": "sport"})
    type_champ.valider_ensemble(champ, None, {"type_salle": "culture"})
    with pytest.raises(ValidationError) as erreur:
        type_champ.valider_ensemble(champ, "dojo", {"type_salle": "culture"})
    assert erreur.value.messages == [
        "Ce choix ne correspond pas à votre réponse précédente : choisissez de nouveau."
    ]
    with pytest.raises(ValidationError) as erreur:
        type_champ.valider_ensemble(champ, "dojo", {"type_salle": None})
    assert erreur.value.messages == ["Répondez d’abord à la question dont dépend cette liste."]
    # A parent missing from the form (deleted, misnamed) never blocks the usager.
    type_champ.valider_ensemble(champ, "dojo", {"autre": "x"})


def test_a_yes_no_parent_is_read_as_oui_or_non():
    options = {
        "depend_de": "assure",
        "choix_par_parent": {"oui": [["a", "A"]], "non": [["b", "B"]]},
    }
    type_champ, champ = get("liste_liee"), definition("liste_liee", options=options)
    type_champ.valider_ensemble(champ, "a", {"assure": True})
    with pytest.raises(ValidationError):
        type_champ.valider_ensemble(champ, "a", {"assure": False})


def test_every_other_type_accepts_anything_together():
    assert get("texte").valider_ensemble(definition("texte"), "x", {}) is None


def test_without_javascript_all_choices_are_shown_in_groups():
    options = {**OPTIONS, "libelles_parents": {"sport": "Sport"}}
    champ = get("liste_liee").form_field(definition("liste_liee", options=options))
    html = str(type("F", (forms.Form,), {"champ": champ})())
    assert 'data-depend-de="type_salle"' in html
    assert '<optgroup label="Sport">' in html
    assert '<optgroup label="culture">' in html  # no label given: the key
    assert '<option value="dojo" data-parent="sport">Dojo municipal</option>' in html
    assert 'data-parent="culture">Auditorium</option>' in html


def test_outputs():
    assert sorties("liste_liee", "dojo", options=OPTIONS) == (
        "Dojo municipal",
        "Dojo municipal",
        "dojo",
        "Dojo municipal",
    )
    assert sorties("liste_liee", "ancienne", options=OPTIONS)[0] == "ancienne"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"choix_par_parent": '{"a": [["x"]]}'}, "Attendu : un objet JSON"),
        ({"choix_par_parent": '[["x", "X"]]'}, "Attendu : un objet JSON"),
        ({"choix_par_parent": '{"a": [["x", "X"], ["x", "Y"]]}'}, "deux choix de même clé"),
        ({"depend_de": "Type Salle"}, "minuscules"),
        ({"libelles_parents": '{"a": 1}'}, "Attendu : un objet JSON"),
    ],
)
def test_options_are_checked_for_the_builder(options, message):
    form = get("liste_liee").Options(data=options)
    assert not form.is_valid()
    assert message in form.errors.as_text()


def test_options_round_trip():
    import json

    form = get("liste_liee").Options(
        data={"depend_de": "type_salle", "choix_par_parent": json.dumps(SALLES)}
    )
    assert form.is_valid(), form.errors
    assert form.en_json() == {"depend_de": "type_salle", "choix_par_parent": SALLES}


def test_conditions_compare_keys():
    assert nature_du_type("liste_liee") == "choix"
    assert (
        valider_condition({"champ": "salle", "op": "=", "valeur": "dojo"}, {"salle": "liste_liee"})
        == []
    )


# --- in the wizard: dossiers.services.etape_valider ------------------------------------------


@pytest.fixture
def dossier(db, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    return services.dossier_commencer(dispositif=dispositif_publie(), user=citizen)


def _onglet(dossier):
    return services.modele_onglets(dossier.modele)[0]


ETAPE = {
    "lieu_numero_voie": "12 rue des Tanneurs",
    "lieu_code_postal": "18240",
    "lieu_commune": "Belleville-sur-Loire",
    "commune_residence": "nantes 44",
    "type_salle": "sport",
    "salle": "dojo",
    "pays_naissance": "DE",
}


def _valider(dossier, **changes):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for cle, valeur in {**ETAPE, **changes}.items():
        data[cle] = valeur
    return services.etape_valider(dossier=dossier, onglet=_onglet(dossier), data=data)


def test_step_validation_checks_the_linked_list_against_the_parent(dossier):
    cleaned, erreurs = _valider(dossier)
    assert erreurs == {}
    assert cleaned["salle"] == "dojo"
    assert cleaned["commune_residence"] == "44109"
    assert cleaned["lieu"]["ban_id"] == "18026_0001_00012"
    assert cleaned["pays_naissance"] == "DE"

    cleaned, erreurs = _valider(dossier, type_salle="culture")
    assert "salle" not in cleaned
    assert erreurs["salle"].messages == [
        "Ce choix ne correspond pas à votre réponse précédente : choisissez de nouveau."
    ]


def test_step_validation_reads_the_parent_from_the_stored_data(dossier):
    """The step's cleaned values over the dossier's data: a parent answered earlier (or
    invalid now) is read from the data."""
    dossier.donnees = {"type_salle": "culture"}
    cleaned, erreurs = _valider(dossier, type_salle="", salle="auditorium")
    assert erreurs["type_salle"].messages == ["Sélectionnez une réponse."]
    assert cleaned["salle"] == "auditorium"
    _cleaned, erreurs = _valider(dossier, type_salle="", salle="dojo")
    assert "salle" in erreurs


def test_wizard_submission_stores_codes_and_the_geolocated_address(client, citizen, dossier):
    client.force_login(citizen)
    url = reverse("portal:demande", kwargs={"slug": dossier.dispositif.slug})
    assert client.get(url).status_code == 200
    reponse = client.post(url, {**ETAPE, "type_salle": "culture", "guichet-action": "deposer"})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Ce choix ne correspond pas à votre réponse précédente" in page
    assert 'value="12 rue des Tanneurs"' in page  # what was typed is kept
    reponse = client.post(url, {**ETAPE, "guichet-action": "deposer"})
    assert reponse.status_code == 302
    depose = Dossier.objects.get(dispositif=dossier.dispositif)
    assert depose.donnees["salle"] == "dojo"
    assert depose.donnees["commune_residence"] == "44109"
    assert depose.donnees["lieu"]["label"] == "12 rue des Tanneurs, 18240 Belleville-sur-Loire"
    assert depose.donnees["lieu"]["lon"] is not None


@pytest.mark.django_db
def test_a_linked_list_on_a_missing_parent_is_reported_and_not_published():
    from demo.formulaires_commune import LOCATION_SALLE
    from dossiers import services
    from dossiers.models import Champ
    from tests.dossiers.factories import DispositifFactory

    modele = services.modele_importer(LOCATION_SALLE, dispositif=DispositifFactory(code="SAL"))
    assert services.modele_verifier(modele) == []
    Champ.objects.filter(modele=modele, nom="nature_evenement").delete()
    problemes = services.modele_verifier(modele)
    assert (
        "Le champ « type_evenement » : La liste dépend du champ « nature_evenement », "
        "qui n’existe pas dans le modèle."
    ) in problemes
