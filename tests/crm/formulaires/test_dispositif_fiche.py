"""A dispositif's sheet in the CRM: its illustration (checked by content and size) and
alternative text, its links (FAQ, terms…) added and removed, its start buttons and the
page shown after a deposit."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dossiers.models import Dispositif, LienDispositif
from tests.dossiers.factories import DispositifFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def png(nom="illustration.png", taille=(160, 90)) -> SimpleUploadedFile:
    contenu = io.BytesIO()
    Image.new("RGB", taille, (0, 99, 203)).save(contenu, "PNG")
    return SimpleUploadedFile(nom, contenu.getvalue(), "image/png")


def donnees(dispositif, **extra):
    """The sheet's form as the page posts it, with its links' rows."""
    data = {
        "titre": dispositif.titre,
        "slug": dispositif.slug,
        "code": dispositif.code,
        "resume": dispositif.resume,
        "depot_avec_compte": "on",
        "actif": "on",
        "ordre": "0",
        "pieces-TOTAL_FORMS": "0",
        "pieces-INITIAL_FORMS": "0",
    }
    liens = list(dispositif.liens.all())
    data["liens-TOTAL_FORMS"] = str(len(liens) + 1)
    data["liens-INITIAL_FORMS"] = str(len(liens))
    data[f"liens-{len(liens)}-ordre"] = "0"  # the blank row, as the browser posts it
    for i, lien in enumerate(liens):
        data |= {
            f"liens-{i}-id": str(lien.pk),
            f"liens-{i}-libelle": lien.libelle,
            f"liens-{i}-url": lien.url,
            f"liens-{i}-ordre": str(lien.ordre),
        }
    data.update(extra)
    return data


def url(dispositif):
    return reverse("crm:formulaire_dispositif", args=[dispositif.pk])


def test_illustration_alt_links_start_buttons_and_landing_page(client_concepteur):
    dispositif = DispositifFactory(titre="Location de salle")
    page = client_concepteur.get(url(dispositif)).content.decode()
    for texte in (
        "Illustration",
        "Texte alternatif de l’illustration",
        "Boutons de démarrage",
        "Dépôt sans compte",
        "Dépôt pour le compte d’un tiers",
        "Page après dépôt",
        "Liens utiles",
        "Ajouter un lien",
    ):
        assert texte in page, texte
    data = donnees(
        dispositif,
        illustration=png(),
        illustration_alt="La salle des fêtes, vue de la place",
        depot_sans_compte="on",
        depot_pour_autrui="on",
        page_confirmation="<p>Réponse sous 15 jours.</p><script>x()</script>",
        **{
            "liens-0-libelle": "Questions fréquentes",
            "liens-0-url": "mairie.fr/faq",
            "liens-0-ordre": "0",
        },
    )
    response = client_concepteur.post(url(dispositif), data)
    assert response.status_code == 302
    dispositif.refresh_from_db()
    assert dispositif.illustration.name.endswith("illustration.png")
    assert dispositif.illustration_alt == "La salle des fêtes, vue de la place"
    assert dispositif.depot_sans_compte and dispositif.depot_pour_autrui
    assert dispositif.page_confirmation == "<p>Réponse sous 15 jours.</p>"  # cleaned
    assert [(lien.libelle, lien.url) for lien in dispositif.liens.all()] == [
        ("Questions fréquentes", "https://mairie.fr/faq")
    ]
    page = client_concepteur.get(url(dispositif)).content.decode()
    assert dispositif.illustration.url in page and "Remplacer l’illustration" in page
    assert "Supprimer le lien « Questions fréquentes »" in page

    # Remove the link, add the terms of use, take the illustration away.
    faq = dispositif.liens.get()
    data = donnees(
        dispositif,
        retirer_illustration="on",
        **{
            "liens-0-DELETE": "on",
            "liens-1-libelle": "Conditions générales d’utilisation",
            "liens-1-url": "https://mairie.fr/cgu",
            "liens-1-ordre": "1",
        },
    )
    response = client_concepteur.post(url(dispositif), data)
    assert response.status_code == 302
    dispositif.refresh_from_db()
    assert not dispositif.illustration
    assert [lien.libelle for lien in dispositif.liens.all()] == [
        "Conditions générales d’utilisation"
    ]
    assert not LienDispositif.objects.filter(pk=faq.pk).exists()


def test_bad_uploads_and_links_are_refused_next_to_their_field(client_concepteur):
    dispositif = DispositifFactory(titre="Location de salle")
    faux = SimpleUploadedFile("photo.png", b"%PDF-1.4 pas une image", "image/png")
    data = donnees(
        dispositif,
        titre="Nouveau titre",
        illustration=faux,
        **{"liens-0-libelle": "FAQ", "liens-0-url": "pas une adresse"},
    )
    response = client_concepteur.post(url(dispositif), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le dispositif n’a pas été enregistré" in html
    assert "fr-upload-group--error" in html
    assert "Saisissez une URL valide." in html
    assert 'value="Nouveau titre"' in html and 'value="pas une adresse"' in html  # kept
    dispositif.refresh_from_db()
    assert dispositif.titre == "Location de salle" and not dispositif.liens.exists()

    # A real image, but too heavy: refused by its size, with the limit.
    lourde = io.BytesIO()
    Image.effect_noise((1400, 1400), 100).convert("RGB").save(lourde, "PNG")
    assert lourde.tell() > 2 * 1024 * 1024
    data = donnees(
        dispositif, illustration=SimpleUploadedFile("lourde.png", lourde.getvalue(), "image/png")
    )
    response = client_concepteur.post(url(dispositif), data)
    erreurs = re.findall(r"fr-message--error\">([^<]*)", response.content.decode())
    assert erreurs == ["Le fichier pèse 4,0\u00a0Mio : la limite est 2,0\u00a0Mio."]
    dispositif.refresh_from_db()
    assert not dispositif.illustration


def test_add_a_link_row_saves_nothing_and_keeps_input(client_concepteur):
    dispositif = DispositifFactory(titre="Location de salle")
    data = donnees(
        dispositif,
        titre="Titre en cours",
        resume="",  # left empty while typing: not reported, nothing was saved
        ajouter_lien="1",
        **{"liens-0-libelle": "FAQ", "liens-0-url": "https://mairie.fr/faq"},
    )
    # Without JavaScript: the page again, everything typed, one more row, nothing saved.
    response = client_concepteur.post(url(dispositif), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="liens-TOTAL_FORMS" value="2"' in html
    assert 'value="Titre en cours"' in html and 'value="https://mairie.fr/faq"' in html
    assert 'name="liens-1-libelle"' in html and 'name="liens-1-ordre" value="1"' in html
    assert "Ce champ est obligatoire." not in html  # a row asked for, nothing checked
    assert "n’a pas été enregistré" not in html
    dispositif.refresh_from_db()
    assert dispositif.titre == "Location de salle" and not dispositif.liens.exists()
    # With htmx the same answer, from which the page takes the links' fieldset.
    response = client_concepteur.post(url(dispositif), data, **HTMX)
    assert 'id="liens"' in response.content.decode()
    assert not Dispositif.objects.get(pk=dispositif.pk).liens.exists()


def test_create_a_dispositif_with_its_links(client_concepteur):
    data = {
        "titre": "Inscription à l’école de musique",
        "slug": "ecole-musique",
        "code": "MUS",
        "resume": "Inscrivez vos enfants.",
        "depot_avec_compte": "on",
        "ordre": "0",
        "pieces-TOTAL_FORMS": "0",
        "pieces-INITIAL_FORMS": "0",
        "liens-TOTAL_FORMS": "1",
        "liens-INITIAL_FORMS": "0",
        "liens-0-libelle": "Règlement intérieur",
        "liens-0-url": "https://mairie.fr/reglement",
        "liens-0-ordre": "0",
        "illustration": png(),
        "illustration_alt": "",
    }
    response = client_concepteur.post(reverse("crm:formulaire_dispositif_creer"), data)
    assert response.status_code == 302
    dispositif = Dispositif.objects.get(slug="ecole-musique")
    assert dispositif.illustration and dispositif.illustration_alt == ""
    assert [lien.libelle for lien in dispositif.liens.all()] == ["Règlement intérieur"]
