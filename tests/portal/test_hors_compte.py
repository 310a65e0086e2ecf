"""Filing without an account and following the request (P6, F14): the pages."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from dossiers import services_hors_compte as hc
from dossiers.models import Dossier, VerificationSuivi
from dossiers.selectors import dossiers_of
from notifications.models import Message
from portal.dossier_page import SUIVIS_SESSION
from tests.dossiers.hors_compte import deposer, dispositif_sans_compte
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispositif():
    return dispositif_sans_compte(titre="Copie d’acte")


def _url(dispositif):
    return reverse("portal:demande_sans_compte", kwargs={"slug": dispositif.slug})


def _coordonnees(dispositif):
    return reverse("portal:demande_sans_compte_coordonnees", kwargs={"slug": dispositif.slug})


def _remplir(client, dispositif, nom="Durand"):
    client.get(_url(dispositif))
    client.post(_url(dispositif), {"guichet-action": "suivant", "nom": nom, "prenom": "Jeanne"})
    return client.post(_url(dispositif), {"guichet-action": "suivant", "motif": "Mariage"})


COORDONNEES = {
    "email": "jeanne@exemple.fr",
    "email_confirmation": "jeanne@exemple.fr",
    "verification": "1985-07-14",
    "consentement": "on",
}


def test_the_sheet_offers_the_wizard_without_account(client, dispositif):
    body = client.get(dispositif.get_absolute_url()).content.decode()
    assert f'href="{_url(dispositif)}"' in body
    ferme = dispositif_sans_compte(depot_sans_compte=False)
    assert _url(ferme) not in client.get(ferme.get_absolute_url()).content.decode()
    assert client.get(_url(ferme)).status_code == 404


def test_an_anonymous_citizen_files_and_gets_code_and_key_once(
    client, dispositif, django_capture_on_commit_callbacks
):
    page = client.get(_url(dispositif))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Enregistrer et continuer plus tard" not in body
    assert "ne peut pas être enregistrée en brouillon" in body
    assert "Étape 1 sur 3" in body  # the form's two tabs and the tracking step
    response = _remplir(client, dispositif)
    assert response.status_code == 302 and response["Location"] == _coordonnees(dispositif)
    assert "Vos coordonnées de suivi" in client.get(_coordonnees(dispositif)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_coordonnees(dispositif), COORDONNEES)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:suivi_confirmation", args=[dossier.pk])
    assert client.session[SUIVIS_SESSION] == [dossier.pk]
    assert dossier.cree_par is None and dossier.donnees["nom"] == "Durand"
    body = client.get(response["Location"]).content.decode()
    assert dossier.reference in body and dossier.code_suivi in body
    cle = re.search(r'id="cle-rattachement">([A-Z0-9-]+)<', body).group(1)
    message = Message.objects.get(evenement="dossier.depose_sans_compte")
    assert cle in message.corps
    # Shown once.
    assert 'id="cle-rattachement"' not in client.get(response["Location"]).content.decode()
    # The wizard's state is gone.
    assert not any(k.startswith("guichet_sans_compte_") for k, _v in client.session.items())


def test_tracking_step_bad_input_is_said_next_to_the_fields(client, dispositif):
    _remplir(client, dispositif)
    response = client.post(
        _coordonnees(dispositif),
        {
            "email": "jeanne@exemple.fr",
            "email_confirmation": "jeane@exemple.fr",
            "verification": "31/02/1985",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Les deux adresses ne sont pas identiques" in body
    assert "Cochez cette case" in body
    assert 'value="jeanne@exemple.fr"' in body  # input kept
    assert not Dossier.objects.exists()


def test_postcode_is_asked_when_the_dispositif_says_so(client):
    dispositif = dispositif_sans_compte(verification=VerificationSuivi.CODE_POSTAL)
    _remplir(client, dispositif)
    body = client.get(_coordonnees(dispositif)).content.decode()
    assert "Votre code postal" in body
    response = client.post(_coordonnees(dispositif), {**COORDONNEES, "verification": "4500"})
    assert "cinq chiffres" in response.content.decode()
    response = client.post(_coordonnees(dispositif), {**COORDONNEES, "verification": "45000"})
    assert response.status_code == 302


def test_names_are_asked_when_the_form_gives_none(client):
    dispositif = dispositif_sans_compte(identite=False)
    _remplir(client, dispositif)
    assert "Votre prénom" in client.get(_coordonnees(dispositif)).content.decode()
    response = client.post(
        _coordonnees(dispositif), {**COORDONNEES, "prenom": "Louis", "nom": "Petit"}
    )
    assert response.status_code == 302
    assert Dossier.objects.get().demandeur_individu.nom == "Petit"


def test_the_tracking_step_needs_the_form_filled(client, dispositif):
    assert client.get(_coordonnees(dispositif))["Location"] == _url(dispositif)
    client.get(_url(dispositif))
    assert client.get(_coordonnees(dispositif))["Location"] == _url(dispositif)


def test_back_from_the_tracking_step(client, dispositif):
    _remplir(client, dispositif)
    response = client.post(_coordonnees(dispositif), {"precedent": ""})
    assert response["Location"] == _url(dispositif)
    assert "Étape 2 sur 3" in client.get(_url(dispositif)).content.decode()


def test_no_draft_without_account(client, dispositif):
    client.get(_url(dispositif))
    response = client.post(_url(dispositif), {"guichet-action": "brouillon", "nom": "Durand"})
    assert response.status_code == 200
    assert "ne peut pas être enregistrée en brouillon" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_cached_step_never_carries_another_visitors_answers(client, dispositif, settings):
    from django.test import Client

    settings.GUICHET_CACHE_ETAPES = True
    client.get(_url(dispositif))
    client.post(
        _url(dispositif), {"guichet-action": "suivant", "nom": "Secret", "prenom": "Agathe"}
    )
    client.post(_url(dispositif), {"guichet-action": "precedent", "motif": ""})
    assert "Secret" in client.get(_url(dispositif)).content.decode()
    autre = Client()
    for _i in range(2):  # the second answer comes from the page cache
        response = autre.get(_url(dispositif))
        body = response.content.decode()
        assert "Secret" not in body and "Agathe" not in body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        mine = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            client.get(_url(dispositif)).content.decode(),
        ).group(1)
        assert token != mine


# --- Follow link -------------------------------------------------------------------------------


def test_the_follow_link_opens_the_dossier(client, dispositif):
    dossier = deposer(dispositif).dossier
    response = client.get(reverse("portal:suivi_lien", args=[hc.lien_jeton(dossier)]))
    assert response.status_code == 302
    assert response["Location"] == f"/mon-compte/demandes/{dossier.pk}/"
    assert client.session[SUIVIS_SESSION] == [dossier.pk]
    assert list(dossiers_of(None, suivis=client.session[SUIVIS_SESSION])) == [dossier]


def _expire(dossier):
    signer = signing.TimestampSigner(salt=hc.SEL_LIEN)
    past = timezone.now() - datetime.timedelta(days=31)
    signer.timestamp = lambda: signing.b62_encode(int(past.timestamp()))
    return signer.sign_object({"d": dossier.pk, "c": dossier.code_suivi})


def test_bad_links_all_get_the_same_page(client, dispositif):
    dossier = deposer(dispositif).dossier
    bons = signing.TimestampSigner(salt=hc.SEL_LIEN)
    jetons = [
        hc.lien_jeton(dossier) + "x",  # forged
        _expire(dossier),  # expired
        bons.sign_object({"d": dossier.pk + 1000, "c": dossier.code_suivi}),  # unknown
        bons.sign_object({"d": dossier.pk, "c": "AAAAA-AAAAA"}),  # stale code
        "n-importe-quoi",
    ]
    corps = set()
    for jeton in jetons:
        response = client.get(reverse("portal:suivi_lien", args=[jeton]))
        assert response.status_code == 404
        body = response.content.decode()
        assert "Ce lien est incorrect ou a expiré" in body
        assert reverse("portal:suivi_renvoyer") in body
        corps.add(re.sub(r'value="[^"]{20,}"', "", body))
    assert len(corps) == 1  # the same page whatever the reason
    assert SUIVIS_SESSION not in client.session


# --- Tracking code -------------------------------------------------------------------------------


def test_tracking_code_gives_access(client, dispositif):
    depot = deposer(dispositif)
    response = client.post(
        reverse("portal:suivi"), {"code": depot.code_suivi.lower(), "verification": "14/07/1985"}
    )
    assert response["Location"] == f"/mon-compte/demandes/{depot.dossier.pk}/"
    assert client.session[SUIVIS_SESSION] == [depot.dossier.pk]


@pytest.mark.parametrize(
    "donnees",
    [
        {"code": "AAAAA-AAAAA", "verification": "14/07/1985"},
        {"code": "bon", "verification": "15/07/1985"},
        {"code": "bon", "verification": ""},
    ],
)
def test_a_wrong_code_or_value_gets_one_neutral_answer(client, dispositif, donnees):
    depot = deposer(dispositif)
    if donnees["code"] == "bon":
        donnees = {**donnees, "code": depot.code_suivi}
    response = client.post(reverse("portal:suivi"), donnees)
    assert response.status_code == 200
    body = response.content.decode()
    assert ("ne correspondent à aucune demande" in body) or ("Ce champ est obligatoire" in body)
    assert SUIVIS_SESSION not in client.session


def test_a_malformed_code_is_said_next_to_the_field(client):
    response = client.post(reverse("portal:suivi"), {"code": "ABC", "verification": "14/07/1985"})
    body = response.content.decode()
    assert "Un code de suivi compte dix lettres" in body and 'value="ABC"' in body


def test_tracking_code_is_rate_limited_per_address(client, dispositif):
    depot = deposer(dispositif)
    for i in range(hc.LIMITE_TENTATIVES):
        response = client.post(
            reverse("portal:suivi"), {"code": f"AAAAA-AAAA{'ABCDE'[i]}", "verification": "x"}
        )
        assert response.status_code == 200
    # Even the right code is refused while the limit holds.
    response = client.post(
        reverse("portal:suivi"), {"code": depot.code_suivi, "verification": "14/07/1985"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    # Another address is not limited.
    response = client.post(
        reverse("portal:suivi"),
        {"code": depot.code_suivi, "verification": "14/07/1985"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302


def test_tracking_code_is_rate_limited_per_code(client, dispositif):
    depot = deposer(dispositif)
    for i in range(hc.LIMITE_TENTATIVES):
        client.post(
            reverse("portal:suivi"),
            {"code": depot.code_suivi, "verification": f"0{i + 1}/01/1970"},
            REMOTE_ADDR=f"10.0.0.{i}",
        )
    response = client.post(
        reverse("portal:suivi"),
        {"code": depot.code_suivi, "verification": "14/07/1985"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429


# --- New link ------------------------------------------------------------------------------------


def test_new_link_always_gets_the_same_answer(
    client, dispositif, django_capture_on_commit_callbacks
):
    depot = deposer(dispositif)
    url = reverse("portal:suivi_renvoyer")
    reponses = []
    for email in ["inconnu@exemple.fr", "jeanne@exemple.fr"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"email": email, "reference": depot.dossier.reference}, follow=True
            )
        reponses.append(re.sub(r'value="[^"]{40,}"', "", response.content.decode()))
    assert reponses[0] == reponses[1]
    assert "Si une demande correspond" in reponses[0]
    assert Message.objects.filter(evenement="dossier.lien_suivi").count() == 1


def test_new_link_is_rate_limited(client):
    url = reverse("portal:suivi_renvoyer")
    for _i in range(hc.LIMITE_TENTATIVES):
        assert client.post(url, {"email": "x@exemple.fr", "reference": "R"}).status_code == 302
    assert client.post(url, {"email": "x@exemple.fr", "reference": "R"}).status_code == 429


# --- Attach ------------------------------------------------------------------------------------


def test_attach_to_the_account(client, citizen, dispositif):
    depot = deposer(dispositif)
    client.force_login(citizen)
    url = reverse("portal:suivi_rattacher")
    assert (
        f'value="{depot.dossier.reference}"'
        in client.get(f"{url}?reference={depot.dossier.reference}").content.decode()
    )
    response = client.post(
        url, {"reference": depot.dossier.reference, "cle": "AAAA-AAAA-AAAA-AAAA"}
    )
    assert response.status_code == 200
    assert "ne correspondent à aucune demande à rattacher" in response.content.decode()
    response = client.post(
        url, {"reference": depot.dossier.reference, "cle": depot.cle_rattachement}
    )
    assert response["Location"] == f"/mon-compte/demandes/{depot.dossier.pk}/"
    assert list(dossiers_of(citizen)) == [depot.dossier]


def test_attach_is_rate_limited(client, citizen, dispositif):
    depot = deposer(dispositif)
    client.force_login(citizen)
    url = reverse("portal:suivi_rattacher")
    for _i in range(hc.LIMITE_TENTATIVES):
        client.post(url, {"reference": depot.dossier.reference, "cle": "AAAA-AAAA-AAAA-AAAA"})
    response = client.post(
        url, {"reference": depot.dossier.reference, "cle": depot.cle_rattachement}
    )
    assert response.status_code == 429
    depot.dossier.refresh_from_db()
    assert depot.dossier.cree_par is None


# --- Budgets -----------------------------------------------------------------------------------


def test_query_budgets(client, dispositif):
    dossier = deposer(dispositif).dossier
    client.get(reverse("portal:suivi"))  # the session's first request
    assert_page_budget(
        client,
        reverse("portal:suivi"),
        budget=3,
        grow=lambda: deposer(dispositif, email="b@exemple.fr"),
    )
    url = reverse("portal:suivi_lien", args=[hc.lien_jeton(dossier)])
    client.get(url)  # first visit: the session gets its new key
    assert_page_budget(
        client, url, budget=8, status=302, grow=lambda: deposer(dispositif, email="c@exemple.fr")
    )
    assert_page_budget(client, reverse("portal:suivi_lien", args=["faux"]), budget=3, status=404)


def test_the_dossier_frame_offers_to_attach_to_a_signed_in_visitor(rf, citizen, dispositif):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    from portal.dossier_page import contexte_dossier

    depot = deposer(dispositif)
    request = rf.get("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    assert not contexte_dossier(request, depot.dossier, "suivi")["rattachable"]
    request.user = citizen
    contexte = contexte_dossier(request, depot.dossier, "suivi")
    assert contexte["rattachable"]
    from django.template.loader import render_to_string

    html = render_to_string("portal/dossiers/dossier_base.html", contexte, request)
    assert f"{reverse('portal:suivi_rattacher')}?reference={depot.dossier.reference}" in html
    hc.dossier_rattacher(
        user=citizen, reference=depot.dossier.reference, cle=depot.cle_rattachement
    )
    depot.dossier.refresh_from_db()
    assert not contexte_dossier(request, depot.dossier, "suivi")["rattachable"]


def test_tracking_code_post_budget(client, dispositif, django_assert_max_num_queries):
    depot = deposer(dispositif)
    url = reverse("portal:suivi")
    client.post(url, {"code": "AAAAA-AAAAA", "verification": "x"})  # the session exists
    with django_assert_max_num_queries(8):
        response = client.post(url, {"code": "AAAAA-AAAAB", "verification": "x"})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.post(url, {"code": depot.code_suivi, "verification": "14/07/1985"})
    assert response.status_code == 302


def test_showing_a_step_without_account_is_as_cheap_as_with_one(client, dispositif):
    client.get(_url(dispositif))
    client.post(_url(dispositif), {"guichet-action": "suivant", "nom": "Durand", "prenom": "J"})
    client.get(_url(dispositif))  # the structure is read once per process
    # No user to load: the dispositif, its version (one query) and the lists' values.
    assert_page_budget(
        client,
        _url(dispositif),
        budget=3,
        grow=lambda: deposer(dispositif, email="d@exemple.fr"),
    )
