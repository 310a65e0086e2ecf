"""The CRM's export pages (C2, C15) and the JSON flow (C12): the list's filters carried
over, direct streaming, jobs with progress and owner-only download, bad input, scope,
query budgets."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Dossier, Export
from tests.dossiers.exports_donnees import deposer_exportable, dispositif_exportable

pytestmark = pytest.mark.django_db

URL = reverse("crm:dossiers_exporter")


@pytest.fixture
def dispositif():
    return dispositif_exportable()


@pytest.fixture
def instructeur_client(client, instructeur):
    client.force_login(instructeur)
    return client


def _post(client, filtres="", **donnees):
    donnees = {
        "filtres": filtres,
        "format": "csv",
        "colonnes": ["reference", "demandeur"],
        "libelles": "libelles",
        **donnees,
    }
    return client.post(URL, donnees)


def _csv(response) -> list[list[str]]:
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(contenu), delimiter=";"))


def test_the_list_links_to_the_export_with_its_filters(instructeur_client, dispositif):
    deposer_exportable(dispositif)
    response = instructeur_client.get(reverse("crm:dossiers"), {"q": "Durand", "page": "1"})
    attendu = URL + "?" + urlencode({"filtres": "q=Durand"})
    assert attendu.replace("&", "&amp;") in response.content.decode()


def test_the_page_counts_the_filtered_dossiers_and_offers_the_dispositifs_fields(
    instructeur_client, dispositif
):
    deposer_exportable(dispositif, demandeur="Durand")
    deposer_exportable(dispositif, demandeur="Martin")
    response = instructeur_client.get(URL, {"filtres": "q=Durand"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 dossier de la liste" in page
    # The selection holds one dispositif: its fields are offered without asking.
    assert 'value="champ:montant"' in page and "Montant demandé (montant)" in page
    assert '<option value="date_evenement">' in page


def test_small_export_streams_the_filtered_dossiers(instructeur_client, dispositif):
    durand = deposer_exportable(dispositif, demandeur="Durand")
    deposer_exportable(dispositif, demandeur="Martin")
    response = _post(instructeur_client, "q=Durand")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dossiers-')
    assert _csv(response) == [["Référence", "Demandeur"], [durand.reference, "Léa DURAND"]]


@pytest.mark.parametrize("format_", ["xlsx", "ods", "json", "geojson", "ics"])
def test_every_format_is_answered(instructeur_client, dispositif, format_):
    deposer_exportable(dispositif)
    response = _post(instructeur_client, format=format_, dispositif=dispositif.pk)
    assert response.status_code == 200
    contenu = b"".join(response.streaming_content)
    assert contenu
    assert response["Content-Disposition"].endswith(f'.{format_}"')


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"format": "pdf"}, "Ce format n’est pas proposé."),
        ({"colonnes": ["reference", "champ:secret"]}, "La colonne « champ:secret » n’existe pas."),
        ({"colonnes": []}, "Choisissez au moins une colonne."),
        ({"champ_date": "nom"}, "Ce champ date n’existe pas dans le formulaire."),
        ({"dispositif": "999999"}, "Ce dispositif n’existe pas ; choisissez-le à nouveau."),
    ],
)
def test_bad_input_is_a_form_error_with_what_was_chosen_kept(
    instructeur_client, dispositif, donnees, message
):
    deposer_exportable(dispositif)
    response = _post(instructeur_client, "q=Durand", **donnees)
    assert response.status_code == 400
    page = response.content.decode()
    assert message.replace("’", "&#x27;") in page or message in page
    assert 'name="filtres" value="q=Durand"' in page


def test_large_export_becomes_a_job_with_progress_and_download(
    instructeur_client, dispositif, settings, django_capture_on_commit_callbacks
):
    settings.GUICHET_EXPORT_SEUIL = 1
    for nom in ("Durand", "Martin"):
        deposer_exportable(dispositif, demandeur=nom)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(instructeur_client)
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:export", args=[export.pk])
    page = instructeur_client.get(response["Location"]).content.decode()
    assert "Votre export est prêt" in page and "2 dossiers exportés" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    fichier = instructeur_client.get(reverse("crm:export_fichier", args=[export.pk]))
    assert fichier.status_code == 200
    assert fichier["Content-Disposition"].startswith("attachment")
    contenu = b"".join(fichier.streaming_content).decode("utf-8-sig")
    fichier.close()
    assert len(list(csv.reader(io.StringIO(contenu), delimiter=";"))) == 3


def test_a_running_job_polls_with_htmx_and_offers_a_refresh_link(
    instructeur_client, instructeur, dispositif
):
    export = Export.objects.create(
        agent=instructeur, format="csv", source="liste_crm", total=10, faits=4
    )
    Export.objects.filter(pk=export.pk).update(etat=Export.Etat.EN_COURS)
    url = reverse("crm:export", args=[export.pk])
    page = instructeur_client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert "Actualiser" in page and 'value="40"' in page
    partiel = instructeur_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partiel and "4 dossiers exportés sur 10" in partiel
    fichier = instructeur_client.get(reverse("crm:export_fichier", args=[export.pk]))
    assert fichier.status_code == 404  # not ready


def test_only_the_owner_reaches_a_job_and_its_file(
    client, instructeur, admin_user, dispositif, settings
):
    from dossiers import services_exports

    settings.GUICHET_EXPORT_SEUIL = 0
    deposer_exportable(dispositif)
    export = services_exports.export_demander(
        agent=instructeur,
        format_="csv",
        source="liste_crm",
        filtres="",
        parametres={"colonnes": ["reference"]},
    )
    services_exports.export_executer(export.pk)
    client.force_login(admin_user)
    assert client.get(reverse("crm:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("crm:export_fichier", args=[export.pk])).status_code == 404
    liste = client.get(reverse("crm:exports")).content.decode()
    assert reverse("crm:export", args=[export.pk]) not in liste and "Aucun export." in liste
    client.force_login(instructeur)
    response = client.get(reverse("crm:export_fichier", args=[export.pk]))
    assert response.status_code == 200
    response.close()


def _requetes_export(client, **donnees) -> int:
    with CaptureQueriesContext(connection) as requetes:
        response = _post(client, **donnees)
        b"".join(response.streaming_content)
    return len(requetes)


def test_direct_export_costs_the_same_queries_at_any_size(instructeur_client, dispositif):
    deposer_exportable(dispositif)
    avant = _requetes_export(
        instructeur_client,
        dispositif=dispositif.pk,
        colonnes=["reference", "statut", "agent", "champ:montant"],
    )
    for i in range(6):
        deposer_exportable(dispositif, demandeur=f"N{i}")
    apres = _requetes_export(
        instructeur_client,
        dispositif=dispositif.pk,
        colonnes=["reference", "statut", "agent", "champ:montant"],
    )
    assert apres == avant
    assert avant <= 14


# 14 when written; + the list's filter parsing (crm/dossiers/selection.py: the agent's
# dispositifs and territoires as options) and the scope (C7, C8).
BUDGET_PAGE = 16


def test_export_page_budget(instructeur_client, dispositif, django_assert_max_num_queries):
    deposer_exportable(dispositif)
    with django_assert_max_num_queries(BUDGET_PAGE):
        assert instructeur_client.get(URL).status_code == 200
    for i in range(6):
        deposer_exportable(dispositif_exportable(code="AUT"), demandeur=f"N{i}")
    with django_assert_max_num_queries(BUDGET_PAGE):
        assert instructeur_client.get(URL).status_code == 200


# --- The JSON flow (C12) ------------------------------------------------------------------


def _flux(client, code, **parametres):
    response = client.get(reverse("crm:flux_dossiers", args=[code]), parametres)
    if response.status_code != 200:
        return response, None
    assert response.streaming
    return response, json.loads(b"".join(response.streaming_content))


def test_flow_pages_by_cursor_with_custom_fields(instructeur_client, dispositif):
    dossiers = [deposer_exportable(dispositif, demandeur=f"N{i}") for i in range(3)]
    deposer_exportable(dispositif_exportable(code="AUT"))  # another dispositif
    response, page = _flux(instructeur_client, dispositif.code, limite=2)
    assert response["Content-Type"] == "application/json"
    assert page["format"] == "guichet.flux_dossiers"
    assert [d["reference"] for d in page["dossiers"]] == [d.reference for d in dossiers[:2]]
    premier = page["dossiers"][0]
    assert premier["champs"]["montant"] == "12500.50"
    assert premier["champs"]["categorie"] == "spect"
    assert premier["champs"]["lieu"]["lon"] == 2.8508
    assert premier["statut"] == "Déposé" and premier["etape"] == "Dépôt"
    assert premier["demandeur"] == {"type": "individu", "nom": "Léa N0", "email": "n0@exemple.fr"}
    assert page["nombre"] == 2
    assert page["suivant"].endswith(f"?apres={dossiers[1].pk}&limite=2")
    response, suite = _flux(instructeur_client, dispositif.code, apres=dossiers[1].pk, limite=2)
    assert [d["reference"] for d in suite["dossiers"]] == [dossiers[2].reference]
    assert suite["suivant"] is None


def test_flow_shows_only_what_the_agent_sees(client, agent, instructeur, dispositif):
    deposer_exportable(dispositif)
    Dossier.objects.create(dispositif=dispositif, modele=Dossier.objects.first().modele)
    client.force_login(instructeur)
    _response, page = _flux(client, dispositif.code)
    assert page["nombre"] == 1  # the draft is not filed
    client.force_login(agent)  # an agent without the dossiers right
    assert client.get(reverse("crm:flux_dossiers", args=[dispositif.code])).status_code == 403


@pytest.mark.parametrize("parametres", [{"apres": "abc"}, {"limite": "0"}, {"limite": "5000"}])
def test_flow_bad_parameters_are_a_400_with_a_french_message(
    instructeur_client, dispositif, parametres
):
    response, _page = _flux(instructeur_client, dispositif.code, **parametres)
    assert response.status_code == 400
    assert "Paramètres invalides" in response.json()["erreur"]


def test_flow_of_an_unknown_dispositif_is_a_404(instructeur_client):
    assert _flux(instructeur_client, "NEXISTEPAS")[0].status_code == 404


def test_flow_costs_the_same_queries_at_any_size(instructeur_client, dispositif):
    def requetes():
        with CaptureQueriesContext(connection) as capture:
            _flux(instructeur_client, dispositif.code)
        return len(capture)

    deposer_exportable(dispositif)
    avant = requetes()
    for i in range(6):
        deposer_exportable(dispositif, demandeur=f"N{i}")
    assert requetes() == avant
    assert avant <= 10
