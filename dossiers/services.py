"""The verbs of form models: drafts and versions (F11), views (F2/F6), JSON import and
export (F7). Views and tasks call these; rules live here only."""

import logging
from copy import deepcopy
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import champs as types_de_champ
from dossiers.champs import Definition
from dossiers.formules import evaluer_condition, valider_calcul
from dossiers.models import (
    Champ,
    ChampReferentiel,
    CompteurReference,
    Dispositif,
    Dossier,
    Ligne,
    ListeReferentiel,
    ModeleDossier,
    Onglet,
    ProprietesVue,
    ValeurListe,
    Vue,
)

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
    names = {c.nom: c.type for c in Champ.objects.filter(modele=modele)}
    for champ in Champ.objects.filter(modele=modele):
        if champ.type not in known_types:
            problems.append(
                _("Le champ « %(nom)s » a un type inconnu : %(type)s.")
                % {"nom": champ.nom, "type": champ.type}
            )
    problems.extend(_condition_problems(modele, names))
    problems.extend(_calcul_problems(modele, names))
    return problems


def _calcul_problems(modele: ModeleDossier, names: dict[str, str]) -> list[str]:
    """Calculs whose formula does not read or reads a field the model lacks."""
    problems = []
    for champ in Champ.objects.filter(modele=modele).order_by("nom"):
        try:
            calcule = types_de_champ.get(champ.type).calcule
        except KeyError:
            continue
        formule = (champ.options or {}).get("formule") if calcule else None
        if not isinstance(formule, str):
            continue
        for message in valider_calcul(formule, names):
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
    for obj in objects:
        if obj.condition:
            problems.extend(valider_condition(obj.condition, names))
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
            for champ in champs:
                proprietes = list(champ.proprietes.all())
                champ.pk = None
                champ.ligne = ligne
                champ.save()
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
    count = 0
    for proprietes in ProprietesVue.objects.filter(champ__modele=modele, vue=source):
        ProprietesVue.objects.update_or_create(
            champ_id=proprietes.champ_id,
            vue=cible,
            defaults={
                "visible": proprietes.visible,
                "modifiable": proprietes.modifiable,
                "obligatoire": proprietes.obligatoire,
            },
        )
        count += 1
    return count


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
            for champ in ligne.get("champs") or []:
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
                    _import_champ(champ_data, ligne, listes, referentiel)
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


def _import_champ(data: dict, ligne: Ligne, listes: dict, referentiel: dict) -> Champ:
    liste = None
    if data.get("liste"):
        liste = (
            listes.get(data["liste"]) or ListeReferentiel.objects.filter(code=data["liste"]).first()
        )
        if liste is None:
            raise _refuse(_("La liste « %(code)s » manque au fichier.") % {"code": data["liste"]})
    champ = Champ(
        ligne=ligne,
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
    """The tabs with their rows, fields and view properties, in a fixed number of queries."""
    return list(
        modele.onglets.prefetch_related(
            "lignes__champs__proprietes", "lignes__champs__liste__valeurs"
        )
    )


def proprietes_internet(champ: Champ) -> ProprietesVue:
    """The citizen view's properties (prefetched); no row: visible, editable, optional."""
    for proprietes in champ.proprietes.all():
        if proprietes.vue == Vue.INTERNET:
            return proprietes
    return ProprietesVue(champ=champ, vue=Vue.INTERNET)


def champ_definition(champ: Champ) -> Definition:
    """The field type's view of a Champ, for the citizen view (vue « internet »)."""
    return Definition(
        nom=champ.nom,
        libelle=champ.libelle,
        type=champ.type,
        aide=champ.aide,
        obligatoire=proprietes_internet(champ).obligatoire,
        options=champ.options or {},
        choix=champ.valeurs_choix(),
    )


def champ_utilisable(type_champ, definition: Definition) -> bool:
    """False (and logged) for a field whose options its type refuses (a hand-written
    import): the wizard leaves it out rather than fail."""
    if not type_champ.stocke_valeur:
        return True
    try:
        type_champ.form_field(definition)
    except ImproperlyConfigured:
        logger.exception("Champ %s mal configuré : laissé hors du formulaire", definition.nom)
        return False
    return True


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


def dossier_commencer(*, dispositif: Dispositif, user, profil=None) -> Dossier:
    """A new dossier in memory (not saved) on the latest published model, prefilled from
    the individu and the profil ("dites-le nous une fois"). Http404-free: raises
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
    for champ in Champ.objects.filter(modele=modele).exclude(prefill=""):
        valeur = _valeur_prefill(champ.prefill, individu, profil)
        if valeur is not None:
            dossier.donnees[champ.nom] = valeur
    return dossier


def _raw(data: Any, champ: Champ, definition: Definition, type_champ) -> Any:
    if hasattr(data, "getlist"):  # posted: each widget reads its own value
        field = type_champ.form_field(definition)
        return field.widget.value_from_datadict(data, {}, champ.nom)
    return data.get(champ.nom)


def _champs_de(onglet: Onglet):
    for ligne in onglet.lignes.all():
        for champ in ligne.champs.all():
            yield ligne, champ


def etape_valider(
    *, dossier: Dossier, onglet: Onglet, data: Any
) -> tuple[dict[str, Any], dict[str, ValidationError]]:
    """Validate one tab's input with each field's type. Returns (cleaned, errors): the
    JSON values of the visible, editable fields that are valid, and the French errors by
    technical name. Fields hidden by a condition (evaluated on the stored data and what
    was posted) are left out, so their values are dropped; so are layout types."""
    profil = _profil_code(dossier)
    candidats: dict[str, tuple[Champ, Ligne, Definition, Any]] = {}
    valeurs: dict[str, Any] = {}
    erreurs_brutes: dict[str, ValidationError] = {}
    for ligne, champ in _champs_de(onglet):
        try:
            type_champ = types_de_champ.get(champ.type)
        except KeyError:
            continue
        proprietes = proprietes_internet(champ)
        if not type_champ.stocke_valeur or not proprietes.visible or not proprietes.modifiable:
            continue
        definition = champ_definition(champ)
        if not champ_utilisable(type_champ, definition):
            continue
        candidats[champ.nom] = (champ, ligne, definition, type_champ)
        if type_champ.calcule:
            continue  # computed once the others are known
        raw = _raw(data, champ, definition, type_champ)
        try:
            valeurs[champ.nom] = type_champ.clean(definition, raw)
        except ValidationError as error:
            erreurs_brutes[champ.nom] = error
            valeurs[champ.nom] = raw
    contexte = {**dossier.donnees, **valeurs}
    calcules = {
        nom: (definition, type_champ)
        for nom, (_champ, _ligne, definition, type_champ) in candidats.items()
        if type_champ.calcule
    }
    valeurs.update(_calculer(calcules, contexte))
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
    a_revoir = Champ.objects.filter(modele_id=onglet.modele_id, type__in=codes)
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


def dossier_enregistrer_brouillon(*, dossier: Dossier, user) -> Dossier:
    """Save the dossier as a draft: only when the usager asks for it ("Enregistrer et
    continuer plus tard"); the wizard keeps everything else in the session."""
    if dossier.statut != Dossier.Statut.BROUILLON:
        raise ValidationError(_("Cette demande est déjà déposée."), code="depose")
    if dossier.cree_par_id is None:
        dossier.cree_par = user
    dossier.save()
    return dossier


def _prochaine_reference(dispositif: Dispositif, annee: int) -> str:
    CompteurReference.objects.bulk_create(
        [CompteurReference(dispositif=dispositif, annee=annee)], ignore_conflicts=True
    )
    compteur = CompteurReference.objects.select_for_update().get(dispositif=dispositif, annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return f"{annee}-{dispositif.code}-{compteur.dernier:06d}"


@transaction.atomic
def dossier_deposer(*, dossier: Dossier, user) -> Dossier:
    """Submit: every visible tab is validated again on the stored data (fields hidden by
    a condition are dropped), then the reference is issued and the dossier is filed.
    Raises DepotRefuse (with the tab to go back to) when something is missing."""
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
        cleaned, errors = etape_valider(dossier=dossier, onglet=onglet, data=dossier.donnees)
        if errors:
            raise DepotRefuse(
                _("Certaines informations manquent ou sont à corriger."),
                etape=index,
                erreurs=errors,
            )
        donnees_finales.update(cleaned)
        for _ligne, champ in _champs_de(onglet):
            if not proprietes_internet(champ).modifiable and champ.nom in dossier.donnees:
                donnees_finales[champ.nom] = dossier.donnees[champ.nom]
    maintenant = timezone.now()
    dossier.donnees = donnees_finales
    dossier.reference = _prochaine_reference(
        dossier.dispositif, timezone.localdate(maintenant).year
    )
    dossier.statut = Dossier.Statut.DEPOSE
    dossier.depose_le = maintenant
    if dossier.cree_par_id is None:
        dossier.cree_par = user
    dossier.save()
    return dossier
