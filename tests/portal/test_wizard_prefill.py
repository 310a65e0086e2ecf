"""Prefill from URL parameters (P5): `/demarches/<slug>/demande/?nom_technique=valeur`
fills the fields the citizen sees and may edit, with values their type accepts, when a
request starts; the profile's data ("dites-le nous une fois") comes first."""

import pytest
from django.urls import reverse

from demo.formulaires import TOUTES_VUES, _champ
from dossiers import services
from dossiers.models import Dossier
from tests.dossiers.factories import DispositifFactory
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

CACHE = {**TOUTES_VUES, "internet": {"visible": False, "modifiable": False, "obligatoire": False}}
LECTURE = {**TOUTES_VUES, "internet": {"visible": True, "modifiable": False, "obligatoire": False}}


def _ligne(ordre, champ):
    return {
        "ordre": ordre,
        "colonnes": 1,
        "titre_section": "",
        "condition": None,
        "champs": [champ],
    }


FORMULAIRE = {
    "format": services.FORMAT,
    "version_format": services.FORMAT_VERSION,
    "dispositif": "SAL",
    "listes": [],
    "referentiel": [],
    "onglets": [
        {
            "titre": "La réservation",
            "aide": "",
            "ordre": 0,
            "condition": None,
            "lignes": [
                _ligne(0, _champ("nom_evenement", "Nom de l’événement", "texte")),
                _ligne(
                    1,
                    _champ(
                        "participants", "Participants", "entier", options={"min": 1, "max": 300}
                    ),
                ),
                _ligne(2, _champ("date_evenement", "Date", "date")),
                _ligne(
                    3,
                    _champ(
                        "salle",
                        "Salle",
                        "choix_unique_radio",
                        choix=[["fetes", "Salle des fêtes"], ["polyvalente", "Salle polyvalente"]],
                    ),
                ),
                _ligne(4, _champ("email_contact", "Courriel", "email", prefill="individu.email")),
                _ligne(5, {**_champ("code_interne", "Code interne", "texte"), "proprietes": CACHE}),
                _ligne(6, {**_champ("tarif", "Tarif", "texte"), "proprietes": LECTURE}),
                _ligne(
                    7,
                    _champ(
                        "double",
                        "Double",
                        "calcul",
                        obligatoire=False,
                        options={"formule": "participants * 2"},
                    ),
                ),
            ],
        },
        {"titre": "Fin", "aide": "", "ordre": 1, "condition": None, "lignes": []},
    ],
}


@pytest.fixture
def salle():
    dispositif = DispositifFactory(code="SAL", slug="location-de-salle")
    modele = services.modele_importer(FORMULAIRE, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


@pytest.fixture
def signed_in(client, citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    client.force_login(citizen)
    return client


def _url(dispositif, query=""):
    return reverse("portal:demande", kwargs={"slug": dispositif.slug}) + query


def _donnees(client, dispositif):
    return client.session[f"guichet_demande_{dispositif.pk}"]["donnees"]


def test_valid_parameters_prefill_the_first_step(signed_in, salle):
    response = signed_in.get(
        _url(
            salle,
            "?nom_evenement=Fête+des+voisins&participants=%2040&date_evenement=24/12/2026"
            "&salle=polyvalente&utm_source=affiche",
        )
    )

    assert response.status_code == 200
    donnees = _donnees(signed_in, salle)
    assert donnees["nom_evenement"] == "Fête des voisins"
    assert donnees["participants"] == 40  # cleaned by its type
    assert donnees["date_evenement"] == "2026-12-24"
    assert donnees["salle"] == "polyvalente"
    assert "utm_source" not in donnees
    body = response.content.decode()
    assert 'value="Fête des voisins"' in body
    assert 'name="participants" value="40' in body


def test_invalid_values_are_ignored_never_an_error(signed_in, salle):
    response = signed_in.get(
        _url(
            salle,
            "?participants=beaucoup&date_evenement=31/02/2026&salle=cave&nom_evenement="
            "&participants=9999",
        )
    )

    assert response.status_code == 200
    donnees = _donnees(signed_in, salle)
    for nom in ("participants", "date_evenement", "salle", "nom_evenement"):
        assert nom not in donnees
    assert "fr-error-text" not in response.content.decode()  # no error shown either


def test_hidden_read_only_and_computed_fields_are_not_prefilled(signed_in, salle):
    signed_in.get(_url(salle, "?code_interne=X42&tarif=gratuit&double=7&participants=3"))

    donnees = _donnees(signed_in, salle)
    assert "code_interne" not in donnees
    assert "tarif" not in donnees
    assert donnees.get("double") != 7
    assert donnees["participants"] == 3


def test_the_profile_comes_first_then_the_url_fills_what_is_empty(signed_in, salle, citizen):
    signed_in.get(_url(salle, "?email_contact=autre@exemple.fr"))
    assert _donnees(signed_in, salle)["email_contact"] == citizen.individu.email

    citizen.individu.email = ""
    citizen.individu.save()
    signed_in.session.flush()
    signed_in.force_login(citizen)
    signed_in.get(_url(salle, "?email_contact=autre@exemple.fr"))
    assert _donnees(signed_in, salle)["email_contact"] == "autre@exemple.fr"


def test_parameters_do_not_change_a_request_in_progress(signed_in, salle):
    signed_in.get(_url(salle, "?nom_evenement=Premier"))

    signed_in.get(_url(salle, "?nom_evenement=Second&participants=12"))

    donnees = _donnees(signed_in, salle)
    assert donnees["nom_evenement"] == "Premier"
    assert "participants" not in donnees


def test_parameters_do_not_change_a_resumed_draft(signed_in, salle, citizen):
    signed_in.get(_url(salle, "?nom_evenement=Brouillon"))
    signed_in.post(_url(salle), {"guichet-action": "brouillon", "nom_evenement": "Brouillon"})
    brouillon = Dossier.objects.get(statut="brouillon")

    signed_in.get(reverse("portal:demande_reprendre", kwargs={"pk": brouillon.pk}))
    signed_in.get(_url(salle, "?nom_evenement=Autre&participants=5"))

    donnees = _donnees(signed_in, salle)
    assert donnees["nom_evenement"] == "Brouillon"
    assert "participants" not in donnees


def test_the_service_sheet_passes_its_parameters_to_the_start_button(client, salle):
    """A link to the sheet (a poster, a partner's site) may carry the prefill too."""
    body = client.get(salle.get_absolute_url() + "?nom_evenement=Loto&utm_source=affiche")
    assert _url(salle, "?nom_evenement=Loto&amp;utm_source=affiche") in body.content.decode()
    assert f'href="{_url(salle)}"' in client.get(salle.get_absolute_url()).content.decode()
