"""The builder page and its actions: htmx partial or redirect, bad input in French."""

import json

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import Champ, Ligne, ModeleDossier, Onglet, ProprietesVue
from tests.crm.formulaires.conftest import tree
from tests.dossiers.factories import DispositifFactory
from tests.queries import assert_page_budget

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"crm:formulaire_{name}", args=args)


def test_page_creates_the_draft_from_the_last_published_version(client_concepteur, brouillon):
    services.modele_publier(modele=brouillon, by=None)
    response = client_concepteur.get(url("constructeur", brouillon.dispositif_id))
    assert response.status_code == 200
    draft = ModeleDossier.objects.get(dispositif=brouillon.dispositif, statut="brouillon")
    assert draft.version == 2
    assert tree(draft) == [("Demandeur", [("", ["asso", "nom"])])]
    html = response.content.decode()
    assert 'title="Nom technique : asso"' in html  # the technical name on hover
    assert "Brouillon de la version 2" in html


def test_add_tab_htmx_answers_the_tree_and_plain_post_redirects(client_concepteur, brouillon):
    pk = brouillon.dispositif_id
    response = client_concepteur.post(
        url("onglet_ajouter", pk), {"ajout-onglet-titre": "Projet"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="constructeur"')
    assert "<html" not in html and "Onglet 2 : Projet" in html
    response = client_concepteur.post(url("onglet_ajouter", pk), {"ajout-onglet-titre": "Pièces"})
    onglet = Onglet.objects.get(titre="Pièces")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/constructeur/#onglet-{onglet.pk}")
    assert [o.titre for o in brouillon.onglets.all()] == ["Demandeur", "Projet", "Pièces"]


def test_add_tab_without_title_shows_the_error(client_concepteur, brouillon):
    response = client_concepteur.post(
        url("onglet_ajouter", brouillon.dispositif_id), {"ajout-onglet-titre": ""}, **HTMX
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert brouillon.onglets.count() == 1


def test_rename_tab_with_a_guided_condition(client_concepteur, brouillon):
    onglet = brouillon.onglets.get()
    services.onglet_ajouter(modele=brouillon, titre="Association")
    second = brouillon.onglets.get(titre="Association")
    response = client_concepteur.post(
        url("onglet_modifier", second.pk),
        {
            f"onglet-{second.pk}-titre": "Votre association",
            f"onglet-{second.pk}-aide": "Son SIRET",
            f"onglet-{second.pk}-si_champ": "asso",
            f"onglet-{second.pk}-si_op": "=",
            f"onglet-{second.pk}-si_valeur": "oui",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.titre == "Votre association"
    assert second.condition == {"champ": "asso", "op": "=", "valeur": True}
    onglet.refresh_from_db()
    assert onglet.condition is None


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('{"champ": "asso", ', "La condition n’est pas un JSON valide"),
        ('{"champ": "disparu", "op": "rempli"}', "qui n’existe plus dans le modèle"),
        ('{"champ": "asso", "op": "=", "valeur": 3}', "doit être vrai ou faux"),
    ],
)
def test_bad_condition_is_refused_in_french_input_kept(
    client_concepteur, brouillon, condition, message
):
    onglet = brouillon.onglets.get()
    prefix = f"onglet-{onglet.pk}"
    data = {f"{prefix}-titre": "Nouveau titre", f"{prefix}-condition": condition}
    for headers in ({}, HTMX):
        response = client_concepteur.post(url("onglet_modifier", onglet.pk), data, **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert "Nouveau titre" in html  # typed input kept
    onglet.refresh_from_db()
    assert onglet.titre == "Demandeur" and onglet.condition is None


def test_move_and_delete_tabs(client_concepteur, brouillon):
    services.onglet_ajouter(modele=brouillon, titre="Deuxième")
    services.onglet_ajouter(modele=brouillon, titre="Troisième")
    troisieme = brouillon.onglets.get(titre="Troisième")
    client_concepteur.post(url("onglet_deplacer", troisieme.pk), {"sens": "haut"}, **HTMX)
    assert [o.titre for o in brouillon.onglets.all()] == ["Demandeur", "Troisième", "Deuxième"]
    client_concepteur.post(url("onglet_deplacer", troisieme.pk), {"sens": "haut"})
    client_concepteur.post(url("onglet_deplacer", troisieme.pk), {"sens": "haut"})  # stays first
    assert [o.titre for o in brouillon.onglets.all()] == ["Troisième", "Demandeur", "Deuxième"]
    # Without JavaScript, deleting asks first; the POST with confirme deletes.
    response = client_concepteur.get(url("onglet_supprimer", troisieme.pk))
    assert "Supprimer l’onglet « Troisième »" in response.content.decode()
    client_concepteur.post(url("onglet_supprimer", troisieme.pk))  # not confirmed
    assert brouillon.onglets.count() == 3
    response = client_concepteur.post(url("onglet_supprimer", troisieme.pk), {"confirme": "1"})
    assert response.status_code == 302
    assert [o.titre for o in brouillon.onglets.all()] == ["Demandeur", "Deuxième"]


def test_rows_add_modify_move_delete(client_concepteur, brouillon):
    onglet = brouillon.onglets.get()
    ligne = onglet.lignes.get()
    prefix = f"ajout-ligne-{onglet.pk}"
    client_concepteur.post(
        url("ligne_ajouter", onglet.pk),
        {f"{prefix}-colonnes": "1", f"{prefix}-titre_section": "Coordonnées"},
        **HTMX,
    )
    nouvelle = onglet.lignes.get(titre_section="Coordonnées")
    client_concepteur.post(url("ligne_deplacer", nouvelle.pk), {"sens": "haut"})
    assert list(onglet.lignes.values_list("titre_section", flat=True)) == ["Coordonnées", ""]
    # Back to one column while the second holds a field: refused, in French.
    response = client_concepteur.post(
        url("ligne_modifier", ligne.pk), {f"ligne-{ligne.pk}-colonnes": "1"}, **HTMX
    )
    assert "La deuxième colonne contient des champs" in response.content.decode()
    ligne.refresh_from_db()
    assert ligne.colonnes == 2
    client_concepteur.post(url("ligne_supprimer", nouvelle.pk), {"confirme": "1"}, **HTMX)
    assert not Ligne.objects.filter(pk=nouvelle.pk).exists()


def _ajouter(client, ligne, colonne=1, headers=HTMX, **data):
    prefix = f"ajout-champ-{ligne.pk}-{colonne}"
    return client.post(
        f"{url('champ_ajouter', ligne.pk)}?colonne={colonne}",
        {f"{prefix}-{k}": v for k, v in {"colonne": colonne, **data}.items()},
        **headers,
    )


def test_add_field_suggests_the_technical_name(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    response = _ajouter(client_concepteur, ligne, type="entier", libelle="Nombre d’enfants")
    assert response.status_code == 200
    champ = Champ.objects.get(libelle="Nombre d’enfants")
    assert champ.nom == "nombre_denfants" and champ.colonne == 1
    assert {p.vue: (p.visible, p.modifiable, p.obligatoire) for p in champ.proprietes.all()} == {
        "internet": (True, True, False),
        "crm": (True, True, False),
        "partenaire": (True, True, False),
    }
    _ajouter(client_concepteur, ligne, type="entier", libelle="Nombre d’enfants")
    assert Champ.objects.filter(nom="nombre_denfants_2").exists()
    _ajouter(client_concepteur, ligne, colonne=2, type="texte", libelle="Ville", nom="ville")
    assert Champ.objects.get(nom="ville").colonne == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "texte", "libelle": "Nom", "nom": "nom"}, "déjà utilisé dans ce formulaire"),
        ({"type": "texte", "libelle": "Nom", "nom": "Nom Propre"}, "Le nom technique commence"),
        ({"type": "inconnu", "libelle": "X"}, "Sélectionnez un choix valide"),
    ],
)
def test_add_field_bad_input(client_concepteur, brouillon, data, message):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    for headers in (HTMX, {}):
        response = _ajouter(client_concepteur, ligne, headers=headers, **data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Champ.objects.filter(modele=brouillon).count() == 2


def test_move_and_delete_fields(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    services.champ_ajouter(ligne=ligne, type="email", libelle="Courriel", nom="courriel")
    courriel = Champ.objects.get(nom="courriel")
    client_concepteur.post(url("champ_deplacer", courriel.pk), {"sens": "haut"}, **HTMX)
    assert [c.nom for c in ligne.champs.filter(colonne=1)] == ["courriel", "asso"]
    response = client_concepteur.get(url("champ_supprimer", courriel.pk))
    assert "Supprimer le champ « Courriel » (courriel)" in response.content.decode()
    client_concepteur.post(url("champ_supprimer", courriel.pk), {"confirme": "1"})
    assert not Champ.objects.filter(nom="courriel").exists()


def test_problems_are_listed_next_to_the_faulty_element(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    montant = services.champ_ajouter(ligne=ligne, type="montant", libelle="Montant", nom="m")
    calcul = services.champ_ajouter(ligne=ligne, type="calcul", libelle="Total", nom="total")
    Champ.objects.filter(pk=calcul.pk).update(options={"formule": "m + inconnu"})
    Champ.objects.filter(nom="nom").update(condition={"champ": "m", "op": ">", "valeur": 0})
    montant.delete()
    response = client_concepteur.get(url("constructeur", brouillon.dispositif_id))
    html = response.content.decode()
    assert "qui n’existe plus dans le modèle" in html
    assert "inconnu" in html
    champ_nom = Champ.objects.get(nom="nom")
    section = html[html.index(f'id="champ-{champ_nom.pk}"') :]
    assert section.index("qui n’existe plus") < section.index("</li>")
    # Publishing is refused with the reasons.
    response = client_concepteur.post(url("publier", brouillon.dispositif_id), {"note": "v1"})
    assert response.status_code == 200
    assert "La version n’est pas publiée" in response.content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == "brouillon"


def test_publish(client_concepteur, brouillon, concepteur):
    response = client_concepteur.post(
        url("publier", brouillon.dispositif_id), {"note": "Première version"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("crm:formulaires")
    brouillon.refresh_from_db()
    assert brouillon.statut == "publie" and brouillon.publie_par == concepteur
    assert brouillon.note_version == "Première version"
    response = client_concepteur.get(reverse("crm:formulaires"))
    assert "v1 publiée le" in response.content.decode()


def test_copy_a_view(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    ProprietesVue.objects.filter(champ=champ, vue="internet").update(obligatoire=True)
    response = client_concepteur.post(
        url("vue_copier", brouillon.dispositif_id), {"source": "internet", "cible": "partenaire"}
    )
    assert response.status_code == 302
    assert champ.proprietes.get(vue="partenaire").obligatoire
    response = client_concepteur.post(
        url("vue_copier", brouillon.dispositif_id), {"source": "crm", "cible": "crm"}
    )
    assert "Choisissez deux vues différentes." in response.content.decode()


def test_published_versions_are_not_reachable(client_concepteur, brouillon):
    onglet = brouillon.onglets.get()
    services.modele_publier(modele=brouillon, by=None)
    response = client_concepteur.post(url("onglet_deplacer", onglet.pk), {"sens": "bas"})
    assert response.status_code == 404


def test_builder_page_budget_does_not_grow_with_fields(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)

    def grow():
        onglet = services.onglet_ajouter(modele=brouillon, titre="Encore")
        for i in range(3):
            autre = services.ligne_ajouter(onglet=onglet, colonnes=2, condition=None)
            services.champ_ajouter(ligne=autre, type="montant", libelle=f"M{i}", nom=f"m{i}")
            services.champ_ajouter(ligne=autre, type="texte", libelle=f"T{i}", colonne=2)
        services.champ_ajouter(ligne=ligne, type="choix_unique_radio", libelle="Choix")
        Champ.objects.filter(nom="m0").update(condition={"champ": "asso", "op": "rempli"})

    assert_page_budget(
        client_concepteur, url("constructeur", brouillon.dispositif_id), budget=20, grow=grow
    )


def test_export_and_import_round_trip(client_concepteur, brouillon):
    response = client_concepteur.get(url("exporter", brouillon.pk))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["onglets"][0]["titre"] == "Demandeur"
    autre = DispositifFactory()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fichier = SimpleUploadedFile("m.json", response.content, "application/json")
    response = client_concepteur.post(url("importer", autre.pk), {"fichier": fichier})
    assert response.status_code == 302
    draft = ModeleDossier.objects.get(dispositif=autre)
    assert tree(draft) == tree(brouillon)
    # A refused import says why and writes nothing.
    data["version_format"] = 99
    fichier = SimpleUploadedFile("m.json", json.dumps(data).encode(), "application/json")
    response = client_concepteur.post(url("importer", autre.pk), {"fichier": fichier})
    assert response.status_code == 200
    assert "cette version de Guichet lit le format 1" in response.content.decode()
    fichier = SimpleUploadedFile("m.json", b"{pas du json", "application/json")
    response = client_concepteur.post(url("importer", autre.pk), {"fichier": fichier})
    assert "Ce fichier n’est pas un JSON valide." in response.content.decode()
    assert tree(ModeleDossier.objects.get(dispositif=autre)) == tree(brouillon)
