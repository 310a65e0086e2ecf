"""The commission screens of the CRM (I6): séance page and its budget, decisions inline
and without JavaScript, bad input, adding from the list and the dossier's tab, closing,
documents, meetings."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from instruction import services_commissions
from instruction.models import ChangementStatut, Decision, PointOrdreDuJour, Reunion, Seance
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import donner_droits
from tests.instruction import commissions as c

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def gestionnaire(db):
    user = UserFactory(email="secretariat@exemple.fr", agent=True)
    user.user_permissions.add(Permission.objects.get(codename="gerer_commissions"))
    donner_droits(user)  # a profil métier instructing every dispositif (C7)
    return user


@pytest.fixture
def monde(gestionnaire):
    dispositif, statuts = c.dispositif_instruit()
    commission = c.commission(dispositif)
    seance = c.seance(commission)
    return {"dispositif": dispositif, "statuts": statuts, "seance": seance, "by": gestionnaire}


def _remplir(monde, n):
    dossiers = [c.dossier_en_instruction(monde["dispositif"], monde["statuts"]) for _i in range(n)]
    services_commissions.ordre_du_jour_ajouter(
        seance=monde["seance"], pks=[d.pk for d in dossiers], by=monde["by"]
    )
    return dossiers


def _decider(monde, points, n):
    for point in points[:n]:
        services_commissions.decision_enregistrer(
            point=point, decision=Decision.FAVORABLE, montant=Decimal("100"), by=monde["by"]
        )


@pytest.mark.parametrize("n", [5, 40])
def test_seance_page_budget_is_independent_of_the_agenda(
    monde, client, n, django_assert_max_num_queries
):
    _remplir(monde, n)
    _decider(monde, list(monde["seance"].points.all()), 3)
    client.force_login(monde["by"])
    url = reverse("crm:seance", args=[monde["seance"].pk])
    # Measured: 7 (session, user, permissions, séance, lines, other scope, documents),
    # whatever the number of lines; a little room for the rights per dispositif.
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="point-') == n
    assert "3 favorable(s)" in html and "300,00" in html


def test_decision_inline_with_htmx_answers_the_row_and_the_totals(monde, client):
    _remplir(monde, 2)
    point = monde["seance"].points.order_by("ordre").first()
    client.force_login(monde["by"])
    url = reverse("crm:seance_decision", args=[monde["seance"].pk, point.pk])
    response = client.post(
        url,
        {f"p{point.pk}-decision": "favorable", f"p{point.pk}-montant": "1 500,50"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'\n<tr id="point-{point.pk}">') or f'<tr id="point-{point.pk}">' in html
    assert 'hx-swap-oob="true"' in html and "1\u202f500,50" in html
    point.refresh_from_db()
    assert (point.decision, point.montant) == ("favorable", Decimal("1500.50"))
    assert ChangementStatut.objects.filter(dossier=point.dossier, vers__code="accorde").exists()


def test_decision_without_javascript_redirects_to_the_line(monde, client):
    _remplir(monde, 1)
    point = monde["seance"].points.get()
    client.force_login(monde["by"])
    url = reverse("crm:seance_decision", args=[monde["seance"].pk, point.pk])
    response = client.post(url, {f"p{point.pk}-decision": "ajourne"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#point-{point.pk}")


@pytest.mark.parametrize(
    ("montant", "message"),
    [
        ("-10", "ne peut pas être négatif"),
        ("beaucoup", "Saisissez un montant en euros"),
        ("12,345", "au plus 2 chiffres"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_amount_keeps_the_input_with_a_french_message(monde, client, montant, message, htmx):
    _remplir(monde, 1)
    point = monde["seance"].points.get()
    client.force_login(monde["by"])
    url = reverse("crm:seance_decision", args=[monde["seance"].pk, point.pk])
    response = client.post(
        url,
        {
            f"p{point.pk}-decision": "favorable",
            f"p{point.pk}-montant": montant,
            f"p{point.pk}-motivation": "Projet solide",
        },
        **(HTMX if htmx else {}),
    )
    # htmx swaps no 4xx answer: the row with its errors comes back as 200.
    assert response.status_code == (200 if htmx else 400)
    html = response.content.decode()
    assert message in html
    assert f'value="{montant}"' in html and "Projet solide" in html
    point.refresh_from_db()
    assert point.decision == ""


def test_decision_on_a_closed_dossier_is_refused_with_the_reason(monde, client):
    from instruction import services

    dossier = _remplir(monde, 1)[0]
    point = monde["seance"].points.get()
    services.change_status(dossier=dossier, statut=monde["statuts"]["accorde"], by=None)
    client.force_login(monde["by"])
    url = reverse("crm:seance_decision", args=[monde["seance"].pk, point.pk])
    response = client.post(url, {f"p{point.pk}-decision": "sans_objet"})
    assert response.status_code == 400
    assert "est clôturé" in response.content.decode()


def test_forged_point_of_another_seance_is_404(monde, client):
    _remplir(monde, 1)
    autre = c.seance(monde["seance"].commission)
    point = monde["seance"].points.get()
    client.force_login(monde["by"])
    url = reverse("crm:seance_decision", args=[autre.pk, point.pk])
    assert client.post(url, {f"p{point.pk}-decision": "favorable"}).status_code == 404


def test_instructeur_decides_but_does_not_manage(monde, client, instructeur):
    _remplir(monde, 1)
    point = monde["seance"].points.get()
    client.force_login(instructeur)
    seance = monde["seance"]
    html = client.get(reverse("crm:seance", args=[seance.pk])).content.decode()
    assert "Clore la séance" not in html and "Monter" not in html
    assert client.post(reverse("crm:seance_clore", args=[seance.pk])).status_code == 403
    assert client.get(reverse("crm:seance_creer")).status_code == 403
    response = client.post(
        reverse("crm:seance_decision", args=[seance.pk, point.pk]),
        {f"p{point.pk}-decision": "ajourne"},
    )
    assert response.status_code == 302


def test_create_close_and_documents(monde, client):
    client.force_login(monde["by"])
    commission = monde["seance"].commission
    response = client.post(
        reverse("crm:seance_creer"),
        {"commission": commission.pk, "date": "pas une date", "lieu": "Mairie"},
    )
    assert response.status_code == 400 and 'value="Mairie"' in response.content.decode()
    response = client.post(
        reverse("crm:seance_creer"),
        {"commission": commission.pk, "date": "2027-03-12T18:30", "lieu": "Mairie"},
    )
    seance = Seance.objects.get(lieu="Mairie")
    assert response["Location"] == reverse("crm:seance", args=[seance.pk])

    _remplir({**monde, "seance": seance}, 2)
    odj = client.get(reverse("crm:seance_ordre_du_jour", args=[seance.pk]))
    assert odj.status_code == 200 and odj.content[:4] == b"%PDF"
    assert client.get(reverse("crm:seance_pv", args=[seance.pk])).status_code == 404
    # Not every line decided: refused with the reason.
    response = client.post(reverse("crm:seance_clore", args=[seance.pk]), follow=True)
    assert "Enregistrez d’abord une décision" in response.content.decode()
    _decider({**monde, "seance": seance}, list(seance.points.all()), 2)
    client.post(reverse("crm:seance_clore", args=[seance.pk]))
    seance.refresh_from_db()
    assert seance.close
    pv = client.get(reverse("crm:seance_pv", args=[seance.pk]))
    assert pv.status_code == 200 and pv.content[:4] == b"%PDF"
    html = client.get(reverse("crm:seance", args=[seance.pk])).content.decode()
    assert "hx-post" not in html and "Procès-verbal" in html


def test_inscrire_from_the_list_selection(monde, client):
    dossiers = [c.dossier_en_instruction(monde["dispositif"], monde["statuts"]) for _i in range(2)]
    autre, statuts = c.dispositif_instruit()
    etranger = c.dossier_en_instruction(autre, statuts)
    client.force_login(monde["by"])
    pks = [d.pk for d in dossiers] + [etranger.pk, 99999999]
    response = client.post(reverse("crm:commissions_inscrire"), {"dossiers": pks})
    assert response.status_code == 200 and str(monde["seance"]) in response.content.decode()
    response = client.post(
        reverse("crm:commissions_inscrire"),
        {"dossiers": pks, "seance": monde["seance"].pk, "inscrire": "1"},
    )
    html = response.content.decode()
    assert "2 dossiers inscrits" in html and "2 ignorés" in html
    assert "ne relève pas de la commission" in html and "Dossier introuvable." in html
    assert monde["seance"].points.count() == 2
    # A forged séance id: a French error, nothing added.
    response = client.post(
        reverse("crm:commissions_inscrire"),
        {"dossiers": pks, "seance": "abc", "inscrire": "1"},
    )
    assert response.status_code == 400


def test_dossier_tab_adds_and_refuses_a_closed_dossier(monde, client):
    from instruction import services

    dossier = c.dossier_en_instruction(monde["dispositif"], monde["statuts"])
    client.force_login(monde["by"])
    url = reverse("crm:dossier_commissions", args=[dossier.pk])
    assert str(monde["seance"]) in client.get(url).content.decode()
    response = client.post(url, {"seance": monde["seance"].pk})
    assert response.status_code == 302
    assert PointOrdreDuJour.objects.filter(dossier=dossier).exists()
    response = client.post(url, {"seance": monde["seance"].pk})
    assert response.status_code == 400 and "Déjà inscrit" in response.content.decode()
    clos = c.dossier_en_instruction(monde["dispositif"], monde["statuts"])
    services.change_status(dossier=clos, statut=monde["statuts"]["accorde"], by=None)
    html = client.get(reverse("crm:dossier_commissions", args=[clos.pk])).content.decode()
    assert "ne peut plus passer en commission" in html


def test_reunion_form_names_unknown_references(monde, client):
    dossier = c.dossier_en_instruction(monde["dispositif"], monde["statuts"])
    client.force_login(monde["by"])
    donnees = {
        "objet": "Point avec le comité des fêtes",
        "date": "2027-02-01T10:00",
        "lieu": "Mairie",
        "references": f"{dossier.reference}, 2026-XXX-000999",
    }
    response = client.post(reverse("crm:reunion_creer"), donnees)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dossier(s) introuvable(s) : 2026-XXX-000999." in html
    assert "Point avec le comité des fêtes" in html
    donnees["references"] = dossier.reference
    response = client.post(reverse("crm:reunion_creer"), donnees)
    reunion = Reunion.objects.get()
    assert response["Location"] == reverse("crm:reunion", args=[reunion.pk])
    assert list(reunion.dossiers.all()) == [dossier]
    assert "Point avec le comité" in client.get(reverse("crm:reunions")).content.decode()


def test_documents_deposited_checked_and_served(monde, client, instructeur):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.common.fichiers import pdf

    seance = monde["seance"]
    client.force_login(monde["by"])
    url = reverse("crm:seance_document_deposer", args=[seance.pk])
    # A script named .pdf: refused next to the field, the title kept.
    faux = SimpleUploadedFile("rapport.pdf", b"<script>alert(1)</script>", "application/pdf")
    response = client.post(url, {"titre": "Rapport de présentation", "fichier": faux})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce type de fichier n’est pas accepté" in html
    assert 'value="Rapport de présentation"' in html
    assert not seance.documents.exists()
    vrai = SimpleUploadedFile("../rapport final.pdf", pdf(), "application/pdf")
    response = client.post(url, {"titre": "Rapport de présentation", "fichier": vrai})
    assert response.status_code == 302
    document = seance.documents.get()
    assert document.nom == "rapport final.pdf" and document.type_mime == "application/pdf"
    client.force_login(instructeur)
    reponse = client.get(reverse("crm:seance_document", args=[seance.pk, document.pk]))
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content)[:4] == b"%PDF"
    assert client.post(url, {"fichier": vrai}).status_code == 403
    # A document of another séance: 404.
    autre = c.seance(seance.commission)
    assert (
        client.get(reverse("crm:seance_document", args=[autre.pk, document.pk])).status_code == 404
    )
