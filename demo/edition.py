"""Demo of who edits a dossier (issue 7, F14/P7/F10) on Belleville-sur-Loire: Camille
Martin's drafts with their expiry dates (one close to it, shared with Lucas Bernard as
co-editor), a filed état civil request with a transfer to Lucas pending, and an aide
sociale request Camille filed for her mother Jeanne, who becomes an individu of the
référentiel. The default mail texts are loaded as templates mapped to their events.
Idempotent: keyed by the co-editor and the mother's individu."""

import datetime

from django.utils import timezone

from accounts.models import User
from dossiers import evenements_edition, services
from dossiers.models import (
    CoEditeur,
    CompteurReference,
    Dispositif,
    Dossier,
    Historique,
    InvitationDossier,
    TransfertDossier,
)
from notifications import services as notifications
from notifications.models import Canal, ModeleMessage
from usagers.models import Individu

NOMS_MODELES = {
    evenements_edition.INVITATION: "Invitation à compléter une demande — courriel",
    evenements_edition.TRANSFERT: "Transfert d’une demande — courriel",
    evenements_edition.TRANSFERT_ACCEPTE: "Transfert d’une demande accepté — courriel",
    evenements_edition.EXPIRATION: "Brouillon bientôt supprimé — courriel",
}


def _modeles() -> None:
    for code, nom in NOMS_MODELES.items():
        sujet, corps = evenements_edition.DEFAUTS[code]
        modele, _cree = ModeleMessage.objects.get_or_create(
            nom=nom,
            defaults={"canal": Canal.EMAIL, "evenement": code, "sujet": sujet, "corps": corps},
        )
        if not modele.est_publie:
            problemes = notifications.modele_publier(modele)
            assert not problemes, problemes  # noqa: S101 - the demo's own texts must be valid
        notifications.correspondance_enregistrer(evenement=code, modele=modele)


def _brouillon(dispositif, user, *, jours: int, donnees=None) -> Dossier | None:
    modele = services.modele_publie(dispositif)
    if modele is None:
        return None
    dossier = Dossier.objects.create(
        dispositif=dispositif,
        modele=modele,
        demandeur_individu=getattr(user, "individu", None),
        cree_par=user,
        donnees=donnees or {},
    )
    quand = timezone.now() - datetime.timedelta(days=jours)
    Dossier.objects.filter(pk=dossier.pk).update(created_at=quand, updated_at=quand)
    return dossier


def _depose(dispositif, user, *, jours: int, donnees: dict, **champs) -> Dossier | None:
    modele = services.modele_publie(dispositif)
    if modele is None:
        return None
    depose_le = timezone.now() - datetime.timedelta(days=jours)
    compteur, _cree = CompteurReference.objects.get_or_create(
        dispositif=dispositif, annee=depose_le.year
    )
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    dossier = Dossier.objects.create(
        reference=f"{depose_le.year}-{dispositif.code}-{compteur.dernier:06d}",
        dispositif=dispositif,
        modele=modele,
        cree_par=user,
        statut=Dossier.Statut.DEPOSE,
        depose_le=depose_le,
        donnees=donnees,
        **{"demandeur_individu": getattr(user, "individu", None), **champs},
    )
    Dossier.objects.filter(pk=dossier.pk).update(created_at=depose_le, updated_at=depose_le)
    Historique.objects.create(
        dossier=dossier,
        quand=depose_le,
        par=user,
        nature=Historique.Nature.DEPOT,
        libelle=f"Demande déposée (référence {dossier.reference})",
        visible_usager=True,
    )
    return dossier


def load_edition() -> None:
    _modeles()
    camille = User.objects.filter(email="usager@demo.guichet.fr").first()
    lucas = User.objects.filter(email="voisin@demo.guichet.fr").first()
    if camille is None or lucas is None or CoEditeur.objects.filter(user=lucas).exists():
        return
    benne = Dispositif.objects.filter(code="BEN").first()
    salle = Dispositif.objects.filter(code="SAL").first()
    etat_civil = Dispositif.objects.filter(code="ETC").first()
    aide = Dispositif.objects.filter(code="ASF").first()
    if not all([benne, salle, etat_civil, aide]):
        return

    # Drafts: one changed 3 weeks ago, one about to expire (warned by mail a week before).
    partage = _brouillon(benne, camille, jours=20, donnees={"duree": 3})
    if salle.brouillon_duree:
        _brouillon(salle, camille, jours=max(salle.brouillon_duree - 5, 0), donnees={"nb_jours": 2})
    if partage is not None:
        invitation = InvitationDossier.objects.create(
            dossier=partage,
            email=lucas.email,
            invite_par=camille,
            accepte_par=lucas,
            statut="accepte",
            decide_le=timezone.now() - datetime.timedelta(days=19),
        )
        CoEditeur.objects.create(dossier=partage, user=lucas, invitation=invitation)
        Historique.objects.create(
            dossier=partage,
            nature=Historique.Nature.PARTAGE,
            libelle=f"{lucas.email} complète désormais la demande",
            par=lucas,
            visible_usager=True,
        )

    # A filed request with a transfer to Lucas waiting for his answer.
    acte = _depose(
        etat_civil,
        camille,
        jours=2,
        donnees={"nom_acte": "Martin", "prenoms_acte": "Camille", "email": camille.email},
    )
    if acte is not None:
        TransfertDossier.objects.create(dossier=acte, email=lucas.email, par=camille)
        Historique.objects.create(
            dossier=acte,
            nature=Historique.Nature.TRANSFERT,
            libelle=f"Transfert de la demande proposé à {lucas.email}",
            par=camille,
            visible_usager=True,
        )

    # Filed on behalf of Camille's mother (P7): Jeanne becomes an individu.
    jeanne, _cree = Individu.objects.get_or_create(
        nom="Martin",
        prenom="Jeanne",
        date_naissance=datetime.date(1948, 3, 12),
        defaults={"commune": "Belleville-sur-Loire", "code_postal": "18240"},
    )
    _depose(
        aide,
        camille,
        jours=5,
        donnees={"nom": "Martin", "prenom": "Jeanne", "date_naissance": "1948-03-12"},
        demandeur_individu=jeanne,
        pour_autrui=True,
    )
