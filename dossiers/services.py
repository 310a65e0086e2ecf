"""The verbs of form models: drafts and versions (F11), views (F2/F6), JSON import and
export (F7). Views and tasks call these; rules live here only."""

from copy import deepcopy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import champs as types_de_champ
from dossiers.models import (
    Champ,
    ChampReferentiel,
    Dispositif,
    Ligne,
    ListeReferentiel,
    ModeleDossier,
    Onglet,
    ProprietesVue,
    ValeurListe,
    Vue,
)

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
