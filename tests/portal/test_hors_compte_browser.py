"""Journey (issue 7, P6): a citizen without an account files, follows the link of the
mail, later creates an account and attaches the request with its key."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from dossiers.models import Dossier
from dossiers.selectors import dossiers_of
from tests.browser import assert_accessible
from tests.dossiers.hors_compte import dispositif_sans_compte

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "Un-mot-de-passe-solide-42"


def test_file_without_account_follow_the_link_then_attach_to_a_new_account(page):
    dispositif = dispositif_sans_compte(titre="Copie d’acte d’état civil")
    page.goto(dispositif.get_absolute_url())
    assert_accessible(page, "fiche")
    page.get_by_role("link", name="Faire ma demande sans compte").click()

    expect(page.get_by_text("ne peut pas être enregistrée en brouillon")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer et continuer plus tard")).to_have_count(0)
    assert_accessible(page, "etape_1")
    page.get_by_label(re.compile(r"^\s*Nom")).fill("Durand")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Demande")
    assert_accessible(page, "etape_2")
    page.get_by_label("Motif").fill("Mariage")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Vos coordonnées de suivi")
    page.get_by_label(re.compile(r"^\s*Votre adresse électronique")).fill("jeanne@exemple.fr")
    page.get_by_label("Confirmez votre adresse électronique").fill("jeanne@exemple.fr")
    page.get_by_label("Votre date de naissance").fill("1985-07-14")
    page.get_by_role("button", name="Déposer ma demande").click()
    # Bad input: the consent is missing, said next to the box, the rest kept.
    expect(page.get_by_text("Cochez cette case pour déposer votre demande.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Votre adresse électronique"))).to_have_value(
        "jeanne@exemple.fr"
    )
    assert_accessible(page, "coordonnees_erreur")
    page.get_by_label("Votre date de naissance").fill("1985-07-14")
    page.get_by_text("J’accepte que mon adresse").click()
    page.get_by_role("button", name="Déposer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation")
    dossier = Dossier.objects.get()
    cle = page.locator("#cle-rattachement").inner_text()
    assert page.locator("#code-suivi").inner_text() == dossier.code_suivi

    # The mail, delivered through the outbox.
    (message,) = [m for m in mail.outbox if dossier.reference in m.subject]
    assert message.to == ["jeanne@exemple.fr"]
    assert cle in message.body and dossier.code_suivi in message.body
    lien = re.search(r"https?://\S+/suivi/\S+/", message.body).group(0)

    # Another browser (the mail opened elsewhere): the link opens the dossier's page.
    origine = "{0.scheme}://{0.netloc}".format(urlparse(page.url))
    autre = page.context.browser.new_context(base_url=origine, locale="fr-FR")
    visiteur = autre.new_page()
    visiteur.goto(urlparse(lien).path)
    assert urlparse(visiteur.url).path == f"/mon-compte/demandes/{dossier.pk}/"
    autre.close()
    # A forged link: one clear page, the code form and a new link offered.
    page.goto(urlparse(lien).path.replace("/suivi/", "/suivi/x"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien de suivi n’est pas valable")
    expect(
        page.get_by_role("link", name="Recevoir un nouveau lien de suivi par courriel")
    ).to_be_visible()
    assert_accessible(page, "lien_invalide")

    # Later: an account with the same address, then the request attached with its key.
    mail.outbox.clear()
    page.goto("/compte/inscription/")
    assert_accessible(page, "inscription")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Adresse électronique").fill("jeanne@exemple.fr")
    page.get_by_label(re.compile(r"^\s*Mot de passe")).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmation du mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre adresse")
    assert_accessible(page, "verification_envoyee")
    confirmation = next(m for m in mail.outbox if "confirmer-adresse" in m.body)
    page.goto(
        urlparse(re.search(r"https?://\S+/confirmer-adresse/\S+/", confirmation.body).group(0)).path
    )
    assert_accessible(page, "confirmer_adresse")
    page.get_by_role("button", name="Confirmer").click()
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill("jeanne@exemple.fr")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")

    page.goto(f"/mon-compte/rattacher/?reference={dossier.reference}")
    expect(page.get_by_label("Référence de la demande")).to_have_value(dossier.reference)
    page.get_by_label("Clé de rattachement").fill("AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="Rattacher la demande").click()
    expect(page.get_by_text("ne correspondent à aucune demande à rattacher")).to_be_visible()
    assert_accessible(page, "rattacher_erreur")
    page.get_by_label("Clé de rattachement").fill(cle.lower())
    page.get_by_role("button", name="Rattacher la demande").click()
    # The dossier's page (its Suivi tab comes with the suivi slice).
    page.wait_for_url(f"**/mon-compte/demandes/{dossier.pk}/")
    assert_accessible(page, "dossier")

    user = User.objects.get(email="jeanne@exemple.fr")
    assert list(dossiers_of(user)) == [dossier]
    dossier.refresh_from_db()
    assert dossier.cree_par == user and dossier.demandeur_individu.user == user
    assert dossier.rattache_le is not None and dossier.cle_rattachement == ""
