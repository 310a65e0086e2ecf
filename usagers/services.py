"""The verbs of the référentiel. Views and tasks call these; rules live here only."""

from collections.abc import Callable, Iterable

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from ua_parser import parse as parse_user_agent

from accounts.models import Connexion, User
from notifications.services import send_email
from usagers.enums import StatutInvitation, TypeIndividu
from usagers.models import (
    ADRESSE_FIELDS,
    AdressePrecedente,
    Fusion,
    Individu,
    Invitation,
    LienParente,
    Membre,
    Profil,
    RoleMembre,
    TypeProfil,
)
from usagers.registry import INDIVIDU_FUSION_HOOKS, PROFIL_FUSION_HOOKS


class ActionRefusee(ValidationError):
    """A request the rules refuse; its message is shown to the user as is."""


def _context(by: User | None):
    return pghistory.context(user=by.pk if by else None)


def _keep_previous_address(instance, new_values: dict, *, owner_field: str) -> None:
    old = instance.adresse_values()
    changed = any(name in new_values and new_values[name] != old[name] for name in ADRESSE_FIELDS)
    # Only a real address is worth keeping ("pays" alone defaults to France).
    if changed and (old["adresse"] or old["commune"]):
        AdressePrecedente.objects.create(**old, **{owner_field: instance})


def _apply(instance, data: dict) -> list[str]:
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# Individus -------------------------------------------------------------------------------


@transaction.atomic
def individu_creer(*, by: User | None, **data) -> Individu:
    with _context(by):
        individu = Individu(**data)
        individu.full_clean()
        individu.save()
    return individu


def individu_anonyme(*, by: User | None = None) -> Individu:
    """The instance's « Anonyme » individu (created the first time): the default
    demandeur of an agent's quick entry in the CRM (C4). One for the whole instance, so
    that such dossiers are found together and no fake person is made per entry."""
    individu = Individu.objects.filter(anonyme=True).first()
    if individu is not None:
        return individu
    try:
        with transaction.atomic(), _context(by):
            return Individu.objects.create(
                anonyme=True, nom="Anonyme", prenom="", type_individu=TypeIndividu.CONTACT
            )
    except IntegrityError:  # created meanwhile by another request
        return Individu.objects.get(anonyme=True)


@transaction.atomic
def individu_modifier(*, individu: Individu, by: User | None, **data) -> list[str]:
    """Update an individu; an address it leaves is kept in its previous addresses, and
    its personal profil follows its name, email and address."""
    with _context(by):
        _keep_previous_address(individu, data, owner_field="individu")
        changed = _apply(individu, data)
        if changed:
            individu.full_clean()
            individu.save()
            _sync_profil_personnel(individu, by=by)
    return changed


def _sync_profil_personnel(individu: Individu, *, by: User | None) -> None:
    profil = Profil.objects.filter(personnel=True, adhesions__individu=individu).first()
    if profil is not None:
        profil_modifier(
            profil=profil,
            by=by,
            nom=individu.nom_complet,
            email=individu.email,
            **individu.adresse_values(),
        )


@transaction.atomic
def individus_assigner(*, individus: Iterable[Individu], agent: User | None, by: User) -> int:
    """Mass assignment of individus to an agent (or none)."""
    if agent is not None and not agent.can_use_crm:
        raise ActionRefusee(_("Les individus ne peuvent être assignés qu’à un agent."))
    ids = [i.pk for i in individus]
    with _context(by):
        return Individu.objects.filter(pk__in=ids).update(
            agent_referent=agent, updated_at=timezone.now()
        )


@transaction.atomic
def lien_parente_creer(
    *, individu: Individu, apparente: Individu, type_lien: str, by
) -> LienParente:
    if individu.pk == apparente.pk:
        raise ActionRefusee(_("Un individu ne peut pas être lié à lui-même."))
    with _context(by):
        lien, created = LienParente.objects.get_or_create(
            individu=individu, apparente=apparente, type_lien=type_lien
        )
    if not created:
        raise ActionRefusee(_("Ce lien existe déjà."))
    return lien


# Profils ---------------------------------------------------------------------------------


def _check_identifiant(profil: Profil) -> None:
    requis = profil.type_profil.identifiant_requis
    if requis == "siret" and not profil.siret:
        raise ValidationError(
            {"siret": _("Le numéro SIRET est obligatoire pour ce type de profil.")}
        )
    if requis == "rna" and not profil.rna:
        raise ValidationError({"rna": _("Le numéro RNA est obligatoire pour ce type de profil.")})
    if profil.nature_id and profil.nature.type_profil_id != profil.type_profil_id:
        raise ValidationError({"nature": _("Cette nature ne correspond pas au type de profil.")})


def role_responsable() -> RoleMembre:
    return RoleMembre.objects.filter(responsable=True).order_by("ordre").first()


def role_membre() -> RoleMembre:
    return RoleMembre.objects.filter(responsable=False).order_by("ordre").first()


@transaction.atomic
def profil_creer(*, by: User | None, responsable: Individu | None = None, **data) -> Profil:
    """Create a profil; `responsable` (the citizen creating it) becomes its first member."""
    with _context(by):
        profil = Profil(**data)
        profil.full_clean()
        _check_identifiant(profil)
        profil.save()
        if responsable is not None:
            Membre.objects.create(profil=profil, individu=responsable, role=role_responsable())
    return profil


@transaction.atomic
def profil_modifier(*, profil: Profil, by: User | None, **data) -> list[str]:
    with _context(by):
        _keep_previous_address(profil, data, owner_field="profil")
        changed = _apply(profil, data)
        if changed:
            profil.full_clean()
            _check_identifiant(profil)
            profil.save()
    return changed


def est_responsable(profil: Profil, individu: Individu | None) -> bool:
    if individu is None:
        return False
    return Membre.objects.filter(profil=profil, individu=individu, role__responsable=True).exists()


@transaction.atomic
def profil_quitter(*, profil: Profil, individu: Individu, by: User) -> None:
    membre = Membre.objects.select_for_update().filter(profil=profil, individu=individu).first()
    if membre is None:
        raise ActionRefusee(_("Vous n’êtes pas membre de ce profil."))
    if profil.personnel:
        raise ActionRefusee(_("Votre profil personnel ne peut pas être quitté."))
    _check_not_last_responsable(membre)
    with _context(by):
        membre.delete()


@transaction.atomic
def membre_retirer(*, membre: Membre, by: User) -> None:
    if not est_responsable(membre.profil, getattr(by, "individu", None)):
        raise PermissionDenied
    _check_not_last_responsable(membre)
    with _context(by):
        membre.delete()


def _check_not_last_responsable(membre: Membre) -> None:
    if not membre.role.responsable:
        return
    # Lock the profil's responsables so two leaving at once cannot both succeed.
    others = (
        Membre.objects.select_for_update()
        .filter(profil=membre.profil, role__responsable=True)
        .exclude(pk=membre.pk)
    )
    if not others.exists():
        raise ActionRefusee(
            _(
                "Le dernier responsable ne peut pas quitter le profil : nommez d’abord un autre responsable."
            )
        )


# Citizen accounts ------------------------------------------------------------------------


@transaction.atomic
def compte_initialiser(*, user: User, prenom: str = "", nom: str = "") -> Individu:
    """At sign-up: attach the account to the individu already known by this email (a
    dossier filed without account, an agent's entry), else create one; then make sure it
    has its personal profile."""
    individu = getattr(user, "individu", None)
    if individu is None:
        individu = (
            Individu.objects.select_for_update()
            .filter(email__iexact=user.email, user__isnull=True)
            .order_by("-updated_at")
            .first()
        )
        with _context(user):
            if individu is not None:
                individu.user = user
                individu.save(update_fields=["user", "updated_at"])
            else:
                individu = Individu.objects.create(
                    user=user,
                    email=user.email,
                    prenom=prenom or user.first_name,
                    nom=nom or user.last_name,
                )
    profil_personnel_garantir(individu=individu, by=user)
    return individu


def profil_personnel_garantir(*, individu: Individu, by: User | None) -> Profil:
    existing = Profil.objects.filter(personnel=True, adhesions__individu=individu).first()
    if existing:
        return existing
    type_personnel = TypeProfil.objects.get(personnel=True)
    with _context(by):
        profil = Profil.objects.create(
            type_profil=type_personnel,
            nom=individu.nom_complet,
            email=individu.email,
            personnel=True,
            **individu.adresse_values(),
        )
        Membre.objects.create(profil=profil, individu=individu, role=role_responsable())
    return profil


# Invitations -----------------------------------------------------------------------------


@transaction.atomic
def invitation_creer(
    *, profil: Profil, email: str, role: RoleMembre, by: User, lien: Callable[[Invitation], str]
) -> Invitation:
    """Invite someone by email to join a profil; `lien` builds the acceptance URL."""
    if not est_responsable(profil, getattr(by, "individu", None)):
        raise PermissionDenied
    if profil.personnel:
        raise ActionRefusee(
            _("Un profil personnel ne se partage pas : créez un profil pour le groupe.")
        )
    email = email.strip().lower()
    if Membre.objects.filter(profil=profil, individu__user__email__iexact=email).exists():
        raise ActionRefusee(_("Cette personne est déjà membre du profil."))
    # An expired pending invitation no longer blocks a new one.
    Invitation.objects.filter(
        profil=profil,
        email__iexact=email,
        statut=StatutInvitation.EN_ATTENTE,
        expire_le__lte=timezone.now(),
    ).update(statut=StatutInvitation.REVOQUEE, decidee_le=timezone.now())
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                profil=profil, email=email, role=role, invite_par=by
            )
    except IntegrityError:
        raise ActionRefusee(_("Une invitation est déjà en attente pour cette adresse.")) from None
    context = {
        "invitation": invitation,
        "lien": lien(invitation),
        "invite_par": by,
        "autorite": settings.GUICHET_AUTHORITY_NAME,
        "jours": settings.GUICHET_INVITATION_DAYS,
    }
    send_email(
        subject=_("[%(autorite)s] Invitation à rejoindre le profil « %(profil)s »")
        % {"autorite": settings.GUICHET_AUTHORITY_NAME, "profil": profil.nom},
        body=render_to_string("usagers/emails/invitation.txt", context),
        to=[email],
    )
    return invitation


def _check_ouverte(invitation: Invitation) -> None:
    if invitation.statut != StatutInvitation.EN_ATTENTE:
        raise ActionRefusee(
            _("Cette invitation n’est plus valable : elle a été %(statut)s.")
            % {"statut": invitation.get_statut_display().lower()}
        )
    if invitation.expiree:
        raise ActionRefusee(
            _(
                "Cette invitation a expiré. Demandez au responsable du profil de vous en envoyer une nouvelle."
            )
        )


@transaction.atomic
def invitation_accepter(*, invitation: Invitation, user: User) -> Membre:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_ouverte(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ActionRefusee(
            _(
                "Cette invitation a été envoyée à %(email)s : connectez-vous avec ce compte pour l’accepter."
            )
            % {"email": invitation.email}
        )
    individu = compte_initialiser(user=user)
    with _context(user):
        membre, _created = Membre.objects.get_or_create(
            profil=invitation.profil, individu=individu, defaults={"role": invitation.role}
        )
        invitation.statut = StatutInvitation.ACCEPTEE
        invitation.decidee_le = timezone.now()
        invitation.save(update_fields=["statut", "decidee_le", "updated_at"])
    return membre


@transaction.atomic
def invitation_refuser(*, invitation: Invitation, user: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_ouverte(invitation)
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied
    invitation.statut = StatutInvitation.REFUSEE
    invitation.decidee_le = timezone.now()
    invitation.save(update_fields=["statut", "decidee_le", "updated_at"])


@transaction.atomic
def invitation_revoquer(*, invitation: Invitation, by: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not est_responsable(invitation.profil, getattr(by, "individu", None)):
        raise PermissionDenied
    if invitation.statut != StatutInvitation.EN_ATTENTE:
        raise ActionRefusee(_("Seule une invitation en attente peut être révoquée."))
    invitation.statut = StatutInvitation.REVOQUEE
    invitation.decidee_le = timezone.now()
    invitation.save(update_fields=["statut", "decidee_le", "updated_at"])


def invitation_verifier(*, invitation: Invitation, user: User | None) -> None:
    """Raise ActionRefusee with the reason why `user` cannot answer this invitation (it
    is no longer open, or it was sent to another address); the page says it up front."""
    _check_ouverte(invitation)
    autre_compte = (
        user is not None
        and user.is_authenticated
        and user.email.lower() != invitation.email.lower()
    )
    if autre_compte:
        raise ActionRefusee(
            _(
                "Cette invitation a été envoyée à %(email)s : connectez-vous avec ce compte pour l’accepter."
            )
            % {"email": invitation.email}
        )


def droits_sur_profil(*, profil: Profil, membre: Membre) -> dict[str, bool]:
    """What a member may do with its profil on the portal; views and templates ask it."""
    responsable = membre.role.responsable
    return {
        "modifier": responsable and not profil.personnel,
        "inviter": responsable and not profil.personnel,
        "retirer_membre": responsable,
        "voir_invitations": responsable,
        "quitter": not profil.personnel,
        # The profil's own documents (justificatifs reused in its dossiers, P12).
        "documents": responsable,
    }


# Security notices (RGS) -------------------------------------------------------------------


def navigateur_lisible(user_agent: str) -> str:
    result = parse_user_agent(user_agent or "")
    parts = []
    if result.user_agent:
        parts.append(result.user_agent.family)
    if result.os:
        parts.append(_("sur %(os)s") % {"os": result.os.family})
    return " ".join(parts) or _("navigateur inconnu")


def connexion_enregistrer(*, user: User, ip: str | None, user_agent: str) -> Connexion:
    """Keep the login and tell the account holder, so a stranger's login is noticed."""
    connexion = Connexion.objects.create(
        user=user, ip=ip, user_agent=user_agent[:1000], navigateur=navigateur_lisible(user_agent)
    )
    context = {"connexion": connexion, "user": user, "autorite": settings.GUICHET_AUTHORITY_NAME}
    send_email(
        subject=_("[%(autorite)s] Nouvelle connexion à votre compte")
        % {"autorite": settings.GUICHET_AUTHORITY_NAME},
        body=render_to_string("usagers/emails/nouvelle_connexion.txt", context),
        to=[user.email],
    )
    return connexion


# Merges ----------------------------------------------------------------------------------


def _snapshot(instance) -> dict:
    data = model_to_dict(instance)
    return {
        k: (str(v) if v is not None and not isinstance(v, (int, str, bool)) else v)
        for k, v in data.items()
    }


@transaction.atomic
def individus_fusionner(*, conserve: Individu, absorbe: Individu, by: User) -> Fusion:
    """Move every link of `absorbe` onto `conserve`, log the merge, delete `absorbe`."""
    if conserve.pk == absorbe.pk:
        raise ActionRefusee(_("Une fiche ne peut pas être fusionnée avec elle-même."))
    if conserve.type_individu != absorbe.type_individu:
        raise ActionRefusee(
            _(
                "Impossible de fusionner un %(a)s et un %(b)s : changez d’abord le type de l’une des fiches."
            )
            % {
                "a": conserve.get_type_individu_display().lower(),
                "b": absorbe.get_type_individu_display().lower(),
            }
        )
    if conserve.user_id and absorbe.user_id:
        raise ActionRefusee(
            _(
                "Les deux fiches ont chacune un compte usager : deux comptes ne peuvent pas être fusionnés."
            )
        )
    conserve, absorbe = (
        Individu.objects.select_for_update().get(pk=conserve.pk),
        Individu.objects.select_for_update().get(pk=absorbe.pk),
    )
    moves: dict[str, int] = {}
    with _context(by):
        # Memberships: keep conserve's where both belong to the same profil.
        shared = Membre.objects.filter(individu=conserve).values("profil_id")
        moves["membres_supprimes_doublons"] = Membre.objects.filter(
            individu=absorbe, profil_id__in=shared
        ).delete()[0]
        moves["membres"] = Membre.objects.filter(individu=absorbe).update(individu=conserve)
        # Kinship: drop links that would point to itself or duplicate an existing one.
        LienParente.objects.filter(
            Q(individu=absorbe, apparente=conserve) | Q(individu=conserve, apparente=absorbe)
        ).delete()
        moves["liens"] = _move_links(absorbe, conserve)
        moves["adresses"] = AdressePrecedente.objects.filter(individu=absorbe).update(
            individu=conserve
        )
        for name, hook in INDIVIDU_FUSION_HOOKS.items():
            moves[name] = hook(conserve, absorbe)
        # Fill conserve's blanks from absorbe: nothing typed by anyone is lost.
        filled = {}
        for field in Individu._meta.concrete_fields:
            if field.name in {"id", "recherche", "created_at", "updated_at"}:
                continue
            if getattr(conserve, field.attname) in ("", None) and getattr(
                absorbe, field.attname
            ) not in ("", None):
                filled[field.attname] = getattr(absorbe, field.attname)
        if filled.get("user_id"):
            # The account moves: free it first (one account, one individu).
            Individu.objects.filter(pk=absorbe.pk).update(user=None)
        for attname, value in filled.items():
            setattr(conserve, attname, value)
        moves["champs_completes"] = sorted(filled)
        conserve.save()
        fusion = Fusion.objects.create(
            objet=Fusion.Objet.INDIVIDU,
            conserve_id=conserve.pk,
            absorbe_id=absorbe.pk,
            absorbe_donnees=_snapshot(absorbe),
            deplacements=moves,
            par=by,
        )
        absorbe.delete()
    return fusion


def _move_links(absorbe: Individu, conserve: Individu) -> int:
    moved = 0
    for lien in LienParente.objects.filter(individu=absorbe):
        if LienParente.objects.filter(
            individu=conserve, apparente=lien.apparente, type_lien=lien.type_lien
        ).exists():
            lien.delete()
        else:
            lien.individu = conserve
            lien.save(update_fields=["individu", "updated_at"])
            moved += 1
    for lien in LienParente.objects.filter(apparente=absorbe):
        if LienParente.objects.filter(
            individu=lien.individu, apparente=conserve, type_lien=lien.type_lien
        ).exists():
            lien.delete()
        else:
            lien.apparente = conserve
            lien.save(update_fields=["apparente", "updated_at"])
            moved += 1
    return moved


@transaction.atomic
def profils_fusionner(*, conserve: Profil, absorbe: Profil, by: User) -> Fusion:
    if conserve.pk == absorbe.pk:
        raise ActionRefusee(_("Une fiche ne peut pas être fusionnée avec elle-même."))
    if conserve.type_profil_id != absorbe.type_profil_id:
        raise ActionRefusee(
            _("Impossible de fusionner des profils de types différents (%(a)s et %(b)s).")
            % {"a": conserve.type_profil, "b": absorbe.type_profil}
        )
    if conserve.personnel or absorbe.personnel:
        raise ActionRefusee(_("Un profil personnel ne peut pas être fusionné."))
    conserve = Profil.objects.select_for_update().get(pk=conserve.pk)
    absorbe = Profil.objects.select_for_update().get(pk=absorbe.pk)
    moves: dict[str, int] = {}
    with _context(by):
        shared = Membre.objects.filter(profil=conserve).values("individu_id")
        Membre.objects.filter(profil=absorbe, individu_id__in=shared).delete()
        moves["membres"] = Membre.objects.filter(profil=absorbe).update(profil=conserve)
        moves["invitations"] = Invitation.objects.filter(
            profil=absorbe, statut=StatutInvitation.EN_ATTENTE
        ).update(statut=StatutInvitation.REVOQUEE, decidee_le=timezone.now())
        moves["adresses"] = AdressePrecedente.objects.filter(profil=absorbe).update(profil=conserve)
        for name, hook in PROFIL_FUSION_HOOKS.items():
            moves[name] = hook(conserve, absorbe)
        filled = []
        for field in Profil._meta.concrete_fields:
            if field.name in {"id", "recherche", "created_at", "updated_at", "personnel"}:
                continue
            if getattr(conserve, field.attname) in ("", None) and getattr(
                absorbe, field.attname
            ) not in ("", None):
                setattr(conserve, field.attname, getattr(absorbe, field.attname))
                filled.append(field.attname)
        moves["champs_completes"] = filled
        conserve.save()
        fusion = Fusion.objects.create(
            objet=Fusion.Objet.PROFIL,
            conserve_id=conserve.pk,
            absorbe_id=absorbe.pk,
            absorbe_donnees=_snapshot(absorbe),
            deplacements=moves,
            par=by,
        )
        absorbe.delete()
    return fusion


def mots_reconstruire(*, using: str = "default") -> int:
    """Rebuild the search dictionary from every name (after bulk loads that bypass save())."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO usagers_motrecherche (mot)
            SELECT DISTINCT left(mot, 100) FROM (
                SELECT regexp_split_to_table(
                    lower(unaccent(concat_ws(' ', prenom, nom, nom_usage, commune))), '[^a-z0-9]+')
                    AS mot
                FROM usagers_individu
                UNION ALL
                SELECT regexp_split_to_table(
                    lower(unaccent(concat_ws(' ', nom, sigle, commune))), '[^a-z0-9]+')
                FROM usagers_profil
            ) AS mots
            WHERE length(mot) >= 2 AND mot !~ '[0-9]'
            ON CONFLICT DO NOTHING
            """
        )
        return cursor.rowcount
