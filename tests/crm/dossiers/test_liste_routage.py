"""Issue 9 — tableau: the list's « équipe » and « étiquette » filters (C2 × C14), their
options within the agent's scope, saved views keeping them (a deleted label opens with
the notice), and the map's data parsing the list's parameters without its options."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services_routage
from dossiers.models import Equipe, Etiquette, VueListe
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import donner_droits

pytestmark = pytest.mark.django_db

URL = "/crm/dossiers/"


@pytest.fixture
def jeu(instructeur, citizen):
    vu, autre = dispositif_publie(code="VU"), dispositif_publie(code="AUTRE")
    pole = Equipe.objects.create(nom="Pôle associations", code="pole")
    pole.agents.add(instructeur)
    accueil = Equipe.objects.create(nom="Accueil", code="accueil")
    ailleurs = Equipe.objects.create(nom="Voirie", code="voirie")
    ailleurs.dispositifs.add(autre)
    rouge = Etiquette.objects.create(libelle="À rappeler", couleur="pink-tuile")
    vieille = Etiquette.objects.create(libelle="Ancienne")
    d_pole, d_accueil, d_rien = (deposer(vu, citizen) for _ in range(3))
    for dossier, equipe in ((d_pole, pole), (d_accueil, accueil)):
        services_routage.dossier_attribuer_equipe(dossier=dossier, equipe=equipe, by=instructeur)
    services_routage.dossier_etiqueter(dossier=d_pole, etiquette=rouge, by=instructeur)
    services_routage.dossier_etiqueter(dossier=d_accueil, etiquette=vieille, by=instructeur)
    vieille.active = False  # no longer offered on dossiers, still on this one
    vieille.save(update_fields=["active"])
    return {
        "vu": vu,
        "autre": autre,
        "equipes": (pole, accueil, ailleurs),
        "etiquettes": (rouge, vieille),
        "dossiers": (d_pole, d_accueil, d_rien),
    }


def _refs(reponse):
    return {dossier.reference for dossier, _etat, _cellules in reponse.context["lignes"]}


def test_filter_by_team(client, instructeur, jeu):
    d_pole, d_accueil, d_rien = jeu["dossiers"]
    pole, accueil, _ailleurs = jeu["equipes"]
    client.force_login(instructeur)
    assert _refs(client.get(URL, {"equipe": pole.pk})) == {d_pole.reference}
    assert _refs(client.get(URL, {"equipe": "miennes"})) == {d_pole.reference}
    assert _refs(client.get(URL, {"equipe": "aucune"})) == {d_rien.reference}
    assert _refs(client.get(URL, {"equipe": accueil.pk})) == {d_accueil.reference}
    # A forged id lists nothing and says nothing; garbage is an error beside the field.
    assert _refs(client.get(URL, {"equipe": 987654})) == set()
    reponse = client.get(URL, {"equipe": "' OR 1=1"})
    assert reponse.status_code == 200 and reponse.context["form"].errors["equipe"]


def test_filter_by_label(client, instructeur, jeu):
    d_pole, d_accueil, d_rien = jeu["dossiers"]
    rouge, vieille = jeu["etiquettes"]
    client.force_login(instructeur)
    assert _refs(client.get(URL, {"etiquette": rouge.pk})) == {d_pole.reference}
    assert _refs(client.get(URL, {"etiquette": vieille.pk})) == {d_accueil.reference}
    assert _refs(client.get(URL, {"etiquette": "aucune"})) == {d_rien.reference}
    assert _refs(client.get(URL, {"etiquette": rouge.pk, "equipe": "aucune"})) == set()


def test_options_within_the_agents_scope(client, citizen, jeu):
    lecteur = UserFactory(agent=True)
    donner_droits(lecteur, "voir", dispositifs=[jeu["vu"]])
    client.force_login(lecteur)
    form = client.get(URL).context["form"]
    equipes = dict(form.fields["equipe"].choices)
    pole, accueil, ailleurs = jeu["equipes"]
    # « Voirie » handles only a dispositif this agent does not see.
    assert str(pole.pk) in equipes and str(accueil.pk) in equipes
    assert str(ailleurs.pk) not in equipes
    etiquettes = dict(form.fields["etiquette"].choices)
    assert etiquettes[str(jeu["etiquettes"][1].pk)] == "Ancienne (inactive)"
    # The team outside the scope, forged: nothing.
    assert _refs(client.get(URL, {"equipe": ailleurs.pk})) == set()


def test_a_saved_view_keeps_them_and_a_deleted_label_opens_with_the_notice(
    client, instructeur, jeu
):
    d_pole = jeu["dossiers"][0]
    pole = jeu["equipes"][0]
    rouge = jeu["etiquettes"][0]
    client.force_login(instructeur)
    etat = urlencode({"equipe": pole.pk, "etiquette": rouge.pk})
    client.post("/crm/dossiers/vues/enregistrer/", {"nom": "Pôle à rappeler", "etat": etat})
    vue = VueListe.objects.get(agent=instructeur)
    assert vue.filtres == {"equipe": [str(pole.pk)], "etiquette": [str(rouge.pk)]}
    ouverte = client.get(URL, {"vue": vue.pk})
    assert _refs(ouverte) == {d_pole.reference} and not ouverte.context["ignores"]
    supprimee = rouge.pk
    rouge.delete()
    ouverte = client.get(URL, {"vue": vue.pk})
    assert ouverte.status_code == 200
    (notice,) = ouverte.context["ignores"]
    assert notice == f"la valeur « {supprimee} » du filtre « Étiquette », qui n’est plus proposée"
    # Still filtered by its team.
    assert _refs(ouverte) == {d_pole.reference}
    assert "Cette vue a été ouverte sans ce qui n’existe plus" in ouverte.content.decode()


def test_the_options_cost_one_query_whatever_their_number(client, instructeur, jeu):
    client.force_login(instructeur)
    client.get(URL)
    with CaptureQueriesContext(connection) as avant:
        client.get(URL)
    for i in range(5):
        Equipe.objects.create(nom=f"Équipe {i}", code=f"e{i}")
        Etiquette.objects.create(libelle=f"Étiquette {i}")
    with CaptureQueriesContext(connection) as apres:
        reponse = client.get(URL)
    assert len(apres) == len(avant)
    assert "Équipe 4" in reponse.content.decode() and "Étiquette 4" in reponse.content.decode()


def test_the_map_data_parses_the_filters_without_their_options(client, instructeur, jeu):
    from django.http import QueryDict

    from crm.dossiers.selection import formulaire_et_dossiers

    pole = jeu["equipes"][0]
    rouge = jeu["etiquettes"][0]
    for parametres in (
        {"equipe": pole.pk},
        {"equipe": "miennes", "etiquette": rouge.pk},
        {"etiquette": "aucune", "attribution": "aucun"},
        {"dispositif": jeu["vu"].pk, "statut": "depose", "etape": "Dépôt"},
        {"dispositif": 987654},
    ):
        data = QueryDict(urlencode(parametres))
        _f, complet = formulaire_et_dossiers(instructeur, data)
        _f, sans_options = formulaire_et_dossiers(instructeur, data, options=False)
        assert set(complet.values_list("pk", flat=True)) == set(
            sans_options.values_list("pk", flat=True)
        ), parametres
    # No option list is read: only the scope (cached on the agent) and the dossiers.
    with CaptureQueriesContext(connection) as lus:
        list(formulaire_et_dossiers(instructeur, QueryDict("equipe=miennes"), options=False)[1])
    assert len(lus) == 1
