"""The agent's verbs on a filed dossier (F8): assign it, classify it, flag it, link it to
a parent or mark it a duplicate, correct it (dispositif, étape, statut, coordinates),
delete it. Each writes a line of history with the facts in `details`; views call one of
these and show `GestionRefusee`'s message next to the form.

The dossiers an agent names (a parent, the original of a duplicate) are looked up
through `dossiers_visible_to(by)`: an agent never links to a dossier they cannot open.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import lignes
from dossiers import services
from dossiers.models import Classement, Dispositif, Dossier, Historique
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import peut_instruire, peut_instruire_lot
from usagers import services as usagers_services
from usagers.registry import on_individu_fusion, on_profil_fusion

logger = logging.getLogger("guichet.dossiers")

Nature = Historique.Nature


class GestionRefusee(ValidationError):
    """A change the rules refuse; nothing was written. The message says why."""


def historique_ecrire(
    dossier: Dossier, *, par, nature: str, libelle: str, details: dict | None = None
) -> Historique:
    return lignes.inserer(
        Historique(
            dossier=dossier, par=par, nature=nature, libelle=libelle[:300], details=details or {}
        )
    )


def _verrouiller(dossier: Dossier) -> Dossier:
    """The dossier's row locked for the transaction (two agents may act at once), its
    fields read afresh (SQL built once: change_status's actions lock it again)."""
    frais = lignes.lire(Dossier, dossier.pk, verrou=True)
    for field in Dossier._meta.concrete_fields:
        setattr(dossier, field.attname, getattr(frais, field.attname))
    return dossier


def _nom(user) -> str:
    return str(user) if user is not None else ""


# --- assignment, classification, flags ----------------------------------------------------


@transaction.atomic
def dossier_attribuer(*, dossier: Dossier, agent, by) -> Dossier:
    """Give the dossier to an agent who may instruct it (None: to nobody): the
    « instruire » right on its dispositif and, when assigned to territoires, its
    territoire (C7, C8; selectors_droits.agents_pouvant_instruire). Keeping the agent
    it is assigned to is no new assignment: accepted (nothing written) even when they
    lost the right since."""
    dossier = _verrouiller(dossier)
    # The right on this dossier first: it implies the permission (an active agent holding
    # « instruire les dossiers », or a superuser), read then only to say which is missing.
    if (
        agent is not None
        and agent.pk != dossier.agent_id
        and not (agent.can_use_crm and peut_instruire(agent, dossier))
    ):
        raise _refus_attribution(agent)
    avant = dossier.agent_id
    if avant == (agent.pk if agent else None):
        return dossier
    dossier.agent = agent
    lignes.ecrire(dossier, ["agent", "updated_at"])
    nom_avant = _nom(get_user_model().objects.filter(pk=avant).first()) if avant else ""
    lignes.inserer(_ligne_attribution(dossier, avant, nom_avant, agent, by))
    return dossier


def _refus_attribution(agent) -> GestionRefusee:
    if not (agent.can_use_crm and agent.has_perm("dossiers.instruire_dossiers")):
        return GestionRefusee(_("Cet agent ne peut pas instruire de dossiers."), code="agent")
    return GestionRefusee(
        _(
            "%(agent)s n’a pas le droit d’instruire ce dossier (son dispositif ou "
            "son territoire) : choisissez un autre agent."
        )
        % {"agent": _nom(agent)},
        code="agent",
    )


def _ligne_attribution(dossier, avant, nom_avant: str, agent, by) -> Historique:
    libelle = (
        _("Dossier attribué à %(agent)s") % {"agent": _nom(agent)}
        if agent
        else _("Dossier désattribué")
    )
    return Historique(
        dossier=dossier,
        par=by,
        nature=Nature.ATTRIBUTION,
        libelle=libelle[:300],
        details={
            "champ": "agent",
            "avant": nom_avant,
            "apres": _nom(agent),
            "avant_pk": avant,
            "apres_pk": agent.pk if agent else None,
        },
    )


def dossiers_attribuer(*, dossiers: list[Dossier], agent, by) -> None:
    """`dossier_attribuer(agent=agent)` for dossiers the caller has locked and read
    afresh in its transaction (a chunk of change_status, instruction.services_statut_lot):
    the same right checked (once per dispositif and territoire), the same rows and history
    lines, in one UPDATE and one INSERT. Refused for one, refused for all (GestionRefusee,
    nothing written): the caller then assigns them one by one."""
    a_changer = [d for d in dossiers if d.agent_id != agent.pk]
    if not a_changer:
        return
    if not agent.can_use_crm:
        raise _refus_attribution(agent)
    verdicts = peut_instruire_lot(agent, a_changer)
    if not all(verdicts.values()):
        raise _refus_attribution(agent)
    avants = {d.agent_id for d in a_changer} - {None}
    noms = {u.pk: _nom(u) for u in get_user_model().objects.filter(pk__in=avants)}
    lignes_historique = []
    for dossier in a_changer:
        avant = dossier.agent_id
        dossier.agent = agent
        lignes_historique.append(
            _ligne_attribution(dossier, avant, noms.get(avant, "") if avant else "", agent, by)
        )
    lignes.ecrire_lot(a_changer, ["agent", "updated_at"])
    lignes.inserer_lot(lignes_historique)


@transaction.atomic
def dossier_classer(*, dossier: Dossier, classement: Classement | None, by) -> Dossier:
    if classement is not None and not classement.actif:
        raise GestionRefusee(_("Ce classement n’est plus actif."), code="classement")
    dossier = _verrouiller(dossier)
    avant = dossier.classement_id
    if avant == (classement.pk if classement else None):
        return dossier
    ancien = str(Classement.objects.get(pk=avant)) if avant else ""
    dossier.classement = classement
    dossier.save(update_fields=["classement", "updated_at"])
    nouveau = str(classement) if classement else ""
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.AUTRE,
        libelle=_("Classement : %(c)s") % {"c": nouveau} if nouveau else _("Classement retiré"),
        details={"champ": "classement", "avant": ancien, "apres": nouveau},
    )
    return dossier


DRAPEAUX = ("prioritaire", "urgent", "signale")


@transaction.atomic
def dossier_marquer(*, dossier: Dossier, by, **drapeaux: bool) -> Dossier:
    """Set the flags prioritaire / urgent / signale (those given)."""
    inconnus = set(drapeaux) - set(DRAPEAUX)
    if inconnus:
        raise TypeError(f"unknown flags: {sorted(inconnus)}")
    dossier = _verrouiller(dossier)
    changes = {
        nom: {"avant": getattr(dossier, nom), "apres": bool(valeur)}
        for nom, valeur in drapeaux.items()
        if getattr(dossier, nom) != bool(valeur)
    }
    if not changes:
        return dossier
    for nom, change in changes.items():
        setattr(dossier, nom, change["apres"])
    dossier.save(update_fields=[*changes, "updated_at"])
    libelles = {
        "prioritaire": _("prioritaire"),
        "urgent": _("urgent"),
        "signale": _("signalé"),
    }
    morceaux = [
        (_("marqué %(d)s") if c["apres"] else _("n’est plus %(d)s")) % {"d": libelles[nom]}
        for nom, c in changes.items()
    ]
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.AUTRE,
        libelle=_("Dossier %(m)s") % {"m": ", ".join(morceaux)},
        details={"drapeaux": changes},
    )
    return dossier


# --- links ---------------------------------------------------------------------------------


def _par_reference(reference: str, by) -> Dossier:
    reference = (reference or "").strip().upper()
    dossier = dossiers_visible_to(by).filter(reference=reference).first()
    if dossier is None:
        raise GestionRefusee(
            _("Aucun dossier « %(r)s » parmi ceux que vous pouvez consulter.") % {"r": reference},
            code="reference",
        )
    return dossier


@transaction.atomic
def dossier_lier_parent(*, dossier: Dossier, reference: str, by) -> Dossier:
    """Make the dossier of `reference` this one's parent ("" : no parent). Refused when
    it would close a loop (the parent is this dossier or one of its descendants)."""
    dossier = _verrouiller(dossier)
    parent = _par_reference(reference, by) if (reference or "").strip() else None
    if parent is not None:
        noeud, vus = parent, set()
        while noeud is not None and noeud.pk not in vus:
            if noeud.pk == dossier.pk:
                raise GestionRefusee(
                    _(
                        "Le dossier %(r)s ne peut pas être le parent de celui-ci : il en "
                        "dépend déjà (ou c’est le même dossier)."
                    )
                    % {"r": parent.reference},
                    code="cycle",
                )
            vus.add(noeud.pk)
            noeud = Dossier.objects.filter(pk=noeud.parent_id).first() if noeud.parent_id else None
    avant = Dossier.objects.filter(pk=dossier.parent_id).values_list("reference", flat=True).first()
    if dossier.parent_id == (parent.pk if parent else None):
        return dossier
    dossier.parent = parent
    dossier.save(update_fields=["parent", "updated_at"])
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.LIEN,
        libelle=_("Rattaché au dossier parent %(r)s") % {"r": parent.reference}
        if parent
        else _("Plus de dossier parent"),
        details={
            "champ": "parent",
            "avant": avant or "",
            "apres": parent.reference if parent else "",
        },
    )
    if parent is not None:
        historique_ecrire(
            parent,
            par=by,
            nature=Nature.LIEN,
            libelle=_("Dossier enfant ajouté : %(r)s") % {"r": dossier.reference},
            details={"enfant": dossier.reference},
        )
    return dossier


@transaction.atomic
def dossier_marquer_doublon(*, dossier: Dossier, reference: str = "", by) -> Dossier:
    """Mark the dossier a duplicate, optionally of the dossier of `reference`."""
    dossier = _verrouiller(dossier)
    original = _par_reference(reference, by) if (reference or "").strip() else None
    if original is not None and original.pk == dossier.pk:
        raise GestionRefusee(_("Un dossier ne peut pas être son propre doublon."), code="cycle")
    dossier.doublon = True
    dossier.doublon_de = original
    dossier.save(update_fields=["doublon", "doublon_de", "updated_at"])
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.LIEN,
        libelle=_("Marqué comme doublon de %(r)s") % {"r": original.reference}
        if original
        else _("Marqué comme doublon"),
        details={"champ": "doublon", "doublon_de": original.reference if original else ""},
    )
    return dossier


@transaction.atomic
def dossier_retirer_doublon(*, dossier: Dossier, by) -> Dossier:
    dossier = _verrouiller(dossier)
    if not dossier.doublon and dossier.doublon_de_id is None:
        return dossier
    avant = (
        Dossier.objects.filter(pk=dossier.doublon_de_id).values_list("reference", flat=True).first()
    )
    dossier.doublon, dossier.doublon_de = False, None
    dossier.save(update_fields=["doublon", "doublon_de", "updated_at"])
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.LIEN,
        libelle=_("N’est plus marqué comme doublon"),
        details={"champ": "doublon", "avant": avant or ""},
    )
    return dossier


# --- correction ----------------------------------------------------------------------------

COORDONNEES_INDIVIDU = (
    "email",
    "telephone_mobile",
    "telephone_fixe",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
)
COORDONNEES_PROFIL = (
    "email",
    "telephone",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
)


def coordonnees_du_demandeur(dossier: Dossier) -> tuple[str, dict[str, Any]]:
    """("individu" | "profil" | "", the demandeur's current coordinates)."""
    if dossier.demandeur_profil_id:
        profil = dossier.demandeur_profil
        return "profil", {n: getattr(profil, n) for n in COORDONNEES_PROFIL}
    if dossier.demandeur_individu_id:
        individu = dossier.demandeur_individu
        return "individu", {n: getattr(individu, n) for n in COORDONNEES_INDIVIDU}
    return "", {}


def _changer_dispositif(dossier: Dossier, dispositif: Dispositif) -> dict[str, Any]:
    """Move the dossier onto `dispositif`'s published form: every value it holds must
    carry over to a field of the same technical name and a compatible type, validated
    again by the new field's type; otherwise refused (nothing would be lost silently)."""
    cible = services.modele_publie(dispositif)
    if cible is None:
        raise GestionRefusee(
            _("Le dispositif « %(d)s » n’a pas de formulaire publié.") % {"d": dispositif.titre},
            code="dispositif",
        )
    source = dossier.modele
    correspondance = services.migration_correspondance_defaut(source=source, cible=cible)
    # Empty answers carry nothing over: they never stop the move.
    donnees = {n: v for n, v in (dossier.donnees or {}).items() if v not in (None, "", [], {})}
    nouvelles, archive = services.migration_donnees(
        donnees,
        correspondance=correspondance,
        anciens=services.migration_champs(source),
        nouveaux=services.migration_champs(cible),
        contexte=services.contexte_saisie(dossier),
    )
    if archive:
        raise GestionRefusee(
            _(
                "Le formulaire de « %(d)s » ne peut pas reprendre toutes les données de ce "
                "dossier (champs : %(champs)s). Changement refusé : aucune donnée ne serait "
                "conservée pour ces champs."
            )
            % {"d": dispositif.titre, "champs": ", ".join(sorted(archive))},
            code="dispositif",
        )
    details = {
        "dispositif": {"avant": dossier.dispositif.titre, "apres": dispositif.titre},
        "modele": {"avant": source.pk, "apres": cible.pk},
        "donnees_precedentes": dossier.donnees,
    }
    dossier.dispositif, dossier.modele, dossier.donnees = dispositif, cible, nouvelles
    return details


@transaction.atomic
def dossier_corriger(
    *,
    dossier: Dossier,
    by,
    motif: str,
    dispositif: Dispositif | None = None,
    etape: int | None = None,
    statut: str | None = None,
    coordonnees: dict[str, Any] | None = None,
) -> Dossier:
    """An agent's correction, with its reason: dispositif, current step, life-cycle
    status (clos sets clos_le), the demandeur's coordinates. One CORRECTION line with
    before/after of everything changed; nothing changed, nothing written."""
    motif = (motif or "").strip()
    if not motif:
        raise GestionRefusee(_("Indiquez le motif de la correction."), code="motif")
    dossier = _verrouiller(dossier)
    details: dict[str, Any] = {}
    champs: list[str] = []
    if dispositif is not None and dispositif.pk != dossier.dispositif_id:
        details.update(_changer_dispositif(dossier, dispositif))
        champs += ["dispositif", "modele", "donnees"]
    if etape is not None and etape != dossier.etape_courante:
        if etape < 0:
            raise GestionRefusee(_("L’étape est un nombre positif."), code="etape")
        details["etape_courante"] = {"avant": dossier.etape_courante, "apres": etape}
        dossier.etape_courante = etape
        champs.append("etape_courante")
    if statut is not None and statut != dossier.statut:
        if statut not in (Dossier.Statut.DEPOSE, Dossier.Statut.CLOS):
            raise GestionRefusee(
                _("Un dossier déposé ne redevient pas un brouillon."), code="statut"
            )
        details["statut"] = {"avant": dossier.statut, "apres": statut}
        dossier.statut = statut
        dossier.clos_le = timezone.now() if statut == Dossier.Statut.CLOS else None
        champs += ["statut", "clos_le"]
    if coordonnees:
        sorte, actuelles = coordonnees_du_demandeur(dossier)
        nouvelles = {
            n: (v or "").strip() for n, v in coordonnees.items() if n in actuelles and v is not None
        }
        changees = {n: v for n, v in nouvelles.items() if v != (actuelles[n] or "")}
        if changees:
            try:
                if sorte == "profil":
                    usagers_services.profil_modifier(
                        profil=dossier.demandeur_profil, by=by, **changees
                    )
                else:
                    usagers_services.individu_modifier(
                        individu=dossier.demandeur_individu, by=by, **changees
                    )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    raise GestionRefusee(error.error_dict) from error
                raise GestionRefusee(error.messages, code="coordonnees") from error
            details["coordonnees"] = {
                n: {"avant": actuelles[n], "apres": v} for n, v in changees.items()
            } | {"demandeur": sorte}
    if not details:
        raise GestionRefusee(_("Aucune modification à enregistrer."), code="vide")
    if champs:
        dossier.save(update_fields=[*champs, "updated_at"])
    details["motif"] = motif
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.CORRECTION,
        libelle=_("Correction (%(quoi)s) : %(motif)s")
        % {
            "quoi": ", ".join(
                _LIBELLES_CORRECTION[k] for k in details if k in _LIBELLES_CORRECTION
            ),
            "motif": motif,
        },
        details=details,
    )
    return dossier


_LIBELLES_CORRECTION = {
    "dispositif": "dispositif",
    "etape_courante": "étape",
    "statut": "statut",
    "coordonnees": "coordonnées",
}


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def dossier_document_produire(*, dossier: Dossier, modele, format_: str = "pdf", by):
    """A document from a template's published version, stored on the dossier (éditique),
    with a line of history."""
    from dossiers import editique

    document = editique.document_generer(dossier=dossier, modele=modele, format_=format_, par=by)
    historique_ecrire(
        dossier,
        par=by,
        nature=Nature.DOCUMENT,
        libelle=_("Document produit : %(t)s") % {"t": modele.nom},
        details={"document": document.pk, "modele": modele.code, "format": format_},
    )
    return document


# --- deletion ------------------------------------------------------------------------------


@transaction.atomic
def dossier_supprimer(*, dossier: Dossier, by) -> str:
    """Delete the dossier with its history and its generated documents (their files
    removed once the deletion commits). The reference is never issued again (the
    counter keeps its number). An audit line goes to the log."""
    from editique.models import DocumentGenere

    dossier = _verrouiller(dossier)
    reference, pk, dispositif_id = dossier.reference, dossier.pk, dossier.dispositif_id
    documents = DocumentGenere.objects.filter(
        objet_type=ContentType.objects.get_for_model(Dossier), objet_id=dossier.pk
    )
    fichiers = [(d.fichier.storage, d.fichier.name) for d in documents if d.fichier]
    nombre_documents = documents.delete()[0]
    Dossier.objects.filter(parent=dossier).update(parent=None)
    Dossier.objects.filter(doublon_de=dossier).update(doublon_de=None)
    dossier.delete()

    def effacer_fichiers():
        for stockage, nom in fichiers:
            stockage.delete(nom)

    transaction.on_commit(effacer_fichiers)
    logger.warning(
        "dossier supprime reference=%s pk=%s dispositif=%s par=%s documents=%s",
        reference,
        pk,
        dispositif_id,
        getattr(by, "pk", None),
        nombre_documents,
    )
    return reference


# --- merges in the référentiel -------------------------------------------------------------


@on_individu_fusion("dossiers")
def _individu_fusion(conserve, absorbe) -> int:
    demandeur = Dossier.objects.filter(demandeur_individu=absorbe).update(
        demandeur_individu=conserve
    )
    beneficiaire = Dossier.objects.filter(beneficiaire=absorbe).update(beneficiaire=conserve)
    return demandeur + beneficiaire


@on_profil_fusion("dossiers")
def _profil_fusion(conserve, absorbe) -> int:
    return Dossier.objects.filter(demandeur_profil=absorbe).update(demandeur_profil=conserve)
