"""Wizard steps rendered once and reused (issue 5's speed goal).

Rendering a step's fields (the Django form, then one template per field) is nearly all
the time of a wizard page: about 40 ms for 150 fields. A step shown without posted data
and without errors depends only on what the key below holds, so its rendered body —
the rows of fields, the widgets' media, the other steps' answers for formules.js — is
kept per process and dropped into the page. The whole page is kept too, for a request without messages
to show, cut at the CSRF token, which each response gets afresh (`cle_page`: its key adds
what the page around reads, the account's pk included).

The key holds everything the body depends on:
- the published version's structure as this process read it and the current values of
  its central lists (`dossiers.services.modele_structure`: its fingerprint changes with
  a new publication, an edit of the structure, a list value edited, added or removed);
- the tab, the language, today's date (date bounds "from today", ages);
- the dossier's answers, as the JSON the step shows them from (their order included);
- the profile type of the profil the usager acts for.

Never cached: a draft model (no fingerprint), a step with posted data or errors
(repeatable-block buttons, invalid posts), and a step holding a field whose type says its
rendering depends on the request (`contextuel = True` on the TypeChamp, such as a list
of the usager's own dossiers). tests/portal/test_wizard_cache.py checks the body is
byte-identical to a fresh rendering and that each of these inputs changes the key.
"""

import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from dossiers import services

# At most this many characters (a page's bytes) of rendered steps and pages per process
# (a 150-field step is about 130,000): the least recently used go first.
CARACTERES_MAX = 20_000_000
# Stands for the CSRF token in a cached page: random per process, never sent (each
# response gets the request's own token in its place), so no answer can contain it.
JETON = f"jeton{secrets.token_hex(16)}"


class EtapeRendue(NamedTuple):
    """What a step's page takes from its rendered form."""

    corps: str  # the rows of fields (portal/includes/wizard_lignes.html), safe HTML
    css: str  # the widgets' media
    js: str
    a_blocs: bool
    donnees_autres: str  # the other steps' answers, JSON (data-donnees)


# A cached page: its HTML cut at each CSRF token, encoded (UTF-8) once: encoding the
# 115 KB page on every request cost ~0.2 ms of CPU, joining bytes ~5 µs.
PageRendue = tuple[bytes, ...]

_ETAPES: OrderedDict[str, EtapeRendue | PageRendue] = OrderedDict()
_caracteres = 0
_verrou = threading.Lock()


def contextuelle(onglet) -> bool:
    """Whether a field of the tab (a block's sub-fields included) has a type whose
    rendering depends on the request. Kept on the tab: only called for a published
    version's, whose structure is frozen and read once per process."""
    contextuel = onglet.__dict__.get("_contextuel")
    if contextuel is None:
        contextuel = onglet._contextuel = any(
            services.type_contextuel(champ.type)
            for ligne in onglet.lignes.all()
            for parent in ligne.champs.all()
            for champ in (parent, *parent.sous_champs.all())
        )
    return contextuel


def cle(empreinte: str | None, onglet, dossier) -> str | None:
    """The cache key of the step `onglet` of `dossier` shown without posted data or
    errors, `empreinte` being its version's (`modele_structure`); None when it must be
    rendered afresh."""
    if empreinte is None or not getattr(settings, "GUICHET_CACHE_ETAPES", True):
        return None
    if contextuelle(onglet):
        return None
    try:
        donnees = json.dumps(dossier.donnees, ensure_ascii=False)
    except (TypeError, ValueError):  # not JSON (never from the session): not cached
        return None
    profil = dossier.demandeur_profil
    parties = [
        empreinte,
        str(onglet.pk),
        get_language() or "",
        timezone.localdate().isoformat(),
        profil.type_profil.code if profil is not None else "",
        donnees,
    ]
    condense = hashlib.sha256("\x1f".join(parties).encode()).hexdigest()
    return f"etape:{condense}"


def cle_page(cle_etape: str, request, dossier, etapes, index: int, status: int) -> str:
    """The key of the whole page of a step whose form is `cle_etape`'s, for a request
    without messages to show: what wizard.html and base.html read besides the step and
    the CSRF token — the dispositif's title and address (its slug), the visible steps
    and the current one, the account (its pk: nothing of one account's page is served
    to another; whether it reaches the CRM) and the view (the menu)."""
    dispositif = dossier.dispositif
    user = request.user
    match = request.resolver_match
    parties = [
        cle_etape,
        str(status),
        match.view_name if match else "",
        str(dispositif.pk),
        dispositif.titre,
        # Its address (the breadcrumb's link): `get_absolute_url` is the slug's, and
        # reversing it was a third of this key's cost.
        dispositif.slug,
        ",".join(str(onglet.pk) for onglet in etapes),
        str(index),
        str(user.pk),
        str(user.is_authenticated),
        str(getattr(user, "can_use_crm", False)),
    ]
    condense = hashlib.sha256("\x1f".join(parties).encode()).hexdigest()
    return f"page:{condense}"


def lire(cle_: str) -> EtapeRendue | PageRendue | None:
    with _verrou:
        etape = _ETAPES.get(cle_)
        if etape is not None:
            _ETAPES.move_to_end(cle_)
        return etape


def garder(cle_: str, etape: EtapeRendue | PageRendue) -> None:
    global _caracteres
    taille = _taille(etape)
    if taille > CARACTERES_MAX:
        return
    with _verrou:
        ancienne = _ETAPES.pop(cle_, None)
        if ancienne is not None:
            _caracteres -= _taille(ancienne)
        _ETAPES[cle_] = etape
        _caracteres += taille
        while _caracteres > CARACTERES_MAX:
            _cle, retiree = _ETAPES.popitem(last=False)
            _caracteres -= _taille(retiree)


def vider() -> None:
    global _caracteres
    with _verrou:
        _ETAPES.clear()
        _caracteres = 0


def _taille(etape: EtapeRendue | PageRendue) -> int:
    if isinstance(etape, EtapeRendue):
        return len(etape.corps) + len(etape.css) + len(etape.js) + len(etape.donnees_autres)
    return sum(len(partie) for partie in etape)
