"""A dossier lié in the portal wizard (the demo's subsidy form, « Demande précédente de
l’association »): the citizen picks one of the association's filed requests — their own
or a fellow member's; a forged pk (somebody else's dossier, a draft) is refused with a
French message and nothing is stored. The CRM preview shows an example instead."""

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import Dossier
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import DispositifFactory
from tests.queries import assert_page_budget
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
ETAPE_1 = {
    "nom_association": "Les Amis du Parc",
    "rna": "W751234567",
    "domaine": "sport",
    "nb_adherents": "42",
    "email_contact": "contact@amis-du-parc.fr",
}
ETAPE_2 = {"nature_demande": "fonctionnement", "budget_total": "5000", "montant_demande": "1500"}
ETAPE_3 = {"iban": IBAN, "bic": "AGRIFRPP", "engagement": "on"}
ETRANGER = "Ce dossier ne fait pas partie de vos dossiers : choisissez-en un dans la liste."


def _depose(dispositif, user, *, profil, depose=True):
    dossier = Dossier(
        dispositif=dispositif,
        modele=services.modele_publie(dispositif),
        cree_par=user,
        demandeur_profil=profil,
        donnees={"nom_association": profil.nom},
    )
    if depose:
        dossier.statut = Dossier.Statut.DEPOSE
        dossier.depose_le = timezone.now()
        dossier.reference = services._prochaine_reference(dispositif, 2025)
    dossier.save()
    return dossier


@pytest.fixture
def monde(client, citizen, other_citizen):
    sub = DispositifFactory(code="SUB", slug="subvention", titre="Subvention aux associations")
    services.modele_publier(modele=services.modele_importer(SUBVENTION, dispositif=sub), by=None)
    camille = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    lucas = compte_initialiser(user=other_citizen, prenom="Lucas", nom="Bernard")
    asso = ProfilFactory(nom="Les Amis du Parc", rna="W751234567", iban=IBAN, bic="AGRIFRPP")
    MembreFactory(individu=camille, profil=asso, role=role("responsable"))
    MembreFactory(individu=lucas, profil=asso, role=role("membre"))
    client.force_login(citizen)
    session = client.session
    session["guichet_profil_courant"] = asso.pk
    session.save()
    autre_asso = ProfilFactory(nom="Les Voisins")
    return {
        "sub": sub,
        "a_moi": _depose(sub, citizen, profil=asso),
        "du_membre": _depose(sub, other_citizen, profil=asso),
        "mon_brouillon": _depose(sub, citizen, profil=asso, depose=False),
        "etranger": _depose(sub, UserFactory(email="x@exemple.fr"), profil=autre_asso),
    }


def _url(dispositif):
    return reverse("portal:demande", kwargs={"slug": dispositif.slug})


def _post(client, dispositif, action="suivant", **data):
    return client.post(_url(dispositif), {"guichet-action": action, **data})


def _jusqu_a_l_etape_2(client, monde):
    assert _post(client, monde["sub"], **ETAPE_1).status_code == 302


@pytest.mark.parametrize("lequel", ["a_moi", "du_membre"])
def test_a_citizen_links_their_own_or_a_fellow_members_request(client, monde, lequel):
    _jusqu_a_l_etape_2(client, monde)
    page = client.get(_url(monde["sub"])).content.decode()
    for offert in ("a_moi", "du_membre"):
        dossier = monde[offert]
        assert (
            f'<option value="{dossier.pk}">{dossier.reference} — Subvention aux associations '
            "(Les Amis du Parc)</option>"
        ) in page
    for refuse in ("mon_brouillon", "etranger"):
        assert f'value="{monde[refuse].pk}"' not in page
    assert "Suivi d’une aide précédente" in page

    lie = monde[lequel]
    reponse = _post(
        client,
        monde["sub"],
        **ETAPE_2,
        demande_precedente=str(lie.pk),
        bilan_precedent="Le tournoi a réuni 200 enfants.",
    )
    assert reponse.status_code == 302
    reponse = _post(client, monde["sub"], action="deposer", **ETAPE_3)
    assert reponse.status_code == 302
    depose = Dossier.objects.exclude(pk__in=[d.pk for d in monde.values() if hasattr(d, "pk")])
    depose = depose.get(statut=Dossier.Statut.DEPOSE)
    assert depose.donnees["demande_precedente"] == {
        "pk": lie.pk,
        "reference": lie.reference,
        "dispositif": "Subvention aux associations",
    }
    assert depose.donnees["bilan_precedent"] == "Le tournoi a réuni 200 enfants."


def test_several_dossiers_when_the_field_allows_it(client, monde):
    """Option « multiple »: checkboxes, each posted pk checked in the citizen's scope."""
    from dossiers.models import Champ

    Champ.objects.filter(nom="demande_precedente").update(
        options={"dispositifs": ["SUB"], "multiple": True}
    )
    _jusqu_a_l_etape_2(client, monde)
    a_moi, du_membre, etranger = monde["a_moi"], monde["du_membre"], monde["etranger"]
    page = client.get(_url(monde["sub"])).content.decode()
    assert f'type="checkbox" name="demande_precedente" value="{a_moi.pk}"' in page
    bilan = {"bilan_precedent": "Bilan"}
    reponse = _post(
        client,
        monde["sub"],
        **ETAPE_2,
        **bilan,
        demande_precedente=[str(du_membre.pk), str(etranger.pk)],
    )
    assert reponse.status_code == 200
    assert ETRANGER in reponse.content.decode()
    reponse = _post(
        client,
        monde["sub"],
        **ETAPE_2,
        **bilan,
        demande_precedente=[str(du_membre.pk), str(a_moi.pk)],
    )
    assert reponse.status_code == 302
    assert _post(client, monde["sub"], action="deposer", **ETAPE_3).status_code == 302
    depose = Dossier.objects.filter(statut="depose").order_by("-pk").first()
    assert [lien["pk"] for lien in depose.donnees["demande_precedente"]] == [
        du_membre.pk,
        a_moi.pk,
    ]


@pytest.mark.parametrize(
    ("lequel", "message"),
    [
        ("etranger", ETRANGER),
        (
            "mon_brouillon",
            "Ce dossier est un brouillon : seule une demande déposée peut être liée.",
        ),
    ],
)
def test_a_forged_pk_is_refused_and_never_stored(client, monde, lequel, message):
    _jusqu_a_l_etape_2(client, monde)
    forge = str(monde[lequel].pk)
    reponse = _post(
        client, monde["sub"], **ETAPE_2, demande_precedente=forge, bilan_precedent="Bilan"
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert message in page
    assert 'value="1500"' in page  # what was typed is kept
    # A draft keeps nothing of it either.
    reponse = _post(
        client,
        monde["sub"],
        action="brouillon",
        **ETAPE_2,
        demande_precedente=forge,
        bilan_precedent="Bilan",
    )
    assert reponse.status_code == 200
    assert not Dossier.objects.filter(donnees__has_key="demande_precedente").exists()


# The step of test_wizard_budget.GET_BUDGET (7) and one query for the dossiers offered.
ETAPE_LIEE_BUDGET = 8


def test_the_step_with_a_linked_dossier_costs_the_same_whatever_the_dossiers(
    client, monde, citizen, other_citizen
):
    _jusqu_a_l_etape_2(client, monde)
    profil = monde["a_moi"].demandeur_profil

    def grow():
        for user in (citizen, other_citizen) * 5:
            _depose(monde["sub"], user, profil=profil)

    page = assert_page_budget(client, _url(monde["sub"]), budget=ETAPE_LIEE_BUDGET, grow=grow)
    assert page.content.decode().count("(Les Amis du Parc)</option>") == 12


def test_submission_checks_the_stored_link_again(monde, citizen):
    """A link forged into the stored data (not through the wizard) is refused at
    submission: the deposit validates every step again, in the citizen's scope."""
    dossier = services.dossier_commencer(
        dispositif=monde["sub"], user=citizen, profil=monde["a_moi"].demandeur_profil
    )
    etranger = monde["etranger"]
    dossier.donnees.update(
        {
            **ETAPE_1,
            "nb_adherents": 42,
            **ETAPE_2,
            "iban": IBAN,
            "bic": "AGRIFRPP",
            "engagement": True,
            "demande_precedente": {"pk": etranger.pk, "reference": "", "dispositif": ""},
            "bilan_precedent": "Bilan",
        }
    )
    with pytest.raises(services.DepotRefuse) as refus:
        services.dossier_deposer(dossier=dossier, user=citizen)
    assert refus.value.erreurs["demande_precedente"].messages == [ETRANGER]
    assert (
        not Dossier.objects.filter(statut="depose", cree_par=citizen)
        .exclude(pk=monde["a_moi"].pk)
        .exists()
    )


def test_a_link_prefills_from_the_url_within_the_citizens_scope(monde, citizen):
    profil = monde["a_moi"].demandeur_profil
    a_moi, etranger = monde["a_moi"], monde["etranger"]
    dossier = services.dossier_commencer(
        dispositif=monde["sub"],
        user=citizen,
        profil=profil,
        parametres={"demande_precedente": str(a_moi.pk)},
    )
    assert dossier.donnees["demande_precedente"]["pk"] == a_moi.pk
    dossier = services.dossier_commencer(
        dispositif=monde["sub"],
        user=citizen,
        profil=profil,
        parametres={"demande_precedente": str(etranger.pk)},
    )
    assert "demande_precedente" not in dossier.donnees


def test_the_crm_preview_shows_an_example(client, concepteur, monde):
    client.force_login(concepteur)
    services.modele_brouillon(dispositif=monde["sub"])
    page = client.get(
        reverse("crm:formulaire_apercu", args=[monde["sub"].pk, "internet"])
    ).content.decode()
    assert f"Exemple : {timezone.localdate().year}-SUB-000123" in page
    assert "Aperçu : l’usager choisira ici parmi ses propres dossiers" in page
    for dossier in ("a_moi", "du_membre", "etranger"):
        assert monde[dossier].reference not in page


def test_the_builder_offers_the_type_with_its_options(client, concepteur, monde):
    from crm.formulaires.forms import choix_des_types

    choix = dict(choix_des_types())["Choix"]
    assert ("dossier_lie", "Dossier lié (un dossier de l’usager)") in [
        (code, str(libelle)) for code, libelle in choix
    ]
    client.force_login(concepteur)
    modele = services.modele_brouillon(dispositif=monde["sub"])
    champ = modele.champs.get(nom="demande_precedente")
    page = client.get(reverse("crm:formulaire_champ", args=[champ.pk])).content.decode()
    assert "Démarches dont un dossier peut être lié" in page
    assert 'name="options-dispositifs" value="SUB" id="id_options-dispositifs_0" checked' in page
    reponse = client.post(
        reverse("crm:formulaire_champ", args=[champ.pk]),
        {
            "libelle": champ.libelle,
            "nom": champ.nom,
            "aide": "",
            "prefill": "",
            "options-dispositifs": ["SUB"],
            "options-multiple": "on",
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    champ.refresh_from_db()
    assert champ.options == {"dispositifs": ["SUB"], "multiple": True}
