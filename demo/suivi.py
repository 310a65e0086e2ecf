"""Demo tracking (issue 7, P8–P10): filed dossiers of Camille Martin (usager@) for
herself and for « Les Amis de la Loire », one closed, with the history lines the citizen
sees, so « Mes demandes » shows its filters and colours; and the default acknowledgement
templates (receipt and mail), shown in the CRM's éditique and messages screens. Idempotent:
a dossier is written once per (dispositif, profil)."""

import datetime

from django.utils import timezone

from accounts.models import User
from dossiers import services
from dossiers.models import Dispositif, Dossier, Historique
from dossiers.services_suivi_usager import modeles_par_defaut_installer
from usagers.models import Profil

# (dispositif code, "asso" or "perso", days ago, closed?, data, history after the deposit)
DOSSIERS = [
    (
        "ETC",
        "perso",
        24,
        True,
        {
            "nom_acte": "Martin",
            "prenoms_acte": "Camille Louise",
            "exemplaires": 2,
            "date_evenement": "1985-03-14",
            "nom_pere": "Martin Paul",
            "nom_mere": "Leroy Anne",
            "adresse_envoi": "12 rue des Tilleuls\n18240 Belleville-sur-Loire",
        },
        [
            (22, "Votre demande est en cours de traitement par le service de l’état civil."),
            (20, "Votre acte a été envoyé par courrier. Demande clôturée."),
        ],
    ),
    (
        "PER",
        "perso",
        9,
        False,
        {
            "enfants": [
                {"prenom_enfant": "Léo", "nom_enfant": "Martin", "naissance_enfant": "2017-05-02"},
                {"prenom_enfant": "Jade", "nom_enfant": "Martin", "naissance_enfant": "2019-11-23"},
            ],
            "engagement_reglement": True,
        },
        [(4, "Inscription enregistrée : la facture de septembre suivra.")],
    ),
    (
        "BEN",
        "asso",
        3,
        False,
        {"duree": 3, "date_souhaitee": "2026-06-20", "telephone": "+33612345678"},
        [
            (2, "Dossier complet : il passe à l’instruction."),
            (1, "Livraison de la benne planifiée : le service vous appellera la veille."),
        ],
    ),
]


def load_suivi() -> None:
    modeles_par_defaut_installer()
    user = User.objects.filter(email="usager@demo.guichet.fr").first()
    if user is None:
        return
    individu = getattr(user, "individu", None)
    profils = {
        "perso": Profil.objects.filter(personnel=True, adhesions__individu__user=user).first(),
        "asso": Profil.objects.filter(nom="Les Amis de la Loire", personnel=False).first(),
    }
    maintenant = timezone.now()
    for code, qui, jours, clos, donnees, historique in DOSSIERS:
        dispositif = Dispositif.objects.filter(code=code).first()
        modele = services.modele_publie(dispositif) if dispositif else None
        profil = profils[qui]
        if modele is None or profil is None:
            continue
        deja = Dossier.objects.filter(
            dispositif=dispositif, cree_par=user, demandeur_profil=profil, depose_le__isnull=False
        ).exclude(reference__startswith=str(maintenant.year - 1))
        if deja.exists():
            continue
        depose_le = maintenant - datetime.timedelta(days=jours, hours=2)
        dossier = Dossier.objects.create(
            reference=services._prochaine_reference(dispositif, depose_le.year),  # noqa: SLF001
            dispositif=dispositif,
            modele=modele,
            demandeur_individu=individu,
            demandeur_profil=profil,
            cree_par=user,
            statut=Dossier.Statut.CLOS if clos else Dossier.Statut.DEPOSE,
            depose_le=depose_le,
            clos_le=maintenant - datetime.timedelta(days=historique[-1][0]) if clos else None,
            donnees=donnees,
        )
        Dossier.objects.filter(pk=dossier.pk).update(created_at=depose_le, updated_at=depose_le)
        lignes = [
            Historique(
                dossier=dossier,
                quand=depose_le,
                par=user,
                nature=Historique.Nature.DEPOT,
                libelle=f"Demande déposée (référence {dossier.reference})",
                visible_usager=True,
            ),
            *(
                Historique(
                    dossier=dossier,
                    quand=maintenant - datetime.timedelta(days=j),
                    nature=Historique.Nature.STATUT,
                    libelle=libelle,
                    visible_usager=True,
                )
                for j, libelle in historique
            ),
            Historique(
                dossier=dossier,
                quand=depose_le + datetime.timedelta(hours=1),
                nature=Historique.Nature.AUTRE,
                libelle="Note interne : dossier vérifié à l’accueil.",
                visible_usager=False,
            ),
        ]
        Historique.objects.bulk_create(lignes)
