"""The access matrix: every URL pattern of the project, and what each role gets from it.

`test_every_url_is_declared` walks the URL resolver and fails on any pattern missing from
MATRIX (or from ADMIN_OBJECTS for models registered in the admin), and on any stale entry.
`test_access` requests each declared URL as each role and checks the answer.

Answers: an HTTP status, LOGIN (redirect to the citizens' login), CRM_LOGIN (redirect to
the agents' login) or ADMIN_LOGIN (redirect to the admin's login).
Later issues add their URLs here, and their roles (member, instructeur, partner…).
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.models import Connexion, TableauDeBord, User
from common.gabarits import exemple
from contacts.models import Contact, ModeleContact, PlanAction, Tache
from dossiers import services as dossiers_services
from dossiers.models import (
    Champ,
    ChampReferentiel,
    Classement,
    Ligne,
    ListeReferentiel,
    Onglet,
    PreferenceResume,
    ResumeSuivi,
    Secteur,
    SuiviAgent,
    VueListe,
)
from dossiers.services_hors_compte import lien_jeton
from notifications.models import (
    Cadence,
    Correspondance,
    Message,
    ModeleMessage,
    Notification,
)
from tests.conftest import ROLES, make_user
from tests.dossiers.factories import (
    DispositifFactory,
    PieceAFournirFactory,
    ProfilMetierFactory,
    TerritoireFactory,
    ThematiqueFactory,
    TypeJustificatifFactory,
    TypeTerritoireFactory,
)
from tests.dossiers.hors_compte import deposer, dispositif_sans_compte
from tests.dossiers.routage.factories import EquipeFactory, EtiquetteFactory, RegleRoutageFactory
from tests.editique.factories import ModeleDocumentFactory
from tests.usagers.factories import (
    IndividuFactory,
    InvitationFactory,
    LienParenteFactory,
    MembreFactory,
    ProfilFactory,
)
from usagers.models import Fusion, NatureProfil, RoleMembre, TypeProfil

LOGIN = "login"
CRM_LOGIN = "crm_login"
ADMIN_LOGIN = "admin_login"
REDIRECT_TARGETS = {
    LOGIN: "/compte/connexion/",
    CRM_LOGIN: "/crm/connexion/",
    ADMIN_LOGIN: "/admin/login/",
}


@dataclass
class Access:
    """Expected answer per role; `default` for the roles not named."""

    default: Any = None
    anonymous: Any = None
    citizen: Any = None
    other_citizen: Any = None
    agent: Any = None
    admin: Any = None
    # An agent with dossiers.concevoir_formulaires: answered as `agent` unless named.
    concepteur: Any = None
    # An agent with dossiers.instruire_dossiers: answered as `agent` unless named.
    instructeur: Any = None
    # Builds the URL kwargs from the users (and the objects they own).
    kwargs: Any = field(default=None, repr=False)
    # A concrete path for patterns that have no name.
    path: str | None = None

    def expected(self, role: str):
        value = getattr(self, role)
        if value is None and role in ("concepteur", "instructeur"):
            value = self.agent
        return self.default if value is None else value


def _confirm_email_key(users):
    address = EmailAddress.objects.get(user=users["citizen"])
    return {"key": EmailConfirmationHMAC(address).key}


PUBLIC = Access(default=200)
CITIZENS_SIGNED_IN = Access(default=200, anonymous=LOGIN)
ANONYMOUS_ONLY = Access(default=302, anonymous=200)
AGENTS = Access(default=403, anonymous=CRM_LOGIN, agent=200, admin=200)


def _editique_entries() -> dict[str, Access]:
    def acces(answer, kwargs=None):
        return Access(
            default=403, anonymous=CRM_LOGIN, concepteur=answer, admin=answer, kwargs=kwargs
        )

    modele = lambda users: {"pk": ModeleDocumentFactory().pk}  # noqa: E731
    return {
        "crm:editique": acces(200),
        "crm:editique_creer": acces(200),
        "crm:editique_modele": acces(200, modele),
        "crm:editique_apercu": acces(405, modele),
        "crm:editique_apercu_fichier": acces(
            200, lambda users: {**modele(users), "format_": "pdf"}
        ),
        "crm:editique_publier": acces(405, modele),
        "crm:editique_produire": acces(405, modele),
        "crm:editique_document": acces(200, lambda users: {"pk": _document_genere().pk}),
    }


def _messagerie_entries() -> dict[str, Access]:
    def acces(answer, kwargs=None):
        return Access(default=403, anonymous=CRM_LOGIN, admin=answer, kwargs=kwargs)

    modele = lambda users: {"pk": _modele_message().pk}  # noqa: E731
    return {
        "crm:messagerie_modeles": acces(200),
        "crm:messagerie_modele_creer": acces(200),
        "crm:messagerie_modele": acces(200, modele),
        "crm:messagerie_modele_test": acces(405, modele),
        "crm:messagerie_apercu": acces(405),
        "crm:messagerie_correspondances": acces(200),
        "crm:messagerie_correspondance": acces(405, lambda users: {"pk": _correspondance().pk}),
        "crm:messagerie_file": acces(200),
        "crm:messagerie_relancer": acces(405, lambda users: {"pk": _message().pk}),
    }


def _dossiers_crm_entries() -> dict[str, Access]:
    def acces(answer, kwargs=None, *, admin=None):
        return Access(
            default=403,
            anonymous=CRM_LOGIN,
            instructeur=answer,
            admin=answer if admin is None else admin,
            kwargs=kwargs,
        )

    dossier = lambda users: {"pk": _dossier(users["citizen"], depose=True).pk}  # noqa: E731
    return {
        "crm:dossiers": acces(200),
        # « Nouveau dossier » (C4): the demandeur (search, create, Anonyme), the dispositif,
        # the form
        "crm:dossier_nouveau": acces(200),
        # (without ?individu= or ?profil=, the next steps send back to the first)
        "crm:dossier_nouveau_dispositif": acces(302),
        "crm:dossier_nouveau_formulaire": acces(
            302,
            lambda users: {"dispositif_pk": _dossier(users["citizen"], depose=True).dispositif_id},
        ),
        "crm:dossier": acces(200, dossier),
        "crm:dossier_donnees": acces(200, dossier),
        # C3: one tab of the form edited in the agents' view (404 for a tab not editable)
        "crm:dossier_donnees_modifier": acces(200, _onglet_du_dossier),
        "crm:dossier_documents": acces(200, dossier),
        "crm:dossier_document": acces(200, _dossier_document),
        "crm:dossier_historique": acces(200, dossier),
        "crm:dossier_attribuer": acces(405, dossier),
        "crm:dossier_classer": acces(405, dossier),
        "crm:dossier_marquer": acces(405, dossier),
        "crm:dossier_parent": acces(405, dossier),
        "crm:dossier_doublon": acces(405, dossier),
        "crm:dossier_corriger": acces(200, dossier),
        # Deleting for good needs dossiers.supprimer_dossiers too (the admin only here),
        # and a dossier in the trash (C14)
        "crm:dossier_supprimer": acces(403, _dossier_en_corbeille, admin=200),
        "crm:dossier_pdf": acces(200, dossier),
    }


def _dossier_en_corbeille(users):
    from dossiers.services_corbeille import dossier_mettre_a_la_corbeille

    dossier = _dossier(users["citizen"], depose=True)
    return {"pk": dossier_mettre_a_la_corbeille(dossier=dossier, by=None).pk}


def _routage_entries() -> dict[str, Access]:
    def gestion(answer, kwargs=None):
        return Access(default=403, anonymous=CRM_LOGIN, admin=answer, kwargs=kwargs)

    def panneau(answer, kwargs):
        return Access(
            default=403, anonymous=CRM_LOGIN, instructeur=answer, admin=answer, kwargs=kwargs
        )

    dossier = lambda users: {"pk": _dossier(users["citizen"], depose=True).pk}  # noqa: E731
    return {
        "crm:routage_equipes": gestion(200),
        "crm:routage_equipe_creer": gestion(200),
        "crm:routage_equipe": gestion(200, lambda users: {"pk": EquipeFactory().pk}),
        "crm:routage_regles": gestion(200),
        "crm:routage_regle_creer": gestion(200),
        "crm:routage_regle": gestion(200, lambda users: {"pk": RegleRoutageFactory().pk}),
        "crm:routage_regle_deplacer": gestion(405, lambda users: {"pk": RegleRoutageFactory().pk}),
        "crm:routage_etiquettes": gestion(200),
        "crm:routage_etiquette_creer": gestion(200),
        "crm:routage_etiquette": gestion(200, lambda users: {"pk": EtiquetteFactory().pk}),
        "crm:dossier_equipe": panneau(405, dossier),
        "crm:dossier_router": panneau(405, dossier),
        "crm:dossier_etiquettes": panneau(405, dossier),
        "crm:dossier_suivre": panneau(405, dossier),
        "crm:dossier_mettre_a_la_corbeille": gestion(405, dossier),
        "crm:corbeille": gestion(200),
        "crm:dossier_restaurer": gestion(405, _dossier_en_corbeille),
    }


def _commissions_entries() -> dict[str, Access]:
    def acces(instructeur, admin=None, kwargs=None):
        return Access(
            default=403,
            anonymous=CRM_LOGIN,
            instructeur=instructeur,
            admin=instructeur if admin is None else admin,
            kwargs=kwargs,
        )

    seance = lambda users: {"pk": _seance().pk}  # noqa: E731
    point = lambda users: (lambda p: {"pk": p.seance_id, "point_pk": p.pk})(_point(users))  # noqa: E731
    return {
        "crm:commissions": acces(200),
        "crm:seance_creer": acces(403, 200),
        "crm:seance": acces(200, kwargs=seance),
        "crm:seance_modifier": acces(403, 200, seance),
        "crm:seance_clore": acces(403, 405, seance),
        "crm:seance_ordre_du_jour": acces(200, kwargs=seance),
        "crm:seance_pv": acces(200, kwargs=lambda users: {"pk": _seance(close=True).pk}),
        "crm:seance_decision": acces(405, kwargs=point),
        "crm:seance_point_deplacer": acces(403, 405, point),
        "crm:seance_point_retirer": acces(403, 405, point),
        "crm:seance_document_deposer": acces(403, 405, seance),
        "crm:seance_document": acces(
            200,
            kwargs=lambda users: (lambda d: {"pk": d.seance_id, "document_pk": d.pk})(
                _document_seance()
            ),
        ),
        "crm:commissions_inscrire": acces(405),
        "crm:dossier_commissions": acces(
            200, kwargs=lambda users: {"pk": _point(users).dossier_id}
        ),
        "crm:reunions": acces(200),
        "crm:reunion_creer": acces(200),
        "crm:reunion": acces(200, kwargs=lambda users: {"pk": _reunion().pk}),
    }


def _seance(*, close=False):
    from instruction.models import Commission, Seance

    commission = Commission.objects.create(nom=f"Commission {Commission.objects.count()}")
    etat = Seance.Etat.CLOSE if close else Seance.Etat.PREPAREE
    return Seance.objects.create(commission=commission, date="2027-03-12T18:30+01:00", etat=etat)


def _point(users):
    from instruction.models import PointOrdreDuJour

    seance = _seance()
    return PointOrdreDuJour.objects.create(
        seance=seance, dossier=_dossier(users["citizen"], depose=True), ordre=1
    )


def _document_seance():
    from django.core.files.base import ContentFile

    from instruction.models import DocumentSeance

    document = DocumentSeance(
        seance=_seance(),
        titre="Rapport",
        nom="rapport.pdf",
        type_mime="application/pdf",
        taille=9,
        empreinte="0" * 64,
    )
    document.fichier.save("rapport.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def _reunion():
    from instruction.models import Reunion

    return Reunion.objects.create(objet="Point vie associative", date="2027-02-01T10:00+01:00")


def _droits_entries() -> dict[str, Access]:
    def acces(answer, kwargs=None):
        return Access(default=403, anonymous=CRM_LOGIN, admin=answer, kwargs=kwargs)

    return {
        "crm:droits": acces(200),
        "crm:droits_export": acces(200),
        "crm:droits_profils": acces(200),
        "crm:droits_profil_creer": acces(200),
        "crm:droits_profil": acces(200, lambda users: {"pk": ProfilMetierFactory().pk}),
        "crm:droits_territoires": acces(200),
        "crm:droits_territoire_creer": acces(200),
        "crm:droits_territoire": acces(200, lambda users: {"pk": TerritoireFactory().pk}),
        "crm:droits_sectoriser": acces(405),  # POST only
    }


def _droit_dispositif():
    from dossiers.models import DroitDispositif

    return DroitDispositif.objects.create(
        profil_metier=ProfilMetierFactory(), dispositif=DispositifFactory(), voir=True
    )


def _onglet_du_dossier(users):
    dossier = _dossier(users["citizen"], depose=True)
    return {"pk": dossier.pk, "onglet_pk": Onglet.objects.filter(modele=dossier.modele).first().pk}


def _dossier_document(users):
    from dossiers import editique as dossiers_editique
    from editique import services as editique_services

    dossier = _dossier(users["citizen"], depose=True)
    modele = ModeleDocumentFactory()
    editique_services.modele_publier(modele=modele)
    document = dossiers_editique.document_generer(dossier=dossier, modele=modele)
    return {"pk": dossier.pk, "document_pk": document.pk}


def _modele_message():
    return ModeleMessage.objects.create(
        nom=f"Bienvenue {ModeleMessage.objects.count()}",
        canal="email",
        evenement="compte.cree",
        sujet="Bienvenue",
        corps="Bonjour {{ usager.prenom }}",
    )


def _correspondance():
    return Correspondance.objects.create(evenement="compte.cree", modele=_modele_message())


def _message():
    return Message.objects.create(
        canal="email", destinataire="a@exemple.fr", corps="x", statut="echec"
    )


def _guide_brouillon():
    """A draft copy of a published guide (Dépôt → Instruction → Décision), with one
    action on its « Déposé » statut."""
    from instruction import services as instruction_services
    from instruction.models import ActionStatut

    version = instruction_services.version_copier(version=_statuts()["depose"].version)
    statut = version.statuts.get(code="depose")
    ActionStatut.objects.create(statut=statut, type="suivi", config={"texte": "Reçu"})
    return version


def _minuteur_brouillon():
    from instruction.models import Minuteur

    version = _guide_brouillon()
    statuts = {s.code: s for s in version.statuts.all()}
    return Minuteur.objects.create(
        statut=statuts["depose"], cible=statuts["instruction"], libelle="Relance", delai=30
    )


def _declencheur_brouillon():
    from instruction.models import Declencheur

    version = _guide_brouillon()
    return Declencheur.objects.create(
        version=version,
        code=f"avis-{version.pk}",
        libelle="Avis",
        cible=version.statuts.get(code="instruction"),
        webhook=True,
    )


def _guides_entries() -> dict[str, Access]:
    """The guide builder's URLs (issue 8, I1/F7): concepteurs, as the form builder."""

    def acces(answer, kwargs=None):
        return Access(
            default=403, anonymous=CRM_LOGIN, concepteur=answer, admin=answer, kwargs=kwargs
        )

    dispositif = lambda users: {"pk": DispositifFactory().pk}  # noqa: E731
    version = lambda users: {"pk": _guide_brouillon().pk}  # noqa: E731
    etape = lambda users: {"pk": _guide_brouillon().etapes.first().pk}  # noqa: E731
    statut = lambda users: {"pk": _guide_brouillon().statuts.get(code="depose").pk}  # noqa: E731
    action = lambda users: {  # noqa: E731
        "pk": _guide_brouillon().statuts.get(code="depose").actions.get().pk
    }
    minuteur = lambda users: {"pk": _minuteur_brouillon().pk}  # noqa: E731
    declencheur = lambda users: {"pk": _declencheur_brouillon().pk}  # noqa: E731
    return {
        "crm:guides": acces(200),
        "crm:guide_creer": acces(405, dispositif),
        "crm:guide_importer": acces(200, dispositif),
        "crm:guide_version": acces(200, version),
        "crm:guide_publier": acces(405, version),
        "crm:guide_copier": acces(405, version),
        "crm:guide_exporter": acces(200, version),
        "crm:guide_etape_ajouter": acces(405, version),
        "crm:guide_etape_modifier": acces(405, etape),
        "crm:guide_etape_deplacer": acces(405, etape),
        "crm:guide_etape_supprimer": acces(200, etape),  # GET asks to confirm
        "crm:guide_statut_ajouter": acces(405, etape),
        "crm:guide_statut_modifier": acces(405, statut),
        "crm:guide_statut_deplacer": acces(405, statut),
        "crm:guide_statut_supprimer": acces(200, statut),
        "crm:guide_action_ajouter": acces(200, statut),  # GET: pick the type
        "crm:guide_action": acces(200, action),
        "crm:guide_action_deplacer": acces(405, action),
        "crm:guide_action_supprimer": acces(200, action),
        # Timers and déclencheurs (I8): GET pages 200, POST-only 405
        "crm:guide_automatismes": acces(200, version),
        "crm:guide_minuteur_ajouter": acces(405, version),
        "crm:guide_minuteur": acces(200, minuteur),
        "crm:guide_minuteur_supprimer": acces(200, minuteur),  # GET asks to confirm
        "crm:guide_declencheur_ajouter": acces(405, version),
        "crm:guide_declencheur": acces(200, declencheur),
        "crm:guide_declencheur_secret": acces(405, declencheur),
        "crm:guide_declencheur_supprimer": acces(200, declencheur),
    }


def _cas_test():
    from instruction.models import CasTest, PassageCasTest

    statuts = _statuts()
    cas = CasTest.objects.create(version=statuts["depose"].version, nom="Parcours")
    PassageCasTest.objects.create(cas=cas, statut="instruction")
    return cas


def _guide_essais_entries() -> dict[str, Access]:
    """Guide tests (I9): the builder's right (concepteur); GET pages 200, POST-only 405."""

    def acces(answer, kwargs):
        return Access(
            default=403, anonymous=CRM_LOGIN, concepteur=answer, admin=answer, kwargs=kwargs
        )

    version = lambda users: {"pk": _statuts()["depose"].version_id}  # noqa: E731
    cas = lambda users: {"pk": _cas_test().pk}  # noqa: E731
    return {
        "crm:guide_essais": acces(200, version),
        "crm:guide_essai_creer": acces(200, version),
        "crm:guide_essais_lancer": acces(405, version),
        "crm:guide_simulation": acces(200, version),
        "crm:guide_essai": acces(200, cas),
        "crm:guide_essai_lancer": acces(405, cas),
        "crm:guide_essai_supprimer": acces(405, cas),
        # A real dossier's dry run: instructeurs (dossiers_visible_to), like its tabs
        "crm:dossier_simuler": Access(
            default=403,
            anonymous=CRM_LOGIN,
            instructeur=200,
            admin=200,
            kwargs=lambda users: {"pk": _dossier_instruit(users).pk},
        ),
    }


def _builder_entries() -> dict[str, Access]:
    """The builder's URLs: GET pages answer 200, POST-only actions 405, for concepteurs."""

    def acces(answer, kwargs=None):
        return Access(
            default=403, anonymous=CRM_LOGIN, concepteur=answer, admin=answer, kwargs=kwargs
        )

    dispositif = lambda users: {"pk": _modele_champ().modele.dispositif_id}  # noqa: E731
    onglet = lambda users: {"pk": _modele_champ().ligne.onglet_id}  # noqa: E731
    ligne = lambda users: {"pk": _modele_champ().ligne_id}  # noqa: E731
    champ = lambda users: {"pk": _modele_champ().pk}  # noqa: E731
    ref = lambda users: {  # noqa: E731
        "pk": ChampReferentiel.objects.create(nom="qf", libelle="Quotient", type="entier").pk
    }
    liste = lambda users: {  # noqa: E731
        "pk": ListeReferentiel.objects.create(code="sit", libelle="Situation").pk
    }
    return {
        "crm:formulaires": acces(200),
        "crm:formulaire_dispositif_creer": acces(200),
        "crm:formulaire_dispositif": acces(200, dispositif),
        "crm:formulaire_constructeur": acces(200, dispositif),
        "crm:formulaire_apercu": acces(200, lambda users: {**dispositif(users), "vue": "internet"}),
        "crm:formulaire_importer": acces(200, dispositif),
        "crm:formulaire_publier": acces(405, dispositif),
        "crm:formulaire_vue_copier": acces(405, dispositif),
        "crm:formulaire_onglet_ajouter": acces(405, dispositif),
        "crm:formulaire_exporter": acces(200, lambda users: {"pk": _modele_champ().modele_id}),
        "crm:formulaire_proprietes": acces(200, lambda users: {"pk": _modele_champ().modele_id}),
        "crm:formulaire_onglet_modifier": acces(405, onglet),
        "crm:formulaire_onglet_deplacer": acces(405, onglet),
        "crm:formulaire_onglet_supprimer": acces(200, onglet),  # GET asks to confirm
        "crm:formulaire_ligne_ajouter": acces(405, onglet),
        "crm:formulaire_ligne_modifier": acces(405, ligne),
        "crm:formulaire_ligne_deplacer": acces(405, ligne),
        "crm:formulaire_ligne_supprimer": acces(200, ligne),
        "crm:formulaire_champ_ajouter": acces(405, ligne),
        "crm:formulaire_referentiel_choisir": acces(200, ligne),
        "crm:formulaire_champ": acces(200, champ),
        "crm:formulaire_champ_proprietes": acces(405, champ),
        "crm:formulaire_champ_deplacer": acces(405, champ),
        "crm:formulaire_champ_supprimer": acces(200, champ),
        "crm:formulaire_referentiel": acces(200),
        "crm:formulaire_referentiel_champ_creer": acces(200),
        "crm:formulaire_referentiel_champ": acces(200, ref),
        "crm:formulaire_referentiel_liste_creer": acces(200),
        "crm:formulaire_referentiel_liste": acces(200, liste),
    }


MATRIX: dict[str, Access] = {
    # Portal
    "portal:home": PUBLIC,
    "portal:account": CITIZENS_SIGNED_IN,
    "portal:accessibility": PUBLIC,
    "portal:legal": PUBLIC,
    "portal:privacy": PUBLIC,
    # Portal — form wizard with an account (issue 5, P5): any signed-in account may
    # start a request; drafts are their owner's only, a confirmation its owner's and its
    # profil's members' (dossiers_of; others: 404).
    "portal:demande": Access(
        default=200, anonymous=LOGIN, kwargs=lambda users: {"slug": _dispositif_publie().slug}
    ),
    "portal:demande_reprendre": Access(
        default=404,
        anonymous=LOGIN,
        citizen=302,
        kwargs=lambda users: {"pk": _dossier(users["citizen"]).pk},
    ),
    "portal:demande_confirmation": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    # Portal — conversation of a dossier (issue 7, P11): its citizens only (a follower
    # without an account through the session, tests/portal/test_messages.py); others 404,
    # never a login redirect (whether the dossier exists is not told).
    "portal:dossier_messages": Access(
        default=404, citizen=200, kwargs=lambda users: {"pk": _conversation(users).dossier_id}
    ),
    "portal:message_piece_jointe": Access(
        default=404, citizen=200, kwargs=lambda users: _piece_jointe(users)
    ),
    # Portal — without an account (issue 7, P6): the wizard is open to everybody; its
    # last step sends back to the wizard until the form is filled; a hors-compte
    # dossier opens only for the browser that proved it (link or code), 404 otherwise.
    "portal:demande_sans_compte": Access(
        default=200, kwargs=lambda users: {"slug": dispositif_sans_compte().slug}
    ),
    "portal:demande_sans_compte_coordonnees": Access(
        default=302, kwargs=lambda users: {"slug": dispositif_sans_compte().slug}
    ),
    "portal:suivi": PUBLIC,
    "portal:suivi_renvoyer": PUBLIC,
    "portal:suivi_confirmation": Access(
        default=404, kwargs=lambda users: {"pk": deposer(dispositif_sans_compte()).dossier.pk}
    ),
    "portal:suivi_lien": Access(
        default=302,
        kwargs=lambda users: {"jeton": lien_jeton(deposer(dispositif_sans_compte()).dossier)},
    ),
    "portal:suivi_rattacher": CITIZENS_SIGNED_IN,
    # Portal — tracking (issue 7, P10): the list needs an account; the dossier page's
    # tabs are not @login_required (hors-compte visitors follow through their session),
    # so a visitor without a proven dossier gets 404 like any other stranger.
    "portal:dossiers": CITIZENS_SIGNED_IN,
    "portal:dossier": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "portal:dossier_donnees": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "portal:dossier_documents": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "portal:dossier_document": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: _document_du_dossier(users["citizen"]),
    ),
    # Portal — who edits a dossier (issue 7, F14/P7/F10): the author's, others get 404
    "portal:demande_pour_autrui": Access(
        default=200, anonymous=LOGIN, kwargs=lambda users: {"slug": _dispositif_pour_autrui().slug}
    ),
    "portal:brouillon_supprimer": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {"pk": _brouillon_enregistre(users["citizen"]).pk},
    ),
    "portal:dossier_partage": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "portal:dossier_modifier": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    # POST only (the partage tab's buttons): GET is refused before any lookup.
    "portal:invitation_dossier_revoquer": Access(
        default=405,
        anonymous=LOGIN,
        kwargs=lambda users: {"pk": 1, "invitation_pk": 1},
    ),
    "portal:coediteur_retirer": Access(
        default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1, "coediteur_pk": 1}
    ),
    "portal:transfert_annuler": Access(
        default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1}
    ),
    # A link's page: shown to whoever holds it signed in; accepting checks the address.
    "portal:partage_accepter": Access(
        default=200,
        anonymous=LOGIN,
        kwargs=lambda users: {"token": _invitation_dossier(users["citizen"]).token},
    ),
    "portal:transfert_accepter": Access(
        default=200,
        anonymous=LOGIN,
        kwargs=lambda users: {"token": _transfert(users["citizen"]).token},
    ),
    # Portal — a document deposited in the citizen's space (issue 6): theirs only
    "portal:document": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {"pk": _document_depose(users["citizen"]).pk},
    ),
    # Portal — justificatifs (issue 7, P12): the dossier's tab and every file through
    # dossiers_of (others: 404, never 403); a profil's documents, POST only
    "portal:dossier_justificatifs": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {
            "pk": _justificatif_version(users["citizen"]).justificatif.dossier_id
        },
    ),
    "portal:justificatif_fichier": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {"pk": _justificatif_version(users["citizen"]).pk},
    ),
    "portal:profil_document": Access(
        default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": ProfilFactory().pk}
    ),
    # Portal — catalogue and service sheets (issue 5)
    "portal:catalogue": PUBLIC,
    "portal:catalogue_type": Access(default=200, kwargs=lambda users: {"code": "association"}),
    "portal:fiche": Access(default=200, kwargs=lambda users: {"slug": DispositifFactory().slug}),
    "portal:fiche_modele": Access(default=200, kwargs=lambda users: _modele_kwargs()),
    # Portal — field-type endpoints (issue 5, adresse / commune / epci suggestions):
    # public JSON, forms may be filled without an account (tests/portal/test_api_territoires.py)
    "portal:api_adresses": PUBLIC,
    "portal:api_communes": PUBLIC,
    "portal:api_epci": PUBLIC,
    "health": PUBLIC,
    # Citizens' accounts (django-allauth under /compte/)
    "account_login": ANONYMOUS_ONLY,
    "account_signup": ANONYMOUS_ONLY,
    "account_logout": Access(default=200, anonymous=302),  # GET asks to confirm
    "account_inactive": PUBLIC,
    "account_reauthenticate": CITIZENS_SIGNED_IN,
    "account_email": CITIZENS_SIGNED_IN,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": Access(default=200, kwargs=_confirm_email_key),
    "account_change_password": CITIZENS_SIGNED_IN,
    "account_set_password": Access(default=302, anonymous=LOGIN),  # has one: to change
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": Access(
        default=200, kwargs=lambda users: {"uidb36": "0", "key": "cle-invalide"}
    ),
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_login_code": Access(default=302, anonymous=LOGIN),  # no code pending
    # Portal — Mon compte: personal data, profils, invitations, security (issue 4)
    # (entries for the portal's account pages go here)
    "portal:account_edit": CITIZENS_SIGNED_IN,
    "portal:profil_create": CITIZENS_SIGNED_IN,
    "portal:profil_switch": Access(default=405, anonymous=LOGIN),  # POST only
    # A profil the citizen is responsable of; other accounts are not members: 404.
    "portal:profil_detail": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {
            "pk": MembreFactory(
                individu=IndividuFactory(user=users["citizen"], email=users["citizen"].email),
                role=RoleMembre.objects.get(code="responsable"),
            ).profil_id
        },
    ),
    "portal:profil_edit": Access(
        default=404,
        anonymous=LOGIN,
        citizen=200,
        kwargs=lambda users: {
            "pk": MembreFactory(
                individu=IndividuFactory(user=users["citizen"], email=users["citizen"].email),
                role=RoleMembre.objects.get(code="responsable"),
            ).profil_id
        },
    ),
    "portal:profil_invite": Access(default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1}),
    "portal:profil_leave": Access(default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1}),
    "portal:invitation_revoke": Access(
        default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1, "invitation_pk": 1}
    ),
    "portal:membre_remove": Access(
        default=405, anonymous=LOGIN, kwargs=lambda users: {"pk": 1, "membre_pk": 1}
    ),
    # The emailed link: anyone sees who invites (others are told it is not for them);
    # an invitation no longer open answers 410 (tests/portal/test_invitation.py).
    "portal:invitation": Access(
        default=200,
        kwargs=lambda users: {"token": InvitationFactory(email=users["citizen"].email).token},
    ),
    # allauth.usersessions and allauth.mfa under /compte/ (portal/urls_compte.py)
    "usersessions_list": CITIZENS_SIGNED_IN,
    "mfa_index": CITIZENS_SIGNED_IN,
    "mfa_authenticate": Access(default=302, anonymous=LOGIN),  # no login pending
    "mfa_reauthenticate": Access(default=302, anonymous=LOGIN),  # no MFA to check
    # Asks to re-enter the password first (tests/portal/test_mfa.py goes further).
    "mfa_activate_totp": Access(default=302, anonymous=LOGIN),
    # Nothing to deactivate or show while no authenticator is set up.
    "mfa_deactivate_totp": Access(default=404, anonymous=LOGIN),
    "mfa_view_recovery_codes": Access(default=404, anonymous=LOGIN),
    "mfa_generate_recovery_codes": Access(default=302, anonymous=LOGIN),
    "mfa_download_recovery_codes": Access(default=404, anonymous=LOGIN),
    # CRM
    "crm:home": AGENTS,
    # The dashboard's composition (issue 9, C1): every agent; changes are POST only
    "crm:tableau_personnaliser": AGENTS,
    "crm:tableau_modifier": Access(
        default=403, anonymous=CRM_LOGIN, agent=405, concepteur=405, instructeur=405, admin=405
    ),
    # CRM — référentiel: search, individus, profils, merges (issue 4)
    # (entries for the CRM référentiel pages go here)
    "crm:usagers": AGENTS,
    "crm:usagers_assigner": Access(default=403, anonymous=CRM_LOGIN, agent=405, admin=405),
    "crm:individu_creer": AGENTS,
    "crm:individu": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": IndividuFactory().pk},
    ),
    "crm:individu_modifier": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": IndividuFactory().pk},
    ),
    "crm:individu_lien_ajouter": Access(  # POST only
        default=403,
        anonymous=CRM_LOGIN,
        agent=405,
        admin=405,
        kwargs=lambda users: {"pk": IndividuFactory().pk},
    ),
    "crm:individu_fusionner": Access(  # needs usagers.fusionner_individu (admin has all)
        default=403,
        anonymous=CRM_LOGIN,
        admin=200,
        kwargs=lambda users: {"pk": IndividuFactory().pk, "autre_pk": IndividuFactory().pk},
    ),
    "crm:profil_creer": AGENTS,
    "crm:profil": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": ProfilFactory().pk},
    ),
    "crm:profil_modifier": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": ProfilFactory().pk},
    ),
    "crm:profil_fusionner": Access(  # needs usagers.fusionner_profil (admin has all)
        default=403,
        anonymous=CRM_LOGIN,
        admin=200,
        kwargs=lambda users: {"pk": ProfilFactory().pk, "autre_pk": ProfilFactory().pk},
    ),
    # CRM — dossier page, conversation (issue 7, P11): agents with instruire_dossiers
    # (dossiers_visible_to); other agents 404, citizens 403.
    "crm:dossier_messages": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=404,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {"pk": _conversation(users).dossier_id},
    ),
    "crm:message_piece_jointe": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=404,
        instructeur=200,
        admin=200,
        kwargs=lambda users: _piece_jointe(users),
    ),
    # CRM — form builder (issue 5, "Builder"): agents with dossiers.concevoir_formulaires
    # (the concepteur; the admin has every permission); other agents 403.
    **_builder_entries(),
    # CRM — guide tests and dry runs (issue 8, I9)
    **_guide_essais_entries(),
    # CRM — guide builder (issue 8, I1/F7): the same right as the form builder
    **_guides_entries(),
    # CRM — document templates (issue 6): agents with editique.concevoir_modeles (the
    # concepteur; the admin has every permission); other agents 403.
    **_editique_entries(),
    # CRM — messages (issue 6): agents with notifications.gerer_modeles (the admin here)
    **_messagerie_entries(),
    # CRM — dossiers (issue 7, F8): agents with dossiers.instruire_dossiers (instructeur,
    # admin); other agents 403 (clearer than the scoped selector's 404)
    **_dossiers_crm_entries(),
    "crm:notifications": AGENTS,
    "crm:notifications_compteur": AGENTS,
    "portal:notifications": CITIZENS_SIGNED_IN,
    "portal:notifications_compteur": CITIZENS_SIGNED_IN,
    # CRM — the dossier's Instruction tab (issue 8): instructeurs (dossiers_visible_to),
    # other agents 403 like the other tabs
    "crm:dossier_instruction": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {"pk": _dossier_instruit(users).pk},
    ),
    # CRM — the dossier's Journal tab (C11): dossiers.consulter_journal on top of the
    # instructeur's right (the admin here); other agents and instructeurs 403
    "crm:dossier_journal": Access(
        default=403,
        anonymous=CRM_LOGIN,
        admin=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    # CRM — back to the previous statut, moving a selection (issue 8, I8/I3): POST only,
    # instructeurs; other agents 403 like the tabs
    "crm:dossier_instruction_retour": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=405,
        admin=405,
        kwargs=lambda users: {"pk": _dossier_instruit(users).pk},
    ),
    "crm:dossiers_lot": Access(default=403, anonymous=CRM_LOGIN, instructeur=405, admin=405),
    # Statistics (issue 9, C13): agents who instruct, counts within their scope
    "crm:statistiques": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    # Déclencheurs' signed webhook (issue 8, I8): POST only, authenticated by its
    # signature (tests/instruction/test_webhooks.py), never by a session
    "instruction:webhook": Access(default=405, kwargs=lambda users: {"code": "inconnu"}),
    # CRM — correction requests (issue 8, I10): the form from the Instruction tab, and the
    # cancel button (POST only: GET refused before any lookup)
    "crm:dossier_correction": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {"pk": _dossier_instruit(users).pk},
    ),
    "crm:dossier_correction_annuler": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=405,
        admin=405,
        kwargs=lambda users: {"pk": 1},
    ),
    # Portal — the citizen's correction form (I10): the dossier's owner with an open
    # request; anybody else 404 like the dossier's other tabs.
    "portal:dossier_correction": Access(
        default=404,
        citizen=200,
        kwargs=lambda users: {"pk": _dossier_a_corriger(users).pk},
    ),
    # CRM — the dossier's Justificatifs tab (issue 7): instructeurs (dossiers_visible_to),
    # other agents 404
    "crm:dossier_justificatifs": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=404,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {
            "pk": _justificatif_version(users["citizen"]).justificatif.dossier_id
        },
    ),
    "crm:dossier_justificatif_fichier": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=404,
        instructeur=200,
        admin=200,
        kwargs=lambda users: (lambda v: {"pk": v.justificatif.dossier_id, "version_pk": v.pk})(
            _justificatif_version(users["citizen"])
        ),
    ),
    "crm:login": PUBLIC,
    "crm:logout": Access(default=405),  # POST only
    # Django admin: its own pages (model pages come from ADMIN_OBJECTS below)
    "admin:index": Access(default=ADMIN_LOGIN, admin=200),
    "admin:login": Access(default=200, admin=302),
    "admin:logout": Access(default=302, admin=405),  # POST only; others sent to /admin/
    "admin:password_change": Access(default=ADMIN_LOGIN, admin=200),
    "admin:password_change_done": Access(default=ADMIN_LOGIN, admin=200),
    "admin:jsi18n": Access(default=ADMIN_LOGIN, admin=200),
    "admin:autocomplete": Access(default=ADMIN_LOGIN, admin=403),  # needs parameters
    "admin:view_on_site": Access(
        default=ADMIN_LOGIN,
        admin=404,  # users have no public page
        kwargs=lambda users: {"content_type_id": 1, "object_id": users["citizen"].pk},
    ),
    "admin:app_list": Access(
        default=ADMIN_LOGIN, admin=200, kwargs=lambda users: {"app_label": "accounts"}
    ),
    "admin:auth_user_password_change": Access(
        default=ADMIN_LOGIN, admin=200, kwargs=lambda users: {"id": users["citizen"].pk}
    ),
    "admin:dossiers_dispositif_importer_modele": Access(
        default=ADMIN_LOGIN, admin=200, kwargs=lambda users: {"object_id": DispositifFactory().pk}
    ),
    # Versions (F11): moving the dossiers of a version onto a newer one
    "admin:dossiers_modeledossier_migrer": Access(
        default=ADMIN_LOGIN, admin=200, kwargs=lambda users: {"object_id": _migration().source_id}
    ),
    # Issue 9 — contacts GRC (C5): every agent logs and reads contacts and tasks; the
    # dossier tab (contacts and action plan) is for agents who instruct dossiers
    "crm:contacts": AGENTS,
    "crm:contact_nouveau": AGENTS,
    "crm:contact": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": _contact().pk},
    ),
    "crm:contact_statut": Access(  # POST only
        default=403,
        anonymous=CRM_LOGIN,
        agent=405,
        admin=405,
        kwargs=lambda users: {"pk": _contact().pk},
    ),
    "crm:contact_deplacer": Access(
        default=403,
        anonymous=CRM_LOGIN,
        agent=200,
        admin=200,
        kwargs=lambda users: {"pk": _contact().pk},
    ),
    "crm:contact_tache_ajouter": Access(  # POST only
        default=403,
        anonymous=CRM_LOGIN,
        agent=405,
        admin=405,
        kwargs=lambda users: {"pk": _contact().pk},
    ),
    "crm:tache_terminer": Access(  # POST only
        default=403,
        anonymous=CRM_LOGIN,
        agent=405,
        admin=405,
        kwargs=lambda users: {"pk": _tache().pk},
    ),
    "crm:mes_taches": AGENTS,
    "crm:dossier_contacts": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "crm:dossier_tache_ajouter": Access(  # POST only
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=405,
        admin=405,
        kwargs=lambda users: {"pk": _dossier(users["citizen"], depose=True).pk},
    ),
    "admin:<catch-all>": Access(default=ADMIN_LOGIN, admin=404, path="/admin/nexiste-pas/"),
    # Issue 9 — search (C10) and map (C9): the search for every agent (dossiers only
    # through dossiers_visible_to), the map for instructeurs; its data without a box: 400
    "crm:recherche": AGENTS,
    "crm:recherche_avancee": AGENTS,
    "crm:carte": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    "crm:carte_donnees": Access(default=403, anonymous=CRM_LOGIN, instructeur=400, admin=400),
    # Issue 9 — exports: the export page and the JSON flow for instructeurs (the « exporter »
    # right of the droits slice narrows the dossiers); a job and its file for its owner only
    # (the instructeur's; the admin gets 404 like anybody else)
    "crm:dossiers_exporter": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    "crm:exports": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    "crm:export": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=404,
        kwargs=lambda users: {"pk": _export_termine(users).pk},
    ),
    "crm:export_fichier": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=404,
        kwargs=lambda users: {"pk": _export_termine(users).pk},
    ),
    "crm:flux_dossiers": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=200,
        kwargs=lambda users: {"code": _dispositif_publie().code},
    ),
    # the agent's flow tokens (shown once) and revoking one (POST only)
    "crm:flux_jetons": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    "crm:flux_jeton_revoquer": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=405,
        admin=405,
        kwargs=lambda users: {"pk": _jeton_flux(users).pk},
    ),
    # Issue 9 — routage (C14): teams, rules, labels (dossiers.gerer_equipes: the admin
    # here); the dossier page's panel (instructeurs, POST only); the trash
    # (dossiers.supprimer_dossiers: the admin here)
    **_routage_entries(),
    # Issue 9 — commissions (I6): instructeurs see séances and decide; creating, editing,
    # reordering and closing need instruction.gerer_commissions too (the admin here)
    **_commissions_entries(),
    # Issue 9 — listes: saved views of the dossier list (C15), the owner's only (the
    # instructeur's here; the admin, another agent, gets 404)
    "crm:dossiers_vue_enregistrer": Access(
        default=403, anonymous=CRM_LOGIN, instructeur=405, admin=405
    ),
    "crm:dossiers_vue_modifier": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=404,
        kwargs=lambda users: {"pk": _vue_liste(users).pk},
    ),
    "crm:dossiers_vue_supprimer": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=404,
        kwargs=lambda users: {"pk": _vue_liste(users).pk},
    ),
    # Issue 9 — lots: instructeurs; a lot is its agent's alone (the admin's: 404); creating
    # one without a selection sends back to the list; interrupt / resume are POST only
    "crm:lots": Access(default=403, anonymous=CRM_LOGIN, instructeur=200, admin=200),
    "crm:lot_nouveau": Access(default=403, anonymous=CRM_LOGIN, instructeur=302, admin=302),
    "crm:lot": Access(
        default=403,
        anonymous=CRM_LOGIN,
        instructeur=200,
        admin=404,
        kwargs=lambda users: {"pk": _lot(users).pk},
    ),
    "crm:lot_interrompre": Access(
        default=403, anonymous=CRM_LOGIN, instructeur=405, admin=405, kwargs=lambda users: {"pk": 1}
    ),
    "crm:lot_reprendre": Access(
        default=403, anonymous=CRM_LOGIN, instructeur=405, admin=405, kwargs=lambda users: {"pk": 1}
    ),
    # Issue 9 — rights (C7) and territories (C8): dossiers.gerer_droits (the admin here);
    # agents in / out of a territoire and with / without each right on the dossier pages
    # are in tests/crm/droits/test_acces_droits.py.
    **_droits_entries(),
    # Issue 9 — resume: every agent's own followed dossiers and digest preference
    "crm:mes_suivis": AGENTS,
    # Issue 9 — suivi9: « Ne plus suivre » on « Mes dossiers suivis » (POST only)
    "crm:mes_suivis_ne_plus_suivre": Access(
        default=403, anonymous=CRM_LOGIN, agent=405, admin=405, kwargs=lambda users: {"pk": 1}
    ),
}

# One object per model registered in the admin: its changelist, add, change, delete and
# history pages are declared admin-only. A model registered without an entry here fails.
ADMIN_OBJECTS = {
    "dossiers.InvitationDossier": lambda users: _invitation_dossier(users["citizen"]),
    "dossiers.TransfertDossier": lambda users: _transfert(users["citizen"]),
    "dossiers.CoEditeur": lambda users: _coediteur(users),
    "accounts.User": lambda users: users["citizen"],
    "account.EmailAddress": lambda users: EmailAddress.objects.get(user=users["citizen"]),
    "auth.Group": lambda users: Group.objects.create(name="Instructeurs"),
    "accounts.Connexion": lambda users: Connexion.objects.create(user=users["citizen"]),
    "accounts.TableauDeBord": lambda users: TableauDeBord.objects.create(
        user=users["instructeur"], dashlets=["mes_dossiers"]
    ),
    "mfa.Authenticator": lambda users: Authenticator.objects.create(
        user=users["citizen"], type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    ),
    "usersessions.UserSession": lambda users: UserSession.objects.create(
        user=users["citizen"], ip="127.0.0.1", session_key="session-du-citoyen"
    ),
    "dossiers.Thematique": lambda users: ThematiqueFactory(),
    "dossiers.Dispositif": lambda users: DispositifFactory(complet=True),
    "dossiers.ModeleDossier": lambda users: _modele_champ().modele,
    "dossiers.Onglet": lambda users: _modele_champ().ligne.onglet,
    "dossiers.Ligne": lambda users: _modele_champ().ligne,
    "dossiers.Champ": lambda users: _modele_champ(),
    "dossiers.ChampReferentiel": lambda users: ChampReferentiel.objects.create(
        nom="quotient_familial", libelle="Quotient familial", type="entier"
    ),
    "dossiers.ListeReferentiel": lambda users: ListeReferentiel.objects.create(
        code="situation", libelle="Situation familiale"
    ),
    "usagers.Individu": lambda users: IndividuFactory(),
    "usagers.Profil": lambda users: ProfilFactory(),
    "usagers.Membre": lambda users: MembreFactory(),
    "usagers.LienParente": lambda users: LienParenteFactory(),
    "usagers.Invitation": lambda users: InvitationFactory(),
    "usagers.TypeProfil": lambda users: TypeProfil.objects.get(code="association"),
    "usagers.NatureProfil": lambda users: NatureProfil.objects.first(),
    "usagers.RoleMembre": lambda users: RoleMembre.objects.get(code="membre"),
    "usagers.Fusion": lambda users: Fusion.objects.create(
        objet="individu", conserve_id=1, absorbe_id=2, absorbe_donnees={}
    ),
    "pghistory.Events": lambda users: _an_event(),
    "dossiers.Dossier": lambda users: _dossier(users["citizen"], depose=True),
    "dossiers.Classement": lambda users: Classement.objects.create(libelle="Culture"),
    # Justificatifs (issue 7, P12)
    "dossiers.TypeJustificatif": lambda users: TypeJustificatifFactory(),
    "dossiers.Justificatif": lambda users: _justificatif_version(users["citizen"]).justificatif,
    # Versions (F11): records of the moves between versions, read-only
    "dossiers.MigrationVersion": lambda users: _migration(),
    "dossiers.MigrationDossier": lambda users: _migration().lignes.get(),
    # Éditique (issue 6): templates, their frozen versions, produced documents
    "editique.ModeleDocument": lambda users: ModeleDocumentFactory(),
    "editique.VersionModeleDocument": lambda users: _version_document(),
    "editique.DocumentGenere": lambda users: _document_genere(),
    # Guide d'instruction (issue 8): configured in the admin; a dossier's state read-only
    "instruction.Guide": lambda users: _statuts()["depose"].version.guide,
    "instruction.VersionGuide": lambda users: _statuts()["depose"].version,
    "instruction.Etape": lambda users: _statuts()["depose"].etape,
    "instruction.Statut": lambda users: _statuts()["instruction"],
    "instruction.SuiviInstruction": lambda users: _dossier_instruit(users).suivi_instruction,
    "instruction.ChangementStatut": lambda users: _dossier_instruit(users).changements_statut.get(),
    "instruction.CasTest": lambda users: _cas_test(),
    "instruction.DemandeCorrection": lambda users: _dossier_a_corriger(
        users
    ).demandes_correction.get(),
    # Timers and déclencheurs (I8)
    "instruction.Minuteur": lambda users: _minuteur(),
    "instruction.Declencheur": lambda users: _declencheur(),
    "notifications.ModeleMessage": lambda users: _modele_message(),
    "notifications.Correspondance": lambda users: _correspondance(),
    "notifications.Message": lambda users: _message(),
    "notifications.Cadence": lambda users: Cadence.objects.create(
        canal="sms", prochain_creneau="2030-01-01T03:00:00+01:00"
    ),
    "notifications.Notification": lambda users: Notification.objects.create(
        destinataire=users["citizen"], titre="Bienvenue"
    ),
    "django_celery_beat.IntervalSchedule": lambda users: IntervalSchedule.objects.create(
        every=1, period=IntervalSchedule.DAYS
    ),
    "django_celery_beat.CrontabSchedule": lambda users: CrontabSchedule.objects.create(
        minute="0", hour="3"
    ),
    "django_celery_beat.SolarSchedule": lambda users: SolarSchedule.objects.create(
        event="sunrise", latitude=47.9, longitude=1.9
    ),
    "django_celery_beat.ClockedSchedule": lambda users: ClockedSchedule.objects.create(
        clocked_time="2030-01-01T03:00:00+01:00"
    ),
    "django_celery_beat.PeriodicTask": lambda users: PeriodicTask.objects.create(
        name="Purge quotidienne",
        task="notifications.relancer_en_retard",
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS),
    ),
    # Issue 9 — exports: jobs, read-only (written by their task)
    "dossiers.Export": lambda users: _export_termine(users),
    "dossiers.JetonFlux": lambda users: _jeton_flux(users),
    # Issue 9 — routage (C14)
    "dossiers.Equipe": lambda users: EquipeFactory(),
    "dossiers.RegleRoutage": lambda users: RegleRoutageFactory(),
    "dossiers.Etiquette": lambda users: EtiquetteFactory(),
    "dossiers.SuiviAgent": lambda users: SuiviAgent.objects.create(
        agent=users["instructeur"], dossier=_dossier(users["citizen"], depose=True)
    ),
    "dossiers.ResumeSuivi": lambda users: ResumeSuivi.objects.create(
        agent=users["instructeur"], jusqu_au="2026-03-02T07:00:00+01:00", jour="2026-03-02"
    ),
    # Issue 9 — commissions (I6)
    "instruction.Commission": lambda users: _seance().commission,
    "instruction.Seance": lambda users: _seance(),
    "instruction.Reunion": lambda users: _reunion(),
    # Issue 9 — listes: saved views of the dossier list (C15)
    "dossiers.VueListe": lambda users: _vue_liste(users),
    # Issue 9 — lots
    "instruction.Lot": lambda users: _lot(users),
    # Issue 9 — rights (C7) and territories (C8)
    "dossiers.ProfilMetier": lambda users: ProfilMetierFactory(),
    "dossiers.DroitDispositif": lambda users: _droit_dispositif(),
    "dossiers.TypeTerritoire": lambda users: TypeTerritoireFactory(),
    "dossiers.Territoire": lambda users: TerritoireFactory(),
    "dossiers.Secteur": lambda users: Secteur.objects.create(
        territoire=TerritoireFactory(), nature="commune", code_insee="18026"
    ),
    # Issue 9 — contacts GRC (C5): contact models, contacts, action plans and tasks
    "contacts.ModeleContact": lambda users: ModeleContact.objects.create(
        nom="Appel — demande d’information", canal="telephone"
    ),
    "contacts.Contact": lambda users: _contact(),
    "contacts.PlanAction": lambda users: _tache().plan,
    "contacts.Tache": lambda users: _tache(),
    # Issue 9 — resume: the agents' digest preferences
    "dossiers.PreferenceResume": lambda users: PreferenceResume.objects.create(
        agent=users["instructeur"], frequence="jamais"
    ),
}


# Admin pages that answer otherwise for the admin role (read-only models…).
ADMIN_EXCEPTIONS = {
    # Instruction (issue 8): a dossier's state and history are written by change_status
    "admin:instruction_suiviinstruction_add": 403,
    "admin:instruction_suiviinstruction_delete": 403,
    "admin:instruction_changementstatut_add": 403,
    "admin:instruction_changementstatut_delete": 403,
    # Correction requests (I10): made and answered on the CRM and the portal only
    "admin:instruction_demandecorrection_add": 403,
    "admin:instruction_demandecorrection_delete": 403,
    # Timers are part of their guide version: read-only once it is published (I8)
    "admin:instruction_minuteur_delete": 403,
    # A published version's étapes and statuts are read-only (dossiers follow them)
    "admin:instruction_etape_delete": 403,
    "admin:instruction_statut_delete": 403,
    "admin:accounts_connexion_add": 403,
    "admin:usagers_fusion_add": 403,
    "admin:pghistory_events_add": 403,  # the journal is written by triggers only
    "admin:pghistory_events_delete": 403,
    "admin:dossiers_dossier_add": 403,
    "admin:notifications_cadence_add": 403,  # a channel's slot row is written by delivery
    "admin:notifications_message_add": 403,  # the outbox is written by the services only  # dossiers are filed on the portal
    # Versions (F11): written by the move only
    "admin:dossiers_migrationversion_add": 403,
    "admin:dossiers_migrationversion_delete": 403,
    "admin:dossiers_migrationdossier_add": 403,
    "admin:dossiers_migrationdossier_delete": 403,
    # Éditique: versions are frozen at publication, documents are records
    "admin:editique_versionmodeledocument_add": 403,
    "admin:editique_documentgenere_add": 403,
    "admin:editique_documentgenere_delete": 403,
    # Issue 9 — exports: jobs are written by their task and purged by beat
    "admin:dossiers_export_add": 403,
    "admin:dossiers_export_delete": 403,
    "admin:dossiers_jetonflux_add": 403,  # created by its agent in the CRM (shown once)
    # Issue 9 — routage (C14): the digests' record is written by the daily task
    "admin:dossiers_resumesuivi_add": 403,
    # Issue 9 — lots: launched from the CRM list only
    "admin:instruction_lot_add": 403,
}


def _export_termine(users):
    """A finished CSV export job of the instructeur (issue 9, exports)."""
    from dossiers import services_exports
    from dossiers.models import Export

    export = Export.objects.create(
        agent=users["instructeur"],
        format="csv",
        source="liste_crm",
        parametres={"colonnes": ["reference"], "filtres": ""},
    )
    return services_exports.export_executer(export.pk)


def _jeton_flux(users):
    from dossiers import services_exports

    return services_exports.jeton_creer(agent=users["instructeur"], libelle="Entrepôt")[0]


def _modele_kwargs():
    piece = PieceAFournirFactory(avec_modele=True)
    return {"slug": piece.dispositif.slug, "piece_pk": piece.pk}


def _modele_champ():
    """A draft form model with one tab, one row and one field."""
    modele = dossiers_services.modele_brouillon(dispositif=DispositifFactory())
    onglet = Onglet.objects.create(modele=modele, titre="Demandeur")
    ligne = Ligne.objects.create(onglet=onglet)
    return Champ.objects.create(ligne=ligne, nom="nom", libelle="Nom", type="texte")


def _dispositif_publie():
    """A dispositif with a published form model of one tab and one field."""
    modele = _modele_champ().modele
    dossiers_services.modele_publier(modele=modele, by=None)
    return modele.dispositif


def _dossier(user, *, depose=False):
    dossier = dossiers_services.dossier_commencer(
        dispositif=_dispositif_publie(), user=user, profil=None
    )
    if depose:
        dossier.donnees = {"nom": "Martin"}
        return dossiers_services.dossier_deposer(dossier=dossier, user=user)
    return dossiers_services.dossier_enregistrer_brouillon(dossier=dossier, user=user)


def _vue_liste(users):
    return VueListe.objects.get_or_create(
        agent=users["instructeur"], nom="À traiter", defaults={"tri": "reference"}
    )[0]


def _statuts():
    from tests.instruction.factories import guide_publie

    return guide_publie(_dispositif_publie())


def _dossier_instruit(users):
    """The citizen's dossier filed on a dispositif with a published guide."""
    from tests.crm.dossiers.conftest import deposer

    statuts = _statuts()
    return deposer(
        statuts["depose"].version.guide.dispositif, users["citizen"], donnees={"nom": "Martin"}
    )


def _minuteur():
    from instruction.models import Minuteur

    statuts = _statuts()
    return Minuteur.objects.create(
        statut=statuts["depose"], cible=statuts["instruction"], libelle="Relance", delai=15
    )


def _declencheur():
    from instruction.models import Declencheur

    statuts = _statuts()
    return Declencheur.objects.create(
        version=statuts["depose"].version,
        code=f"commission-{Declencheur.objects.count()}",
        libelle="Avis de la commission",
        cible=statuts["instruction"],
    )


def _dossier_a_corriger(users):
    """The citizen's dossier with a correction of its « nom » asked by the instructeur."""
    from instruction import services_corrections

    dossier = _dossier_instruit(users)
    services_corrections.correction_demander(
        dossier=dossier, champs=["nom"], motif="Nom incomplet", by=users["instructeur"]
    )
    return dossier


def _conversation(users):
    """The citizen's filed dossier, its conversation opened by an instructeur."""
    from dossiers import services_conversation

    return services_conversation.conversation_ouvrir(
        _dossier(users["citizen"], depose=True), users["instructeur"]
    )


def _piece_jointe(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossiers import services_conversation
    from tests.dossiers.factories import PDF

    dossier = _conversation(users).dossier
    message = services_conversation.message_poster(
        dossier=dossier,
        auteur=users["instructeur"],
        cote="agent",
        texte="Le modèle à remplir",
        fichiers=[SimpleUploadedFile("modele.pdf", PDF)],
    )
    return {"pk": dossier.pk, "piece_pk": message.pieces_jointes.get().pk}


def _justificatif_version(user):
    """A filed dossier of `user` whose mandatory piece has one version."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossiers import services_justificatifs
    from tests.common import fichiers
    from tests.dossiers.justificatifs import dossier_depose

    dossier = dossier_depose(user)
    justificatif = dossier.justificatifs.select_related("type", "dossier").get(
        type__code="domicile"
    )
    return services_justificatifs.version_deposer(
        justificatif=justificatif,
        upload=SimpleUploadedFile("domicile.pdf", fichiers.pdf()),
        user=user,
    )


def _dispositif_pour_autrui():
    dispositif = _dispositif_publie()
    dispositif.depot_pour_autrui = True
    dispositif.save()
    return dispositif


def _brouillon_enregistre(user):
    dossier = _dossier(user)
    return dossiers_services.dossier_enregistrer_brouillon(dossier=dossier, user=user)


def _invitation_dossier(user):
    from dossiers.models import InvitationDossier

    dossier = _dossier(user, depose=True)
    return InvitationDossier.objects.create(dossier=dossier, email="invite@exemple.fr")


def _transfert(user):
    from dossiers.models import TransfertDossier

    dossier = _dossier(user, depose=True)
    return TransfertDossier.objects.create(dossier=dossier, email="invite@exemple.fr")


def _coediteur(users):
    from dossiers.models import CoEditeur

    dossier = _dossier(users["citizen"], depose=True)
    return CoEditeur.objects.create(dossier=dossier, user=users["other_citizen"])


def _migration():
    """Versions (F11): a submitted dossier moved from version 1 onto version 2."""
    dossier = _dossier(None, depose=True)
    v2 = dossiers_services.modele_brouillon(dispositif=dossier.dispositif)
    dossiers_services.modele_publier(modele=v2, by=None)
    return dossiers_services.dossiers_migrer(
        source=dossier.modele, cible=v2, correspondance={"nom": "nom"}, by=None
    )


def _version_document():
    from editique import services as editique_services

    return editique_services.modele_publier(modele=ModeleDocumentFactory(), par=None)


def _document_genere():
    from editique import services as editique_services

    version = _version_document()
    return editique_services.document_generer(
        modele=version.modele, contexte=exemple(editique_services.schema(version.modele))
    )


def _document_depose(user):
    from dossiers import editique as dossiers_editique
    from editique import services as editique_services

    dossier = _dossier(user, depose=True)
    modele = ModeleDocumentFactory(deposer_usager=True)
    editique_services.modele_publier(modele=modele, par=None)
    return dossiers_editique.document_generer(dossier=dossier, modele=modele)


def _document_du_dossier(user):
    document = _document_depose(user)
    return {"pk": document.objet_id, "document_pk": document.pk}


def _an_event():
    from pghistory.models import Events

    IndividuFactory()
    return Events.objects.order_by("-pgh_created_at").first()


def _contact():
    return Contact.objects.create(canal="telephone", quand=timezone.now(), objet="Question")


def _tache():
    plan = PlanAction.objects.create(contact=_contact())
    return Tache.objects.create(plan=plan, libelle="Rappeler l’usager")


def _admin_entries() -> dict[str, Access]:
    entries = {}
    for model in admin.site._registry:
        label = model._meta.label
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        build = ADMIN_OBJECTS.get(label)
        if build is None:
            continue  # reported by test_every_url_is_declared
        entries[f"{prefix}_changelist"] = Access(default=ADMIN_LOGIN, admin=200)
        entries[f"{prefix}_add"] = Access(default=ADMIN_LOGIN, admin=200)
        for action in ("change", "delete", "history"):
            entries[f"{prefix}_{action}"] = Access(
                default=ADMIN_LOGIN,
                admin=200,
                kwargs=lambda users, build=build: {"object_id": build(users).pk},
            )
    for name, answer in ADMIN_EXCEPTIONS.items():
        entries[name] = Access(default=ADMIN_LOGIN, admin=answer, kwargs=entries[name].kwargs)
    return entries


ALL = {**MATRIX, **_admin_entries()}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<catch-all>"


def test_every_url_is_declared():
    found = set(_walk(get_resolver().url_patterns))
    missing_models = [
        model._meta.label
        for model in admin.site._registry
        if model._meta.label not in ADMIN_OBJECTS
    ]
    assert not missing_models, f"Admin models missing from ADMIN_OBJECTS: {missing_models}"
    assert not sorted(found - ALL.keys()), (
        f"URLs missing from the access matrix: {sorted(found - ALL.keys())}"
    )
    assert not sorted(ALL.keys() - found), (
        f"Stale access-matrix entries: {sorted(ALL.keys() - found)}"
    )


# Issue 10 — vite: the matrix is half the suite (URLs × 7 roles); making the six users of
# every test took about a third of its time. They are made once per module (each xdist
# process) inside a transaction left open, which each test's own transaction nests in as a
# savepoint: whatever a test writes, to them too, is rolled back when it ends, as before.
# Each test gets instances fresh from the database, so nothing cached on one (has_perm,
# the scope of dossiers_visible_to) reaches the next.
@pytest.fixture(scope="module")
def _role_user_pks(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # As TestCase marks its own: a durable block inside a test is still allowed.
        outer._from_testcase = True
        outer.__enter__()
        try:
            pks = {role: getattr(make_user(role), "pk", None) for role in ROLES}
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield pks
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def users(db, _role_user_pks):
    """conftest's `users`, made once per module (above)."""
    by_pk = User.objects.in_bulk([pk for pk in _role_user_pks.values() if pk])
    return {role: by_pk.get(pk) for role, pk in _role_user_pks.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALL))
def test_access(name, role, users, client_as):
    access = ALL[name]
    client = client_as(role)
    url = access.path or reverse(name, kwargs=access.kwargs(users) if access.kwargs else None)
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # a download: consuming it closes its file
    expected = access.expected(role)
    if expected in REDIRECT_TARGETS:
        assert response.status_code == 302, f"{role} on {url}: {response.status_code}"
        assert urlparse(response["Location"]).path == REDIRECT_TARGETS[expected]
    else:
        assert response.status_code == expected, f"{role} on {url}: {response.status_code}"


def _lot(users):
    """The instructeur's statut lot of one dossier (not run: created in the test's
    transaction, it is never committed)."""
    from dossiers.selectors import dossiers_visible_to
    from instruction import services_lots

    dossier = _dossier_instruit(users)
    return services_lots.lot_creer(
        agent=users["instructeur"],
        sorte="statut",
        params={"statut": "instruction", "motif": ""},
        dossiers=dossiers_visible_to(users["instructeur"]).filter(pk=dossier.pk),
    )
