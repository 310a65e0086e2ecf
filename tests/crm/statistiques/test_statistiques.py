"""Statistics (C13): counts per dispositif, étape, statut and month of the dossiers an
agent may see, late share, time to closure; CSV without thousands separators; garbage
parameters never fail; a fixed number of queries whatever the data."""

import datetime

from django.utils import timezone

from dossiers.models import Dossier
from instruction import services
from instruction.models import SuiviInstruction
from instruction.selectors_statistiques import statistiques
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

URL = "/crm/statistiques/"


def _jeu(citizen):
    """Two dispositifs: « A » with 3 dossiers (one closed after 10 days, one late in
    Instruction), « B » with 1; and a draft, never counted."""
    a, b = dispositif_publie(code="A"), dispositif_publie(code="B")
    statuts = guide_publie(a)
    guide_publie(b)
    dossiers = [deposer(a, citizen) for _ in range(3)] + [deposer(b, citizen)]
    clos, retard = dossiers[0], dossiers[1]
    services.change_status(dossier=clos, statut=statuts["instruction"], by=None)
    services.change_status(dossier=clos, statut=statuts["accorde"], by=None)
    clos.refresh_from_db()
    Dossier.objects.filter(pk=clos.pk).update(depose_le=clos.clos_le - datetime.timedelta(days=10))
    services.change_status(dossier=retard, statut=statuts["instruction"], by=None)
    SuiviInstruction.objects.filter(dossier=retard).update(
        etape_entree_le=timezone.now() - datetime.timedelta(days=31)
    )
    from dossiers import services as dossiers_services

    dossiers_services.dossier_commencer(dispositif=a, user=citizen, profil=None)  # a draft
    return a, b


def test_counts_per_dispositif(instructeur, citizen):
    a, b = _jeu(citizen)
    tableau = statistiques(instructeur)
    lignes = {ligne.libelle: ligne for ligne in tableau.lignes}
    ligne_a = lignes[a.titre]
    assert (ligne_a.deposes, ligne_a.en_cours, ligne_a.clos, ligne_a.en_retard) == (3, 2, 1, 1)
    assert ligne_a.part_retard == 50.0
    assert ligne_a.jours_moyenne == 10.0 and ligne_a.jours_mediane == 10.0
    assert (lignes[b.titre].deposes, lignes[b.titre].jours_mediane) == (1, None)
    assert (tableau.total.deposes, tableau.total.en_retard) == (4, 1)


def test_other_groupings_and_filters(instructeur, citizen):
    a, _b = _jeu(citizen)
    par_etape = statistiques(instructeur, regroupement="etape", dispositif=a.pk)
    assert {(ligne.libelle, ligne.deposes) for ligne in par_etape.lignes} == {
        ("Dépôt", 1),
        ("Instruction", 1),
        ("Décision", 1),
    }
    par_statut = statistiques(instructeur, regroupement="statut", dispositif=a.pk)
    assert {ligne.libelle for ligne in par_statut.lignes} == {"Déposé", "En instruction", "Accordé"}
    par_mois = statistiques(instructeur, regroupement="mois")
    assert sum(ligne.deposes for ligne in par_mois.lignes) == 4
    demain = timezone.localdate() + datetime.timedelta(days=1)
    assert statistiques(instructeur, du=demain).total.deposes == 0


def test_an_agent_without_the_right_sees_nothing(agent, citizen):
    _jeu(citizen)
    assert statistiques(agent).total.deposes == 0


def test_the_page_and_its_csv(client, instructeur, citizen):
    a, _b = _jeu(citizen)
    client.force_login(instructeur)
    page = client.get(URL, {"regroupement": "dispositif"}).content.decode()
    assert a.titre in page and "Télécharger (CSV)" in page
    reponse = client.get(URL, {"regroupement": "dispositif", "format": "csv"})
    contenu = b"".join(reponse.streaming_content).decode()
    assert contenu.startswith("\ufeffDispositif;Dispositif;Déposés")
    assert f"{a.titre};;3;2;1;1;50,0;10,0;10,0" in contenu
    assert "Total;;4;" in contenu


def test_garbage_parameters_give_a_page(client, instructeur):
    client.force_login(instructeur)
    for parametres in (
        {"regroupement": "n'importe quoi"},
        {"dispositif": "abc"},
        {"dispositif": "999999"},
        {"du": "31/02/2026"},
        {"du": "2026-05-01", "au": "2026-01-01"},
        {"format": "xml"},
    ):
        reponse = client.get(URL, parametres)
        assert reponse.status_code == 200, parametres
    reponse = client.get(URL, {"du": "2026-05-01", "au": "2026-01-01"})
    assert "La fin de la période précède son début." in reponse.content.decode()


def test_the_page_costs_the_same_with_more_dossiers(
    client, instructeur, citizen, django_assert_max_num_queries
):
    a, _b = _jeu(citizen)
    client.force_login(instructeur)
    client.get(URL)
    with django_assert_max_num_queries(10):
        client.get(URL, {"regroupement": "etape"})
    for _ in range(15):
        deposer(a, citizen)
    with django_assert_max_num_queries(10):
        client.get(URL, {"regroupement": "etape"})
