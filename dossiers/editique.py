"""Dossiers for éditique: the "dossier" context documents are written for.

éditique knows nothing of dossiers; this module declares what a template may read of one
(its schema, checked at publication) and builds that context as plain data (no model
instance ever reaches a template). Registered in DossiersConfig.ready().

Field values, two ways (a decision, documented in the CRM screen):

- `dossier.champs.<nom>`: what the field type displays (`variable()`): « 1 234,50 € »,
  « 12 mars 2026 », « Non », the choice's label; a tableau is `{ligne: {colonne: texte},
  total: {…}}`, a repeatable block a list of elements with their sub-fields displayed.
- `dossier.valeurs.<nom>`: the raw value, for conditions: a yes/no field is a boolean
  (« Non » displayed is a non-empty, truthy string, `False` is not), a number a Decimal
  or an int, a date a date, a choice its key, a multiple choice a list of keys; a block
  a list of elements of raw values; an empty answer is None.

So `{% if dossier.valeurs.salle_equipee %}` and `{% if dossier.valeurs.montant > 500 %}`
work as an admin expects, and `{{ dossier.champs.montant }}` prints it in French.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from common.expressions import ParmiLesValeurs
from common.gabarits import Variable
from dossiers import services
from dossiers.champs import get
from dossiers.champs.base import Definition
from dossiers.champs.natifs import bloc
from dossiers.champs.natifs.tableau import TOTAL
from dossiers.models import Dispositif, Dossier, ModeleDossier
from editique import contextes
from editique import services as editique_services
from editique.models import DocumentGenere, ModeleDocument

# --- the schema ----------------------------------------------------------------------------

_PERSONNE = (
    ("type", "Individu ou structure (« individu », « profil »)", "individu"),
    ("nom_complet", "Nom complet (civilité, prénom, nom ou raison sociale)", "Mme Léa Durand"),
    ("civilite", "Civilité", "Mme"),
    ("prenom", "Prénom", "Léa"),
    ("nom", "Nom (ou raison sociale)", "Durand"),
    ("email", "Adresse électronique", "lea.durand@exemple.fr"),
    ("telephone", "Téléphone", "06 12 34 56 78"),
    ("adresse", "Numéro et voie", "12 rue des Tilleuls"),
    ("complement_adresse", "Complément d’adresse", ""),
    ("code_postal", "Code postal", "18240"),
    ("commune", "Commune", "Belleville-sur-Loire"),
    ("siret", "SIRET (structure)", ""),
)


def _personne(nom: str, libelle: str) -> Variable:
    return Variable(nom, libelle, tuple(Variable(n, lib, exemple=ex) for n, lib, ex in _PERSONNE))


def _exemple_brut(definition: Definition) -> Any:
    return {
        "oui_non": True,
        "case_a_cocher": True,
        "acceptation_cgu": True,
        "montant": Decimal("1250.00"),
        "decimal": Decimal("12.5"),
        "entier": 3,
        "age": 42,
        "date": dt.date(2026, 3, 2),
    }.get(definition.type)


def _variables_champ(definition: Definition, *, brut: bool) -> Variable | None:
    try:
        type_champ = get(definition.type)
    except KeyError:
        return None
    if not type_champ.stocke_valeur:
        return None
    if definition.type == bloc.CODE:
        enfants = tuple(
            v
            for sous, _t in bloc.sous_champs(definition)
            if (v := _variables_champ(sous, brut=brut)) is not None
        )
        return Variable(definition.nom, definition.libelle, enfants, liste=True)
    if definition.type == "tableau" and not brut:
        try:
            lignes, colonnes = type_champ.structure(definition)
        except Exception:  # noqa: BLE001 - bad options: the builder reports them
            return Variable(definition.nom, definition.libelle)
        cellules = tuple(Variable(c["nom"], c["libelle"]) for c in colonnes)
        totaux = tuple(Variable(c["nom"], c["libelle"]) for c in colonnes if c.get("total"))
        enfants = tuple(Variable(cle, libelle, cellules) for cle, libelle in lignes)
        return Variable(
            definition.nom, definition.libelle, (*enfants, Variable(TOTAL, "Totaux", totaux))
        )
    exemple = _exemple_brut(definition) if brut else None
    return Variable(definition.nom, definition.libelle, exemple=exemple)


def _definitions(modele: ModeleDossier | None) -> list[Definition]:
    if modele is None:
        return []
    return [
        services.champ_definition(champ)
        for onglet in services.modele_onglets(modele)
        for _ligne, champ in services._champs_de(onglet)
    ]


def schema_dossier(modele: ModeleDossier | None) -> list[Variable]:
    """The variables of a dossier filed with `modele` (None: common variables only)."""
    definitions = _definitions(modele)
    champs = tuple(v for d in definitions if (v := _variables_champ(d, brut=False)))
    valeurs = tuple(v for d in definitions if (v := _variables_champ(d, brut=True)))
    dossier = Variable(
        "dossier",
        "Le dossier",
        (
            Variable("reference", "Référence", exemple="2026-SUB-000123"),
            Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
            Variable("statut", "Statut", exemple="Déposé"),
            Variable("depose_le", "Date de dépôt", exemple=dt.date(2026, 2, 27)),
            Variable("cree_le", "Date de création", exemple=dt.date(2026, 2, 20)),
            Variable("champs", "Réponses, telles qu’affichées", champs),
            Variable("valeurs", "Réponses brutes (pour les conditions)", valeurs),
        ),
    )
    return [
        dossier,
        _personne("demandeur", "Le demandeur"),
        _personne(
            "beneficiaire", "Le bénéficiaire (le demandeur tant qu’il n’en est pas déclaré d’autre)"
        ),
        *contextes.SCHEMA_COMMUN,
    ]


# --- the context ---------------------------------------------------------------------------


def _brut(type_champ, definition: Definition, stored: Any) -> Any:
    if type_champ.est_vide(stored):
        return [] if definition.type == bloc.CODE else None
    if definition.type == bloc.CODE:
        return [
            {
                sous.nom: _brut(type_sous, sous, element.get(sous.nom))
                for sous, type_sous in bloc.sous_champs(definition)
            }
            for element in type_champ.elements(stored)
        ]
    try:
        return type_champ.from_json(stored)
    except (TypeError, ValueError, ArithmeticError):
        return None


def _vide(nom: str) -> dict[str, str]:
    return {n: "" for n, _lib, _ex in _PERSONNE} | {"type": nom}


def personne(dossier: Dossier) -> dict[str, str]:
    """The demandeur as plain strings (an individu or a profil; empty when none)."""
    individu, profil = dossier.demandeur_individu, dossier.demandeur_profil
    if profil is not None:
        return _vide("profil") | {
            "nom_complet": profil.nom,
            "nom": profil.nom,
            "email": profil.email,
            "telephone": profil.telephone,
            "adresse": profil.adresse,
            "complement_adresse": profil.complement_adresse,
            "code_postal": profil.code_postal,
            "commune": profil.commune,
            "siret": profil.siret,
        }
    if individu is not None:
        nom = individu.nom_usage or individu.nom
        civilite = individu.get_civilite_display() if individu.civilite else ""
        return _vide("individu") | {
            "nom_complet": " ".join(p for p in (civilite, individu.prenom, nom) if p),
            "civilite": civilite,
            "prenom": individu.prenom,
            "nom": nom,
            "email": individu.email,
            "telephone": individu.telephone_mobile or individu.telephone_fixe,
            "adresse": individu.adresse,
            "complement_adresse": individu.complement_adresse,
            "code_postal": individu.code_postal,
            "commune": individu.commune,
        }
    return _vide("")


def contexte_dossier(dossier: Dossier, agent=None) -> dict[str, Any]:
    """Everything `schema_dossier(dossier.modele)` declares, as plain data."""
    champs: dict[str, Any] = {}
    valeurs: dict[str, Any] = {}
    donnees = dossier.donnees or {}
    for definition in _definitions(dossier.modele):
        try:
            type_champ = get(definition.type)
        except KeyError:
            continue
        if not type_champ.stocke_valeur:
            continue
        stored = donnees.get(definition.nom)
        champs[definition.nom] = type_champ.variable(definition, stored)
        valeurs[definition.nom] = _brut(type_champ, definition, stored)
    demandeur = personne(dossier)
    depose_le = timezone.localdate(dossier.depose_le) if dossier.depose_le else None
    return {
        "dossier": {
            "reference": dossier.reference,
            "dispositif": dossier.dispositif.titre,
            "statut": dossier.get_statut_display(),
            "depose_le": depose_le,
            "cree_le": timezone.localdate(dossier.created_at),
            "champs": champs,
            "valeurs": valeurs,
        },
        "demandeur": demandeur,
        "beneficiaire": dict(demandeur),
        **contextes.contexte_commun(agent),
    }


def _dossiers():
    return Dossier.objects.select_related(
        "dispositif", "modele", "demandeur_individu", "demandeur_profil"
    )


class ContexteDossier(contextes.TypeContexte):
    code = "dossier"
    libelle = "Dossier"

    def cibles(self) -> list[tuple[str, str]]:
        return list(Dispositif.objects.order_by("titre").values_list("slug", "titre"))

    def _modele(self, cible: str) -> ModeleDossier | None:
        if not cible:
            return None
        dispositif = Dispositif.objects.filter(slug=cible).first()
        if dispositif is None:
            return None
        # The published form; a dispositif still being built offers its draft's fields.
        return services.modele_publie(dispositif) or dispositif.modeles.order_by("-version").first()

    def schema(self, cible: str = "") -> list[Variable]:
        return schema_dossier(self._modele(cible))

    def objets(self, cible: str = "", *, limite: int = 50) -> list[tuple[int, str]]:
        dossiers = _dossiers().order_by("-created_at", "-pk")
        if cible:
            dossiers = dossiers.filter(dispositif__slug=cible)
        return [
            (d.pk, f"{d} — {personne(d)['nom_complet'] or d.dispositif.titre}")
            for d in dossiers[:limite]
        ]

    def contexte(self, pk: int, *, utilisateur=None) -> tuple[Dossier, dict[str, Any]]:
        try:
            dossier = _dossiers().get(pk=pk)
        except (Dossier.DoesNotExist, ValueError, TypeError):
            raise LookupError(pk) from None
        return dossier, contexte_dossier(dossier, utilisateur)


# --- documents of a dossier ----------------------------------------------------------------


def document_generer(
    *, dossier: Dossier, modele: ModeleDocument, format_: str = "pdf", par=None
) -> DocumentGenere:
    """Produces a document for the dossier from the template's published version and
    stores it on the dossier."""
    titre = f"{modele.nom} — {dossier}"
    return editique_services.document_generer(
        modele=modele,
        contexte=contexte_dossier(dossier, par),
        format_=format_,
        objet=dossier,
        titre=titre,
        par=par,
    )


def documents(dossier: Dossier):
    """The documents produced for a dossier, newest first."""
    return DocumentGenere.objects.filter(
        objet_type=ContentType.objects.get_for_model(Dossier), objet_id=dossier.pk
    ).select_related("modele", "version", "cree_par")


def documents_deposes(user):
    """The documents deposited in a citizen's space: produced for one of their dossiers
    (`selectors.dossiers_of`) from a template that deposits them, newest first."""
    from dossiers.selectors import dossiers_of

    return DocumentGenere.objects.filter(
        # Not `objet_id__in`: the planner would scan every document (common.expressions).
        ParmiLesValeurs("objet_id", dossiers_of(user).values("pk")),
        objet_type=ContentType.objects.get_for_model(Dossier),
        depose_usager=True,
    ).order_by("-created_at", "-pk")
