"""What the « Nouveau contact » form offers and starts from: the interlocuteurs and dossiers
already chosen (from the page it was opened on, the model, the form's last state) and the
référentiel search's candidates. Every dossier id goes through `dossiers_visible_to`: a
forged one is dropped, never shown."""

from dataclasses import dataclass, field

from django.http import QueryDict

from common.nombres import entier
from contacts.models import ModeleContact
from contacts.selectors import modeles_actifs
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from usagers.models import Individu, Profil
from usagers.selectors import individus_rechercher, profils_rechercher

MULTIPLES = ("individus", "profils", "agents", "dossiers")
CANDIDATS_MAX = 8


def _pks(values) -> list[int]:
    return [pk for v in values if (pk := entier(v)) is not None][:50]


@dataclass
class Choix:
    individus: list[Individu] = field(default_factory=list)
    profils: list[Profil] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)


def choix(user, source: QueryDict, *, q: str = "") -> Choix:
    """The chosen ones named in `source` (a GET or POST), then the search's candidates."""
    individus = list(Individu.objects.filter(pk__in=_pks(source.getlist("individus"))))
    profils = list(Profil.objects.filter(pk__in=_pks(source.getlist("profils"))))
    dossiers = list(dossiers_visible_to(user).filter(pk__in=_pks(source.getlist("dossiers"))))
    if q:
        individus += [i for i in individus_rechercher(q, limit=CANDIDATS_MAX) if i not in individus]
        profils += [p for p in profils_rechercher(q, limit=CANDIDATS_MAX) if p not in profils]
    return Choix(individus=individus, profils=profils, dossiers=dossiers)


def initial_du_contexte(user, params: QueryDict) -> QueryDict:
    """`?individu=…&profil=…&dossier=…&modele=…` (the page the form was opened from) as
    the form's first state: a dossier also brings its demandeur."""
    data = QueryDict(mutable=True)
    if entier(params.get("individu")) is not None:
        data.setlist("individus", [params["individu"]])
    if entier(params.get("profil")) is not None:
        data.setlist("profils", [params["profil"]])
    if entier(params.get("dossier")) is not None:
        dossier = dossiers_visible_to(user).filter(pk=params["dossier"]).first()
        if dossier is not None:
            data.setlist("dossiers", [str(dossier.pk)])
            if dossier.demandeur_individu_id:
                data.appendlist("individus", str(dossier.demandeur_individu_id))
            if dossier.demandeur_profil_id:
                data.appendlist("profils", str(dossier.demandeur_profil_id))
    if entier(params.get("modele")) is not None:
        data["modele"] = params["modele"]
        return appliquer_modele(data)
    return data


def appliquer_modele(data: QueryDict) -> QueryDict:
    """The chosen model's canal, sens, objet and text, and its agents added to those
    chosen; what the agent already typed in objet and compte rendu is kept."""
    data = data.copy()
    modele = None
    if entier(data.get("modele")) is not None:
        modele = modeles_actifs().filter(pk=data["modele"]).first()
    if modele is None:
        return data
    data["canal"] = modele.canal
    data["sens"] = modele.sens
    if not data.get("objet", "").strip():
        data["objet"] = modele.objet
    if not data.get("compte_rendu", "").strip():
        data["compte_rendu"] = modele.compte_rendu
    agents = data.getlist("agents")
    data.setlist(
        "agents", agents + [str(a.pk) for a in modele.agents.all() if str(a.pk) not in agents]
    )
    return data


def initial(data: QueryDict) -> dict:
    """A form's state as `initial` (shown without errors: a model applied, a search)."""
    return {
        key: data.getlist(key) if key in MULTIPLES else data.get(key)
        for key in data
        if key not in ("csrfmiddlewaretoken", "action", "q")
    }


def modele(pk) -> ModeleContact | None:
    return modeles_actifs().filter(pk=pk).first() if entier(pk) is not None else None
