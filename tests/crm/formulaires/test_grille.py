"""The whole-model grid of per-view properties (F6): every field × 3 views, each view
saved on its own, refusals shown next to the cell with nothing saved, a view copied onto
another, a published version read-only, a query budget independent of the field count."""

from django.urls import reverse

from dossiers import services
from dossiers.models import Champ, Ligne, ProprietesVue
from tests.queries import assert_page_budget

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(modele):
    return reverse("crm:formulaire_proprietes", args=[modele.pk])


def etat():
    return sorted(
        ProprietesVue.objects.values_list(
            "champ__nom", "vue", "visible", "modifiable", "obligatoire"
        )
    )


def props(champ, vue):
    return services.proprietes_vue(Champ.objects.get(pk=champ.pk), vue)


def vue_data(modele, vue, cochees):
    """POST data of one view's form: `cochees` = {field nom: {"visible", …}}."""
    data = {"vue": vue}
    for champ in Champ.objects.filter(modele=modele):
        for attribut in cochees.get(champ.nom, ()):
            data[f"{vue}-c{champ.pk}_{attribut}"] = "on"
    return data


def test_grid_lists_every_field_with_labelled_checkboxes(client_concepteur, brouillon):
    response = client_concepteur.get(url(brouillon))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in html and 'scope="colgroup"' in html and 'scope="row"' in html
    asso = Champ.objects.get(nom="asso")
    # Each checkbox names its field, its view and its property, and joins its view's form.
    assert f'form="grille-partenaire" name="partenaire-c{asso.pk}_obligatoire"' in html
    assert "Association ? (asso), vue Partenaire : obligatoire" in html
    for vue in ("Usager", "Agent", "Partenaire"):
        assert f"Enregistrer la vue {vue}" in html


def test_saving_one_view_leaves_the_others(client_concepteur, brouillon):
    data = vue_data(
        brouillon,
        "crm",
        {"asso": {"visible", "modifiable", "obligatoire"}, "nom": {"visible"}},
    )
    avant = [e for e in etat() if e[1] != "crm"]
    response = client_concepteur.post(url(brouillon), data)
    assert response.status_code == 302
    asso, nom = Champ.objects.get(nom="asso"), Champ.objects.get(nom="nom")
    assert props(asso, "crm").obligatoire is True
    p = props(nom, "crm")
    assert (p.visible, p.modifiable, p.obligatoire) == (True, False, False)
    assert [e for e in etat() if e[1] != "crm"] == avant  # the other views untouched


def test_required_but_hidden_is_refused_next_to_its_cell_and_nothing_saved(
    client_concepteur, brouillon
):
    data = vue_data(
        brouillon,
        "internet",
        {"asso": {"visible", "modifiable"}, "nom": {"obligatoire"}},  # nom hidden + required
    )
    avant = etat()
    response = client_concepteur.post(url(brouillon), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="grille"' in html and "<html" not in html  # the grid alone, for htmx
    nom = Champ.objects.get(nom="nom")
    assert f'id="id_internet-c{nom.pk}_obligatoire-erreur"' in html
    assert "Un champ obligatoire doit être visible et modifiable dans cette vue." in html
    assert "Rien n’a été modifié" in html
    # Input kept: the required box stays ticked; nothing saved, not even the valid field.
    assert (
        f'name="internet-c{nom.pk}_obligatoire" id="id_internet-c{nom.pk}_obligatoire" checked'
        in html
    )
    assert etat() == avant
    # Without JavaScript: the whole page, same message.
    response = client_concepteur.post(url(brouillon), data)
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert etat() == avant


def test_copy_a_view_onto_another_from_the_grid(client_concepteur, brouillon):
    nom = Champ.objects.get(nom="nom")
    services.proprietes_enregistrer(
        champ=nom, valeurs={"internet": {"visible": False, "modifiable": False}}
    )
    ProprietesVue.objects.update_or_create(
        champ=Champ.objects.get(nom="asso"), vue="partenaire", defaults={"visible": False}
    )
    response = client_concepteur.post(
        url(brouillon),
        {"copier": "1", "copier-source": "internet", "copier-cible": "partenaire"},
        **HTMX,
    )
    assert "copiée vers la vue « Partenaire » pour 2 champ(s)" in response.content.decode()
    assert props(nom, "partenaire").visible is False
    # asso had no row in the source: the target gets the defaults, not its old hidden row.
    assert props(Champ.objects.get(nom="asso"), "partenaire").visible is True
    response = client_concepteur.post(
        url(brouillon), {"copier": "1", "copier-source": "crm", "copier-cible": "crm"}
    )
    assert "Choisissez deux vues différentes." in response.content.decode()


def test_published_version_is_read_only(client_concepteur, brouillon):
    services.modele_publier(modele=brouillon, by=None)
    response = client_concepteur.get(url(brouillon))
    html = response.content.decode()
    assert "lecture seule" in html
    assert 'type="checkbox"' not in html and "Enregistrer la vue" not in html
    data = vue_data(brouillon, "internet", {})
    avant = etat()
    response = client_concepteur.post(url(brouillon), data)
    assert response.status_code == 409
    response = client_concepteur.post(url(brouillon), data, **HTMX)  # published meanwhile
    assert response.status_code == 200 and "Une version publiée ne se modifie pas" in (
        response.content.decode()
    )
    assert etat() == avant


def test_sub_fields_of_a_block_are_indented(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    bloc = services.champ_ajouter(
        ligne=ligne, type="bloc_repetable", libelle="Enfants", nom="enfants"
    )
    services.champ_ajouter(ligne=ligne, parent=bloc, type="texte", libelle="Prénom", nom="prenom")
    html = client_concepteur.get(url(brouillon)).content.decode()
    assert 'class="guichet-grille__sous-champ"' in html
    assert html.index("Enfants") < html.index("Prénom")


def test_bad_view_and_foreign_field_are_refused(client_concepteur, brouillon):
    response = client_concepteur.post(url(brouillon), {"vue": "nulle"})
    assert response.status_code == 400
    # A checkbox of another model's field is ignored: only this model's fields are read.
    response = client_concepteur.post(url(brouillon), {"vue": "crm", "crm-c999999_visible": "on"})
    assert response.status_code == 302


def test_grid_budget_does_not_grow_with_fields(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)

    def grow():
        onglet = services.onglet_ajouter(modele=brouillon, titre="Encore")
        autres = [services.ligne_ajouter(onglet=onglet, colonnes=2) for _ in range(3)]
        champs = []
        for i in range(148):
            champs.append(
                services.champ_ajouter(
                    ligne=autres[i % 3],
                    type="texte",
                    libelle=f"T{i}",
                    nom=f"t{i}",
                    colonne=1 + i % 2,
                )
            )
        bloc = services.champ_ajouter(ligne=ligne, type="bloc_repetable", libelle="B", nom="b")
        services.champ_ajouter(ligne=ligne, parent=bloc, type="texte", libelle="S", nom="s")
        for champ in champs[:20]:
            ProprietesVue.objects.update_or_create(
                champ=champ, vue="crm", defaults={"visible": False, "modifiable": False}
            )
        assert Champ.objects.filter(modele=brouillon).count() >= 150

    assert_page_budget(client_concepteur, url(brouillon), budget=16, grow=grow)
