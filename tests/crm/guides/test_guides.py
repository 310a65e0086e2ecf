"""The guide builder's pages: list, version page (query budget), changes with and
without htmx, bad input, read-only published versions, publish, copy, export/import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from instruction import echange
from instruction.models import ActionStatut, Etape, Guide, Statut, VersionGuide
from tests.dossiers.factories import DispositifFactory
from tests.instruction.factories import EtapeFactory, StatutFactory
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

# The version page, whatever the guide's size: session, user, permissions, the version,
# its guide's versions, étapes, statuts, their suivants and actions, one query per kind
# of object the actions designate.
BUDGET_VERSION = 14


def test_list_shows_guides_and_creates_one(client_concepteur, publiee):
    sans_guide = DispositifFactory(titre="Aide aux séjours")
    response = client_concepteur.get(reverse("crm:guides"))
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "Aide aux séjours" in contenu and "Créer le guide" in contenu
    assert reverse("crm:guide_version", args=[publiee.pk]) in contenu
    response = client_concepteur.post(reverse("crm:guide_creer", args=[sans_guide.pk]))
    version = Guide.objects.get(dispositif=sans_guide).versions.get()
    assert response.url == reverse("crm:guide_version", args=[version.pk])
    response = client_concepteur.post(reverse("crm:guide_creer", args=[sans_guide.pk]))
    assert Guide.objects.filter(dispositif=sans_guide).count() == 1


def test_version_page_budget_does_not_grow(client_concepteur, brouillon):
    statut = brouillon.statuts.get(code="instruction")
    ActionStatut.objects.create(statut=statut, type="suivi", config={"texte": "En cours"})
    url = reverse("crm:guide_version", args=[brouillon.pk])

    def grow():
        etape = EtapeFactory(version=brouillon, ordre=9, libelle="Recours")
        for n in range(3):
            nouveau = StatutFactory(etape=etape, code=f"recours-{n}")
            nouveau.suivants.set([statut])
            ActionStatut.objects.create(statut=nouveau, type="suivi", config={"texte": "x"})
            ActionStatut.objects.create(statut=nouveau, type="attribuer", config={"agent": None})

    response = assert_page_budget(client_concepteur, url, budget=BUDGET_VERSION, grow=grow)
    contenu = response.content.decode()
    assert "Recours" in contenu and "Enregistrer le statut" in contenu
    # The version's tools: its test cases and dry run (I9).
    assert reverse("crm:guide_essais", args=[brouillon.pk]) in contenu
    assert reverse("crm:guide_simulation", args=[brouillon.pk]) in contenu


def test_add_an_etape_and_a_statut_with_htmx(client_concepteur, brouillon):
    response = client_concepteur.post(
        reverse("crm:guide_etape_ajouter", args=[brouillon.pk]),
        {"ajout-etape-libelle": "Commission"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "crm/guides/includes/arbre.html"
    etape = brouillon.etapes.get(libelle="Commission")
    assert etape.ordre == 4  # after Décision (3)
    response = client_concepteur.post(
        reverse("crm:guide_statut_ajouter", args=[etape.pk]),
        {f"ajout-statut-{etape.pk}-libelle": "Avis de la commission"},
        **HTMX,
    )
    assert "Avis de la commission" in response.content.decode()
    assert etape.statuts.get().code == "avis-de-la-commission"


def test_without_javascript_a_change_redirects_and_an_error_keeps_the_input(
    client_concepteur, brouillon
):
    etape = brouillon.etapes.get(libelle="Dépôt")
    url = reverse("crm:guide_statut_ajouter", args=[etape.pk])
    response = client_concepteur.post(url, {f"ajout-statut-{etape.pk}-libelle": "Pièces reçues"})
    assert response.status_code == 302
    statut = etape.statuts.get(code="pieces-recues")
    assert response.url.endswith(f"#statut-{statut.pk}")
    response = client_concepteur.post(
        url,
        {f"ajout-statut-{etape.pk}-libelle": "Doublon", f"ajout-statut-{etape.pk}-code": "depose"},
    )
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "est déjà celui du statut « Déposé »" in contenu and 'value="Doublon"' in contenu


def test_edit_every_property_of_a_statut(client_concepteur, brouillon):
    statut = brouillon.statuts.get(code="incomplet")
    cible = brouillon.statuts.get(code="instruction")
    decision = brouillon.etapes.get(libelle="Décision")
    p = f"statut-{statut.pk}"
    donnees = {
        f"{p}-etape": decision.pk,
        f"{p}-code": "incomplet",
        f"{p}-libelle": "Incomplet",
        f"{p}-libelle_usager": "Votre dossier est incomplet",
        f"{p}-libelle_bouton": "Déclarer incomplet",
        f"{p}-couleur": "warning",
        f"{p}-icone": "fr-icon-warning-line",
        f"{p}-initial": "on",
        f"{p}-cloture": "on",
        f"{p}-motif_obligatoire": "on",
        f"{p}-visible_partenaires": "on",
        f"{p}-modifiable_usager": "on",
        f"{p}-suivants": [cible.pk],
    }
    response = client_concepteur.post(
        reverse("crm:guide_statut_modifier", args=[statut.pk]), donnees, **HTMX
    )
    assert response.status_code == 200
    statut.refresh_from_db()
    assert (statut.etape, statut.libelle_usager, statut.bouton) == (
        decision,
        "Votre dossier est incomplet",
        "Déclarer incomplet",
    )
    assert statut.initial and statut.cloture and statut.motif_obligatoire and not statut.masque
    assert statut.visible_partenaires and statut.modifiable_usager and not statut.avance
    assert list(statut.suivants.all()) == [cible]
    assert not brouillon.statuts.get(code="depose").initial  # one initial statut


def test_a_statut_form_error_is_shown_next_to_the_field(client_concepteur, brouillon):
    statut = brouillon.statuts.get(code="incomplet")
    p = f"statut-{statut.pk}"
    response = client_concepteur.post(
        reverse("crm:guide_statut_modifier", args=[statut.pk]),
        {f"{p}-etape": statut.etape_id, f"{p}-code": "pas un code !", f"{p}-libelle": "Gardé"},
        **HTMX,
    )
    contenu = response.content.decode()
    assert response.status_code == 200 and "fr-input-group--error" in contenu
    assert 'value="Gardé"' in contenu
    statut.refresh_from_db()
    assert statut.libelle == "Incomplet"


def test_add_an_action_type_first_then_its_form(client_concepteur, brouillon):
    statut = brouillon.statuts.get(code="accorde")
    url = reverse("crm:guide_action_ajouter", args=[statut.pk])
    p = f"type-{statut.pk}"
    response = client_concepteur.get(url, {f"{p}-type": "suivi"}, **HTMX)
    assert response.templates[0].name == "crm/guides/includes/action_panneau.html"
    assert "Texte montré à l’usager" in response.content.decode()
    # Bad config: the panel comes back with the error, nothing saved.
    response = client_concepteur.post(
        url, {f"{p}-type": "suivi", f"config-{statut.pk}-texte": ""}, **HTMX
    )
    assert "fr-message--error" in response.content.decode() and not statut.actions.exists()
    response = client_concepteur.post(
        url, {f"{p}-type": "suivi", f"config-{statut.pk}-texte": "Votre aide est accordée"}, **HTMX
    )
    assert response["HX-Retarget"] == "#guide"
    action = statut.actions.get()
    assert action.config == {"texte": "Votre aide est accordée"}
    # Edit it without JavaScript: its own page, then back to the version.
    url = reverse("crm:guide_action", args=[action.pk])
    assert "Votre aide est accordée" in client_concepteur.get(url).content.decode()
    response = client_concepteur.post(url, {f"action-{action.pk}-texte": "Accordée !"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.config == {"texte": "Accordée !"}


def test_an_unknown_type_asks_again(client_concepteur, brouillon):
    statut = brouillon.statuts.get(code="accorde")
    response = client_concepteur.get(
        reverse("crm:guide_action_ajouter", args=[statut.pk]), {f"type-{statut.pk}-type": "x"}
    )
    assert response.status_code == 200 and "fr-message--error" in response.content.decode()


def test_reorder_and_delete(client_concepteur, brouillon):
    etapes = list(brouillon.etapes.order_by("ordre"))
    client_concepteur.post(
        reverse("crm:guide_etape_deplacer", args=[etapes[1].pk]), {"sens": "haut"}, **HTMX
    )
    assert list(brouillon.etapes.order_by("ordre")) == [etapes[1], etapes[0], etapes[2]]
    statut = brouillon.statuts.get(code="refuse")
    url = reverse("crm:guide_statut_supprimer", args=[statut.pk])
    assert "Supprimer le statut « Refusé »" in client_concepteur.get(url).content.decode()
    client_concepteur.post(url, {"confirme": "1"})
    assert not Statut.objects.filter(pk=statut.pk).exists()
    client_concepteur.post(
        reverse("crm:guide_etape_supprimer", args=[etapes[2].pk]), {"confirme": "1"}, **HTMX
    )
    assert not Etape.objects.filter(pk=etapes[2].pk).exists()


def test_a_published_version_is_read_only(client_concepteur, publiee):
    response = client_concepteur.get(reverse("crm:guide_version", args=[publiee.pk]))
    contenu = response.content.decode()
    assert "lecture seule" in contenu
    assert "Enregistrer le statut" not in contenu and "Ajouter une étape" not in contenu
    etape = publiee.etapes.first()
    statut = publiee.statuts.first()
    for url in (
        reverse("crm:guide_etape_modifier", args=[etape.pk]),
        reverse("crm:guide_statut_ajouter", args=[etape.pk]),
        reverse("crm:guide_statut_modifier", args=[statut.pk]),
        reverse("crm:guide_action_ajouter", args=[statut.pk]),
        reverse("crm:guide_etape_ajouter", args=[publiee.pk]),
    ):
        assert client_concepteur.post(url, {"ajout-etape-libelle": "X"}).status_code == 404
    assert publiee.etapes.count() == 3


def test_publish_and_copy(client_concepteur, publiee):
    vide = VersionGuide.objects.create(guide=publiee.guide, numero=5)
    response = client_concepteur.post(reverse("crm:guide_publier", args=[vide.pk]))
    assert "Désignez le statut initial" in response.content.decode()
    response = client_concepteur.post(reverse("crm:guide_copier", args=[publiee.pk]))
    copie = publiee.guide.versions.get(numero=6)
    assert response.url == reverse("crm:guide_version", args=[copie.pk])
    client_concepteur.post(reverse("crm:guide_publier", args=[copie.pk]))
    publiee.refresh_from_db()
    copie.refresh_from_db()
    assert (publiee.etat, copie.etat) == ("archivee", "publiee")


def test_export_then_import_as_a_new_draft(client_concepteur, publiee):
    response = client_concepteur.get(reverse("crm:guide_exporter", args=[publiee.pk]))
    assert response["Content-Disposition"].endswith('-v1.json"')
    document = json.loads(response.content)
    assert document == echange.guide_exporter(publiee)
    autre = DispositifFactory()
    url = reverse("crm:guide_importer", args=[autre.pk])
    fichier = SimpleUploadedFile("guide.json", response.content, "application/json")
    response = client_concepteur.post(url, {"fichier": fichier})
    version = Guide.objects.get(dispositif=autre).versions.get()
    assert response.url == reverse("crm:guide_version", args=[version.pk])
    assert echange.guide_exporter(version)["etapes"] == document["etapes"]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"pas du json", "pas un JSON valide"),
        (b'{"format": "autre"}', "pas un guide d’instruction"),
        (b" " * (1024 * 1024 + 1), "dépasse 1 Mo"),
    ],
)
def test_a_bad_upload_is_refused(client_concepteur, contenu, message):
    dispositif = DispositifFactory()
    response = client_concepteur.post(
        reverse("crm:guide_importer", args=[dispositif.pk]),
        {"fichier": SimpleUploadedFile("guide.json", contenu, "application/json")},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Guide.objects.filter(dispositif=dispositif).exists()


def test_admin_shows_a_published_version_read_only(admin_client, publiee):
    statut = publiee.statuts.get(code="depose")
    response = admin_client.get(reverse("admin:instruction_statut_change", args=[statut.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = admin_client.post(
        reverse("admin:instruction_statut_change", args=[statut.pk]), {"libelle": "Changé"}
    )
    assert response.status_code == 403
    statut.refresh_from_db()
    assert statut.libelle == "Déposé"
