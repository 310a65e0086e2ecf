"""Idempotent demo data for a fictional commune, Belleville-sur-Loire.

Each later feature adds its own demo data here, so `make demo` always shows all of it.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from stdnum import luhn

from accounts.models import User
from demo.agent_sans_droit import EMAIL as EMAIL_SANS_DROIT  # Issue 9 — terr
from demo.agent_sans_droit import load_agent_sans_droit
from demo.carte import load_carte
from demo.catalogue import load_catalogue
from demo.commissions import load_commissions
from demo.contacts import load_contacts
from demo.conversation import load_conversations
from demo.corrections import load_corrections
from demo.donnees_agent import load_donnees_agent
from demo.dossiers_gestion import load_dossiers_gestion
from demo.droits import AGENTS_TERRITOIRE, load_droits_territoires, load_profils_metier
from demo.edition import load_edition
from demo.editique import load_dossiers_editique, load_editique
from demo.essais import load_essais
from demo.exports import load_exports
from demo.formulaires import load_dossier_precedent, load_formulaires
from demo.formulaires_commune import load_formulaires_commune
from demo.hors_compte import load_hors_compte
from demo.instruction import load_instruction, placer_dossiers
from demo.justificatifs import (
    attendre_justificatifs,
    load_justificatifs_dossiers,
    load_types_justificatifs,
)
from demo.lots import load_lots
from demo.minuteurs import load_minuteurs
from demo.notifications import load_notifications
from demo.resume_suivis import load_resume_suivis
from demo.routage import load_routage
from demo.routage_territoires import load_routage_territoires  # Issue 9 — territoires
from demo.saisie_agent import load_saisie_agent
from demo.suivi import load_suivi
from demo.tableau import load_tableaux_profils  # Issue 9 — tableau
from demo.vues_liste import load_vues_liste
from usagers import services as usagers
from usagers.models import (
    Individu,
    LienParente,
    Membre,
    NatureProfil,
    Profil,
    RoleMembre,
    TypeProfil,
)

DEMO_PASSWORD = "Guichet-demo-2026"

DEMO_USERS = [
    # (email, first name, last name, flags, role shown in the printed table)
    ("usager@demo.guichet.fr", "Camille", "Martin", {}, "usager"),
    ("voisin@demo.guichet.fr", "Lucas", "Bernard", {}, "usager (2e)"),
    ("agent@demo.guichet.fr", "Sophie", "Durand", {"is_agent": True}, "agent"),
    ("instructeur@demo.guichet.fr", "Paul", "Lefort", {"is_agent": True}, "instructeur"),
    (
        "admin@demo.guichet.fr",
        "Karim",
        "Benali",
        {"is_agent": True, "is_staff": True, "is_superuser": True},
        "administrateur",
    ),
]

ADRESSE_MARTIN = {
    "adresse": "12 rue des Tanneurs",
    "code_postal": "18240",
    "commune": "Belleville-sur-Loire",
    "code_insee": "18026",
}
ADRESSE_DUPONT = {
    "adresse": "4 allée des Tilleuls",
    "code_postal": "18240",
    "commune": "Belleville-sur-Loire",
    "code_insee": "18026",
}


def demo_siret(siren_8_digits: str, establishment_4_digits: str) -> str:
    """A valid SIRET (Luhn on the SIREN and on the whole number) for a fictional company."""
    siren = siren_8_digits + luhn.calc_check_digit(siren_8_digits)
    body = siren + establishment_4_digits
    return body + luhn.calc_check_digit(body)


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=None, help="Port affiché dans les adresses.")

    @transaction.atomic
    def handle(self, *args, **options):
        users = self.load_users()
        load_profils_metier(users)  # rights (C7): before the loaders acting as agents
        self.load_referentiel(users)
        load_catalogue()
        load_types_justificatifs()
        load_formulaires()
        load_formulaires_commune()
        load_dossier_precedent()
        load_editique()
        load_dossiers_editique()
        load_suivi()
        load_notifications(users)
        load_conversations(users)
        hors_compte = load_hors_compte()
        load_dossiers_gestion(users)
        load_justificatifs_dossiers()
        load_edition()
        load_instruction(users)
        load_saisie_agent(users)
        load_minuteurs()
        load_essais(users)
        load_corrections(users)
        load_donnees_agent(users)
        load_carte()
        placer_dossiers(users)  # the map's dossiers, written without the deposit service
        # Issue 9 — exports: a finished export job of the instructeur
        load_exports(users)
        load_routage(users)  # Issue 9 — routage (C14)
        load_commissions(users)  # Issue 9 — commissions (I6)
        # Issue 9 — listes: saved views of the dossier list
        load_vues_liste(users)
        load_lots(users)  # Issue 9 — lots
        # Issue 9 — contacts GRC (C5): models, contacts, action plans
        load_contacts(users)
        load_droits_territoires(users)
        # Issue 9 — resume: the digest's template, a colleague's change to tell
        load_resume_suivis(users)
        # Issue 9 — territoires: a routing rule by territoire (C14 × C8)
        load_routage_territoires(users)
        # Issue 9 — tableau: dashboards per profil métier, the accueil agent's favourites
        load_tableaux_profils()
        # Issue 9 — terr: an agent still assigned to dossiers he may no longer instruct
        load_agent_sans_droit(users)
        attendre_justificatifs()  # dossiers written by loaders after the pieces step
        self.print_logins(options.get("port") or "8000")
        if hors_compte is not None:
            self.print_hors_compte(hors_compte, options.get("port") or "8000")

    def load_users(self) -> dict[str, User]:
        users = {}
        for email, first_name, last_name, flags, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first_name, "last_name": last_name, **flags},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[email.split("@")[0]] = user
        # The demo agent instructs with the référentiel rights (restricted data, merges).
        instructeurs, _ = Group.objects.get_or_create(name="Instructeurs (démo)")
        instructeurs.permissions.set(
            Permission.objects.filter(
                codename__in=[
                    "voir_donnees_restreintes",
                    "fusionner_individu",
                    "fusionner_profil",
                    "instruire_dossiers",  # the CRM dossier pages (issue 7)
                ]
            )
        )
        users["agent"].groups.add(instructeurs)
        users["instructeur"].groups.add(instructeurs)
        # The demo administrator designs the forms in the CRM builder (issue 5), by this
        # permission rather than by being a superuser.
        users["admin"].is_agent = True
        users["admin"].save(update_fields=["is_agent"])
        # … the document templates, the mail and SMS templates, their mapping and the
        # outbox (issue 6).
        users["admin"].user_permissions.add(
            *Permission.objects.filter(
                codename__in=["concevoir_formulaires", "concevoir_modeles", "gerer_modeles"]
            )
        )
        return users

    def load_referentiel(self, users: dict[str, User]) -> None:
        responsable = RoleMembre.objects.get(code="responsable")
        membre = RoleMembre.objects.get(code="membre")

        # The Martin family: Camille has an account; her two children do not.
        camille = usagers.compte_initialiser(user=users["usager"])
        self.update(
            camille,
            civilite="mme",
            date_naissance=datetime.date(1986, 3, 14),
            lieu_naissance="Orléans",
            telephone_mobile="+33612345678",
            profession="Infirmière",
            situation_familiale="pacse",
            numero_allocataire="1234567",
            **ADRESSE_MARTIN,
        )
        leo = self.individu(
            prenom="Léo",
            nom="Martin",
            type_individu="enfant",
            date_naissance=datetime.date(2015, 9, 2),
            etablissement_scolaire="École Jules-Ferry",
            classe="CM2",
            **ADRESSE_MARTIN,
        )
        jade = self.individu(
            prenom="Jade",
            nom="Martin",
            type_individu="enfant",
            date_naissance=datetime.date(2019, 1, 21),
            etablissement_scolaire="École Jules-Ferry",
            classe="Moyenne section",
            **ADRESSE_MARTIN,
        )
        foyer_martin = self.profil("foyer", "Foyer Martin", **ADRESSE_MARTIN)
        self.membre(
            foyer_martin, camille, responsable, autorite_parentale=True, regle_paiement="payeur"
        )
        for enfant in (leo, jade):
            self.membre(foyer_martin, enfant, membre, mode_garde="exclusive")
            LienParente.objects.get_or_create(
                individu=camille, apparente=enfant, type_lien="parent"
            )
        LienParente.objects.get_or_create(individu=leo, apparente=jade, type_lien="fratrie")

        # Lucas Bernard, a second citizen, member of the association Camille runs.
        lucas = usagers.compte_initialiser(user=users["voisin"])
        self.update(
            lucas,
            civilite="m",
            date_naissance=datetime.date(1979, 11, 5),
            telephone_mobile="+33698765432",
            profession="Menuisier",
            adresse="7 chemin du Moulin",
            code_postal="18240",
            commune="Belleville-sur-Loire",
            code_insee="18026",
        )
        asso = self.profil(
            "association",
            "Les Amis de la Loire",
            nature="Association loi 1901",
            sigle="ADL",
            rna="W451002345",
            email="contact@amis-de-la-loire.fr",
            telephone="+33238000000",
            iban="FR7630006000011234567890189",
            bic="BDFEFRPPCCT",
            adresse="Maison des associations, 1 place de la Mairie",
            code_postal="18240",
            commune="Belleville-sur-Loire",
            code_insee="18026",
        )
        self.membre(asso, camille, responsable)
        self.membre(asso, lucas, membre)

        # The Dupont family, known at the desk, and a duplicate typed without accents.
        eleonore = self.individu(
            prenom="Éléonore",
            nom="Dupont",
            civilite="mme",
            email="eleonore.dupont@exemple.fr",
            date_naissance=datetime.date(1972, 6, 30),
            telephone_fixe="+33238123456",
            profession="Professeure des écoles",
            **ADRESSE_DUPONT,
        )
        marc = self.individu(
            prenom="Marc",
            nom="Dupont",
            civilite="m",
            date_naissance=datetime.date(1970, 2, 11),
            **ADRESSE_DUPONT,
        )
        LienParente.objects.get_or_create(individu=eleonore, apparente=marc, type_lien="conjoint")
        self.individu(
            prenom="Eleonore",
            nom="DUPONT",
            email="eleonore.dupont@exemple.fr",
            telephone_mobile="+33677889900",
            commune="Belleville-sur-Loire",
        )
        foyer_dupont = self.profil("foyer", "Foyer Dupont", **ADRESSE_DUPONT)
        self.membre(foyer_dupont, eleonore, responsable, regle_paiement="partage")
        self.membre(foyer_dupont, marc, responsable, regle_paiement="partage")

        # A company and its manager, a contact of the services.
        gerant = self.individu(
            prenom="Antoine",
            nom="Lefèvre",
            civilite="m",
            type_individu="contact",
            organisme="Boulangerie Lefèvre",
            fonction="Gérant",
            email="antoine@boulangerie-lefevre.fr",
            telephone_mobile="+33611223344",
        )
        boulangerie = self.profil(
            "entreprise",
            "Boulangerie Lefèvre",
            nature="Artisan",
            siret=demo_siret("81234567", "0001"),
            email="contact@boulangerie-lefevre.fr",
            adresse="21 Grande Rue",
            code_postal="18240",
            commune="Belleville-sur-Loire",
            code_insee="18026",
        )
        self.membre(boulangerie, gerant, responsable)

        # The agent follows the families she handles.
        # (Those not hers yet only: a second load writes no history of a non-change.)
        familles = [camille, leo, jade, eleonore, marc]
        usagers.individus_assigner(
            individus=[i for i in familles if i.agent_referent_id != users["agent"].pk],
            agent=users["agent"],
            by=users["admin"],
        )

    def update(self, individu: Individu, **data) -> None:
        usagers.individu_modifier(individu=individu, by=None, **data)

    def individu(self, *, prenom: str, nom: str, **data) -> Individu:
        existing = Individu.objects.filter(prenom=prenom, nom=nom, user__isnull=True).first()
        if existing:
            return existing
        return usagers.individu_creer(by=None, prenom=prenom, nom=nom, **data)

    def profil(self, type_code: str, nom: str, *, nature: str | None = None, **data) -> Profil:
        existing = Profil.objects.filter(nom=nom).first()
        if existing:
            return existing
        type_profil = TypeProfil.objects.get(code=type_code)
        nature_obj = NatureProfil.objects.filter(type_profil=type_profil, libelle=nature).first()
        return usagers.profil_creer(
            by=None, type_profil=type_profil, nom=nom, nature=nature_obj, **data
        )

    def membre(self, profil: Profil, individu: Individu, role: RoleMembre, **data) -> None:
        Membre.objects.get_or_create(
            profil=profil, individu=individu, defaults={"role": role, **data}
        )

    def print_hors_compte(self, dossier, port: str) -> None:
        from demo import hors_compte

        self.stdout.write("  Demande déposée sans compte (P6) :")
        self.stdout.write(
            f"    référence {dossier.reference}, suivie sur http://127.0.0.1:{port}/suivi/"
        )
        self.stdout.write(
            f"    code de suivi {hors_compte.CODE} + date de naissance {hors_compte.DATE_NAISSANCE}"
        )
        self.stdout.write(
            f"    clé de rattachement {hors_compte.CLE} (à saisir sur /mon-compte/rattacher/)"
        )

    def print_logins(self, port: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Démo : {settings.GUICHET_AUTHORITY_NAME}"))
        self.stdout.write(f"  Portail usager : http://127.0.0.1:{port}/")
        self.stdout.write(f"  Espace agents  : http://127.0.0.1:{port}/crm/")
        self.stdout.write(f"  Administration : http://127.0.0.1:{port}/admin/")
        self.stdout.write(f"  Mot de passe de tous les comptes : {DEMO_PASSWORD}")
        for email, _first, _last, _flags, role in DEMO_USERS:
            self.stdout.write(f"  {role:<15} {email}")
        for email, *_rest, territoire in AGENTS_TERRITOIRE:  # restricted agents (C8)
            self.stdout.write(f"  {'agent (' + territoire + ')':<15} {email}")
        # Issue 9 — terr
        self.stdout.write(f"  {'agent (accueil)':<15} {EMAIL_SANS_DROIT}")
