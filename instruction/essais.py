"""Guide tests and dry runs (I9).

An admin writes test cases for a guide version (`CasTest`: a dossier's data, the statuts
to go through, what each passage must do); `cas_executer` runs one on a throwaway filed
dossier, through the real `change_status`, inside a transaction that is always rolled
back: nothing it wrote stays and nothing is sent (the outbox hands mails to workers on
commit, which never comes). Only the report is stored on the case, afterwards. It works
on a draft version too: that is the point, to run it before publishing.

`simuler` does the same for a real dossier and one statut (« what would happen if this
dossier moved there »), and `version_simulation` describes, without running anything,
what entering each statut of a version does (the actions' `decrire`).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import champs as types_de_champ
from dossiers import services as dossiers_services
from dossiers.models import Champ, Dossier, Historique, ModeleDossier, ProfilMetier, Vue
from instruction import actions, services
from instruction.models import CasTest, Etape, PassageCasTest, Statut, VersionGuide
from notifications.models import Message, Notification
from usagers.models import Individu, Profil, TypeProfil

logger = logging.getLogger(__name__)

# The throwaway dossier's citizen: mails of a test run are addressed to them.
ADRESSE_USAGER = "usager.essai@exemple.fr"


# --- The report -------------------------------------------------------------------------


@dataclass
class ResultatPassage:
    """What one passage did (entering a statut), and where it differed from what the
    case expected (`ecarts`)."""

    statut: str
    libelle: str = ""
    entree: bool = False  # the initial statut, entered at deposit
    reussi: bool = True
    refuse: bool = False  # change_status refused the change
    non_joue: bool = False  # not run: an earlier passage failed
    erreur: str = ""
    actions: list[dict] = field(default_factory=list)  # {"type", "description"}
    messages: list[dict] = field(default_factory=list)  # {"canal", "destinataire", …}
    historique: list[dict] = field(default_factory=list)  # {"libelle", "visible_usager"}
    champs: list[dict] = field(default_factory=list)  # {"nom", "avant", "apres"}
    ecarts: list[str] = field(default_factory=list)


@dataclass
class Rapport:
    reussi: bool
    passages: list[ResultatPassage] = field(default_factory=list)
    erreur: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class _Annulation(Exception):
    """Raised at the end of a run to roll its transaction back, carrying the report."""

    def __init__(self, resultat):
        super().__init__()
        self.resultat = resultat


# --- Test case data ---------------------------------------------------------------------


def modele_de(version: VersionGuide) -> ModeleDossier | None:
    """The form model the throwaway dossier is filed on: the published one, else the
    latest version (a dispositif still being built)."""
    dispositif = version.guide.dispositif
    return (
        dossiers_services.modele_publie(dispositif)
        or dispositif.modeles.order_by("-version").first()
    )


def donnees_valider(version: VersionGuide, donnees: Any) -> dict:
    """The case's data cleaned by the field types of the dispositif's form (keyed by
    technical names); ValidationError({"donnees": […]}) naming each wrong field."""
    if donnees in (None, ""):
        return {}
    if not isinstance(donnees, dict):
        raise ValidationError({"donnees": _("Indiquez un objet JSON {nom technique : valeur}.")})
    modele = modele_de(version)
    champs = (
        {c.nom: c for c in Champ.objects.filter(modele=modele, parent__isnull=True)}
        if modele
        else {}
    )
    propres, erreurs = {}, []
    for nom, valeur in donnees.items():
        champ = champs.get(nom)
        if champ is None:
            erreurs.append(_("« %(nom)s » n’est pas un champ du formulaire.") % {"nom": nom})
            continue
        try:
            type_champ = types_de_champ.get(champ.type)
            propres[nom] = type_champ.clean(
                dossiers_services.champ_definition(champ, Vue.CRM), valeur
            )
        except KeyError:
            propres[nom] = valeur  # a type no longer installed: kept as written
        except ValidationError as error:
            erreurs.append(
                _("« %(nom)s » : %(erreur)s") % {"nom": nom, "erreur": " ".join(error.messages)}
            )
    if erreurs:
        raise ValidationError({"donnees": erreurs})
    return propres


def _dossier_essai(cas: CasTest, modele: ModeleDossier) -> Dossier:
    """A filed dossier of the dispositif with the case's data, as a deposit leaves it
    (the reference says it is a test; the run rolls it back)."""
    individu = profil = None
    if cas.demandeur in (CasTest.Demandeur.INDIVIDU, CasTest.Demandeur.PROFIL):
        individu = Individu.objects.create(prenom="Camille", nom="Essai", email=ADRESSE_USAGER)
    if cas.demandeur == CasTest.Demandeur.PROFIL:
        dispositif = cas.version.guide.dispositif
        type_profil = (
            dispositif.types_profil.order_by("pk").first()
            or TypeProfil.objects.order_by("pk").first()
        )
        if type_profil is None:
            raise ValidationError(_("Aucun type de profil n’existe pour le demandeur du cas."))
        profil = Profil.objects.create(
            type_profil=type_profil, nom="Structure d’essai", email=ADRESSE_USAGER
        )
    maintenant = timezone.now()
    return Dossier.objects.create(
        dispositif_id=cas.version.guide.dispositif_id,
        modele=modele,
        reference=f"ESSAI-{uuid.uuid4().hex[:10].upper()}",
        demandeur_individu=individu,
        demandeur_profil=profil,
        statut=Dossier.Statut.DEPOSE,
        depose_le=maintenant,
        email_suivi=ADRESSE_USAGER,
        donnees=dict(cas.donnees or {}),
    )


# --- Observing what a passage does ------------------------------------------------------


class _Observateur:
    """Remembers the dossier's state, then lists what was written since (history lines,
    outbox rows, in-app notices, field changes)."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self.type = ContentType.objects.get_for_model(Dossier)
        self.historique = self.message = self.notification = 0
        self._photo()

    def _photo(self) -> None:
        self.donnees = dict(self.dossier.donnees or {})
        self.agent_id = self.dossier.agent_id
        self.statut = self.dossier.statut

    def _concerne(self, modele, depuis: int):
        return modele.objects.filter(
            objet_type=self.type, objet_id=str(self.dossier.pk), pk__gt=depuis
        ).order_by("pk")

    def relever(self, resultat: ResultatPassage) -> None:
        dossier = self.dossier
        dossier.refresh_from_db(fields=["donnees", "agent", "statut"])
        for ligne in Historique.objects.filter(dossier=dossier, pk__gt=self.historique).order_by(
            "pk"
        ):
            self.historique = ligne.pk
            resultat.historique.append(
                {"libelle": ligne.libelle, "visible_usager": ligne.visible_usager}
            )
        for message in self._concerne(Message, self.message).select_related("modele"):
            self.message = message.pk
            resultat.messages.append(
                {
                    "canal": message.canal,
                    "destinataire": message.destinataire,
                    "sujet": message.sujet,
                    "evenement": message.evenement,
                    "modele": message.modele.nom if message.modele else "",
                    "echec": message.derniere_erreur,
                }
            )
        for notice in self._concerne(Notification, self.notification):
            self.notification = notice.pk
            resultat.messages.append(
                {
                    "canal": "application",
                    "destinataire": _("espace de l’usager"),
                    "sujet": notice.titre,
                    "evenement": notice.evenement,
                    "modele": "",
                    "echec": "",
                }
            )
        apres = dossier.donnees or {}
        for nom in sorted(set(self.donnees) | set(apres)):
            if self.donnees.get(nom) != apres.get(nom):
                resultat.champs.append(
                    {"nom": nom, "avant": self.donnees.get(nom), "apres": apres.get(nom)}
                )
        if dossier.agent_id != self.agent_id:
            resultat.champs.append(
                {
                    "nom": _("agent attribué"),
                    "avant": str(_nom_agent(self.agent_id)),
                    "apres": str(_nom_agent(dossier.agent_id)),
                }
            )
        if dossier.statut != self.statut:
            resultat.champs.append(
                {
                    "nom": _("état du dossier"),
                    "avant": str(Dossier.Statut(self.statut).label),
                    "apres": str(Dossier.Statut(dossier.statut).label),
                }
            )
        self._photo()


def _agent_essai():
    """The agent making the passages when nobody is named (actions such as « assign to
    the agent who changes the statut » need one); rolled back with the run."""
    agent = get_user_model().objects.create(
        email=f"agent.essai.{uuid.uuid4().hex[:12]}@exemple.fr",
        first_name="Agent",
        last_name="d’essai",
        is_agent=True,
    )
    agent.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dossiers", codename="instruire_dossiers"
        )
    )
    # The permission alone instructs nothing (C7): a profil métier over every dispositif,
    # rolled back with the run like the agent, so an « attribuer » action may name them.
    profil = ProfilMetier.objects.create(
        code=f"essai-{uuid.uuid4().hex[:12]}",
        libelle="Agent d’essai",
        tous_dispositifs=True,
        voir=True,
        instruire=True,
    )
    profil.agents.add(agent)
    return agent


def _nom_agent(pk) -> str:
    if pk is None:
        return "—"
    agent = get_user_model().objects.filter(pk=pk).first()
    return str(agent) if agent else "—"


def _actions_de(statut: Statut) -> list[dict]:
    return [
        {"type": action.type, "description": decrire_action(action.type, action.config)}
        for action in statut.actions.all()
    ]


def decrire_action(code: str, config: dict) -> str:
    type_ = actions.type_action(code)
    if type_ is None:
        return _("Action de type inconnu « %(type)s »") % {"type": code}
    try:
        return str(type_().decrire(config or {}))
    except Exception:  # noqa: BLE001 - a description never breaks a page
        logger.exception("Describing action %s failed", code)
        return str(type_.libelle)


def _passer(dossier, statut: Statut, *, par, motif: str, resultat: ResultatPassage) -> None:
    """change_status, its refusal captured in the result rather than raised."""
    try:
        services.change_status(dossier=dossier, statut=statut, by=par, reason=motif)
    except ValidationError as error:
        resultat.refuse = True
        resultat.erreur = " ".join(error.messages)
    else:
        resultat.actions = _actions_de(statut)


# --- Comparing with what was expected ---------------------------------------------------


def _comparer(passage: PassageCasTest, resultat: ResultatPassage, donnees: dict) -> None:
    ecarts = resultat.ecarts
    if passage.refus_attendu:
        if not resultat.refuse:
            ecarts.append(_("Le guide a accepté ce changement alors qu’un refus était attendu."))
        return
    if resultat.refuse:
        ecarts.append(_("Changement refusé : %(erreur)s") % {"erreur": resultat.erreur})
        return
    jouees = {a["type"] for a in resultat.actions}
    for code in passage.actions or []:
        if code not in jouees:
            type_ = actions.type_action(code)
            ecarts.append(
                _("L’action « %(action)s » attendue ne s’est pas exécutée.")
                % {"action": type_.libelle if type_ else code}
            )
    for attendu in passage.messages or []:
        cle = str(attendu.get("modele", "")).strip()
        adresse = str(attendu.get("destinataire", "")).strip()
        if not any(
            cle in (m["modele"], m["evenement"])
            and (not adresse or m["destinataire"].lower() == adresse.lower())
            for m in resultat.messages
        ):
            ecarts.append(
                _("Aucun message « %(modele)s » n’a été écrit%(pour)s.")
                % {"modele": cle, "pour": _(" pour %(a)s") % {"a": adresse} if adresse else ""}
            )
    lignes = [h["libelle"] for h in resultat.historique if h["visible_usager"]]
    for texte in passage.suivi or []:
        if not any(texte in ligne for ligne in lignes):
            ecarts.append(
                _("Aucune ligne de suivi visible de l’usager ne contient « %(texte)s ».")
                % {"texte": texte}
            )
    for nom, valeur in (passage.champs or {}).items():
        if donnees.get(nom) != valeur:
            ecarts.append(
                _("Le champ « %(nom)s » vaut %(valeur)s au lieu de %(attendu)s.")
                % {"nom": nom, "valeur": _json(donnees.get(nom)), "attendu": _json(valeur)}
            )


def _json(valeur) -> str:
    return json.dumps(valeur, ensure_ascii=False)


# --- Running a case ---------------------------------------------------------------------


def _derouler(cas: CasTest, par) -> Rapport:
    version = cas.version
    modele = modele_de(version)
    if modele is None:
        return Rapport(False, erreur=_("Le dispositif n’a pas encore de formulaire."))
    initial = version.statuts.select_related("etape").filter(initial=True).first()
    if initial is None:
        return Rapport(False, erreur=_("Désignez le statut initial de cette version du guide."))
    dossier = _dossier_essai(cas, modele)
    if par is None:  # run by the system (a publication without its admin named)
        par = _agent_essai()
    observateur = _Observateur(dossier)
    entree = ResultatPassage(statut=initial.code, libelle=initial.libelle, entree=True)
    try:
        services.dossier_entrer(dossier=dossier, version=version)
    except ValidationError as error:
        entree.reussi, entree.refuse, entree.erreur = False, True, " ".join(error.messages)
    else:
        entree.actions = _actions_de(initial)
    observateur.relever(entree)
    rapport = Rapport(entree.reussi, passages=[entree])
    statuts = {s.code: s for s in version.statuts.select_related("etape")}
    arret = not entree.reussi
    for passage in cas.passages.all():
        statut = statuts.get(passage.statut)
        resultat = ResultatPassage(
            statut=passage.statut, libelle=statut.libelle if statut else passage.statut
        )
        rapport.passages.append(resultat)
        if arret:
            resultat.reussi, resultat.non_joue = False, True
            continue
        if statut is None:
            resultat.refuse = True
            resultat.erreur = _("Le statut « %(code)s » n’existe pas dans cette version.") % {
                "code": passage.statut
            }
        else:
            _passer(dossier, statut, par=par, motif=passage.motif, resultat=resultat)
        observateur.relever(resultat)
        _comparer(passage, resultat, dossier.donnees or {})
        resultat.reussi = not resultat.ecarts
        # A change refused when it was expected to pass leaves the dossier elsewhere than
        # the next passages assume: they are not run.
        arret = resultat.refuse and not passage.refus_attendu
    rapport.reussi = all(p.reussi for p in rapport.passages)
    return rapport


def _rollback(fonction, *args, **kwargs):
    """Run `fonction` in a transaction always rolled back; return what it returned."""
    try:
        with transaction.atomic():
            raise _Annulation(fonction(*args, **kwargs))
    except _Annulation as annulation:
        return annulation.resultat


def cas_executer(cas: CasTest, *, par=None) -> Rapport:
    """Run the case (see the module's docstring) and store its report on it. `par`: the
    agent the passages are made by (the one running the test)."""
    try:
        rapport = _rollback(_derouler, cas, par)
    except Exception as error:  # noqa: BLE001 - a broken case is a failed report, not a 500
        logger.exception("Test case %s crashed", cas.pk)
        rapport = Rapport(False, erreur=_("Erreur inattendue : %(e)s") % {"e": error})
    cas.lance_le, cas.reussi, cas.rapport = timezone.now(), rapport.reussi, rapport.to_dict()
    CasTest.objects.filter(pk=cas.pk).update(
        lance_le=cas.lance_le, reussi=cas.reussi, rapport=cas.rapport
    )
    return rapport


def version_executer_tests(version: VersionGuide, *, par=None) -> list[tuple[CasTest, Rapport]]:
    return [
        (cas, cas_executer(cas, par=par))
        for cas in version.cas_tests.select_related("version__guide__dispositif")
    ]


def essais_en_echec(version: VersionGuide, *, par=None) -> list[CasTest]:
    """The publishing guard: runs the version's cases, returns those that fail."""
    return [cas for cas, rapport in version_executer_tests(version, par=par) if not rapport.reussi]


def publication_verifier(version: VersionGuide, *, par=None, forcer: bool = False) -> None:
    """Refuses (ValidationError naming them) to publish a version whose test cases fail,
    unless `forcer` (an admin's informed choice)."""
    if forcer:
        return
    echecs = essais_en_echec(version, par=par)
    if echecs:
        raise ValidationError(
            _("Des cas de test échouent : %(cas)s. Corrigez le guide ou publiez en forçant.")
            % {"cas": ", ".join(f"« {c.nom} »" for c in echecs)},
            code="essais",
        )


# --- Dry runs ---------------------------------------------------------------------------


def _simuler(dossier: Dossier, statut: Statut, par, motif: str) -> ResultatPassage:
    # `dossier` was reached through the caller's scoped selector; a fresh copy of the
    # same row, so that the rolled-back run leaves the caller's instance untouched.
    copie = Dossier.objects.get(pk=dossier.pk)
    resultat = ResultatPassage(statut=statut.code, libelle=statut.libelle)
    observateur = _Observateur(copie)
    observateur.historique = (
        Historique.objects.filter(dossier=copie).order_by("-pk").values_list("pk", flat=True)
    ).first() or 0
    observateur.message = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    observateur.notification = (
        Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    _passer(copie, statut, par=par, motif=motif, resultat=resultat)
    observateur.relever(resultat)
    resultat.reussi = not resultat.refuse
    return resultat


def simuler(*, dossier: Dossier, statut: Statut, par, motif: str = "") -> ResultatPassage:
    """What moving the real `dossier` to `statut` would do (change_status run and rolled
    back): the actions, messages, history lines and field changes, or the refusal."""
    return _rollback(_simuler, dossier, statut, par, motif)


@dataclass
class StatutDecrit:
    statut: Statut
    effets: list[str]


@dataclass
class EtapeDecrite:
    etape: Etape
    statuts: list[StatutDecrit]


def version_simulation(version: VersionGuide) -> list[EtapeDecrite]:
    """Each étape and statut of the version with what entering it does, in French."""
    etapes = version.etapes.prefetch_related("statuts__actions", "statuts__suivants")
    return [
        EtapeDecrite(etape, [StatutDecrit(s, effets_statut(s)) for s in etape.statuts.all()])
        for etape in etapes
    ]


def effets_statut(statut: Statut) -> list[str]:
    effets = []
    if statut.libelle_usager:
        effets.append(
            _(
                "Montre « %(libelle)s » à l’usager et déclenche l’événement « statut changé » "
                "(messages selon les correspondances)"
            )
            % {"libelle": statut.libelle_usager}
        )
    else:
        effets.append(_("N’est pas montré à l’usager (il voit l’étape)"))
    if statut.cloture:
        effets.append(_("Clôture le dossier"))
    effets += [decrire_action(a.type, a.config) for a in statut.actions.all()]
    return effets
