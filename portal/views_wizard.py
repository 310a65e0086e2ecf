"""The form wizard (P5): one step per tab of the dispositif's latest published form
model. What the usager types stays in the session between steps; the database gets it
only when they save a draft ("Enregistrer et continuer plus tard") or submit. The rules
(validation, conditions, references) are in dossiers.services.

Two modes share the machinery (`Mode`): with an account (`demande`), and without one
(`demande_sans_compte`, P6) when the dispositif allows it: no author, nothing prefilled
from a profile, no draft, and a last step « Vos coordonnées de suivi »
(portal/views_suivi.py) before the request is filed."""

import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common import csrf
from common.html import compacter
from common.nombres import entier
from dossiers import champs as types_de_champ
from dossiers import services, services_edition, services_pieces
from dossiers.champs.natifs import bloc
from dossiers.models import Dispositif, Dossier, ModeleDossier
from dossiers.selectors import brouillons_de, demande_en_cours, dossiers_of
from portal import etapes_rendues
from portal.compte import individu_de, profil_courant
from portal.etapes_rendues import EtapeRendue
from usagers.models import Profil

SESSION_PREFIX = "guichet_demande_"
# Not under SESSION_PREFIX: the two modes' states never mix.
SESSION_PREFIX_SANS_COMPTE = "guichet_sans_compte_"
CHAMP_ETAPE = "guichet-etape"
CHAMP_ACTION = "guichet-action"


@dataclass(frozen=True)
class Mode:
    prefixe: str
    url_name: str
    sans_compte: bool = False

    def auteur(self, request):
        """Who fills the request: the account, or nobody without one."""
        return None if self.sans_compte else request.user


AVEC_COMPTE = Mode(SESSION_PREFIX, "portal:demande")
SANS_COMPTE = Mode(SESSION_PREFIX_SANS_COMPTE, "portal:demande_sans_compte", sans_compte=True)


def _cle(dispositif: Dispositif, mode: Mode = AVEC_COMPTE) -> str:
    return f"{mode.prefixe}{dispositif.pk}"


def _etat(dossier: Dossier) -> dict:
    return {
        "modele": dossier.modele_id,
        "profil": dossier.demandeur_profil_id,
        "dossier": dossier.pk,
        "donnees": dossier.donnees,
        "etape": dossier.etape_courante,
        # Filed on behalf of this individu (P7), not of the account's own.
        "tiers": dossier.demandeur_individu_id if dossier.pour_autrui else None,
        # The documents chosen at their steps, attached on draft save or filing.
        "pieces": getattr(dossier, "pieces_wizard", None) or {},
    }


class VersionChangee(Exception):
    def __init__(self, dossier: Dossier) -> None:
        super().__init__(dossier.pk)
        self.dossier = dossier


def _dossier_de_l_etat(
    request, dispositif: Dispositif, etat: dict, mode: Mode = AVEC_COMPTE
) -> Dossier:
    auteur = mode.auteur(request)
    if etat.get("dossier"):
        if auteur is None:  # no draft without an account
            raise Http404
        dossier = brouillons_de(auteur).filter(pk=etat["dossier"]).first()
        if dossier is None:  # submitted or deleted meanwhile
            raise Http404
        if dossier.modele_id != etat.get("modele"):
            # An admin moved the draft to a newer version meanwhile (F11): what the
            # session holds is keyed to the old fields, so the moved data wins.
            dossier.pieces_wizard = services_pieces.pieces_du_brouillon(dossier)
            raise VersionChangee(dossier)
    else:
        dossier = Dossier(
            dispositif=dispositif,
            modele=get_object_or_404(
                ModeleDossier, pk=etat["modele"], statut=ModeleDossier.Statut.PUBLIE
            ),
            # Showing a step needs neither the individu (only saving does) nor more of
            # the profil than its type (the conditions): one query instead of three.
            demandeur_individu=individu_de(auteur)
            if auteur is not None and request.method != "GET"
            else None,
            demandeur_profil=Profil.objects.select_related("type_profil")
            .filter(pk=etat["profil"])
            .first()
            if etat.get("profil")
            else None,
            cree_par=auteur,
        )
        if etat.get("tiers"):
            dossier.demandeur_individu_id, dossier.pour_autrui = etat["tiers"], True
    dossier.donnees = dict(etat.get("donnees") or {})
    dossier.etape_courante = etat.get("etape") or 0
    dossier.pieces_wizard = dict(etat.get("pieces") or {})
    return dossier


@dataclass
class DossierEnCours:
    """A request held in the session and shown again (GET), before its Dossier is
    built: what `services.etapes_visibles` and a cached page's keys read (the data, the
    profil acting, the dispositif). Building the Dossier (38 fields, four relations:
    ~0.1 ms of CPU) is left to a step rendered afresh (`dossier()`); a cached one
    needs none."""

    dispositif: Dispositif
    modele: ModeleDossier
    demandeur_profil: Profil | None
    donnees: dict
    etape_courante: int
    pieces_wizard: dict
    cree_par: object  # the account, None without one (Mode.auteur)

    def dossier(self) -> Dossier:
        dossier = Dossier(
            dispositif=self.dispositif,
            modele=self.modele,
            demandeur_profil=self.demandeur_profil,
            cree_par=self.cree_par,
        )
        dossier.donnees = self.donnees
        dossier.etape_courante = self.etape_courante
        dossier.pieces_wizard = self.pieces_wizard
        return dossier


def _dossier_en_cours(request, slug, mode: Mode = AVEC_COMPTE) -> DossierEnCours | None:
    """A step shown again (GET) of a request held in the session and not saved yet: the
    dossier `_dossier_de_l_etat` would give, from one query (the dispositif open to
    requests, its version still published, the profil's type, the values of its central
    lists) instead of four. None in every other case (no such state, a saved draft, the
    dispositif or the version no longer published…), which takes the full path."""
    etats = {
        etat["modele"]: etat
        for cle, etat in request.session.items()
        if cle.startswith(mode.prefixe)
        and isinstance(etat, dict)
        and etat.get("modele")
        and not etat.get("dossier")
    }
    if not etats:
        return None
    modele = demande_en_cours(slug, {pk: etat.get("profil") for pk, etat in etats.items()})
    if modele is None:
        return None
    if mode.sans_compte and not modele.dispositif.depot_sans_compte:
        return None
    etat = request.session.get(_cle(modele.dispositif, mode))
    profil = modele.profil_demandeur
    if etat is not etats[modele.pk] or (profil.pk if profil is not None else None) != (
        etat.get("profil") or None
    ):
        return None
    return DossierEnCours(
        dispositif=modele.dispositif,
        modele=modele,
        demandeur_profil=profil,
        donnees=dict(etat.get("donnees") or {}),
        etape_courante=etat.get("etape") or 0,
        pieces_wizard=dict(etat.get("pieces") or {}),
        cree_par=mode.auteur(request),
    )


def _formulaire(onglet, dossier: Dossier, *, data=None, erreurs=None, donnees=None, contexte=None):
    """The tab as a Django form (fields named by technical name) and its layout: rows of
    items, each a bound field or a note's HTML, with their conditions as JSON.
    `donnees`: what computed fields show (the dossier's data by default). `contexte` (who
    fills it) reaches the contextual types (dossier_lie offers the user's dossiers)."""
    donnees = dossier.donnees if donnees is None else donnees
    form = forms.Form(data=data, initial=donnees)
    form.use_required_attribute = False  # the server validates, with French messages
    lignes = []
    erreurs_blocs = _erreurs_des_blocs(erreurs or {})
    for ligne in onglet.lignes.all():
        items = []
        for champ in ligne.champs.all():
            if champ.parent_id is not None:
                continue  # a repeatable block's sub-field: rendered by its block
            proprietes = services.proprietes_internet(champ)
            if not proprietes.visible:
                continue
            try:
                type_champ = types_de_champ.get(champ.type)
            except KeyError:
                continue
            definition = services.champ_definition(champ, contexte=contexte)
            if not services.champ_utilisable(type_champ, definition):
                continue
            item = {
                "nom": champ.nom,
                "condition": json.dumps(champ.condition) if champ.condition else "",
            }
            if champ.type in services_pieces.TYPES_PIECE and services_pieces.code_type(champ):
                # Its upload is per citizen: a slot in the cached body, filled per request.
                item |= {"piece": _marqueur(champ.nom), "libelle": champ.libelle}
            elif not type_champ.stocke_valeur:
                rendu = type_champ.rendu(definition) if hasattr(type_champ, "rendu") else ""
                if not rendu:
                    continue
                item |= {"html": rendu, "libelle": champ.libelle}
            elif champ.type == bloc.CODE:
                item["bloc"] = _bloc(
                    form, champ, definition, type_champ, donnees, data=data, proprietes=proprietes
                )
                erreur = (erreurs or {}).get(champ.nom)
                item["bloc"]["erreurs"] = erreurs_blocs.pop(
                    champ.nom, erreur.messages if erreur else []
                )
            else:
                field = type_champ.form_field(definition)
                if not proprietes.modifiable:
                    field.disabled = True
                if hasattr(type_champ, "message"):  # a calcul: why it has no value, if so
                    field.widget.message = type_champ.message(definition, donnees)
                form.fields[champ.nom] = field
            item["colonne"] = champ.colonne
            items.append(item)
        lignes.append(
            {
                "ligne": ligne,
                "condition": json.dumps(ligne.condition) if ligne.condition else "",
                "items": items,
            }
        )
    form._errors = ErrorDict(
        {
            nom: form.error_class(erreur.messages, renderer=form.renderer)
            for nom, erreur in {**(erreurs or {}), **erreurs_blocs}.items()
            if nom in form.fields
        }
    )
    for ligne in lignes:
        for item in ligne["items"]:
            if "bloc" in item:
                for element in [*item["bloc"]["elements"], item["bloc"]["modele"]]:
                    for sous in element["items"]:
                        sous["field"] = form[sous["nom"]]
            elif "html" not in item and "piece" not in item:
                item["field"] = form[item["nom"]]
    return form, lignes


def _marqueur(nom: str) -> str:
    """Where a document field's upload goes in a step's (cached) body."""
    return f"<!--guichet-piece:{nom}-->"


def _pieces(request, dossier: Dossier, onglet, corps: str, *, mode, erreurs, modification):
    """The step's body with each document field's upload rendered for this request: the
    file input, the document already chosen (name, size: replace or remove), the
    profil's reusable ones. Returns (body, whether one shows an error)."""
    champs = services_pieces.champs_pieces(onglet)
    if not champs:
        return corps, False
    if modification:  # a filed dossier's pieces are on its Justificatifs tab
        affichees = {}
    else:
        affichees = services_pieces.pieces_a_afficher(
            dossier=dossier,
            onglet=onglet,
            pieces=getattr(dossier, "pieces_wizard", None) or {},
            user=mode.auteur(request),
            session=request.session.session_key or "",
            erreurs=erreurs,
        )
    for champ in champs:
        piece = affichees.get(champ.nom)
        html = (
            render_to_string(
                "portal/includes/wizard_piece.html", {"piece": piece, "nom": champ.nom}
            )
            if piece is not None
            else ""
        )
        corps = corps.replace(_marqueur(champ.nom), html)
    return mark_safe(corps), any(p.erreurs for p in affichees.values())  # noqa: S308


def _erreurs_des_blocs(erreurs: dict) -> dict:
    """A repeatable block's errors, split for display: its sub-fields' under their input
    names ("enfants-0-prenom"), its own (too few, too many) as a list under its name."""
    separees = {}
    for nom, erreur in erreurs.items():
        if isinstance(erreur, bloc.ErreurBloc):
            separees[nom] = [m for e in erreur.bloc for m in e.messages]
            separees |= {f"{nom}-{cle}": e for cle, e in erreur.elements.items()}
    return separees


def _bloc(form, champ, definition, type_champ, donnees, *, data, proprietes) -> dict:
    """A repeatable block's layout (F12), shared with the CRM preview."""
    return bloc.disposition(
        form,
        champ.nom,
        definition,
        type_champ,
        donnees,
        data=data,
        modifiable=proprietes.modifiable,
    )


def _donnees_autres(dossier: Dossier, onglet, form) -> str:
    """The answers of the other steps as JSON, which this step's live formulas and
    conditions may read (static/js/formules.js, data-donnees); the tab's own fields
    (repeatable blocks included) come from its controls."""
    noms = {champ.nom for ligne in onglet.lignes.all() for champ in ligne.champs.all()}
    noms.update(form.fields)
    autres = {nom: valeur for nom, valeur in dossier.donnees.items() if nom not in noms}
    return json.dumps(autres, ensure_ascii=False)


def _rendre(onglet, dossier: Dossier, user, *, data=None, erreurs=None) -> tuple[EtapeRendue, bool]:
    """The step's form rendered (its rows of fields, media and the other steps' answers),
    and whether it shows errors. `user` fills it (the contextual types read it)."""
    # Shown again with what was posted: calculs from it, as formules.js computes them.
    donnees = (
        services.etape_apercu(dossier=dossier, onglet=onglet, data=data, user=user)
        if data
        else None
    )
    contexte = services.contexte_saisie(dossier, user)
    form, lignes = _formulaire(
        onglet, dossier, data=data, erreurs=erreurs, donnees=donnees, contexte=contexte
    )
    corps = render_to_string(
        "portal/includes/wizard_lignes.html", {"lignes": lignes, "champ_action": CHAMP_ACTION}
    )
    etape = EtapeRendue(
        corps=mark_safe(corps),  # noqa: S308 (a template's output)
        css=form.media["css"].render(),
        js=form.media["js"].render(),
        a_blocs=any("bloc" in item for ligne in lignes for item in ligne["items"]),
        # The other steps' answers, for the live formulas of this one (formules.js).
        donnees_autres=_donnees_autres(dossier, onglet, form),
    )
    return etape, bool(form._errors)


def _page(
    request,
    dossier: Dossier | DossierEnCours,
    etapes,
    index: int,
    *,
    empreinte: str | None = None,
    data=None,
    erreurs=None,
    status=200,
    mode: Mode = AVEC_COMPTE,
    modification: bool = False,
):
    """The step's page. Shown without posted data or errors, and when its version's
    fingerprint (`empreinte`) is given, its rendered form — and for a request without
    pending messages the whole page, but for the CSRF token — come from the cache
    (portal/etapes_rendues.py)."""
    onglet = etapes[index]
    cle = cle_page = None
    if data is None and erreurs is None and not modification:
        cle = etapes_rendues.cle(empreinte, onglet, dossier)
    pieces = bool(services_pieces.champs_pieces(onglet))
    if cle and not pieces and not len(messages.get_messages(request)):
        cle_page = etapes_rendues.cle_page(cle, request, dossier, etapes, index, status)
        page = etapes_rendues.lire(cle_page)
        if page is not None:
            return _reponse(request, page, status)
    if isinstance(dossier, DossierEnCours):
        dossier = dossier.dossier()
    etape = etapes_rendues.lire(cle) if cle else None
    a_erreurs = False
    if etape is None:
        etape, a_erreurs = _rendre(
            onglet, dossier, mode.auteur(request), data=data, erreurs=erreurs
        )
        if cle:
            etapes_rendues.garder(cle, etape)
    if pieces:
        corps, erreur_piece = _pieces(
            request,
            dossier,
            onglet,
            etape.corps,
            mode=mode,
            erreurs=erreurs,
            modification=modification,
        )
        etape = etape._replace(corps=corps)
        a_erreurs = a_erreurs or erreur_piece
    profil = dossier.demandeur_profil
    # Without an account, « Vos coordonnées de suivi » comes after the form's tabs.
    total = len(etapes) + (1 if mode.sans_compte else 0)
    suivante = etapes[index + 1] if index + 1 < len(etapes) else None
    if suivante is None and mode.sans_compte:
        suivante = {"titre": _("Vos coordonnées de suivi")}
    context = {
        "page_title": _("%(titre)s — étape %(n)s sur %(total)s")
        % {"titre": dossier.dispositif.titre, "n": index + 1, "total": total},
        "breadcrumb_links": [
            {"label": _("Démarches"), "url": reverse("portal:catalogue")},
            {"label": dossier.dispositif.titre, "url": dossier.dispositif.get_absolute_url()},
        ],
        "fil_courant": _("Ma demande"),
        "dispositif": dossier.dispositif,
        "dossier": dossier,
        "onglet": onglet,
        "etape": index,
        "numero": index + 1,
        "total": total,
        "suivante": suivante,
        "derniere": index + 1 >= total,
        "sans_compte": mode.sans_compte,
        "rendue": etape,
        "a_erreurs": a_erreurs,
        # A document field's upload: the form sends files.
        "multipart": pieces and not modification,
        "profil_code": profil.type_profil.code if profil is not None else "",
        "champ_etape": CHAMP_ETAPE,
        "champ_action": CHAMP_ACTION,
        # « Modifier ma demande » on a filed dossier (F10): save / cancel, no draft.
        "modification": modification,
    }
    # Compacted (common.html.compacter) whether kept or not: a cached page and a fresh
    # one stay byte-identical, and the cached one is compacted once.
    if cle_page is None:
        response = render(request, "portal/wizard.html", context, status=status)
        response.content = compacter(response.content.decode())
        return response
    context["csrf_token"] = etapes_rendues.JETON  # over the context processor's
    page = tuple(
        partie.encode()
        for partie in compacter(render_to_string("portal/wizard.html", context, request)).split(
            context["csrf_token"]
        )
    )
    etapes_rendues.garder(cle_page, page)
    return _reponse(request, page, status)


def _reponse(request, page: tuple[bytes, ...], status: int) -> HttpResponse:
    """A cached page with the request's own CSRF token (which also sets its cookie;
    `common.csrf.jeton` is Django's `get_token` with a cheaper mask)."""
    return HttpResponse(csrf.jeton(request).encode().join(page), status=status)


def _bloquantes(erreurs: dict) -> dict:
    """Errors a draft cannot keep: anything but a missing answer."""
    return {
        nom: erreur
        for nom, erreur in erreurs.items()
        if any(e.code != "required" for e in erreur.error_list)
    }


@login_required
@require_http_methods(["GET", "POST"])
def demande(request, slug):
    """Start or continue a request: GET shows the current step, POST moves between steps,
    saves a draft or submits."""
    return _demande(request, slug, AVEC_COMPTE)


@require_http_methods(["GET", "POST"])
def demande_sans_compte(request, slug):
    """The same wizard without an account (P6), when the dispositif allows it: its last
    tab leads to « Vos coordonnées de suivi » (portal:demande_sans_compte_coordonnees)."""
    return _demande(request, slug, SANS_COMPTE)


def _demande(request, slug, mode: Mode):
    auteur = mode.auteur(request)
    if request.method == "GET" and (dossier := _dossier_en_cours(request, slug, mode)) is not None:
        structure = services.modele_structure(
            dossier.modele, valeurs_listes=dossier.modele.valeurs_listes
        )
        etapes = services.etapes_visibles(dossier, structure.onglets)
        if etapes:
            index = min(max(dossier.etape_courante, 0), len(etapes) - 1)
            return _page(request, dossier, etapes, index, empreinte=structure.empreinte, mode=mode)
    ouverts = (
        Dispositif.objects.publies().filter(depot_sans_compte=True)
        if mode.sans_compte
        else Dispositif.objects.publies().filter(depot_avec_compte=True)
    )
    dispositif = get_object_or_404(ouverts, slug=slug)
    cle = _cle(dispositif, mode)
    etat = request.session.get(cle)
    if etat is None:
        if auteur is not None:
            individu_de(auteur)  # accounts made elsewhere get their individu first
        try:
            dossier = services.dossier_commencer(
                dispositif=dispositif,
                user=auteur,
                profil=profil_courant(request) if auteur is not None else None,
                parametres=request.GET,  # ?nom_technique=valeur prefills (P5)
            )
        except ModeleDossier.DoesNotExist:
            raise Http404 from None
        dossier.pieces_wizard = {}
        request.session[cle] = _etat(dossier)
    else:
        try:
            dossier = _dossier_de_l_etat(request, dispositif, etat, mode)
        except VersionChangee as changee:
            request.session[cle] = _etat(changee.dossier)
            messages.warning(
                request,
                _(
                    "Le formulaire de cette démarche a changé depuis que vous avez commencé : "
                    "votre brouillon a été mis à jour. Vérifiez vos réponses avant de "
                    "continuer."
                ),
            )
            return redirect(mode.url_name, slug=slug)
    structure = services.modele_structure(dossier.modele)
    onglets = structure.onglets
    etapes = services.etapes_visibles(dossier, onglets)
    if not etapes:
        raise Http404
    index = min(max(dossier.etape_courante, 0), len(etapes) - 1)

    if request.method == "GET":
        return _page(request, dossier, etapes, index, empreinte=structure.empreinte, mode=mode)

    choisie = entier(request.POST.get(CHAMP_ETAPE))
    if choisie is not None and choisie < len(etapes):
        index = choisie
    onglet = etapes[index]
    action = request.POST.get(CHAMP_ACTION, "suivant")
    if action.startswith(("ajouter:", "supprimer:")):  # a repeatable block's button (F12)
        modifiees = services.etape_modifier_bloc(onglet=onglet, data=request.POST, action=action)
        return _page(request, dossier, etapes, index, data=modifiees or request.POST, mode=mode)
    cleaned, erreurs = services.etape_valider(
        dossier=dossier, onglet=onglet, data=request.POST, user=auteur
    )
    cleaned = {**services.valeurs_partielles(erreurs), **cleaned}  # kept by drafts and "back"
    pieces, erreurs_pieces = services_pieces.etape_pieces(
        dossier=dossier,
        onglet=onglet,
        data=request.POST,
        files=request.FILES,
        cleaned=cleaned,
        pieces=dossier.pieces_wizard,
        user=auteur,
        session=_session(request),
    )
    if pieces != dossier.pieces_wizard:  # an accepted upload is kept whatever comes next
        dossier.pieces_wizard = pieces
        request.session[cle] = {**request.session[cle], "pieces": pieces}
    erreurs = {**erreurs, **erreurs_pieces}

    if action == "precedent":
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
        dossier.etape_courante = max(index - 1, 0)
        request.session[cle] = _etat(dossier)
        return redirect(mode.url_name, slug=slug)

    if action == "brouillon" and mode.sans_compte:
        messages.error(
            request,
            _(
                "Sans compte, une demande ne peut pas être enregistrée en brouillon : "
                "terminez-la, ou créez un compte pour l’enregistrer et la reprendre plus tard."
            ),
        )
        return _page(request, dossier, etapes, index, data=request.POST, mode=mode)

    if action == "brouillon":
        bloquantes = _bloquantes(erreurs)
        if bloquantes:
            messages.error(
                request,
                _("Corrigez les valeurs signalées avant d’enregistrer votre brouillon."),
            )
            return _page(request, dossier, etapes, index, data=request.POST, erreurs=bloquantes)
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
        dossier.etape_courante = index
        try:
            services_edition.brouillon_verifier_limite(dossier=dossier, user=request.user)
        except services_edition.BrouillonsMaxAtteint as refus:
            request.session[cle] = _etat(dossier)  # what was typed waits in the session
            from portal.views_edition import brouillons_limite

            return brouillons_limite(request, dossier, refus)
        services.dossier_enregistrer_brouillon(dossier=dossier, user=request.user)
        request.session.pop(cle, None)
        messages.success(
            request,
            _(
                "Votre brouillon est enregistré. Reprenez-le quand vous voulez depuis « Mon compte »."
            ),
        )
        return redirect("portal:account")

    if erreurs:
        return _page(request, dossier, etapes, index, data=request.POST, erreurs=erreurs, mode=mode)
    services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    etapes = services.etapes_visibles(dossier, onglets)  # the answers may show or hide tabs
    index = next((i for i, o in enumerate(etapes) if o.pk == onglet.pk), index)

    if mode.sans_compte and index + 1 >= len(etapes) and action in ("suivant", "deposer"):
        # The form is filled: « Vos coordonnées de suivi » files it (views_suivi.py).
        dossier.etape_courante = index
        request.session[cle] = {**_etat(dossier), "coordonnees": True}
        return redirect("portal:demande_sans_compte_coordonnees", slug=slug)

    if action == "deposer" and index + 1 >= len(etapes) and not mode.sans_compte:
        try:
            dossier = services.dossier_deposer(dossier=dossier, user=request.user)
        except services.DepotRefuse as refus:
            dossier.etape_courante = refus.etape
            request.session[cle] = _etat(dossier)
            messages.error(request, refus.messages[0])
            return _page(request, dossier, etapes, refus.etape, erreurs=refus.erreurs)
        request.session.pop(cle, None)
        return redirect("portal:demande_confirmation", pk=dossier.pk)

    dossier.etape_courante = min(index + 1, len(etapes) - 1)
    request.session[cle] = _etat(dossier)
    return redirect(mode.url_name, slug=slug)


def _session(request) -> str:
    """The browser session's key, which a pending upload without an account is tied to."""
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


@login_required
@require_safe
def demande_reprendre(request, pk):
    """Resume one of the account's drafts where it was left, with its attached pieces."""
    dossier = get_object_or_404(brouillons_de(request.user), pk=pk)
    dossier.pieces_wizard = services_pieces.pieces_du_brouillon(dossier)
    request.session[_cle(dossier.dispositif)] = _etat(dossier)
    return redirect("portal:demande", slug=dossier.dispositif.slug)


@login_required
@require_safe
def demande_confirmation(request, pk):
    """After submission: the reference and the dispositif's confirmation text."""
    dossier = get_object_or_404(dossiers_of(request.user).exclude(statut="brouillon"), pk=pk)
    context = {
        "page_title": _("Votre demande est déposée"),
        "dossier": dossier,
        "dispositif": dossier.dispositif,
        "accuse_reception": settings.GUICHET_ACCUSE_RECEPTION,
    }
    return render(request, "portal/wizard_confirmation.html", context)
