"""The verbs of form models: drafts and versions (F11), views (F2/F6), JSON import and
export (F7). Views and tasks call these; rules live here only."""

import dataclasses
import hashlib
import itertools
import logging
from copy import deepcopy
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.db.models import Max, signals
from django.utils import timezone
from django.utils.translation import gettext as _

from common.nombres import entier
from dossiers import champs as types_de_champ
from dossiers.champs import Contexte, Definition
from dossiers.champs.natifs import bloc
from dossiers.formules import evaluer_condition, valider_calcul
from dossiers.models import (
    Champ,
    ChampReferentiel,
    CompteurReference,
    Dispositif,
    Dossier,
    Historique,
    Ligne,
    ListeReferentiel,
    MigrationDossier,
    MigrationVersion,
    ModeleDossier,
    Onglet,
    ProprietesVue,
    ValeurListe,
    Vue,
)
from dossiers.services_justificatifs import justificatifs_attendus
from dossiers.services_territoires import territoire_du_dossier
from dossiers.signals import dossier_depose

logger = logging.getLogger(__name__)

FORMAT = "guichet.modele_dossier"
FORMAT_VERSION = 1


class ImportRefuse(ValidationError):
    """An import the rules refuse; nothing of it was written. The message says why."""


class ModeleNonModifiable(ValidationError):
    pass


# Drafts and versions ---------------------------------------------------------------------


@transaction.atomic
def modele_brouillon(*, dispositif: Dispositif, by=None) -> ModeleDossier:
    """The draft admins edit: the existing one, else a copy of the last published version
    (else an empty version 1)."""
    Dispositif.objects.select_for_update().get(pk=dispositif.pk)
    draft = dispositif.modeles.filter(statut=ModeleDossier.Statut.BROUILLON).first()
    if draft:
        return draft
    last = (
        dispositif.modeles.filter(statut=ModeleDossier.Statut.PUBLIE).order_by("-version").first()
    )
    version = (dispositif.modeles.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = ModeleDossier.objects.create(dispositif=dispositif, version=version)
    if last:
        _copy_content(source=last, target=draft)
    return draft


@transaction.atomic
def modele_publier(*, modele: ModeleDossier, by, note: str = "") -> ModeleDossier:
    """Freeze the draft as a version; dossiers filed from now on keep it."""
    modele = ModeleDossier.objects.select_for_update().get(pk=modele.pk)
    if not modele.modifiable:
        raise ModeleNonModifiable(_("Cette version est déjà publiée."))
    problems = modele_verifier(modele)
    if problems:
        raise ValidationError(problems)
    modele.statut = ModeleDossier.Statut.PUBLIE
    modele.publie_le = timezone.now()
    modele.publie_par = by
    modele.note_version = note
    modele.save(update_fields=["statut", "publie_le", "publie_par", "note_version", "updated_at"])
    return modele


def modele_verifier(modele: ModeleDossier) -> list[str]:
    """What prevents publishing: no tab, unknown types, conditions on missing fields."""
    problems = []
    onglets = list(modele.onglets.prefetch_related("lignes__champs"))
    if not onglets:
        problems.append(_("Le modèle n’a aucun onglet."))
    known_types = types_de_champ.types()
    names = {c.nom: c.type for c in Champ.objects.filter(modele=modele, parent__isnull=True)}
    for champ in Champ.objects.filter(modele=modele):
        if champ.type not in known_types:
            problems.append(
                _("Le champ « %(nom)s » a un type inconnu : %(type)s.")
                % {"nom": champ.nom, "type": champ.type}
            )
    problems.extend(_options_problems(modele, known_types, names))
    problems.extend(_bloc_problems(modele))
    problems.extend(_condition_problems(modele, names))
    problems.extend(_calcul_problems(modele, names))
    return problems


def _options_problems(modele: ModeleDossier, known_types, names: dict[str, str]) -> list[str]:
    """Options a field's type refuses (a calcul without formula, a tableau without
    columns…): the wizard would leave the field out, so it is not published so. Blocks
    are checked with their sub-fields (_bloc_problems); a sub-field's references (a
    linked list's parent) may also name the other sub-fields of its element."""
    problems = []
    freres = _sous_noms(modele)
    for champ in Champ.objects.filter(modele=modele).exclude(type=bloc.CODE).order_by("nom"):
        type_champ = known_types.get(champ.type)
        if type_champ is None:
            continue
        options = type_champ.Options(data=champ.options or {})
        if not options.is_valid():
            for nom, erreurs in options.errors.items():
                libelle = options.fields[nom].label if nom in options.fields else nom
                problems.append(
                    _("Le champ « %(champ)s », option « %(option)s » : %(message)s")
                    % {"champ": champ.nom, "option": libelle, "message": " ".join(erreurs)}
                )
            continue
        for probleme in type_champ.verifier(champ_definition(champ), _portee(champ, names, freres)):
            problems.append(
                _("Le champ « %(champ)s » : %(probleme)s")
                % {"champ": champ.nom, "probleme": probleme}
            )
    return problems


def _bloc_problems(modele: ModeleDossier) -> list[str]:
    """Repeatable blocks (F12): without sub-fields, holding another block, options their
    type refuses (a minimum above the maximum…); sub-fields of something else."""
    problems = []
    champs = list(Champ.objects.filter(modele=modele).order_by("nom"))
    par_pk = {champ.pk: champ for champ in champs}
    for champ in champs:
        parent = par_pk.get(champ.parent_id)
        if parent is not None and parent.type != bloc.CODE:
            problems.append(
                _("Le champ « %(nom)s » dépend de « %(parent)s », qui n’est pas un bloc répétable.")
                % {"nom": champ.nom, "parent": parent.nom}
            )
        elif parent is not None and champ.type == bloc.CODE:
            problems.append(
                _(
                    "Le bloc répétable « %(parent)s » contient un autre bloc (« %(nom)s ») : "
                    "un bloc ne se répète pas dans un bloc."
                )
                % {"nom": champ.nom, "parent": parent.nom}
            )
        if champ.type != bloc.CODE:
            continue
        if not any(c.parent_id == champ.pk for c in champs):
            problems.append(
                _("Le bloc répétable « %(nom)s » n’a aucun sous-champ.") % {"nom": champ.nom}
            )
        options = types_de_champ.get(bloc.CODE).Options(data=champ.options or {})
        if not options.is_valid():
            for messages in options.errors.values():
                problems.extend(
                    _("Le bloc répétable « %(nom)s » : %(message)s")
                    % {"nom": champ.nom, "message": message}
                    for message in messages
                )
    return problems


def _portee(champ: Champ, names: dict[str, str], freres: dict[int, dict[str, str]]) -> dict:
    """The names a champ's condition or calcul may read: the model's top-level fields,
    and for a block's sub-field the other sub-fields of its element."""
    return {**names, **freres.get(champ.parent_id, {})} if champ.parent_id else names


def _sous_noms(modele: ModeleDossier) -> dict[int, dict[str, str]]:
    freres: dict[int, dict[str, str]] = {}
    for champ in Champ.objects.filter(modele=modele, parent__isnull=False):
        freres.setdefault(champ.parent_id, {})[champ.nom] = champ.type
    return freres


def _calcul_problems(modele: ModeleDossier, names: dict[str, str]) -> list[str]:
    """Calculs whose formula does not read or reads a field the model lacks."""
    problems = []
    freres = _sous_noms(modele)
    for champ in Champ.objects.filter(modele=modele).order_by("nom"):
        try:
            calcule = types_de_champ.get(champ.type).calcule
        except KeyError:
            continue
        formule = (champ.options or {}).get("formule") if calcule else None
        if not isinstance(formule, str):
            continue
        for message in valider_calcul(formule, _portee(champ, names, freres)):
            problems.append(
                _("Le champ « %(nom)s » : %(message)s") % {"nom": champ.nom, "message": message}
            )
    return problems


def _condition_problems(modele: ModeleDossier, names: dict[str, str]) -> list[str]:
    try:
        from dossiers.formules import valider_condition
    except ImportError:  # the condition language arrives with its own module
        return []
    problems = []
    objects = list(modele.onglets.all())
    objects += list(Ligne.objects.filter(onglet__modele=modele))
    objects += list(Champ.objects.filter(modele=modele))
    freres = _sous_noms(modele)
    for obj in objects:
        if obj.condition:
            portee = _portee(obj, names, freres) if isinstance(obj, Champ) else names
            problems.extend(valider_condition(obj.condition, portee))
    return problems


def _copy_content(*, source: ModeleDossier, target: ModeleDossier) -> None:
    for onglet in source.onglets.prefetch_related("lignes__champs__proprietes"):
        lignes = list(onglet.lignes.all())
        onglet.pk = None
        onglet.modele = target
        onglet.save()
        for ligne in lignes:
            champs = list(ligne.champs.all())
            ligne.pk = None
            ligne.onglet = onglet
            ligne.save()
            copies: dict[int, Champ] = {}  # old pk → copy, for blocks' sub-fields (F12)
            for champ in sorted(champs, key=lambda c: c.parent_id is not None):
                proprietes = list(champ.proprietes.all())
                ancien = champ.pk
                champ.pk = None
                champ.ligne = ligne
                if champ.parent_id is not None:
                    champ.parent = copies.get(champ.parent_id)
                champ.save()
                copies[ancien] = champ
                ProprietesVue.objects.bulk_create(
                    ProprietesVue(
                        champ=champ,
                        vue=p.vue,
                        visible=p.visible,
                        modifiable=p.modifiable,
                        obligatoire=p.obligatoire,
                    )
                    for p in proprietes
                )


def _check_modifiable(modele: ModeleDossier) -> None:
    if not modele.modifiable:
        raise ModeleNonModifiable(
            _("Une version publiée ne se modifie pas : modifiez le brouillon du dispositif.")
        )


@transaction.atomic
def vue_copier(*, modele: ModeleDossier, source: str, cible: str, by=None) -> int:
    """Give view `cible` the same visible / editable / required settings as `source`."""
    modele = ModeleDossier.objects.select_for_update().get(pk=modele.pk)  # fresh status
    _check_modifiable(modele)
    if source == cible or {source, cible} - set(Vue.values):
        raise ValidationError(_("Choisissez deux vues différentes."))
    # A field without a row in the source has the defaults there: the target gets them
    # too (else a field hidden in the target but never set in the source stayed hidden).
    sources = {
        p.champ_id: p for p in ProprietesVue.objects.filter(champ__modele=modele, vue=source)
    }
    valeurs = {}
    for champ_id in Champ.objects.filter(modele=modele).values_list("pk", flat=True):
        p = sources.get(champ_id) or ProprietesVue()
        valeurs[champ_id] = {
            "visible": p.visible,
            "modifiable": p.modifiable,
            "obligatoire": p.obligatoire,
        }
    _vue_ecrire(modele, cible, valeurs)
    return len(valeurs)


def _vue_ecrire(modele: ModeleDossier, vue: str, valeurs: dict[int, dict[str, bool]]) -> None:
    """Write one view's properties for the given fields: 2 or 3 queries at any size."""
    existantes = {
        p.champ_id: p for p in ProprietesVue.objects.filter(champ__modele=modele, vue=vue)
    }
    a_creer, a_changer = [], []
    for champ_id, props in valeurs.items():
        p = existantes.get(champ_id)
        if p is None:
            a_creer.append(ProprietesVue(champ_id=champ_id, vue=vue, **props))
        elif any(getattr(p, k) != v for k, v in props.items()):
            for k, v in props.items():
                setattr(p, k, v)
            a_changer.append(p)
    ProprietesVue.objects.bulk_create(a_creer)
    ProprietesVue.objects.bulk_update(a_changer, ["visible", "modifiable", "obligatoire"])
    _STRUCTURES.clear()  # bulk writes send no signal


@transaction.atomic
def vue_enregistrer(
    *, modele: ModeleDossier, vue: str, valeurs: dict[int, dict[str, bool]], by=None
) -> int:
    """Save one view's visible / editable / required for every field of a draft at once
    (the whole-model grid, F6). Every field is checked first: a required field must be
    visible and editable; any refusal (ValidationError keyed by field pk) saves nothing.
    Fields of the model left out of `valeurs` are not touched. Returns the count saved."""
    modele = ModeleDossier.objects.select_for_update().get(pk=modele.pk)
    _check_modifiable(modele)
    if vue not in Vue.values:
        raise ValidationError(_("Cette vue n’existe pas."))
    champs = set(Champ.objects.filter(modele=modele).values_list("pk", flat=True))
    propres, erreurs = {}, {}
    for champ_id, props in valeurs.items():
        if champ_id not in champs:
            raise ValidationError(_("Ce champ n’appartient pas à ce formulaire."))
        props = {k: bool(props.get(k)) for k in ("visible", "modifiable", "obligatoire")}
        if props["obligatoire"] and not (props["visible"] and props["modifiable"]):
            erreurs[str(champ_id)] = [
                _("Un champ obligatoire doit être visible et modifiable dans cette vue.")
            ]
        propres[champ_id] = props
    if erreurs:
        raise ValidationError(erreurs)
    _vue_ecrire(modele, vue, propres)
    return len(propres)


# --- Versions (F11) ---
# In-flight dossiers (drafts and submitted ones) move from a version onto a newer one of
# the same dispositif, each old field mapped to a new one or to nothing. Every value is
# validated again by the new field's type; what the new version does not take is kept in
# the dossier's archive (MigrationDossier), with its previous version and data.


class MigrationRefusee(ValidationError):
    """A move the rules refuse; no dossier was moved. The message says why."""


# Types whose values usually carry over, besides the same type: one family per line.
FAMILLES_COMPATIBLES = (
    frozenset({"texte", "texte_long", "texte_formate", "texte_riche"}),
    frozenset({"entier", "decimal", "montant"}),
    frozenset({"choix_unique_radio", "choix_unique_liste", "civilite"}),
    frozenset({"oui_non", "case_a_cocher", "acceptation_cgu"}),
    frozenset({"date", "date_heure"}),
)


def types_compatibles(source: str, cible: str) -> bool:
    return source == cible or any({source, cible} <= famille for famille in FAMILLES_COMPATIBLES)


def migration_champs(modele: ModeleDossier) -> dict[str, Champ]:
    """The model's fields that hold a value, by technical name, in form order (a
    repeatable block's sub-fields travel inside their block's value). Fields of a type
    this installation lacks are kept: their values can only be archived."""
    champs = {}
    for champ in Champ.objects.filter(modele=modele, parent__isnull=True).prefetch_related(
        "proprietes", "liste__valeurs"
    ):
        try:
            if not types_de_champ.get(champ.type).stocke_valeur:
                continue
        except KeyError:
            pass
        champs[champ.nom] = champ
    return champs


def migration_versions_cibles(source: ModeleDossier):
    """The versions the dossiers of `source` may move onto: newer published ones."""
    return ModeleDossier.objects.filter(
        dispositif_id=source.dispositif_id,
        statut=ModeleDossier.Statut.PUBLIE,
        version__gt=source.version,
    ).order_by("-version")


def migration_correspondance_defaut(
    *, source: ModeleDossier, cible: ModeleDossier
) -> dict[str, str | None]:
    """Each old field onto the new field of the same technical name when their types
    are compatible; else None (not carried over: its values are archived)."""
    nouveaux = migration_champs(cible)
    return {
        nom: nom if nom in nouveaux and types_compatibles(champ.type, nouveaux[nom].type) else None
        for nom, champ in migration_champs(source).items()
    }


def _migration_verifier(
    source: ModeleDossier, cible: ModeleDossier, correspondance: dict[str, Any]
) -> dict[str, str | None]:
    """The mapping checked and completed (every old field, None when not carried over),
    or MigrationRefusee."""
    if source.dispositif_id != cible.dispositif_id:
        raise MigrationRefusee(_("Les deux versions doivent être celles du même dispositif."))
    if cible.statut != ModeleDossier.Statut.PUBLIE:
        raise MigrationRefusee(
            _("La version %(v)s est un brouillon : publiez-la avant d’y déplacer des dossiers.")
            % {"v": cible.version}
        )
    if cible.version <= source.version:
        raise MigrationRefusee(
            _(
                "Les dossiers ne vont que vers une version plus récente : la version %(cible)s "
                "n’est pas plus récente que la version %(source)s."
            )
            % {"cible": cible.version, "source": source.version}
        )
    anciens = migration_champs(source)
    nouveaux = migration_champs(cible)
    inconnus = sorted(set(correspondance) - set(anciens))
    if inconnus:
        raise MigrationRefusee(
            _("Le champ « %(nom)s » n’existe pas dans la version %(v)s.")
            % {"nom": inconnus[0], "v": source.version}
        )
    complete: dict[str, str | None] = {}
    recus: dict[str, str] = {}
    for nom in anciens:
        nouveau = correspondance.get(nom) or None
        if nouveau is not None:
            if nouveau not in nouveaux or nouveaux[nouveau].type not in types_de_champ.types():
                raise MigrationRefusee(
                    _("Le champ « %(nom)s » n’existe pas dans la version %(v)s.")
                    % {"nom": nouveau, "v": cible.version}
                )
            if nouveau in recus:
                raise MigrationRefusee(
                    _(
                        "Le champ « %(nouveau)s » ne peut pas reprendre à la fois « %(a)s » et « %(b)s »."
                    )
                    % {"nouveau": nouveau, "a": recus[nouveau], "b": nom}
                )
            recus[nouveau] = nom
        complete[nom] = nouveau
    return complete


def _sans_obligation(definition: Definition) -> Definition:
    """The definition with nothing required, a repeatable block's sub-fields included (a
    draft being moved may be incomplete); everything else (options, choices, conditions,
    sub-fields) is kept."""
    return dataclasses.replace(
        definition,
        obligatoire=False,
        enfants=tuple(_sans_obligation(enfant) for enfant in definition.enfants),
    )


def migration_donnees(
    donnees: dict[str, Any],
    *,
    correspondance: dict[str, str | None],
    anciens: dict[str, Champ],
    nouveaux: dict[str, Champ],
    contexte: Contexte | None = None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(the data for the new version, the archive): each mapped value cleaned by the new
    field's type as if typed again (required or not: a draft may be incomplete); values
    not mapped or refused go to the archive with the reason. Computed fields of the new
    version are computed again from the moved data."""
    nouvelles: dict[str, Any] = {}
    archive: dict[str, dict[str, Any]] = {}
    for nom, valeur in donnees.items():
        if nom not in correspondance:
            archive[nom] = {"valeur": valeur, "raison": _("Champ absent de l’ancienne version.")}
            continue
        nouveau = correspondance[nom]
        if nouveau is None:
            archive[nom] = {"valeur": valeur, "raison": _("Non repris dans la nouvelle version.")}
            continue
        champ = nouveaux[nouveau]
        type_champ = types_de_champ.get(champ.type)
        if type_champ.calcule:  # computed again below; a typed value is archived
            ancien = types_de_champ.types().get(anciens[nom].type)
            if not (ancien and ancien.calcule) and not type_champ.est_vide(valeur):
                archive[nom] = {
                    "valeur": valeur,
                    "raison": _("Champ calculé dans la nouvelle version : valeur recalculée."),
                }
            continue
        if type_champ.est_vide(valeur):
            continue
        definition = _sans_obligation(champ_definition(champ, contexte=contexte))
        try:
            nouvelles[nouveau] = type_champ.clean(definition, valeur)
        except ValidationError as error:
            archive[nom] = {"valeur": valeur, "raison": " ".join(error.messages)}
        except ImproperlyConfigured:
            archive[nom] = {
                "valeur": valeur,
                "raison": _("Le champ « %(nom)s » de la nouvelle version est mal configuré.")
                % {"nom": nouveau},
            }
    calcules = {}
    for nom, champ in nouveaux.items():
        type_champ = types_de_champ.types().get(champ.type)
        if type_champ is not None and type_champ.calcule:
            definition = champ_definition(champ)
            if champ_utilisable(type_champ, definition):
                calcules[nom] = (definition, type_champ)
    if calcules:
        for nom, valeur in _calculer(calcules, dict(nouvelles)).items():
            if valeur is not None:
                nouvelles[nom] = valeur
    return nouvelles, archive


def migration_apercu(
    *, source: ModeleDossier, cible: ModeleDossier, correspondance: dict[str, Any]
) -> dict[str, Any]:
    """What a move would do, written nowhere: the dossiers concerned (drafts, submitted)
    and, per old field, the values that would be archived (count, first examples)."""
    correspondance = _migration_verifier(source, cible, correspondance)
    anciens, nouveaux = migration_champs(source), migration_champs(cible)
    apercu: dict[str, Any] = {"nombre": 0, "brouillons": 0, "deposes": 0, "archives": {}}
    dossiers = Dossier.objects.filter(modele=source).select_related("cree_par", "demandeur_profil")
    for dossier in dossiers.order_by("pk"):
        apercu["nombre"] += 1
        apercu["brouillons" if dossier.statut == Dossier.Statut.BROUILLON else "deposes"] += 1
        _nouvelles, archive = migration_donnees(
            dossier.donnees,
            correspondance=correspondance,
            anciens=anciens,
            nouveaux=nouveaux,
            contexte=contexte_saisie(dossier),
        )
        for nom, archivee in archive.items():
            par_champ = apercu["archives"].setdefault(nom, {"nombre": 0, "exemples": []})
            par_champ["nombre"] += 1
            if len(par_champ["exemples"]) < 5:
                par_champ["exemples"].append({"dossier": str(dossier), **archivee})
    apercu["valeurs_archivees"] = sum(a["nombre"] for a in apercu["archives"].values())
    return apercu


@transaction.atomic
def dossiers_migrer(
    *, source: ModeleDossier, cible: ModeleDossier, correspondance: dict[str, Any], by
) -> MigrationVersion | None:
    """Move every dossier of `source` (drafts and submitted ones) onto `cible`, in one
    transaction, with the rows locked. Nothing is lost: the move and, per dossier, its
    previous version, its previous data and its archived values are recorded. Safe to run
    twice: a dossier already moved is no longer on `source`; with nothing to move, returns
    None and records nothing."""
    source = ModeleDossier.objects.get(pk=source.pk)
    cible = ModeleDossier.objects.get(pk=cible.pk)
    correspondance = _migration_verifier(source, cible, correspondance)
    dossiers = list(
        Dossier.objects.select_for_update(of=("self",))
        .filter(modele=source)
        .select_related("cree_par", "demandeur_profil")
        .order_by("pk")
    )
    if not dossiers:
        return None
    anciens, nouveaux = migration_champs(source), migration_champs(cible)
    maintenant = timezone.now()
    migration = MigrationVersion.objects.create(
        source=source, cible=cible, correspondance=correspondance, par=by, le=maintenant
    )
    lignes = []
    for dossier in dossiers:
        nouvelles, archive = migration_donnees(
            dossier.donnees,
            correspondance=correspondance,
            anciens=anciens,
            nouveaux=nouveaux,
            contexte=contexte_saisie(dossier),
        )
        lignes.append(
            MigrationDossier(
                migration=migration,
                dossier=dossier,
                modele_precedent=source,
                statut=dossier.statut,
                donnees_precedentes=dossier.donnees,
                archive=archive,
            )
        )
        dossier.modele = cible
        dossier.donnees = nouvelles
        dossier.updated_at = maintenant
    MigrationDossier.objects.bulk_create(lignes)
    Dossier.objects.bulk_update(dossiers, ["modele", "donnees", "updated_at"])
    migration.nombre = len(dossiers)
    migration.valeurs_archivees = sum(len(ligne.archive) for ligne in lignes)
    migration.save(update_fields=["nombre", "valeurs_archivees"])
    return migration


# Export / import ---------------------------------------------------------------------------


def modele_exporter(modele: ModeleDossier) -> dict[str, Any]:
    """The form model as JSON, with the lists and référentiel fields it uses (F7)."""
    listes: dict[str, ListeReferentiel] = {}
    referentiel: dict[str, ChampReferentiel] = {}
    onglets = []
    for onglet in modele.onglets.prefetch_related(
        "lignes__champs__proprietes",
        "lignes__champs__liste__valeurs",
        "lignes__champs__referentiel",
    ):
        lignes = []
        for ligne in onglet.lignes.all():
            exported = []
            for champ in ligne.champs.all():
                if champ.liste_id:
                    listes[champ.liste.code] = champ.liste
                if champ.referentiel_id:
                    referentiel[champ.referentiel.nom] = champ.referentiel
                    if champ.referentiel.liste_id:
                        listes[champ.referentiel.liste.code] = champ.referentiel.liste
                exported.append(
                    {
                        "nom": champ.nom,
                        "libelle": champ.libelle,
                        "type": champ.type,
                        "aide": champ.aide,
                        "options": champ.options,
                        "liste": champ.liste.code if champ.liste_id else None,
                        "choix": champ.choix,
                        "condition": champ.condition,
                        "prefill": champ.prefill,
                        "colonne": champ.colonne,
                        "ordre": champ.ordre,
                        "referentiel": champ.referentiel.nom if champ.referentiel_id else None,
                        "proprietes": {
                            p.vue: {
                                "visible": p.visible,
                                "modifiable": p.modifiable,
                                "obligatoire": p.obligatoire,
                            }
                            for p in sorted(champ.proprietes.all(), key=lambda p: p.vue)
                        },
                    }
                )
            exported = _imbriquer_sous_champs(list(ligne.champs.all()), exported)
            lignes.append(
                {
                    "ordre": ligne.ordre,
                    "colonnes": ligne.colonnes,
                    "titre_section": ligne.titre_section,
                    "condition": ligne.condition,
                    "champs": exported,
                }
            )
        onglets.append(
            {
                "titre": onglet.titre,
                "aide": onglet.aide,
                "ordre": onglet.ordre,
                "condition": onglet.condition,
                "lignes": lignes,
            }
        )
    return {
        "format": FORMAT,
        "version_format": FORMAT_VERSION,
        "dispositif": modele.dispositif.code,
        "listes": [
            {
                "code": liste.code,
                "libelle": liste.libelle,
                "valeurs": [[v.cle, v.libelle, v.ordre, v.active] for v in liste.valeurs.all()],
            }
            for liste in sorted(listes.values(), key=lambda item: item.code)
        ],
        "referentiel": [
            {
                "nom": r.nom,
                "libelle": r.libelle,
                "type": r.type,
                "aide": r.aide,
                "options": r.options,
                "liste": r.liste.code if r.liste_id else None,
                "categorie": r.categorie,
            }
            for r in sorted(referentiel.values(), key=lambda r: r.nom)
        ],
        "onglets": onglets,
    }


def _imbriquer_sous_champs(champs: list[Champ], exportes: list[dict]) -> list[dict]:
    """A row's exported fields, a repeatable block's sub-fields moved under their block
    ("sous_champs", in order): the format stays version 1, older files have none."""
    par_pk = {champ.pk: exporte for champ, exporte in zip(champs, exportes, strict=True)}
    racines = []
    for champ, exporte in zip(champs, exportes, strict=True):
        if champ.parent_id in par_pk:
            par_pk[champ.parent_id].setdefault("sous_champs", []).append(exporte)
        else:
            racines.append(exporte)
    return racines


def _refuse(message: str) -> ImportRefuse:
    return ImportRefuse(message, code="import")


def _validate_import(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refuse(_("Ce fichier n’est pas un modèle de dossier Guichet."))
    if data.get("version_format") != FORMAT_VERSION:
        raise _refuse(
            _("Ce modèle est au format %(v)s ; cette version de Guichet lit le format %(attendu)s.")
            % {"v": data.get("version_format"), "attendu": FORMAT_VERSION}
        )
    if not isinstance(data.get("onglets"), list) or not data["onglets"]:
        raise _refuse(_("Le modèle n’a aucun onglet."))
    known = types_de_champ.types()
    names: set[str] = set()
    for onglet in data["onglets"]:
        for ligne in onglet.get("lignes") or []:
            champs = list(ligne.get("champs") or [])
            for bloc_data in list(champs):
                sous = bloc_data.get("sous_champs") if isinstance(bloc_data, dict) else None
                if sous and bloc_data.get("type") != bloc.CODE:
                    raise _refuse(
                        _(
                            "Le champ « %(nom)s » a des sous-champs mais n’est pas un bloc répétable."
                        )
                        % {"nom": bloc_data.get("nom")}
                    )
                for sous_data in sous or []:
                    if isinstance(sous_data, dict) and sous_data.get("sous_champs"):
                        raise _refuse(_("Un bloc répétable ne peut pas en contenir un autre."))
                    champs.append(sous_data if isinstance(sous_data, dict) else {})
            for champ in champs:
                nom = champ.get("nom")
                if not nom or not isinstance(nom, str):
                    raise _refuse(_("Un champ n’a pas de nom technique."))
                if nom in names:
                    raise _refuse(
                        _("Le nom technique « %(nom)s » est utilisé deux fois.") % {"nom": nom}
                    )
                names.add(nom)
                if champ.get("type") not in known:
                    raise _refuse(
                        _(
                            "Le champ « %(nom)s » a un type inconnu de cette installation : %(type)s."
                        )
                        % {"nom": nom, "type": champ.get("type")}
                    )


@transaction.atomic
def modele_importer(data: Any, *, dispositif: Dispositif, by=None) -> ModeleDossier:
    """Replace the dispositif's draft by the imported model. All or nothing: on any
    problem, ImportRefuse says why and nothing was written."""
    _validate_import(data)
    data = deepcopy(data)
    listes = {}
    for liste_data in data.get("listes") or []:
        listes[liste_data["code"]] = _import_liste(liste_data)
    referentiel = {}
    for ref_data in data.get("referentiel") or []:
        referentiel[ref_data["nom"]] = _import_referentiel(ref_data, listes)
    draft = modele_brouillon(dispositif=dispositif, by=by)
    draft.onglets.all().delete()
    try:
        for onglet_data in data["onglets"]:
            onglet = Onglet.objects.create(
                modele=draft,
                titre=onglet_data["titre"],
                aide=onglet_data.get("aide", ""),
                ordre=onglet_data.get("ordre", 0),
                condition=onglet_data.get("condition"),
            )
            for ligne_data in onglet_data.get("lignes") or []:
                ligne = Ligne.objects.create(
                    onglet=onglet,
                    ordre=ligne_data.get("ordre", 0),
                    colonnes=ligne_data.get("colonnes", 1),
                    titre_section=ligne_data.get("titre_section", ""),
                    condition=ligne_data.get("condition"),
                )
                for champ_data in ligne_data.get("champs") or []:
                    champ = _import_champ(champ_data, ligne, listes, referentiel)
                    for sous_data in champ_data.get("sous_champs") or []:
                        _import_champ(sous_data, ligne, listes, referentiel, parent=champ)
    except (KeyError, TypeError, ValueError) as error:
        raise _refuse(
            _("Le fichier est incomplet ou mal formé (%(detail)s).") % {"detail": error}
        ) from None
    return draft


def _import_liste(data: dict) -> ListeReferentiel:
    valeurs = [list(v) for v in data["valeurs"]]
    liste, created = ListeReferentiel.objects.get_or_create(
        code=data["code"], defaults={"libelle": data["libelle"]}
    )
    if created:
        ValeurListe.objects.bulk_create(
            ValeurListe(liste=liste, cle=c, libelle=lib, ordre=o, active=a)
            for c, lib, o, a in valeurs
        )
    elif [[v.cle, v.libelle, v.ordre, v.active] for v in liste.valeurs.all()] != valeurs:
        raise _refuse(
            _(
                "La liste « %(code)s » existe déjà ici avec d’autres valeurs : harmonisez-la avant d’importer."
            )
            % {"code": data["code"]}
        )
    return liste


def _import_referentiel(data: dict, listes: dict) -> ChampReferentiel:
    fields = {
        "libelle": data["libelle"],
        "type": data["type"],
        "aide": data.get("aide", ""),
        "options": data.get("options") or {},
        "categorie": data.get("categorie", ""),
        "liste": listes.get(data.get("liste")) if data.get("liste") else None,
    }
    ref, created = ChampReferentiel.objects.get_or_create(nom=data["nom"], defaults=fields)
    if not created and (ref.type != fields["type"]):
        raise _refuse(
            _("Le champ du référentiel « %(nom)s » existe déjà ici avec un autre type.")
            % {"nom": data["nom"]}
        )
    return ref


def _import_champ(
    data: dict, ligne: Ligne, listes: dict, referentiel: dict, *, parent: Champ | None = None
) -> Champ:
    liste = None
    if data.get("liste"):
        liste = (
            listes.get(data["liste"]) or ListeReferentiel.objects.filter(code=data["liste"]).first()
        )
        if liste is None:
            raise _refuse(_("La liste « %(code)s » manque au fichier.") % {"code": data["liste"]})
    champ = Champ(
        ligne=ligne,
        parent=parent,
        nom=data["nom"],
        libelle=data["libelle"],
        type=data["type"],
        aide=data.get("aide", ""),
        options=data.get("options") or {},
        liste=liste,
        choix=data.get("choix") or [],
        condition=data.get("condition"),
        prefill=data.get("prefill", ""),
        colonne=data.get("colonne", 1),
        ordre=data.get("ordre", 0),
        referentiel=referentiel.get(data.get("referentiel")) if data.get("referentiel") else None,
    )
    try:
        champ.full_clean(exclude=["ligne", "modele", "referentiel", "liste"])
    except ValidationError as error:
        raise _refuse(
            _("Le champ « %(nom)s » est invalide : %(detail)s")
            % {"nom": data["nom"], "detail": " ".join(error.messages)}
        ) from None
    champ.save()
    ProprietesVue.objects.bulk_create(
        ProprietesVue(champ=champ, vue=vue, **props)
        for vue, props in (data.get("proprietes") or {}).items()
    )
    return champ


# Dossiers: the portal wizard (P5) ---------------------------------------------------------


class DepotRefuse(ValidationError):
    """A submission the rules refuse; `etape` is the index of the first visible tab (in
    `etapes_visibles`) holding an error, `erreurs` its errors by technical name."""

    def __init__(self, message, *, etape: int = 0, erreurs: dict | None = None):
        super().__init__(message, code="depot")
        self.etape = etape
        self.erreurs = erreurs or {}


PREFILL_SOURCES = ("individu", "profil")


def modele_publie(dispositif: Dispositif) -> ModeleDossier | None:
    """The latest published version of the dispositif's form (what new dossiers use)."""
    return (
        dispositif.modeles.filter(statut=ModeleDossier.Statut.PUBLIE).order_by("-version").first()
    )


def modele_onglets(modele: ModeleDossier) -> list[Onglet]:
    """The tabs with their rows, fields and view properties, in a fixed number of queries
    (see `modele_structure`). Callers only read what this returns."""
    return modele_structure(modele).onglets


class Structure(NamedTuple):
    """A form model's tabs, and for a published version a fingerprint of everything its
    fields' rendering depends on besides the dossier: which structure this process read
    (a new one after any edit here) and the current values of its central lists. None
    for a draft, which is read afresh on every call."""

    onglets: list[Onglet]
    empreinte: str | None


def modele_structure(modele: ModeleDossier, *, valeurs_listes: tuple | None = None) -> Structure:
    """A published version is frozen: its structure is read once per process (see
    `_STRUCTURES`); the values of its central lists are checked on every call (one
    query), since a list's update reaches every form using it. `valeurs_listes`: those
    values' rows already read with the version (`selectors.demande_en_cours`), so none
    is read here."""
    if modele.statut != ModeleDossier.Statut.PUBLIE:
        onglets = list(
            modele.onglets.prefetch_related(
                "lignes__champs__proprietes",
                "lignes__champs__liste__valeurs",
                "lignes__champs__sous_champs__proprietes",  # repeatable blocks (F12)
                "lignes__champs__sous_champs__liste__valeurs",
            )
        )
        return Structure(onglets, None)
    cle = (modele.pk, modele.publie_le)
    structure = _STRUCTURES.get(cle)
    if structure is None:
        onglets = list(
            modele.onglets.prefetch_related(
                "lignes__champs__proprietes", "lignes__champs__sous_champs__proprietes"
            )
        )
        if len(_STRUCTURES) >= _STRUCTURES_MAX:
            _STRUCTURES.clear()
        structure = _STRUCTURES[cle] = _StructureLue(
            onglets, _champs_a_liste(onglets), next(_NUMEROS)
        )
    listes = _listes_fraiches(structure, valeurs_listes)
    return Structure(structure.onglets, f"{modele.pk}:{structure.numero}:{listes}")


@dataclasses.dataclass
class _StructureLue:
    onglets: list[Onglet]
    champs_a_liste: list[Champ]  # the fields that use a central list
    numero: int  # unique in the process: a structure read again after an edit gets another
    valeurs: tuple | None = None  # the lists' values the fields hold (`_lignes_de_valeurs`)
    empreinte_listes: str = ""


# Published form structures read by this process, by (version pk, publication time).
# Emptied whenever a tab, row, field or view property is saved or deleted here (drafts
# are edited; a published version only changes by hand, and then a restart clears it).
# Each with its fields that use a central list (found once: walking 150 fields' related
# managers on every request cost a few milliseconds).
_STRUCTURES: dict[tuple, _StructureLue] = {}
_STRUCTURES_MAX = 200
_NUMEROS = itertools.count(1)


def _structures_vider(sender, **kwargs) -> None:
    _STRUCTURES.clear()


for _modele_structure in (Onglet, Ligne, Champ, ProprietesVue):
    signals.post_save.connect(_structures_vider, sender=_modele_structure)
    signals.post_delete.connect(_structures_vider, sender=_modele_structure)


def _champs_a_liste(onglets: list[Onglet]) -> list[Champ]:
    """The fields of a structure being cached that use a central list; each field gets
    its view properties indexed by view on the way (`proprietes_vue`: the structure is
    frozen, so they never change)."""
    champs = [
        champ
        for onglet in onglets
        for ligne in onglet.lignes.all()
        for parent in ligne.champs.all()
        for champ in (parent, *parent.sous_champs.all())
    ]
    for champ in champs:
        champ._proprietes_par_vue = {p.vue: p for p in champ.proprietes.all()}
    return [champ for champ in champs if champ.liste_id]


_COLONNES_VALEUR = ("pk", "liste_id", "cle", "libelle", "ordre", "active")
_SQL_VALEURS = f"""
    SELECT id, liste_id, cle, libelle, ordre, active
      FROM {ValeurListe._meta.db_table} WHERE liste_id = ANY(%s) ORDER BY id
"""  # noqa: S608 (the table's name from the model; the ids are a parameter)


def _lignes_de_valeurs(valeurs) -> tuple:
    """Every column of the lists' values, in primary-key order: any edit, addition,
    removal or reordering of a value changes it."""
    return tuple(sorted(tuple(getattr(v, c) for c in _COLONNES_VALEUR) for v in valeurs))


def _listes_fraiches(structure: _StructureLue, lignes: tuple | None = None) -> str:
    """Give the fields of a cached structure that use a central list its current values,
    and return their fingerprint ("" without lists). One query reads the values' rows
    (unless given: `lignes`, read by the caller with the version); only when they differ
    from those the fields hold are the lists loaded again (two more). The rows compared
    are those of the objects loaded, so a change made between the two reads is seen by
    the next call."""
    champs = structure.champs_a_liste
    if not champs:
        return ""
    ids = {c.liste_id for c in champs}
    if lignes is None:
        # Hand-written (the same rows as the ORM's values_list): this runs on every step
        # shown, and building the SQL cost more CPU than running it.
        with connection.cursor() as cursor:
            cursor.execute(_SQL_VALEURS, [sorted(ids)])
            lignes = tuple(cursor.fetchall())
    if lignes != structure.valeurs:
        listes = ListeReferentiel.objects.filter(pk__in=ids)
        par_pk = {liste.pk: liste for liste in listes.prefetch_related("valeurs")}
        for champ in champs:
            champ.liste = par_pk[champ.liste_id]
        structure.valeurs = _lignes_de_valeurs(
            v for liste in par_pk.values() for v in liste.valeurs.all()
        )
        structure.empreinte_listes = hashlib.md5(
            repr(structure.valeurs).encode(), usedforsecurity=False
        ).hexdigest()
    return structure.empreinte_listes


def proprietes_vue(champ: Champ, vue: str = Vue.INTERNET) -> ProprietesVue:
    """One view's properties (prefetched); no row: visible, editable, optional."""
    par_vue = champ.__dict__.get("_proprietes_par_vue")  # a cached published structure
    if par_vue is not None:
        proprietes = par_vue.get(vue)
        return proprietes if proprietes is not None else ProprietesVue(champ=champ, vue=vue)
    for proprietes in champ.proprietes.all():
        if proprietes.vue == vue:
            return proprietes
    return ProprietesVue(champ=champ, vue=vue)


def proprietes_internet(champ: Champ) -> ProprietesVue:
    """The citizen view's properties (prefetched); no row: visible, editable, optional."""
    return proprietes_vue(champ, Vue.INTERNET)


def champ_definition(
    champ: Champ, vue: str = Vue.INTERNET, contexte: Contexte | None = None
) -> Definition:
    """The field type's view of a Champ, for one view (the citizen's by default). The
    `contexte` (who fills the form: `contexte_saisie`) reaches contextual types only."""
    return Definition(
        nom=champ.nom,
        libelle=champ.libelle,
        type=champ.type,
        aide=champ.aide,
        obligatoire=proprietes_vue(champ, vue).obligatoire,
        options=champ.options or {},
        choix=champ.valeurs_choix(),
        # A repeatable block's sub-fields (prefetched by modele_onglets), each with its
        # condition, evaluated by the block per element.
        enfants=tuple(champ_definition(sous, vue, contexte) for sous in champ.sous_champs.all())
        if champ.type == bloc.CODE
        else (),
        condition=champ.condition if champ.parent_id else None,
        contexte=contexte if contexte is not None and type_contextuel(champ.type) else None,
    )


def type_contextuel(code: str) -> bool:
    """Whether the field type `code` renders and validates from who fills the form
    (`TypeChamp.contextuel`); False for a type no longer installed."""
    try:
        return types_de_champ.get(code).contextuel
    except KeyError:
        return False


def contexte_saisie(dossier: Dossier, user=None) -> Contexte:
    """Who fills `dossier`, for the contextual field types (dossier_lie: the dossiers it
    may link): `user` when signed in (the wizard's citizen), else the dossier's author."""
    if user is None or not user.is_authenticated:
        user = dossier.cree_par if dossier.cree_par_id else None
    return Contexte(user=user, profil=dossier.demandeur_profil, dossier=dossier)


def champ_utilisable(type_champ, definition: Definition) -> bool:
    """False (and logged) for a field whose options its type refuses (a hand-written
    import): the wizard leaves it out rather than fail. The answer depends on nothing but
    the definition, so it is kept per process by (type, definition): building the form
    field only to check it was a third of a 150-field step's form building."""
    if not type_champ.stocke_valeur:
        return True
    cle = (type(type_champ), repr(definition))
    utilisable = _UTILISABLES.get(cle)
    if utilisable is None:
        try:
            type_champ.form_field(definition)
            utilisable = True
        except ImproperlyConfigured:
            logger.exception("Champ %s mal configuré : laissé hors du formulaire", definition.nom)
            utilisable = False
        if len(_UTILISABLES) >= _UTILISABLES_MAX:
            _UTILISABLES.clear()
        _UTILISABLES[cle] = utilisable
    return utilisable


# champ_utilisable's answers, by (type class, repr of the definition: all its data).
_UTILISABLES: dict[tuple, bool] = {}
_UTILISABLES_MAX = 5000


def _profil_code(dossier: Dossier) -> str | None:
    profil = dossier.demandeur_profil
    return profil.type_profil.code if profil is not None else None


def onglet_visible(onglet: Onglet, dossier: Dossier, donnees: dict | None = None) -> bool:
    return evaluer_condition(
        onglet.condition,
        dossier.donnees if donnees is None else donnees,
        profil=_profil_code(dossier),
    )


def etapes_visibles(dossier: Dossier, onglets: list[Onglet]) -> list[Onglet]:
    """The tabs the usager goes through: those whose condition holds on the data."""
    return [onglet for onglet in onglets if onglet_visible(onglet, dossier)]


def _valeur_prefill(source: str, individu, profil) -> Any:
    objet_nom, _point, champ_nom = source.partition(".")
    objet = {"individu": individu, "profil": profil}.get(objet_nom)
    if objet is None or not champ_nom:
        return None
    try:
        field = objet._meta.get_field(champ_nom)
    except FieldDoesNotExist:  # an unknown source prefills nothing
        return None
    if field.is_relation or champ_nom in getattr(objet, "RESTRICTED_FIELDS", ()):
        return None
    valeur = getattr(objet, champ_nom, None)
    if valeur in (None, ""):
        return None
    if hasattr(valeur, "isoformat"):
        return valeur.isoformat()
    if isinstance(valeur, str | int | bool):
        return valeur
    return str(valeur)


def dossier_commencer(
    *, dispositif: Dispositif, user, profil=None, parametres: Any = None
) -> Dossier:
    """A new dossier in memory (not saved) on the latest published model, prefilled from
    the individu and the profil ("dites-le nous une fois"), then from `parametres` (the
    URL's query, P5) for the fields the profile left empty. Http404-free: raises
    ModeleDossier.DoesNotExist when the dispositif has no published model."""
    modele = modele_publie(dispositif)
    if modele is None:
        raise ModeleDossier.DoesNotExist
    individu = getattr(user, "individu", None) if user is not None else None
    dossier = Dossier(
        dispositif=dispositif,
        modele=modele,
        demandeur_individu=individu,
        demandeur_profil=profil,
        cree_par=user,
        statut=Dossier.Statut.BROUILLON,
        donnees={},
    )
    for champ in Champ.objects.filter(modele=modele, parent__isnull=True).exclude(prefill=""):
        valeur = _valeur_prefill(champ.prefill, individu, profil)
        if valeur is not None:
            dossier.donnees[champ.nom] = valeur
    if parametres:
        contexte = contexte_saisie(dossier, user)
        for nom, valeur in _valeurs_parametres(modele, parametres, contexte).items():
            dossier.donnees.setdefault(nom, valeur)  # what the profile says comes first
    return dossier


def _valeurs_parametres(
    modele: ModeleDossier, parametres: Any, contexte: Contexte | None = None
) -> dict[str, Any]:
    """Prefill from URL parameters (`?nom_technique=valeur`): only the fields the citizen
    sees and may edit (vue internet), each value cleaned by its type; a value the type
    refuses, or a computed or layout field, is ignored (never an error page)."""
    noms = [nom for nom in parametres if isinstance(nom, str)]
    valeurs: dict[str, Any] = {}
    if not noms:
        return valeurs
    champs = Champ.objects.filter(modele=modele, parent__isnull=True, nom__in=noms)
    for champ in champs.prefetch_related("proprietes", "liste__valeurs"):
        proprietes = proprietes_internet(champ)
        try:
            type_champ = types_de_champ.get(champ.type)
        except KeyError:
            continue
        if (
            not type_champ.stocke_valeur
            or type_champ.calcule
            or not (proprietes.visible and proprietes.modifiable)
        ):
            continue
        definition = champ_definition(champ, contexte=contexte)
        if not champ_utilisable(type_champ, definition):
            continue
        try:
            valeur = type_champ.clean(definition, _raw(parametres, champ, definition, type_champ))
        except (ValidationError, TypeError, ValueError):
            continue
        if not type_champ.est_vide(valeur):
            valeurs[champ.nom] = valeur
    return valeurs


def _raw(data: Any, champ: Champ, definition: Definition, type_champ) -> Any:
    if hasattr(data, "getlist"):  # posted: each widget reads its own value
        field = type_champ.form_field(definition)
        return field.widget.value_from_datadict(data, {}, champ.nom)
    return data.get(champ.nom)


def _champs_de(onglet: Onglet):
    """The tab's top-level fields: a repeatable block's sub-fields go with their block."""
    for ligne in onglet.lignes.all():
        for champ in ligne.champs.all():
            if champ.parent_id is None:
                yield ligne, champ


def _etape_lire(
    dossier: Dossier,
    onglet: Onglet,
    data: Any,
    profil: str | None,
    *,
    apercu: bool = False,
    user=None,
    vue: str = Vue.INTERNET,
):
    """One tab's input read by each field's type: (candidates by name, values, raw
    errors, context). A value its type refuses stays as typed (`valeur_saisie`), a
    block keeps its valid sub-values; the context is the dossier's data with those
    values over it and the tab's computed fields computed on it. `apercu`: read as the
    page reads it (`TypeChamp.apercu`: no geocoding of an address, for one). `user` (the
    citizen filling it; else the dossier's author) scopes the contextual types: a linked
    dossier must be one of theirs. `vue`: whose form it is (the citizen's; the agents'
    when an agent files in the CRM), for which fields are editable and required."""
    saisie = None
    candidats: dict[str, tuple[Champ, Ligne, Definition, Any]] = {}
    valeurs: dict[str, Any] = {}
    erreurs_brutes: dict[str, ValidationError] = {}
    blocs: dict[str, Any] = {}
    for ligne, champ in _champs_de(onglet):
        try:
            type_champ = types_de_champ.get(champ.type)
        except KeyError:
            continue
        proprietes = proprietes_vue(champ, vue)
        if not type_champ.stocke_valeur or not proprietes.visible or not proprietes.modifiable:
            continue
        if saisie is None and (type_champ.contextuel or champ.type == bloc.CODE):
            saisie = contexte_saisie(dossier, user)  # only when a type may read it
        definition = champ_definition(champ, vue, contexte=saisie)
        if not champ_utilisable(type_champ, definition):
            continue
        candidats[champ.nom] = (champ, ligne, definition, type_champ)
        if type_champ.calcule:
            continue  # computed once the others are known
        if champ.type == bloc.CODE:
            blocs[champ.nom] = _raw(data, champ, definition, type_champ)
            continue  # its sub-fields' conditions and calculs read the others
        raw = _raw(data, champ, definition, type_champ)
        if apercu:
            valeurs[champ.nom] = type_champ.apercu(definition, raw)
            continue
        try:
            valeurs[champ.nom] = type_champ.clean(definition, raw)
        except ValidationError as error:
            erreurs_brutes[champ.nom] = error
            valeurs[champ.nom] = type_champ.valeur_saisie(definition, raw)
    contexte = {**dossier.donnees, **valeurs}
    for nom, raw in blocs.items():
        _champ, _ligne, definition, type_champ = candidats[nom]
        try:
            valeurs[nom] = type_champ.nettoyer(definition, raw, contexte, profil=profil)
        except ValidationError as error:
            erreurs_brutes[nom] = error
            valeurs[nom] = getattr(error, "valeur", raw)
        contexte[nom] = valeurs[nom]
    calcules = {
        nom: (definition, type_champ)
        for nom, (_champ, _ligne, definition, type_champ) in candidats.items()
        if type_champ.calcule
    }
    valeurs.update(_calculer(calcules, contexte))
    return candidats, valeurs, erreurs_brutes, contexte


def etape_apercu(*, dossier: Dossier, onglet: Onglet, data: Any, user=None) -> dict[str, Any]:
    """What a tab shows when displayed again with what was posted (a block's button
    without JavaScript, errors): the dossier's data with the tab's values cleaned
    leniently over it, and its computed fields (calcul, age) computed on them, as
    static/js/formules.js does live. Nothing is validated nor stored."""
    return _etape_lire(dossier, onglet, data, _profil_code(dossier), apercu=True, user=user)[3]


def etape_valider(
    *, dossier: Dossier, onglet: Onglet, data: Any, user=None, vue: str = Vue.INTERNET
) -> tuple[dict[str, Any], dict[str, ValidationError]]:
    """Validate one tab's input with each field's type. Returns (cleaned, errors): the
    JSON values of the visible, editable fields that are valid, and the French errors by
    technical name. Fields hidden by a condition (evaluated on the stored data and what
    was posted) are left out, so their values are dropped; so are layout types."""
    profil = _profil_code(dossier)
    candidats, valeurs, erreurs_brutes, contexte = _etape_lire(
        dossier, onglet, data, profil, user=user, vue=vue
    )
    cleaned: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    for nom, (champ, ligne, _definition, _type) in candidats.items():
        visible = evaluer_condition(ligne.condition, contexte, profil=profil) and (
            evaluer_condition(champ.condition, contexte, profil=profil)
        )
        if not visible:
            continue
        if nom in erreurs_brutes:
            errors[nom] = erreurs_brutes[nom]
        else:
            cleaned[nom] = valeurs[nom]
    # Cross-field checks (liste_liee: the key belongs to the parent's current answer).
    ensemble = {**dossier.donnees, **cleaned}
    for nom in list(cleaned):
        _champ, _ligne, definition, type_champ = candidats[nom]
        try:
            type_champ.valider_ensemble(definition, cleaned[nom], ensemble)
        except ValidationError as error:
            errors[nom] = error
            del cleaned[nom]
    return cleaned, errors


def _calculer(calcules: dict[str, tuple[Definition, Any]], contexte: dict) -> dict[str, Any]:
    """The computed fields' values (age, calcul) on `contexte`, which gets them too. A
    calcul may read another: a few passes settle any order of declaration."""
    valeurs: dict[str, Any] = {}
    for _passe in range(len(calcules) + 1):
        change = False
        for nom, (definition, type_champ) in calcules.items():
            valeur = type_champ.calculer(definition, contexte)
            if nom not in valeurs or valeurs[nom] != valeur:
                change = True
            valeurs[nom] = contexte[nom] = valeur
        if not change:
            break
    return valeurs


def etape_appliquer(*, dossier: Dossier, onglet: Onglet, cleaned: dict[str, Any]) -> None:
    """Put a tab's cleaned values in the dossier's data (in memory): the tab's values not
    in `cleaned` (hidden, invalid) are dropped; read-only fields keep theirs. The computed
    fields of other tabs already in the data (age, calcul) are computed again, since
    they may read what this tab changed."""
    noms = {
        champ.nom for _ligne, champ in _champs_de(onglet) if proprietes_internet(champ).modifiable
    }
    donnees = {nom: valeur for nom, valeur in dossier.donnees.items() if nom not in noms}
    donnees.update(cleaned)
    calcules = {}
    codes = [code for code, type_champ in types_de_champ.types().items() if type_champ.calcule]
    a_revoir = Champ.objects.filter(modele_id=onglet.modele_id, type__in=codes, parent__isnull=True)
    for champ in a_revoir.exclude(nom__in=noms).prefetch_related("proprietes", "liste__valeurs"):
        if champ.nom not in donnees or not proprietes_internet(champ).modifiable:
            continue
        try:
            type_champ = types_de_champ.get(champ.type)
        except KeyError:
            continue
        definition = champ_definition(champ)
        if type_champ.calcule and champ_utilisable(type_champ, definition):
            calcules[champ.nom] = (definition, type_champ)
    if calcules:
        donnees.update(_calculer(calcules, dict(donnees)))
    dossier.donnees = donnees


def etape_modifier_bloc(*, onglet: Onglet, data: Any, action: str) -> Any | None:
    """A repeatable block's button, without JavaScript (F12): "ajouter:<bloc>" adds an
    empty element, "supprimer:<bloc>:<index>" removes one. Returns what was posted,
    rewritten (everything typed kept), or None when the action names no block of the tab
    that the usager may change."""
    verbe, _sep, reste = action.partition(":")
    nom, _sep, index = reste.partition(":")
    for _ligne, champ in _champs_de(onglet):
        if champ.nom != nom or champ.type != bloc.CODE:
            continue
        proprietes = proprietes_internet(champ)
        if not (proprietes.visible and proprietes.modifiable):
            return None
        type_champ = types_de_champ.get(champ.type)
        definition = champ_definition(champ)
        if not champ_utilisable(type_champ, definition):
            return None
        if verbe == "ajouter":
            return bloc.ajouter(data, nom, type_champ.options(definition)["maximum"])
        if verbe == "supprimer" and (position := entier(index)) is not None:
            return bloc.supprimer(data, nom, position)
    return None


def valeurs_partielles(erreurs: dict[str, ValidationError]) -> dict[str, Any]:
    """What a draft keeps of fields in error: a repeatable block's elements, with only
    the invalid sub-values emptied (other fields in error keep nothing)."""
    return {
        nom: erreur.valeur for nom, erreur in erreurs.items() if isinstance(erreur, bloc.ErreurBloc)
    }


def dossier_enregistrer_brouillon(*, dossier: Dossier, user) -> Dossier:
    """Save the dossier as a draft: only when the usager asks for it ("Enregistrer et
    continuer plus tard"); the wizard keeps everything else in the session."""
    if dossier.statut != Dossier.Statut.BROUILLON:
        raise ValidationError(_("Cette demande est déjà déposée."), code="depose")
    if dossier.cree_par_id is None:
        dossier.cree_par = user
    with transaction.atomic():
        dossier.save()
        _pieces_rattacher(dossier, user)
    return dossier


def _pieces_rattacher(dossier: Dossier, user) -> None:
    """The documents chosen in the wizard (`dossier.pieces_wizard`, set by the portal's
    wizard only) attached to the saved dossier (dossiers/services_pieces.py)."""
    pieces = getattr(dossier, "pieces_wizard", None)
    if pieces is None:
        return
    from dossiers.services_pieces import pieces_rattacher

    onglets = etapes_visibles(dossier, modele_onglets(dossier.modele))
    pieces_rattacher(dossier=dossier, onglets=onglets, pieces=pieces, user=user)


def _prochaine_reference(dispositif: Dispositif, annee: int) -> str:
    CompteurReference.objects.bulk_create(
        [CompteurReference(dispositif=dispositif, annee=annee)], ignore_conflicts=True
    )
    compteur = CompteurReference.objects.select_for_update().get(dispositif=dispositif, annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return f"{annee}-{dispositif.code}-{compteur.dernier:06d}"


@transaction.atomic
def dossier_deposer(*, dossier: Dossier, user, vue: str = Vue.INTERNET) -> Dossier:
    """Submit: every visible tab is validated again on the stored data (fields hidden by
    a condition are dropped), then the reference is issued and the dossier is filed.
    Raises DepotRefuse (with the tab to go back to) when something is missing. `vue`:
    the form filled (Vue.CRM when an agent files it in the CRM, C4)."""
    if dossier.statut != Dossier.Statut.BROUILLON or (
        dossier.pk
        and not Dossier.objects.select_for_update()
        .filter(pk=dossier.pk, statut=Dossier.Statut.BROUILLON)
        .exists()
    ):
        raise ValidationError(_("Cette demande est déjà déposée."), code="depose")
    onglets = modele_onglets(dossier.modele)
    donnees_finales: dict[str, Any] = {}
    for index, onglet in enumerate(etapes_visibles(dossier, onglets)):
        cleaned, errors = etape_valider(
            dossier=dossier, onglet=onglet, data=dossier.donnees, user=user, vue=vue
        )
        if errors:
            raise DepotRefuse(
                _("Certaines informations manquent ou sont à corriger."),
                etape=index,
                erreurs=errors,
            )
        donnees_finales.update(cleaned)
        for _ligne, champ in _champs_de(onglet):
            if not proprietes_vue(champ, vue).modifiable and champ.nom in dossier.donnees:
                donnees_finales[champ.nom] = dossier.donnees[champ.nom]
    pieces = getattr(dossier, "pieces_wizard", None)
    if pieces is not None:  # filed from the wizard: its required documents are there
        from dossiers.services_pieces import pieces_manquantes

        manquantes = pieces_manquantes(dossier, etapes_visibles(dossier, onglets), pieces)
        if manquantes:
            index = min(manquantes)
            raise DepotRefuse(
                _("Certaines informations manquent ou sont à corriger."),
                etape=index,
                erreurs=manquantes[index],
            )
    maintenant = timezone.now()
    dossier.donnees = donnees_finales
    dossier.reference = _prochaine_reference(
        dossier.dispositif, timezone.localdate(maintenant).year
    )
    dossier.statut = Dossier.Statut.DEPOSE
    dossier.depose_le = maintenant
    # Sectorised from its address (C8): agents of its territoire see it from now on.
    dossier.territoire_id = territoire_du_dossier(dossier)
    # An agent filing in the CRM is not the dossier's author (the citizen is, if any).
    if dossier.cree_par_id is None and vue != Vue.CRM:
        dossier.cree_par = user
    dossier.save()
    Historique.objects.create(
        dossier=dossier,
        quand=maintenant,
        par=user if getattr(user, "is_authenticated", False) else None,
        nature=Historique.Nature.DEPOT,
        libelle=_("Demande déposée (référence %(reference)s)") % {"reference": dossier.reference},
        visible_usager=True,
    )
    # The acknowledgement (receipt and mail) once this transaction commits (P8).
    from dossiers.services_suivi_usager import accuse_reception

    accuse_reception(dossier)
    _pieces_rattacher(dossier, user)
    justificatifs_attendus(dossier)
    # Routing (C14) before the guide's initial statut, whose actions may assign again.
    from dossiers.services_routage import dossier_router_au_depot

    dossier_router_au_depot(dossier)
    dossier_depose.send(sender=Dossier, dossier=dossier, user=user)
    return dossier


# --- Builder (CRM) ---------------------------------------------------------------------
# The CRM builder's verbs (issue 5, "Builder"): each changes the draft only, validates
# first and raises ValidationError with French messages keyed by form field.


def modele_noms(modele: ModeleDossier) -> dict[str, str]:
    return dict(Champ.objects.filter(modele=modele).values_list("nom", "type"))


def condition_verifier(condition: Any, modele: ModeleDossier) -> Any:
    """The condition as stored (None when empty) or ValidationError({"condition": …})."""
    from dossiers.formules import valider_condition

    if condition in (None, {}, ""):
        return None
    erreurs = valider_condition(condition, modele_noms(modele))
    if erreurs:
        raise ValidationError({"condition": erreurs})
    return condition


def _reordonner(freres: list, objet, sens: int) -> None:
    """Move `objet` one place up (sens=-1) or down (+1) among its siblings; renumber all."""
    index = next(i for i, frere in enumerate(freres) if frere.pk == objet.pk)
    cible = index + sens
    if 0 <= cible < len(freres):
        freres[index], freres[cible] = freres[cible], freres[index]
    for ordre, frere in enumerate(freres):
        frere.ordre = ordre
    type(objet).objects.bulk_update(freres, ["ordre"])


def _prochain_ordre(queryset) -> int:
    return (queryset.aggregate(o=Max("ordre"))["o"] or 0) + 1


@transaction.atomic
def onglet_ajouter(*, modele: ModeleDossier, titre: str, aide: str = "", condition=None) -> Onglet:
    _check_modifiable(modele)
    condition = condition_verifier(condition, modele)
    return Onglet.objects.create(
        modele=modele,
        titre=titre,
        aide=aide,
        condition=condition,
        ordre=_prochain_ordre(modele.onglets.all()),
    )


@transaction.atomic
def onglet_modifier(*, onglet: Onglet, titre: str, aide: str = "", condition=None) -> Onglet:
    _check_modifiable(onglet.modele)
    onglet.condition = condition_verifier(condition, onglet.modele)
    onglet.titre, onglet.aide = titre, aide
    onglet.save(update_fields=["titre", "aide", "condition"])
    return onglet


@transaction.atomic
def onglet_supprimer(*, onglet: Onglet) -> None:
    _check_modifiable(onglet.modele)
    onglet.delete()


@transaction.atomic
def onglet_deplacer(*, onglet: Onglet, sens: int) -> None:
    _check_modifiable(onglet.modele)
    _reordonner(list(onglet.modele.onglets.select_for_update()), onglet, sens)


@transaction.atomic
def ligne_ajouter(
    *, onglet: Onglet, colonnes: int = 1, titre_section: str = "", condition=None
) -> Ligne:
    _check_modifiable(onglet.modele)
    condition = condition_verifier(condition, onglet.modele)
    return Ligne.objects.create(
        onglet=onglet,
        colonnes=colonnes,
        titre_section=titre_section,
        condition=condition,
        ordre=_prochain_ordre(onglet.lignes.all()),
    )


@transaction.atomic
def ligne_modifier(
    *, ligne: Ligne, colonnes: int = 1, titre_section: str = "", condition=None
) -> Ligne:
    modele = ligne.onglet.modele
    _check_modifiable(modele)
    if colonnes == 1 and ligne.champs.filter(colonne=2).exists():
        raise ValidationError(
            {
                "colonnes": _(
                    "La deuxième colonne contient des champs : déplacez-les ou supprimez-les "
                    "avant de passer à une colonne."
                )
            }
        )
    ligne.condition = condition_verifier(condition, modele)
    ligne.colonnes, ligne.titre_section = colonnes, titre_section
    ligne.save(update_fields=["colonnes", "titre_section", "condition"])
    return ligne


@transaction.atomic
def ligne_supprimer(*, ligne: Ligne) -> None:
    _check_modifiable(ligne.onglet.modele)
    ligne.delete()


@transaction.atomic
def ligne_deplacer(*, ligne: Ligne, sens: int) -> None:
    _check_modifiable(ligne.onglet.modele)
    _reordonner(list(ligne.onglet.lignes.select_for_update()), ligne, sens)


def nom_technique_suggere(libelle: str, modele: ModeleDossier | None = None) -> str:
    """« Nombre d’enfants » → "nombre_denfants" (a free one in the model: "…_2", "…_3")."""
    from django.utils.text import slugify

    base = slugify(libelle).replace("-", "_")[:55].strip("_") or "champ"
    if not base[0].isalpha():
        base = f"champ_{base}"
    if modele is None:
        return base
    pris = set(
        Champ.objects.filter(modele=modele, nom__startswith=base).values_list("nom", flat=True)
    )
    nom, n = base, 2
    while nom in pris:
        nom, n = f"{base}_{n}", n + 1
    return nom


def _nom_libre(modele: ModeleDossier, nom: str, *, sauf: int | None = None) -> None:
    from dossiers.models.formulaires import nom_technique_validator

    try:
        nom_technique_validator(nom)
    except ValidationError as error:
        raise ValidationError({"nom": error.messages}) from None
    if Champ.objects.filter(modele=modele, nom=nom).exclude(pk=sauf).exists():
        raise ValidationError(
            {
                "nom": _(
                    "Le nom technique « %(nom)s » est déjà utilisé dans ce formulaire : "
                    "choisissez-en un autre."
                )
                % {"nom": nom}
            }
        )


def _proprietes_par_defaut(champ: Champ) -> None:
    ProprietesVue.objects.bulk_create(ProprietesVue(champ=champ, vue=vue) for vue in Vue.values)


@transaction.atomic
def champ_ajouter(
    *,
    ligne: Ligne,
    type: str,
    libelle: str,
    nom: str = "",
    colonne: int = 1,
    parent: Champ | None = None,
) -> Champ:
    """A new field at the end of its column (or of its block), visible and editable in
    every view, optional. An empty `nom` is suggested from the label."""
    modele = ligne.onglet.modele
    _check_modifiable(modele)
    if type not in types_de_champ.types():
        raise ValidationError({"type": _("Ce type de champ n’existe pas.")})
    if colonne not in (1, 2) or colonne > ligne.colonnes:
        raise ValidationError({"colonne": _("Cette ligne n’a qu’une colonne.")})
    if parent is not None and (parent.ligne_id != ligne.pk or parent.type != "bloc_repetable"):
        raise ValidationError({"type": _("Un sous-champ se place dans un bloc répétable.")})
    if parent is not None and type == "bloc_repetable":
        raise ValidationError({"type": _("Un bloc répétable ne se place pas dans un autre.")})
    nom = nom or nom_technique_suggere(libelle, modele)
    _nom_libre(modele, nom)
    freres = ligne.champs.filter(parent=parent, colonne=colonne)
    champ = Champ.objects.create(
        ligne=ligne,
        parent=parent,
        colonne=colonne,
        type=type,
        libelle=libelle,
        nom=nom,
        ordre=_prochain_ordre(freres),
    )
    _proprietes_par_defaut(champ)
    return champ


@transaction.atomic
def champ_depuis_referentiel(
    *, ligne: Ligne, referentiel: ChampReferentiel, colonne: int = 1
) -> Champ:
    """A field copied from the référentiel des champs (same technical name, type, help,
    options and list), linked to it."""
    champ = champ_ajouter(
        ligne=ligne,
        type=referentiel.type,
        libelle=referentiel.libelle,
        nom=referentiel.nom,
        colonne=colonne,
    )
    champ.referentiel = referentiel
    champ.aide = referentiel.aide
    champ.options = referentiel.options or {}
    champ.liste = referentiel.liste
    champ.save(update_fields=["referentiel", "aide", "options", "liste"])
    return champ


@transaction.atomic
def champ_modifier(
    *,
    champ: Champ,
    libelle: str,
    nom: str,
    aide: str = "",
    options: dict | None = None,
    choix: list | None = None,
    liste: ListeReferentiel | None = None,
    condition=None,
    prefill: str = "",
) -> Champ:
    modele = champ.modele
    _check_modifiable(modele)
    _nom_libre(modele, nom, sauf=champ.pk)
    champ.condition = condition_verifier(condition, modele)
    if prefill and prefill.partition(".")[0] not in PREFILL_SOURCES:
        raise ValidationError(
            {"prefill": _("La source commence par « individu. » ou « profil. ».")}
        )
    champ.libelle, champ.nom, champ.aide, champ.prefill = libelle, nom, aide, prefill
    champ.options = options or {}
    champ.choix = choix or []
    champ.liste = liste
    champ.save()
    return champ


@transaction.atomic
def champ_supprimer(*, champ: Champ) -> None:
    _check_modifiable(champ.modele)
    champ.delete()


@transaction.atomic
def champ_deplacer(*, champ: Champ, sens: int) -> None:
    _check_modifiable(champ.modele)
    freres = champ.ligne.champs.filter(parent_id=champ.parent_id, colonne=champ.colonne)
    _reordonner(list(freres.select_for_update()), champ, sens)


@transaction.atomic
def proprietes_enregistrer(*, champ: Champ, valeurs: dict[str, dict[str, bool]]) -> None:
    """Set visible / editable / required per view. Required needs visible and editable
    (the database refuses it otherwise): refused here with a French message."""
    _check_modifiable(champ.modele)
    erreurs = []
    for vue, props in valeurs.items():
        if vue not in Vue.values:
            continue
        if props.get("obligatoire") and not (props.get("visible") and props.get("modifiable")):
            erreurs.append(
                _("Vue « %(vue)s » : un champ obligatoire doit être visible et modifiable.")
                % {"vue": Vue(vue).label}
            )
    if erreurs:
        raise ValidationError(erreurs)
    for vue, props in valeurs.items():
        if vue in Vue.values:
            ProprietesVue.objects.update_or_create(
                champ=champ,
                vue=vue,
                defaults={
                    "visible": bool(props.get("visible")),
                    "modifiable": bool(props.get("modifiable")),
                    "obligatoire": bool(props.get("obligatoire")),
                },
            )


def modele_problemes(
    modele: ModeleDossier, onglets: list[Onglet]
) -> dict[tuple[str, int], list[str]]:
    """What modele_verifier would report, by element: {("onglet"|"ligne"|"champ", pk):
    [messages]}, computed on the tree already loaded (`modele_onglets`), no query."""
    from dossiers.formules import valider_condition

    champs = [c for o in onglets for lg in o.lignes.all() for c in lg.champs.all()]
    noms = {c.nom: c.type for c in champs}
    connus = types_de_champ.types()
    problemes: dict[tuple[str, int], list[str]] = {}
    elements = [("onglet", o) for o in onglets]
    elements += [("ligne", lg) for o in onglets for lg in o.lignes.all()]
    elements += [("champ", c) for c in champs]
    for genre, element in elements:
        messages = valider_condition(element.condition, noms) if element.condition else []
        if genre == "champ":
            type_champ = connus.get(element.type)
            if type_champ is None:
                messages.append(_("Type inconnu : %(type)s.") % {"type": element.type})
            else:
                options = type_champ.Options(data=element.options or {})
                if not options.is_valid():  # the wizard would leave the field out
                    messages += [
                        _("Option « %(option)s » : %(message)s")
                        % {
                            "option": options.fields[nom].label if nom in options.fields else nom,
                            "message": " ".join(erreurs),
                        }
                        for nom, erreurs in options.errors.items()
                    ]
                else:
                    messages += type_champ.verifier(champ_definition(element), noms)
                    if type_champ.calcule and isinstance(
                        (element.options or {}).get("formule"), str
                    ):
                        messages += valider_calcul(element.options["formule"], noms)
        if messages:
            problemes[(genre, element.pk)] = messages
    return problemes
