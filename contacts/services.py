"""The verbs of contacts GRC (C5): log a contact, link it to dossiers (« déplacer vers un
dossier », or the dossier just created from it), close it, and the tasks of action plans.

Every dossier an agent names is looked up again through `dossiers_visible_to(by,
"instruire")` (linking writes in the dossier's history): a forged id is refused, never
linked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.enums import Canal, Sens, StatutContact
from contacts.models import Contact, ModeleContact, PlanAction, Tache
from dossiers.models import Dossier, Historique
from dossiers.selectors import dossiers_visible_to
from dossiers.services_gestion import historique_ecrire
from usagers.registry import on_individu_fusion, on_profil_fusion


class ContactRefuse(ValidationError):
    """Input the rules refuse; nothing was written. Keyed by field when one is at fault."""


def _est_agent(user) -> bool:
    return user is not None and user.is_authenticated and user.can_use_crm


def _verifier_agent(by) -> None:
    if not _est_agent(by):
        raise ContactRefuse(_("Seuls les agents saisissent des contacts."), code="agent")


def _dossiers_visibles(by, dossiers: Iterable[Dossier]) -> list[Dossier]:
    pks = {d.pk for d in dossiers}
    visibles = list(dossiers_visible_to(by, "instruire").filter(pk__in=pks))
    if len(visibles) != len(pks):
        raise ContactRefuse(
            {"dossiers": _("Ce dossier n’existe pas ou vous n’y avez pas accès.")}, code="dossier"
        )
    return visibles


def _historique_contact(dossier: Dossier, contact: Contact, *, by, libelle: str) -> None:
    historique_ecrire(
        dossier,
        par=by,
        nature=Historique.Nature.AUTRE,
        libelle=libelle,
        details={
            "contact": contact.pk,
            "canal": contact.canal,
            "objet": contact.objet,
            # What the contact brings that a dossier does not hold: its interlocuteurs.
            "individus": [i.pk for i in contact.individus.all()],
            "profils": [p.pk for p in contact.profils.all()],
            "interlocuteur_libre": contact.interlocuteur_libre,
        },
    )


@transaction.atomic
def contact_enregistrer(
    *,
    by,
    canal: str,
    objet: str,
    sens: str = Sens.ENTRANT,
    quand: datetime.datetime | None = None,
    compte_rendu: str = "",
    individus: Iterable = (),
    profils: Iterable = (),
    interlocuteur_libre: str = "",
    agents: Iterable = (),
    dossiers: Iterable[Dossier] = (),
    modele: ModeleContact | None = None,
    statut: str = StatutContact.OUVERT,
) -> Contact:
    """Log a contact. The logging agent is always among its agents (the émetteur)."""
    _verifier_agent(by)
    erreurs = {}
    objet = (objet or "").strip()
    if not objet:
        erreurs["objet"] = _("Indiquez l’objet du contact.")
    if canal not in Canal.values:
        erreurs["canal"] = _("Choisissez un canal.")
    if sens not in Sens.values:
        erreurs["sens"] = _("Choisissez le sens du contact.")
    if statut not in StatutContact.values:
        erreurs["statut"] = _("Choisissez un statut.")
    quand = quand or timezone.now()
    if quand > timezone.now() + datetime.timedelta(minutes=5):
        erreurs["quand"] = _("Un contact ne peut pas être daté dans le futur.")
    agents = [a for a in agents if a is not None]
    if any(not _est_agent(a) for a in agents):
        erreurs["agents"] = _("Seuls des agents actifs peuvent être liés au contact.")
    if erreurs:
        raise ContactRefuse(erreurs)
    dossiers = _dossiers_visibles(by, dossiers)
    contact = Contact.objects.create(
        canal=canal,
        sens=sens,
        quand=quand,
        objet=objet,
        compte_rendu=compte_rendu.strip(),
        interlocuteur_libre=interlocuteur_libre.strip(),
        statut=statut,
        modele=modele,
        created_by=by,
    )
    contact.individus.set(list(individus))
    contact.profils.set(list(profils))
    contact.agents.set({by, *agents})
    contact.dossiers.set(dossiers)
    for dossier in dossiers:
        _historique_contact(
            dossier,
            contact,
            by=by,
            libelle=_("Contact (%(canal)s) : %(objet)s")
            % {"canal": contact.get_canal_display().lower(), "objet": contact.objet},
        )
    return contact


@transaction.atomic
def contact_deplacer_vers_dossier(*, contact: Contact, dossier: Dossier, by) -> bool:
    """« Déplacer vers dossier »: attach the contact to an existing dossier the agent may
    open; its interlocuteurs are written into the dossier's history. False if it was
    already attached."""
    _verifier_agent(by)
    (dossier,) = _dossiers_visibles(by, [dossier])
    if contact.dossiers.filter(pk=dossier.pk).exists():
        return False
    contact.dossiers.add(dossier)
    _historique_contact(
        dossier,
        contact,
        by=by,
        libelle=_("Contact du %(date)s rattaché : %(objet)s")
        % {"date": timezone.localtime(contact.quand).strftime("%d/%m/%Y"), "objet": contact.objet},
    )
    return True


@transaction.atomic
def contact_lier_dossier_cree(*, contact: Contact, dossier: Dossier, by) -> None:
    """The dossier was just filed from this contact (the « Nouveau dossier » flow)."""
    _verifier_agent(by)
    (dossier,) = _dossiers_visibles(by, [dossier])
    contact.dossiers.add(dossier)
    _historique_contact(
        dossier,
        contact,
        by=by,
        libelle=_("Dossier créé à partir du contact : %(objet)s") % {"objet": contact.objet},
    )


def contact_changer_statut(*, contact: Contact, statut: str, by) -> Contact:
    _verifier_agent(by)
    if statut not in StatutContact.values:
        raise ContactRefuse({"statut": _("Choisissez un statut.")})
    if contact.statut != statut:
        contact.statut = statut
        contact.save(update_fields=["statut", "updated_at"])
    return contact


# --- action plans ----------------------------------------------------------------------


def _plan(*, contact: Contact | None = None, dossier: Dossier | None = None) -> PlanAction:
    if (contact is None) == (dossier is None):
        raise ValueError("An action plan belongs to a contact or to a dossier.")
    plan, _created = PlanAction.objects.get_or_create(contact=contact, dossier=dossier)
    return plan


@transaction.atomic
def tache_ajouter(
    *,
    by,
    libelle: str,
    contact: Contact | None = None,
    dossier: Dossier | None = None,
    echeance: datetime.date | None = None,
    assignee=None,
    notes: str = "",
) -> Tache:
    """Add a task to the action plan of a contact or of a dossier (created on first use)."""
    _verifier_agent(by)
    erreurs = {}
    libelle = (libelle or "").strip()
    if not libelle:
        erreurs["libelle"] = _("Indiquez la tâche à faire.")
    if assignee is not None and not _est_agent(assignee):
        erreurs["assignee"] = _("La tâche ne peut être confiée qu’à un agent actif.")
    if erreurs:
        raise ContactRefuse(erreurs)
    if dossier is not None:
        (dossier,) = _dossiers_visibles(by, [dossier])
    return Tache.objects.create(
        plan=_plan(contact=contact, dossier=dossier),
        libelle=libelle,
        echeance=echeance,
        assignee=assignee,
        notes=notes.strip(),
        created_by=by,
    )


def tache_terminer(*, tache: Tache, by, faite: bool = True) -> Tache:
    """Tick a task done (or open it again); who and when are kept."""
    _verifier_agent(by)
    if tache.faite == faite:
        return tache
    tache.faite = faite
    tache.faite_le = timezone.now() if faite else None
    tache.faite_par = by if faite else None
    tache.save(update_fields=["faite", "faite_le", "faite_par", "updated_at"])
    return tache


# --- merges of the référentiel ----------------------------------------------------------


@on_individu_fusion("contacts")
def _individu_fusion(conserve, absorbe) -> int:
    lien = Contact.individus.through
    deja = lien.objects.filter(individu=conserve).values("contact_id")
    lien.objects.filter(individu=absorbe, contact_id__in=deja).delete()
    return lien.objects.filter(individu=absorbe).update(individu=conserve)


@on_profil_fusion("contacts")
def _profil_fusion(conserve, absorbe) -> int:
    lien = Contact.profils.through
    deja = lien.objects.filter(profil=conserve).values("contact_id")
    lien.objects.filter(profil=absorbe, contact_id__in=deja).delete()
    return lien.objects.filter(profil=absorbe).update(profil=conserve)
