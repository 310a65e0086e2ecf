"""Who edits a dossier (F14, P7, F10): drafts' lifetime and number, co-editors,
transfer to another account, filing on behalf of someone, and the citizen's
modifications of a filed dossier (change detection).

Every verb checks who acts (the author for sharing and transfer) and raises
ValidationError with a French message; views call one verb and show the message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from common.gabarits import date_longue
from dossiers import evenements_edition, services, suivi
from dossiers.models import (
    Champ,
    CoEditeur,
    Dispositif,
    Dossier,
    Historique,
    InvitationDossier,
    StatutJeton,
    TransfertDossier,
    Vue,
)
from dossiers.selectors import brouillons_du_dispositif
from usagers.models import Individu
from usagers.services import compte_initialiser, individu_creer, profil_personnel_garantir

# The mail warning that a draft will be deleted leaves this many days before.
PREVENIR_JOURS = 7


def _historique(dossier: Dossier, nature: str, libelle: str, *, par=None, **kwargs) -> None:
    Historique.objects.create(
        dossier=dossier,
        nature=nature,
        libelle=libelle[:300],
        par=par if getattr(par, "is_authenticated", False) else None,
        **kwargs,
    )


def _est_auteur(dossier: Dossier, user) -> bool:
    return user is not None and user.is_authenticated and dossier.cree_par_id == user.pk


def _verifier_auteur(dossier: Dossier, user) -> None:
    if not _est_auteur(dossier, user):
        raise ValidationError(_("Seul l’auteur de la demande peut faire cela."), code="auteur")


def _email_du_compte(user, email: str) -> bool:
    """Whether `email` is the account's (its login address, or another verified one)."""
    if user.email and user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _contexte(dossier: Dossier, auteur, lien: str, expire_le) -> dict:
    return {
        "dossier": {"reference": dossier.reference, "dispositif": dossier.dispositif.titre},
        "auteur": {
            "prenom": getattr(auteur, "first_name", ""),
            "nom": getattr(auteur, "last_name", ""),
        },
        "lien": lien,
        "expire_le": date_longue(timezone.localdate(expire_le)),
    }


# --- Drafts (F14) ----------------------------------------------------------------------


def brouillon_expire_le(dossier: Dossier) -> dt.datetime | None:
    """When the draft will be deleted if left unchanged (None: kept for ever)."""
    duree = dossier.dispositif.brouillon_duree
    if dossier.statut != Dossier.Statut.BROUILLON or not duree or dossier.updated_at is None:
        return None
    return dossier.updated_at + dt.timedelta(days=duree)


def brouillons_avec_expiration(brouillons) -> list[Dossier]:
    """The drafts, each with `expire_le` (when it will be deleted, or None)."""
    brouillons = list(brouillons)
    for brouillon in brouillons:
        brouillon.expire_le = brouillon_expire_le(brouillon)
    return brouillons


def _expire_avant(moment) -> ExpressionWrapper:
    return ExpressionWrapper(
        Value(moment) - F("dispositif__brouillon_duree") * Value(dt.timedelta(days=1)),
        output_field=DateTimeField(),
    )


def brouillons_purger(*, maintenant=None) -> int:
    """Delete the drafts not changed for their dispositif's draft lifetime (0: never)."""
    maintenant = maintenant or timezone.now()
    perimes = (
        Dossier.objects.filter(statut=Dossier.Statut.BROUILLON, dispositif__brouillon_duree__gt=0)
        .alias(limite=_expire_avant(maintenant))
        .filter(updated_at__lt=F("limite"))
    )
    pks = list(perimes.values_list("pk", flat=True)[:5000])
    if not pks:
        return 0
    nombre, _details = Dossier.objects.filter(pk__in=pks, statut=Dossier.Statut.BROUILLON).delete()
    return len(pks) if nombre else 0


def brouillons_prevenir(*, maintenant=None, lien: Callable[[Dossier], str]) -> int:
    """Warn the authors of drafts deleted within PREVENIR_JOURS days (one mail per draft
    and lifetime: the key holds the last change's date)."""
    maintenant = maintenant or timezone.now()
    bientot = (
        Dossier.objects.filter(
            statut=Dossier.Statut.BROUILLON,
            dispositif__brouillon_duree__gt=PREVENIR_JOURS,
            cree_par__isnull=False,
        )
        .alias(
            limite=_expire_avant(maintenant + dt.timedelta(days=PREVENIR_JOURS)),
            perime=_expire_avant(maintenant),
        )
        .filter(updated_at__lt=F("limite"), updated_at__gte=F("perime"))
        .select_related("dispositif", "cree_par")
    )
    nombre = 0
    for dossier in bientot[:5000]:
        auteur = dossier.cree_par
        evenements_edition.envoyer(
            evenements_edition.EXPIRATION,
            contexte=_contexte(dossier, auteur, lien(dossier), brouillon_expire_le(dossier)),
            email=auteur.email,
            usager=auteur,
            concerne=dossier,
            cle=f"brouillon_expire:{dossier.pk}:{dossier.updated_at:%Y%m%d%H%M%S}",
        )
        nombre += 1
    return nombre


class BrouillonsMaxAtteint(ValidationError):
    def __init__(self, maximum: int):
        super().__init__(
            _(
                "Vous avez déjà %(n)s brouillon(s) pour cette démarche, le nombre maximum. "
                "Reprenez ou supprimez l’un d’eux avant d’en enregistrer un nouveau."
            )
            % {"n": maximum},
            code="brouillons_max",
        )
        self.maximum = maximum


def brouillon_verifier_limite(*, dossier: Dossier, user) -> None:
    """Before « Enregistrer et continuer plus tard » of a new draft: refused when the
    author already holds `brouillons_max` drafts of this dispositif (0: no limit)."""
    maximum = dossier.dispositif.brouillons_max
    if dossier.pk is not None or not maximum:
        return
    if brouillons_du_dispositif(user, dossier.dispositif).count() >= maximum:
        raise BrouillonsMaxAtteint(maximum)


def brouillon_supprimer(*, dossier: Dossier, user) -> None:
    _verifier_auteur(dossier, user)
    if dossier.statut != Dossier.Statut.BROUILLON:
        raise ValidationError(_("Seul un brouillon peut être supprimé."), code="depose")
    dossier.delete()


# --- Co-editors (F14) ------------------------------------------------------------------


@transaction.atomic
def invitation_creer(
    *, dossier: Dossier, email: str, by, lien: Callable[[InvitationDossier], str]
) -> InvitationDossier:
    _verifier_auteur(dossier, by)
    email = email.strip().lower()
    if _email_du_compte(by, email):
        raise ValidationError({"email": _("Vous êtes l’auteur de cette demande.")}, code="soi")
    if dossier.coediteurs.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Cette personne complète déjà cette demande avec vous.")}, code="deja"
        )
    if dossier.invitations.filter(email__iexact=email, statut=StatutJeton.EN_ATTENTE).exists():
        raise ValidationError(
            {"email": _("Une invitation attend déjà la réponse de cette personne.")},
            code="en_attente",
        )
    invitation = InvitationDossier.objects.create(dossier=dossier, email=email, invite_par=by)
    _historique(
        dossier,
        Historique.Nature.PARTAGE,
        _("Invitation à compléter la demande envoyée à %(email)s") % {"email": email},
        par=by,
        visible_usager=True,
    )
    evenements_edition.envoyer(
        evenements_edition.INVITATION,
        contexte=_contexte(dossier, by, lien(invitation), invitation.expire_le),
        email=email,
        concerne=dossier,
        cle=f"invitation_dossier:{invitation.pk}",
    )
    return invitation


def _verifier_ouvert(jeton, user) -> None:
    if jeton.statut != StatutJeton.EN_ATTENTE or jeton.expiree:
        raise ValidationError(_("Ce lien n’est plus valable."), code="ferme")
    if not _email_du_compte(user, jeton.email):
        raise ValidationError(
            _(
                "Ce lien a été envoyé à %(email)s : connectez-vous avec le compte de cette "
                "adresse pour l’accepter."
            )
            % {"email": jeton.email},
            code="email",
        )


@transaction.atomic
def invitation_accepter(*, token: str, user) -> CoEditeur:
    invitation = (
        InvitationDossier.objects.select_for_update().select_related("dossier").filter(token=token)
    ).first()
    if invitation is None:
        raise ValidationError(_("Ce lien n’est plus valable."), code="ferme")
    _verifier_ouvert(invitation, user)
    dossier = invitation.dossier
    if dossier.cree_par_id == user.pk:
        raise ValidationError(_("Vous êtes déjà l’auteur de cette demande."), code="soi")
    invitation.statut = StatutJeton.ACCEPTE
    invitation.accepte_par = user
    invitation.decide_le = timezone.now()
    invitation.save(update_fields=["statut", "accepte_par", "decide_le", "updated_at"])
    coediteur, _cree = CoEditeur.objects.get_or_create(
        dossier=dossier, user=user, defaults={"invitation": invitation}
    )
    _historique(
        dossier,
        Historique.Nature.PARTAGE,
        _("%(email)s complète désormais la demande") % {"email": user.email},
        par=user,
        visible_usager=True,
    )
    return coediteur


def invitation_revoquer(*, invitation: InvitationDossier, by) -> None:
    _verifier_auteur(invitation.dossier, by)
    if invitation.statut != StatutJeton.EN_ATTENTE:
        return
    invitation.statut = StatutJeton.REVOQUE
    invitation.decide_le = timezone.now()
    invitation.save(update_fields=["statut", "decide_le", "updated_at"])


@transaction.atomic
def coediteur_retirer(*, coediteur: CoEditeur, by) -> None:
    dossier = coediteur.dossier
    _verifier_auteur(dossier, by)
    email = coediteur.user.email
    coediteur.delete()
    _historique(
        dossier,
        Historique.Nature.PARTAGE,
        _("%(email)s ne complète plus la demande") % {"email": email},
        par=by,
        visible_usager=True,
    )


# --- Transfer (F14) --------------------------------------------------------------------


@transaction.atomic
def transfert_proposer(
    *, dossier: Dossier, email: str, by, lien: Callable[[TransfertDossier], str]
) -> TransfertDossier:
    _verifier_auteur(dossier, by)
    email = email.strip().lower()
    if _email_du_compte(by, email):
        raise ValidationError(
            {"email": _("Indiquez l’adresse d’une autre personne que vous.")}, code="soi"
        )
    if dossier.transferts.filter(statut=StatutJeton.EN_ATTENTE, expire_le__gt=timezone.now()):
        raise ValidationError(
            {"email": _("Un transfert attend déjà une réponse : annulez-le d’abord.")},
            code="en_attente",
        )
    dossier.transferts.filter(statut=StatutJeton.EN_ATTENTE).update(statut=StatutJeton.EXPIRE)
    transfert = TransfertDossier.objects.create(dossier=dossier, email=email, par=by)
    _historique(
        dossier,
        Historique.Nature.TRANSFERT,
        _("Transfert de la demande proposé à %(email)s") % {"email": email},
        par=by,
        visible_usager=True,
    )
    evenements_edition.envoyer(
        evenements_edition.TRANSFERT,
        contexte=_contexte(dossier, by, lien(transfert), transfert.expire_le),
        email=email,
        concerne=dossier,
        cle=f"transfert_dossier:{transfert.pk}",
    )
    return transfert


@transaction.atomic
def transfert_accepter(*, token: str, user, mes_demandes: str = "") -> Dossier:
    """The recipient becomes the dossier's author; when the demandeur was the sender
    (their individu, their personal profil), it becomes the recipient likewise. The
    sender is told by mail (`mes_demandes`: the address of their list of requests)."""
    transfert = (
        TransfertDossier.objects.select_for_update().select_related("dossier").filter(token=token)
    ).first()
    if transfert is None:
        raise ValidationError(_("Ce lien n’est plus valable."), code="ferme")
    _verifier_ouvert(transfert, user)
    dossier = Dossier.objects.select_for_update().get(pk=transfert.dossier_id)
    ancien = dossier.cree_par
    if ancien is not None and ancien.pk == user.pk:
        raise ValidationError(_("Cette demande est déjà la vôtre."), code="soi")
    individu = getattr(user, "individu", None) or compte_initialiser(user=user)
    ancien_individu = getattr(ancien, "individu", None) if ancien is not None else None
    if ancien_individu is not None and dossier.demandeur_individu_id == ancien_individu.pk:
        dossier.demandeur_individu = individu
    profil = dossier.demandeur_profil
    if (
        profil is not None
        and profil.personnel
        and ancien_individu is not None
        and profil.adhesions.filter(individu=ancien_individu).exists()
    ):
        dossier.demandeur_profil = profil_personnel_garantir(individu=individu, by=user)
    dossier.cree_par = user
    dossier.save(update_fields=["cree_par", "demandeur_individu", "demandeur_profil"])
    CoEditeur.objects.filter(dossier=dossier, user=user).delete()
    transfert.statut = StatutJeton.ACCEPTE
    transfert.accepte_par = user
    transfert.decide_le = timezone.now()
    transfert.save(update_fields=["statut", "accepte_par", "decide_le", "updated_at"])
    _historique(
        dossier,
        Historique.Nature.TRANSFERT,
        _("Demande transférée à %(email)s") % {"email": user.email},
        par=user,
        visible_usager=True,
        details={"de": ancien.pk if ancien else None, "a": user.pk},
    )
    if ancien is not None and ancien.email:
        # The sender loses the dossier from their space: they are told who took it.
        contexte = _contexte(dossier, ancien, mes_demandes, transfert.expire_le)
        contexte["repreneur"] = {"prenom": user.first_name, "nom": user.last_name}
        evenements_edition.envoyer(
            evenements_edition.TRANSFERT_ACCEPTE,
            contexte=contexte,
            email=ancien.email,
            usager=ancien,
            concerne=dossier,
            cle=f"transfert_accepte:{transfert.pk}",
        )
    return dossier


def transfert_annuler(*, transfert: TransfertDossier, by) -> None:
    _verifier_auteur(transfert.dossier, by)
    if transfert.statut != StatutJeton.EN_ATTENTE:
        return
    transfert.statut = StatutJeton.REVOQUE
    transfert.decide_le = timezone.now()
    transfert.save(update_fields=["statut", "decide_le", "updated_at"])


def jetons_expirer(*, maintenant=None) -> int:
    """Mark the transfers and invitations past their date as expired (daily task)."""
    maintenant = maintenant or timezone.now()
    ouverts = Q(statut=StatutJeton.EN_ATTENTE, expire_le__lte=maintenant)
    nombre = TransfertDossier.objects.filter(ouverts).update(
        statut=StatutJeton.EXPIRE, updated_at=maintenant
    )
    nombre += InvitationDossier.objects.filter(ouverts).update(
        statut=StatutJeton.EXPIRE, updated_at=maintenant
    )
    return nombre


# --- On behalf (P7) --------------------------------------------------------------------

TIERS_CHAMPS = (
    "nom",
    "prenom",
    "date_naissance",
    "email",
    "telephone_mobile",
    "adresse",
    "code_postal",
    "commune",
)


def tiers_enregistrer(*, by, **saisie) -> Individu:
    """The person a request is filed for becomes an individu of the référentiel. An
    individu already known by exactly the same nom, prénom and birth date (and no
    account: a citizen with an account files for themselves) is reused as is — nothing
    of what the référentiel holds about them is changed nor shown to the filer; any
    ambiguity (two matches) creates a new one, which agents may merge later."""
    donnees = {cle: saisie.get(cle) or "" for cle in TIERS_CHAMPS}
    donnees["date_naissance"] = saisie.get("date_naissance")
    correspondances = list(
        Individu.objects.filter(
            nom__iexact=donnees["nom"].strip(),
            prenom__iexact=donnees["prenom"].strip(),
            date_naissance=donnees["date_naissance"],
            user__isnull=True,
        ).values_list("pk", flat=True)[:2]
    )
    if len(correspondances) == 1:
        return Individu.objects.get(pk=correspondances[0])
    return individu_creer(by=by, **donnees)


def dossier_commencer_pour_autrui(
    *, dispositif: Dispositif, user, tiers: Individu, saisie: dict[str, Any]
) -> Dossier:
    """A new dossier (in memory) filed by `user` for `tiers`, prefilled from what the
    filer typed about that person (never from the filer, nor from what the référentiel
    holds about the person)."""
    if not dispositif.depot_pour_autrui:
        raise ValidationError(_("Cette démarche ne se fait pas pour un tiers."), code="mode")
    dossier = services.dossier_commencer(dispositif=dispositif, user=None)
    dossier.donnees = {}
    dossier.cree_par = user
    dossier.demandeur_individu = tiers
    dossier.pour_autrui = True
    saisi = Individu(**{cle: saisie.get(cle) for cle in TIERS_CHAMPS if saisie.get(cle)})
    champs = Champ.objects.filter(modele=dossier.modele, parent__isnull=True).exclude(prefill="")
    for champ in champs:
        valeur = services._valeur_prefill(champ.prefill, saisi, None)
        if valeur is not None:
            dossier.donnees[champ.nom] = valeur
    return dossier


# --- Modifications after filing (F10) --------------------------------------------------


class ModificationRefusee(services.DepotRefuse):
    pass


@transaction.atomic
def dossier_modifier(*, dossier: Dossier, donnees: dict[str, Any], user) -> list[str]:
    """Save the citizen's modification of a filed dossier: every visible step validated
    again on `donnees` (as at filing; the reference is kept). Returns the names of the
    fields changed ([]: nothing saved). Counts the modification and, at the dispositif's
    threshold, flags the dossier and applies the configured status (dossiers.suivi)."""
    verrou = Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    if verrou is None or not suivi.usager_peut_modifier(verrou):
        raise ValidationError(_("Cette demande ne peut plus être modifiée."), code="ferme")
    avant = dict(verrou.donnees)
    dossier.donnees = dict(donnees)
    onglets = services.modele_onglets(dossier.modele)
    finales: dict[str, Any] = {}
    # Tabs the guide closed for this dossier (« Onglet par vue »): kept as they were.
    surcharges = suivi.onglets_vue(verrou, Vue.INTERNET)
    for onglet in onglets:
        if suivi.onglet_ferme(surcharges, onglet):
            for _ligne, champ in services._champs_de(onglet):
                if champ.nom in avant:
                    finales[champ.nom] = avant[champ.nom]
    ouverts = [o for o in onglets if not suivi.onglet_ferme(surcharges, o)]
    for index, onglet in enumerate(services.etapes_visibles(dossier, ouverts)):
        cleaned, errors = services.etape_valider(
            dossier=dossier, onglet=onglet, data=dossier.donnees, user=user
        )
        if errors:
            raise ModificationRefusee(
                _("Certaines informations manquent ou sont à corriger."),
                etape=index,
                erreurs=errors,
            )
        finales.update(cleaned)
        for _ligne, champ in services._champs_de(onglet):
            if not services.proprietes_internet(champ).modifiable and champ.nom in avant:
                finales[champ.nom] = avant[champ.nom]
    changes = sorted(nom for nom in set(avant) | set(finales) if avant.get(nom) != finales.get(nom))
    dossier.donnees = avant
    if not changes:
        return []
    maintenant = timezone.now()
    dossier.donnees = finales
    dossier.modifications_usager = verrou.modifications_usager + 1
    dossier.modifie_par_usager_le = maintenant
    champs = ["donnees", "modifications_usager", "modifie_par_usager_le", "updated_at"]
    seuil = dossier.dispositif.modifications_seuil
    atteint = bool(seuil) and dossier.modifications_usager == seuil
    if atteint:
        dossier.signale = True
        champs.append("signale")
    dossier.save(update_fields=champs)
    _historique(
        dossier,
        Historique.Nature.MODIFICATION,
        _("Demande modifiée par l’usager (%(n)s champ(s))") % {"n": len(changes)},
        par=user,
        visible_usager=True,
        details={"champs": changes, "numero": dossier.modifications_usager},
    )
    if atteint:
        code = dossier.dispositif.modifications_statut
        applique = bool(code) and suivi.appliquer_statut(dossier, code)
        _historique(
            dossier,
            Historique.Nature.STATUT,
            (
                _("Modifié %(n)s fois par l’usager : statut « %(code)s » appliqué")
                if applique
                else _(
                    "Modifié %(n)s fois par l’usager : dossier signalé (statut prévu « %(code)s »)"
                )
            )
            % {"n": seuil, "code": code or "—"},
            details={"seuil": seuil, "statut": code, "applique": applique},
        )
    return changes
