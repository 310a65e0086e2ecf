"""Flow tokens (C12): an outside system reads the JSON flow with `Authorization: Bearer`,
as its agent and with the agent's rights; the secret is shown once and stored hashed;
revoked or unknown tokens get a 401; only the owner revokes."""

import hashlib
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dossiers import services_exports
from dossiers.models import JetonFlux
from tests.dossiers.exports_donnees import deposer_exportable, dispositif_exportable

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispositif():
    return dispositif_exportable()


def _flux(client, dispositif, secret):
    return client.get(
        reverse("crm:flux_dossiers", args=[dispositif.code]),
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_the_page_shows_a_new_secret_once_and_keeps_only_its_hash(client, instructeur):
    client.force_login(instructeur)
    response = client.post(reverse("crm:flux_jetons"), {"libelle": "Entrepôt de données"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    jeton = JetonFlux.objects.get()
    debut = page.index('<code id="jeton-secret">') + len('<code id="jeton-secret">')
    secret = page[debut : page.index("</code>", debut)]
    assert secret.startswith("gflux_") and len(secret) > 40
    assert jeton.empreinte == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(JetonFlux.objects.values()), default=str)
    assert secret not in client.get(reverse("crm:flux_jetons")).content.decode()


def test_an_empty_label_is_a_form_error(client, instructeur):
    client.force_login(instructeur)
    response = client.post(reverse("crm:flux_jetons"), {"libelle": "  "})
    assert response.status_code == 400
    assert "Donnez un libellé au jeton." in response.content.decode()
    assert not JetonFlux.objects.exists()


def test_an_outside_system_reads_the_flow_with_a_token(client, instructeur, dispositif):
    dossier = deposer_exportable(dispositif)
    jeton, secret = services_exports.jeton_creer(agent=instructeur, libelle="Entrepôt")
    response = _flux(client, dispositif, secret)
    assert response.status_code == 200
    page = json.loads(b"".join(response.streaming_content))
    assert [d["reference"] for d in page["dossiers"]] == [dossier.reference]
    jeton.refresh_from_db()
    assert jeton.dernier_usage is not None
    assert "_auth_user_id" not in client.session  # no session was opened


@pytest.mark.parametrize("secret", ["gflux_inconnu", "n-importe-quoi", ""])
def test_an_unknown_token_is_a_401(client, dispositif, secret):
    response = _flux(client, dispositif, secret)
    assert response.status_code == 401
    assert response.json() == {"erreur": "Jeton invalide ou révoqué."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_or_an_inactive_agent_is_a_401(client, instructeur, dispositif):
    jeton, secret = services_exports.jeton_creer(agent=instructeur, libelle="Entrepôt")
    services_exports.jeton_revoquer(jeton=jeton)
    assert _flux(client, dispositif, secret).status_code == 401
    _jeton, secret = services_exports.jeton_creer(agent=instructeur, libelle="Autre")
    instructeur.is_active = False
    instructeur.save(update_fields=["is_active"])
    assert _flux(client, dispositif, secret).status_code == 401


def test_a_token_has_its_agents_rights_at_each_call(client, instructeur, dispositif):
    _jeton, secret = services_exports.jeton_creer(agent=instructeur, libelle="Entrepôt")
    instructeur.user_permissions.remove(Permission.objects.get(codename="instruire_dossiers"))
    assert _flux(client, dispositif, secret).status_code == 403


def test_only_the_owner_revokes_a_token(client, instructeur, admin_user):
    jeton, _secret = services_exports.jeton_creer(agent=instructeur, libelle="Entrepôt")
    url = reverse("crm:flux_jeton_revoquer", args=[jeton.pk])
    client.force_login(admin_user)
    assert client.post(url).status_code == 404
    client.force_login(instructeur)
    response = client.post(url, follow=True)
    assert "Le jeton « Entrepôt » est révoqué." in response.content.decode()
    jeton.refresh_from_db()
    assert jeton.revoque_le is not None
