import datetime

import pytest
from django.utils import timezone

from dossiers import selectors
from dossiers.models import Dispositif
from tests.dossiers.factories import DispositifFactory, PieceAFournirFactory, ThematiqueFactory

pytestmark = pytest.mark.django_db


def _titres(**filtres) -> list[str]:
    return [d.titre for d in selectors.catalogue(**filtres)]


def test_catalogue_shows_published_dispositifs_only():
    DispositifFactory(titre="Ouverte")
    DispositifFactory(titre="Fenêtre en cours", publie_du=timezone.now() - datetime.timedelta(1))
    DispositifFactory(titre="Désactivée", inactif=True)
    DispositifFactory(titre="À venir", a_venir=True)
    DispositifFactory(titre="Expirée", expire=True)
    assert sorted(_titres()) == ["Fenêtre en cours", "Ouverte"]


def test_publication_window_bounds():
    now = timezone.now()
    dispositif = DispositifFactory(publie_du=now, publie_au=now + datetime.timedelta(hours=1))
    assert dispositif.est_publie(now=now)
    assert not dispositif.est_publie(now=now + datetime.timedelta(hours=1))  # end excluded
    assert not dispositif.est_publie(now=now - datetime.timedelta(seconds=1))
    assert list(Dispositif.objects.publies(now=now + datetime.timedelta(hours=1))) == []


def test_filter_by_thematique_and_profile_type():
    sport = ThematiqueFactory(slug="sport", libelle="Sport")
    culture = ThematiqueFactory(slug="culture", libelle="Culture")
    DispositifFactory(titre="Subvention sport", thematiques=[sport], types_profil=["association"])
    DispositifFactory(titre="Prêt de salle", thematiques=[sport, culture])  # open to all
    DispositifFactory(titre="Aide aux commerces", types_profil=["entreprise"])
    assert sorted(_titres(thematique="sport")) == ["Prêt de salle", "Subvention sport"]
    assert _titres(thematique="culture") == ["Prêt de salle"]
    assert sorted(_titres(type_profil="association")) == ["Prêt de salle", "Subvention sport"]
    assert sorted(_titres(type_profil="entreprise")) == ["Aide aux commerces", "Prêt de salle"]
    assert _titres(thematique="sport", type_profil="entreprise") == ["Prêt de salle"]


def test_a_dispositif_in_several_themes_and_types_is_listed_once():
    themes = [ThematiqueFactory(), ThematiqueFactory()]
    DispositifFactory(thematiques=themes, types_profil=["association", "entreprise"])
    assert len(_titres()) == 1
    assert len(_titres(type_profil="association")) == 1


def test_search_uses_french_stemming():
    DispositifFactory(titre="Subvention de fonctionnement", resume="Pour les associations.")
    DispositifFactory(titre="Inscription à la cantine", resume="Repas des écoliers.")
    assert _titres(recherche="association") == ["Subvention de fonctionnement"]
    assert _titres(recherche="Associations") == ["Subvention de fonctionnement"]
    assert _titres(recherche="subventions associations") == ["Subvention de fonctionnement"]
    assert _titres(recherche="piscine") == []


def test_search_ignores_accents_and_reads_keywords():
    DispositifFactory(titre="Prêt de matériel", resume="Tables et chaises.", mots_cles="benne")
    DispositifFactory(titre="Location de bénne", resume="Déchets verts.")
    assert sorted(_titres(recherche="benne")) == ["Location de bénne", "Prêt de matériel"]
    assert sorted(_titres(recherche="bénne")) == ["Location de bénne", "Prêt de matériel"]
    assert _titres(recherche="dechets") == ["Location de bénne"]
    assert _titres(recherche="PRET") == ["Prêt de matériel"]


def test_search_ranks_the_title_words_first_and_combines_with_filters():
    sport = ThematiqueFactory(slug="sport")
    DispositifFactory(titre="Subvention sport", thematiques=[sport])
    DispositifFactory(titre="Subvention culture")
    assert _titres(recherche="subvention", thematique="sport") == ["Subvention sport"]
    assert len(_titres(recherche="subvention")) == 2


def test_thematiques_of_the_catalogue_have_a_published_dispositif():
    sport = ThematiqueFactory(slug="sport", libelle="Sport", ordre=2)
    culture = ThematiqueFactory(slug="culture", libelle="Culture", ordre=1)
    ThematiqueFactory(slug="vide", libelle="Vide")
    fermee = ThematiqueFactory(slug="fermee", libelle="Fermée")
    DispositifFactory(thematiques=[sport, culture])
    DispositifFactory(thematiques=[sport])
    DispositifFactory(thematiques=[fermee], inactif=True)
    assert [t.slug for t in selectors.thematiques_du_catalogue()] == ["culture", "sport"]


def test_types_profil_of_the_catalogue_include_the_personal_type():
    codes = [t.code for t in selectors.types_profil_du_catalogue()]
    assert codes[0] == "particulier"
    assert {"association", "entreprise"} <= set(codes)


def test_fiches_publiees_and_modeles_publies():
    ouverte = DispositifFactory()
    fermee = DispositifFactory(expire=True)
    avec = PieceAFournirFactory(dispositif=ouverte, avec_modele=True)
    PieceAFournirFactory(dispositif=ouverte)  # no template
    PieceAFournirFactory(dispositif=fermee, avec_modele=True)
    assert list(selectors.fiches_publiees()) == [ouverte]
    assert selectors.fiche(ouverte.slug) == ouverte
    assert list(selectors.modeles_publies()) == [avec]


def test_search_follows_a_title_saved_with_update_fields():
    dispositif = DispositifFactory(titre="Prêt de salle")
    dispositif.titre = "Location de gymnase"
    dispositif.save(update_fields=["titre"])
    assert _titres(recherche="gymnase") == ["Location de gymnase"]
    assert _titres(recherche="salle") == []


def test_dossiers_of_reaches_the_filed_dossiers_of_ones_profils_drafts_stay_their_authors(
    citizen, other_citizen
):
    from dossiers import services
    from dossiers.models import Dossier
    from tests.accounts.factories import UserFactory
    from tests.usagers.factories import MembreFactory, ProfilFactory, role
    from usagers.services import compte_initialiser

    asso = ProfilFactory(nom="Les Amis du Parc")
    for user, code in ((citizen, "responsable"), (other_citizen, "membre")):
        individu = compte_initialiser(user=user, prenom="Prénom", nom="Nom")
        MembreFactory(individu=individu, profil=asso, role=role(code))
    dispositif = DispositifFactory(code="SUB")
    modele = services.modele_brouillon(dispositif=dispositif)

    def dossier(user, profil, reference=""):
        statut = "depose" if reference else "brouillon"
        return Dossier.objects.create(
            dispositif=dispositif,
            modele=modele,
            cree_par=user,
            demandeur_profil=profil,
            statut=statut,
            reference=reference,
        )

    a_moi = dossier(citizen, None, "2026-SUB-000001")
    mon_brouillon = dossier(citizen, asso)
    du_membre = dossier(other_citizen, asso, "2026-SUB-000002")
    dossier(other_citizen, asso)  # the member's draft
    dossier(other_citizen, None, "2026-SUB-000003")  # the member's own, for no profil
    dossier(UserFactory(), ProfilFactory(), "2026-SUB-000004")
    assert set(selectors.dossiers_of(citizen)) == {a_moi, mon_brouillon, du_membre}
    assert list(selectors.brouillons_de(citizen)) == [mon_brouillon]
    assert not selectors.dossiers_of(None).exists()


def test_a_citizens_dossiers_are_read_through_indexes_whatever_the_table_size(citizen):
    """Issue 7 (bench/README.md, 1,000,000 dossiers): every branch of `dossiers_of`'s OR
    and the reads built on it go through an index; no subquery is tested row by row
    (a SubPlan), which was a scan of the whole dossier table. Sequential scans are
    priced out, as they are on a big table."""
    from django.db import connection

    from dossiers.editique import documents_deposes
    from dossiers.selectors_justificatifs import justificatifs_manquants
    from dossiers.selectors_suivi import demandes_de
    from usagers.services import compte_initialiser

    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for qs in (
        selectors.dossiers_of(citizen),
        selectors.brouillons_de(citizen),
        demandes_de(citizen),
        justificatifs_manquants(citizen),
        documents_deposes(citizen),
    ):
        plan = qs.explain()
        assert "SubPlan" not in plan, plan
        assert "Seq Scan" not in plan, plan


@pytest.mark.parametrize(
    ("modele", "index"),
    [
        ("InvitationDossier", "invitation_dossier_email"),
        ("TransfertDossier", "transfert_dossier_email"),
    ],
)
def test_the_pending_proposals_sent_to_an_address_are_found_by_index(db, modele, index):
    """« Mon compte » looks them up by address, whatever its case (`propositions_recues`):
    among 300 pending ones (one per dossier), with the table's statistics, by their index."""
    from django.apps import apps
    from django.db import connection

    from dossiers import services
    from dossiers.models import Dossier

    dispositif = DispositifFactory()
    version = services.modele_brouillon(dispositif=dispositif)
    dossiers = Dossier.objects.bulk_create(
        Dossier(dispositif=dispositif, modele=version) for _ in range(300)
    )
    model = apps.get_model("dossiers", modele)
    model.objects.bulk_create(
        model(dossier=d, email=f"personne{i}@exemple.fr", token=f"jeton-{i}")
        for i, d in enumerate(dossiers)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a big table
    plan = model.objects.filter(email__iexact="Personne7@Exemple.fr", statut="en_attente").explain()
    assert index in plan, plan
