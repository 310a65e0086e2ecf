"""The agent edits a dossier's data on the Données tab (C3), per the agents' view of the
form: `dossiers.services_donnees_agent` and `crm.dossiers.views_donnees`."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import Dossier, Historique, Onglet, ProprietesVue, Vue
from dossiers.services_donnees_agent import dossier_donnees_modifier, onglets_modifiables
from dossiers.services_gestion import GestionRefusee
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dispositif(db):
    """« nom » read-only for agents, « montant » required of them, « note » editable."""
    dispositif = dispositif_publie(
        champs=(
            ("nom", "Nom", "texte"),
            ("montant", "Montant", "montant"),
            ("note", "Note", "texte"),
        )
    )
    modele = dispositif.modeles.get()
    ProprietesVue.objects.create(champ=modele.champs.get(nom="nom"), vue=Vue.CRM, modifiable=False)
    ProprietesVue.objects.create(
        champ=modele.champs.get(nom="montant"), vue=Vue.CRM, obligatoire=True
    )
    return dispositif


@pytest.fixture
def dossier(dispositif):
    return deposer(dispositif, donnees={"nom": "Martin", "montant": "1250.5", "note": ""})


def _onglet(dossier):
    return Onglet.objects.get(modele=dossier.modele)


def _url(dossier):
    return reverse("crm:dossier_donnees_modifier", args=[dossier.pk, _onglet(dossier).pk])


def _frais(dossier):
    return Dossier.objects.get(pk=dossier.pk)


# --- service ---------------------------------------------------------------------------


def test_only_fields_editable_for_agents_are_written_with_before_and_after(dossier, instructeur):
    changes = dossier_donnees_modifier(
        dossier=dossier,
        onglet_pk=_onglet(dossier).pk,
        data={"nom": "Forgé", "montant": "2000", "note": "vu au guichet", "autre": "x"},
        by=instructeur,
    )
    assert sorted(changes) == ["montant", "note"]
    donnees = _frais(dossier).donnees
    assert donnees["nom"] == "Martin" and "autre" not in donnees
    assert donnees["note"] == "vu au guichet"
    ligne = Historique.objects.get(dossier=dossier, nature=Historique.Nature.CORRECTION)
    assert ligne.par == instructeur and not ligne.visible_usager
    assert ligne.details["donnees"]["note"] == {
        "libelle": "Note",
        "avant": "",
        "apres": "vu au guichet",
    }
    assert "→" in ligne.libelle and "Montant" in ligne.libelle


def test_required_for_agents_and_bad_input_refused_nothing_written(dossier, instructeur):
    with pytest.raises(services.DepotRefuse) as refus:
        dossier_donnees_modifier(
            dossier=dossier,
            onglet_pk=_onglet(dossier).pk,
            data={"montant": "", "note": "x"},
            by=instructeur,
        )
    assert "montant" in refus.value.erreurs
    assert _frais(dossier).donnees["note"] == ""
    assert not Historique.objects.filter(nature=Historique.Nature.CORRECTION).exists()


def test_nothing_changed_writes_nothing(dossier, instructeur):
    assert (
        dossier_donnees_modifier(
            dossier=dossier,
            onglet_pk=_onglet(dossier).pk,
            data={"montant": "1250.5", "note": ""},
            by=instructeur,
        )
        == []
    )
    assert not Historique.objects.filter(nature=Historique.Nature.CORRECTION).exists()


def test_a_closed_dossier_is_refused(dossier, instructeur):
    Dossier.objects.filter(pk=dossier.pk).update(statut=Dossier.Statut.CLOS)
    assert onglets_modifiables(_frais(dossier)) == []
    with pytest.raises(GestionRefusee, match="clôturé"):
        dossier_donnees_modifier(
            dossier=dossier, onglet_pk=_onglet(dossier).pk, data={"note": "x"}, by=instructeur
        )


def test_a_tab_without_editable_field_is_not_offered(instructeur):
    dispositif = dispositif_publie(champs=(("nom", "Nom", "texte"),))
    ProprietesVue.objects.create(
        champ=dispositif.modeles.get().champs.get(nom="nom"), vue=Vue.CRM, modifiable=False
    )
    dossier = deposer(dispositif, donnees={"nom": "Martin"})
    assert onglets_modifiables(dossier) == []
    with pytest.raises(GestionRefusee):
        dossier_donnees_modifier(
            dossier=dossier, onglet_pk=_onglet(dossier).pk, data={"nom": "x"}, by=instructeur
        )


# --- views -----------------------------------------------------------------------------


def test_the_donnees_tab_offers_modifier(client, instructeur, dossier):
    client.force_login(instructeur)
    page = client.get(reverse("crm:dossier_donnees", args=[dossier.pk])).content.decode()
    assert _url(dossier) in page and "Modifier « Demande »" in page
    Dossier.objects.filter(pk=dossier.pk).update(statut=Dossier.Statut.CLOS)
    page = client.get(reverse("crm:dossier_donnees", args=[dossier.pk])).content.decode()
    assert _url(dossier) not in page and "clôturé" in page
    assert client.get(_url(dossier)).status_code == 404


def test_edit_without_javascript(client, instructeur, dossier):
    client.force_login(instructeur)
    page = client.get(_url(dossier))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="note"' in html and 'value="Martin"' in html and "disabled" in html
    refus = client.post(_url(dossier), {"montant": "beaucoup", "note": "gardé"})
    assert refus.status_code == 400
    html = refus.content.decode()
    assert 'value="gardé"' in html and 'value="beaucoup"' in html and "fr-message--error" in html
    assert _frais(dossier).donnees["note"] == ""
    fait = client.post(_url(dossier), {"montant": "900", "note": "relu"})
    assert fait.status_code == 302
    assert fait["Location"] == reverse("crm:dossier_donnees", args=[dossier.pk])
    assert _frais(dossier).donnees["note"] == "relu"
    historique = client.get(reverse("crm:dossier_historique", args=[dossier.pk])).content.decode()
    assert "Note : — → relu" in historique


def test_edit_in_place_with_htmx(client, instructeur, dossier):
    client.force_login(instructeur)
    formulaire = client.get(_url(dossier), **HTMX)
    assert formulaire.status_code == 200 and "<html" not in formulaire.content.decode()
    refus = client.post(_url(dossier), {"montant": "", "note": "gardé"}, **HTMX)
    assert refus.status_code == 200 and 'value="gardé"' in refus.content.decode()
    fait = client.post(_url(dossier), {"montant": "900", "note": "relu"}, **HTMX)
    html = fait.content.decode()
    assert fait.status_code == 200 and "relu" in html and "sont enregistrées" in html


def test_other_agents_get_403_and_other_tabs_404(client, agent, instructeur, dossier):
    client.force_login(agent)
    assert client.get(_url(dossier)).status_code == 403
    assert client.post(_url(dossier), {"note": "x"}).status_code == 403
    client.force_login(instructeur)
    autre = deposer(dispositif_publie())
    url = reverse("crm:dossier_donnees_modifier", args=[dossier.pk, _onglet(autre).pk])
    assert client.get(url).status_code == 404
    assert _frais(dossier).donnees["note"] == ""


def test_edit_page_query_budget(client, instructeur, dossier, dispositif):
    """The edit page: session and agent, the dossier, the guide's tab overrides, the
    form's structure (cached once published), the frame's tabs. More dossiers and
    history do not change it."""
    client.force_login(instructeur)
    client.get(_url(dossier))  # the published form's structure read once per process

    def grow():
        for _i in range(3):
            autre = deposer(dispositif, donnees={"nom": "X", "montant": "1", "note": ""})
            dossier_donnees_modifier(
                dossier=autre, onglet_pk=_onglet(autre).pk, data={"montant": "2"}, by=instructeur
            )

    assert_page_budget(client, _url(dossier), budget=BUDGET_MODIFIER, grow=grow)


BUDGET_MODIFIER = 10


def test_a_tab_the_guide_made_read_only_for_agents_is_not_offered(
    monkeypatch, dossier, instructeur
):
    """« Onglet par vue » (read through dossiers.suivi.onglets_vue) wins over the form."""
    from dossiers import suivi

    vues = []

    def onglets_vue(dossier, vue):
        vues.append(vue)
        return {"Demande": {"modifiable": False}}

    monkeypatch.setattr(suivi, "onglets_vue", onglets_vue)
    assert onglets_modifiables(dossier) == [] and vues == [Vue.CRM]
    with pytest.raises(GestionRefusee):
        dossier_donnees_modifier(
            dossier=dossier, onglet_pk=_onglet(dossier).pk, data={"note": "x"}, by=instructeur
        )
    assert _frais(dossier).donnees["note"] == ""


@pytest.mark.django_db(transaction=True)
def test_two_connections_the_edit_waits_for_the_lock_and_reads_afresh(dossier, instructeur):
    """Another connection closes the dossier while holding its row: the edit, started on
    the stale copy, waits, reads the dossier again and is refused; nothing written."""
    import threading

    from django.db import connection, transaction

    tenu, relacher = threading.Event(), threading.Event()

    def autre_agent():
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=dossier.pk)
                Dossier.objects.filter(pk=dossier.pk).update(statut=Dossier.Statut.CLOS)
                tenu.set()
                relacher.wait(5)
        finally:
            connection.close()

    fil = threading.Thread(target=autre_agent)
    fil.start()
    assert tenu.wait(5)
    threading.Timer(0.3, relacher.set).start()
    try:
        with pytest.raises(GestionRefusee, match="clôturé"):
            dossier_donnees_modifier(
                dossier=dossier,  # still « déposé » in memory
                onglet_pk=_onglet(dossier).pk,
                data={"montant": "10", "note": "trop tard"},
                by=instructeur,
            )
    finally:
        relacher.set()
        fil.join(5)
    assert _frais(dossier).donnees["note"] == ""
