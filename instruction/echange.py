"""Export and import of a guide version as JSON (F7), to move a guide between
instances or copy it onto another dispositif.

The document lists the étapes in order, each with its statuts in order (every property,
`suivants` by code) and each statut's actions (type and config). An action's config
value that designates an object (a field of the type's form that is a ModelChoiceField:
a mail template, an agent…) is exported by a stable natural key — the model's first
unique text field, `code` preferred (`{"nom": "Accord"}`, `{"email": "a@b.fr"}`) — and
found again by it on import. Limit: a model without such a field is exported by its pk
(`{"pk": 12}`), meaningful on the same instance only; the type's form then refuses a pk
that does not exist.

Import makes a new draft version of the target dispositif's guide (the guide is created
if it has none), all or nothing: any problem raises ValidationError with a French
message naming the étape / statut / action at fault, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from instruction import actions
from instruction.models import ActionStatut, Etape, Guide, Statut, VersionGuide

FORMAT = "guichet.guide_instruction"
VERSION_FORMAT = 1

CHAMPS_ETAPE = ("libelle", "couleur", "aide", "duree_cible")
CHAMPS_STATUT = (
    "code",
    "libelle",
    "libelle_usager",
    "libelle_bouton",
    "couleur",
    "icone",
    "initial",
    "avance",
    "cloture",
    "masque",
    "visible_partenaires",
    "modifiable_usager",
    "motif_obligatoire",
)
OBLIGATOIRES_STATUT = ("code", "libelle")


# --- Natural keys of the objects an action's config designates --------------------------


def _champs_objets(type_) -> dict[str, forms.ModelChoiceField]:
    """The type's form fields that designate objects (multiple ones included)."""
    return {
        nom: champ
        for nom, champ in type_.form_class.base_fields.items()
        if isinstance(champ, forms.ModelChoiceField)
    }


def cle_naturelle(modele: type[models.Model]) -> str | None:
    """The model's first unique text field (`code` preferred), or None."""
    uniques = [
        f.name
        for f in modele._meta.fields
        if f.unique and not f.primary_key and isinstance(f, models.CharField)
    ]
    return "code" if "code" in uniques else (uniques[0] if uniques else None)


def _exporter_objet(modele, pk) -> dict:
    cle = cle_naturelle(modele)
    if cle is not None:
        valeur = modele._default_manager.filter(pk=pk).values_list(cle, flat=True).first()
        if valeur is not None:
            return {cle: valeur}
    return {"pk": pk}


def _importer_objet(modele, reference, ou: str):
    """The pk designated by an exported reference; refused when not found here."""
    if not isinstance(reference, dict) or len(reference) != 1:
        raise ValidationError(_("%(ou)s : référence d’objet mal formée.") % {"ou": ou})
    ((cle, valeur),) = reference.items()
    if cle == "pk":
        return valeur
    if cle != cle_naturelle(modele):
        raise ValidationError(
            _("%(ou)s : « %(cle)s » ne désigne pas un(e) %(modele)s.")
            % {"ou": ou, "cle": cle, "modele": modele._meta.verbose_name}
        )
    pk = modele._default_manager.filter(**{cle: valeur}).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationError(
            _("%(ou)s : %(modele)s « %(valeur)s » introuvable sur cette installation.")
            % {"ou": ou, "modele": modele._meta.verbose_name, "valeur": valeur}
        )
    return pk


def config_exporter(type_code: str, config: dict) -> dict:
    type_ = actions.type_action(type_code)
    if type_ is None:
        return dict(config)
    resultat = dict(config)
    for nom, champ in _champs_objets(type_).items():
        valeur = config.get(nom)
        if valeur in (None, "", []):
            continue
        modele = champ.queryset.model
        if isinstance(valeur, list):
            resultat[nom] = [_exporter_objet(modele, pk) for pk in valeur]
        else:
            resultat[nom] = _exporter_objet(modele, valeur)
    return resultat


def config_importer(type_, config: dict, ou: str) -> dict:
    resultat = dict(config)
    for nom, champ in _champs_objets(type_).items():
        valeur = config.get(nom)
        if valeur in (None, "", []):
            continue
        modele = champ.queryset.model
        if isinstance(valeur, list):
            resultat[nom] = [_importer_objet(modele, ref, ou) for ref in valeur]
        else:
            resultat[nom] = _importer_objet(modele, valeur, ou)
    return resultat


# --- Export -------------------------------------------------------------------------------


def guide_exporter(version: VersionGuide) -> dict[str, Any]:
    """The version as a JSON-ready document (a fixed number of queries, plus one per
    object an action designates)."""
    etapes = list(version.etapes.prefetch_related("statuts__suivants", "statuts__actions"))
    return {
        "format": FORMAT,
        "version_format": VERSION_FORMAT,
        "dispositif": version.guide.dispositif.code,
        "etapes": [
            {
                **{champ: getattr(etape, champ) for champ in CHAMPS_ETAPE},
                "statuts": [
                    {
                        **{champ: getattr(statut, champ) for champ in CHAMPS_STATUT},
                        "suivants": sorted(s.code for s in statut.suivants.all()),
                        "actions": [
                            {"type": a.type, "config": config_exporter(a.type, a.config)}
                            for a in statut.actions.all()
                        ],
                    }
                    for statut in etape.statuts.all()
                ],
            }
            for etape in etapes
        ],
    }


# --- Import -------------------------------------------------------------------------------


def _refus(message: str, **valeurs) -> ValidationError:
    return ValidationError(message % valeurs if valeurs else message, code="import")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ; ".join(
            " ".join(m for e in erreurs for m in e.messages)
            if nom in ("__all__", "config")  # an action's config errors name their field
            else f"{nom} : {' '.join(m for e in erreurs for m in e.messages)}"
            for nom, erreurs in error.error_dict.items()
        )
    return " ".join(error.messages)


def _verifier(data: Any) -> None:
    """The document's shape: format, étapes, statuts with their required fields and
    unique codes, one initial statut, suivants naming statuts of the document."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refus(_("Ce fichier n’est pas un guide d’instruction exporté par Guichet."))
    if data.get("version_format") != VERSION_FORMAT:
        raise _refus(
            _("Ce guide est au format %(v)s ; cette version de Guichet lit le format %(a)s."),
            v=data.get("version_format"),
            a=VERSION_FORMAT,
        )
    etapes = data.get("etapes")
    if not isinstance(etapes, list) or not etapes:
        raise _refus(_("Le guide n’a aucune étape."))
    codes: set[str] = set()
    initiaux = 0
    for n, etape in enumerate(etapes, start=1):
        if not isinstance(etape, dict) or not etape.get("libelle"):
            raise _refus(_("L’étape n° %(n)s n’a pas de libellé."), n=n)
        if not isinstance(etape.get("statuts", []), list):
            raise _refus(_("Les statuts de l’étape « %(e)s » sont mal formés."), e=etape["libelle"])
        for statut in etape.get("statuts", []):
            if not isinstance(statut, dict):
                raise _refus(_("Un statut de l’étape « %(e)s » est mal formé."), e=etape["libelle"])
            for champ in OBLIGATOIRES_STATUT:
                if not statut.get(champ):
                    raise _refus(
                        _("Un statut de l’étape « %(e)s » n’a pas de %(champ)s."),
                        e=etape["libelle"],
                        champ=champ,
                    )
            if statut["code"] in codes:
                raise _refus(
                    _("Le code de statut « %(c)s » est utilisé deux fois."), c=statut["code"]
                )
            codes.add(statut["code"])
            initiaux += bool(statut.get("initial"))
    if initiaux > 1:
        raise _refus(_("Le guide a plusieurs statuts initiaux ; un seul est permis."))
    for etape in etapes:
        for statut in etape.get("statuts", []):
            suivants = statut.get("suivants", [])
            if not isinstance(suivants, list):
                raise _refus(
                    _("Les suivants du statut « %(c)s » sont mal formés."), c=statut["code"]
                )
            for code in suivants:
                if code not in codes:
                    raise _refus(
                        _(
                            "Le statut « %(c)s » a pour suivant « %(s)s », qui n’est pas un "
                            "statut de ce guide."
                        ),
                        c=statut["code"],
                        s=code,
                    )


@transaction.atomic
def guide_importer(data: Any, *, dispositif) -> VersionGuide:
    """A new draft version of the dispositif's guide (created if needed) from an exported
    document. All or nothing."""
    _verifier(data)
    guide, _cree = Guide.objects.get_or_create(dispositif=dispositif)
    # Numbered after the guide's last version (locked: two imports never share a number).
    list(VersionGuide.objects.select_for_update().filter(guide=guide).values_list("pk"))
    numero = (guide.versions.aggregate(m=Max("numero"))["m"] or 0) + 1
    version = VersionGuide.objects.create(guide=guide, numero=numero)
    statuts: dict[str, Statut] = {}
    for ordre_etape, etape_data in enumerate(data["etapes"]):
        etape = Etape(version=version, ordre=ordre_etape)
        _remplir(etape, etape_data, CHAMPS_ETAPE)
        _valider(etape, _("Étape « %(e)s »") % {"e": etape_data["libelle"]})
        etape.save()
        for ordre, statut_data in enumerate(etape_data.get("statuts", [])):
            statut = Statut(etape=etape, version=version, ordre=ordre)
            _remplir(statut, statut_data, CHAMPS_STATUT)
            ou = _("Statut « %(c)s »") % {"c": statut_data["code"]}
            _valider(statut, ou, exclude=["suivants"])
            statut.save()
            statuts[statut.code] = statut
            _importer_actions(statut, statut_data.get("actions", []), ou)
    for etape_data in data["etapes"]:
        for statut_data in etape_data.get("statuts", []):
            if statut_data.get("suivants"):
                statuts[statut_data["code"]].suivants.set(
                    [statuts[code] for code in statut_data["suivants"]]
                )
    return version


def _remplir(objet, data: dict, champs) -> None:
    for champ in champs:
        if champ in data:
            setattr(
                objet, champ, "" if data[champ] is None and champ != "duree_cible" else data[champ]
            )


def _valider(objet, ou: str, exclude=()) -> None:
    try:
        objet.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise _refus(_("%(ou)s : %(erreur)s"), ou=ou, erreur=_messages(error)) from None


def _importer_actions(statut: Statut, actions_data: Any, ou: str) -> None:
    if not isinstance(actions_data, list):
        raise _refus(_("%(ou)s : les actions sont mal formées."), ou=ou)
    for ordre, data in enumerate(actions_data, start=1):
        ici = _("%(ou)s, action n° %(n)s") % {"ou": ou, "n": ordre}
        if not isinstance(data, dict) or not isinstance(data.get("config", {}), dict):
            raise _refus(_("%(ou)s : action mal formée."), ou=ici)
        type_ = actions.type_action(data.get("type") or "")
        if type_ is None:
            raise _refus(
                _("%(ou)s : type d’action « %(t)s » inconnu de cette installation."),
                ou=ici,
                t=data.get("type"),
            )
        action = ActionStatut(
            statut=statut,
            type=type_.code,
            ordre=ordre - 1,
            config=config_importer(type_, data.get("config", {}), ici),
        )
        try:
            action.clean()  # the type's form, as in the admin and the builder
        except ValidationError as error:
            raise _refus(_("%(ou)s : %(erreur)s"), ou=ici, erreur=_messages(error)) from None
        action.save()
