"""Filing without an account and following such a request (P6, F14).

- « Vos coordonnées de suivi », the wizard's last step without an account, files the
  request (dossiers.services_hors_compte.depot_sans_compte), then the confirmation page
  shows the tracking code and, once, the attach key (both also mailed).
- The follow link (`/suivi/<jeton>/`, signed, expiring) and the tracking code with its
  verification value (`/suivi/`) put the dossier's pk in the session (SUIVIS_SESSION):
  the dossier's pages (portal/dossier_page.py) then open for this browser.
- A forged, expired or stale link gives one page (HTTP 404 whatever the reason, so
  nothing tells whether the dossier exists) with the code form and a new link by mail.
- `/mon-compte/rattacher/`: a signed-in citizen attaches the request with its key.
Failed tries are rate-limited per visitor address and per code / reference / account.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from dossiers import services
from dossiers import services_hors_compte as hors_compte
from dossiers.models import Dispositif
from portal.dossier_page import SUIVIS_SESSION, dossier_de_la_requete
from portal.forms_suivi import CodeSuiviForm, CoordonneesSuiviForm, LienRenvoyerForm, RattacherForm
from portal.views_wizard import SANS_COMPTE, _cle, _dossier_de_l_etat, _etat
from usagers.receivers import client_ip

# The attach key shown once on the confirmation page: {"pk", "cle"}.
CLE_A_MONTRER = "guichet_cle_rattachement"
# At most this many hors-compte dossiers followed by one browser session.
SUIVIS_MAX = 20
NEUTRE = gettext_lazy("Ce code de suivi et cette information ne correspondent à aucune demande.")


def _lien(jeton: str) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("portal:suivi_lien", args=[jeton])


def _lien_code() -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("portal:suivi")


def page_du_dossier(pk: int) -> str:
    """The dossier's page (its Suivi tab)."""
    return reverse("portal:dossier", args=[pk])


def _suivre(request, pk: int) -> None:
    """This browser may now follow dossier `pk` (a new session key: no fixation)."""
    suivis = request.session.get(SUIVIS_SESSION, [])
    if pk in suivis:
        return
    request.session.cycle_key()
    request.session[SUIVIS_SESSION] = [*suivis, pk][-SUIVIS_MAX:]


def _ip(request) -> str:
    return client_ip(request) or "inconnue"


def _trop(request, page: str, context: dict):
    context["limite"] = True
    messages.error(
        request,
        _("Trop de tentatives : pour votre sécurité, réessayez dans %(minutes)s minutes.")
        % {"minutes": int(hors_compte.FENETRE.total_seconds() // 60)},
    )
    return render(request, page, context, status=429)


# --- Filing -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def coordonnees(request, slug):
    """The last step without an account: the tracking address, the verification value,
    the consent; POST files the request."""
    dispositif = get_object_or_404(
        Dispositif.objects.publies().filter(depot_sans_compte=True), slug=slug
    )
    cle = _cle(dispositif, SANS_COMPTE)
    etat = request.session.get(cle)
    if not etat or not etat.get("coordonnees"):
        return redirect("portal:demande_sans_compte", slug=slug)
    dossier = _dossier_de_l_etat(request, dispositif, etat, SANS_COMPTE)
    identite = hors_compte.identite_du_formulaire(dossier)
    options = {
        "verification": dispositif.suivi_verification,
        "demander_nom": not ("nom" in identite and "prenom" in identite),
    }
    if request.method == "POST" and "precedent" in request.POST:
        request.session[cle] = _etat(dossier)  # back to the form's last tab
        return redirect("portal:demande_sans_compte", slug=slug)
    form = CoordonneesSuiviForm(
        request.POST or None,
        initial={"email": hors_compte.email_du_formulaire(dossier)},
        **options,
    )
    if request.method == "POST" and form.is_valid():
        try:
            depot = hors_compte.depot_sans_compte(
                dossier=dossier,
                email=form.cleaned_data["email"],
                verification=form.cleaned_data["verification"],
                nom=form.cleaned_data.get("nom", ""),
                prenom=form.cleaned_data.get("prenom", ""),
                lien=_lien,
                lien_code=_lien_code(),
            )
        except services.DepotRefuse as refus:
            dossier.etape_courante = refus.etape
            request.session[cle] = _etat(dossier)
            messages.error(request, refus.messages[0])
            return redirect("portal:demande_sans_compte", slug=slug)
        except ValidationError as erreur:
            form.add_error("verification", erreur.messages[0])
        else:
            request.session.pop(cle, None)
            _suivre(request, depot.dossier.pk)
            request.session[CLE_A_MONTRER] = {
                "pk": depot.dossier.pk,
                "cle": depot.cle_rattachement,
            }
            return redirect("portal:suivi_confirmation", pk=depot.dossier.pk)
    context = {
        "page_title": _("%(titre)s — vos coordonnées de suivi") % {"titre": dispositif.titre},
        "breadcrumb_links": [
            {"label": _("Démarches"), "url": reverse("portal:catalogue")},
            {"label": dispositif.titre, "url": dispositif.get_absolute_url()},
        ],
        "dispositif": dispositif,
        "form": form,
    }
    return render(request, "portal/suivi/coordonnees.html", context)


@never_cache
@require_safe
def confirmation(request, pk):
    """After filing without an account: the reference, the tracking code and, this once,
    the attach key."""
    dossier = dossier_de_la_requete(request, pk)
    a_montrer = request.session.get(CLE_A_MONTRER) or {}
    cle = ""
    if a_montrer.get("pk") == dossier.pk:
        cle = a_montrer.get("cle", "")
        del request.session[CLE_A_MONTRER]
    context = {
        "page_title": _("Votre demande est déposée"),
        "dossier": dossier,
        "dispositif": dossier.dispositif,
        "cle_rattachement": cle,
        "page_dossier": page_du_dossier(dossier.pk),
        "duree_lien": hors_compte.lien_duree().days,
    }
    return render(request, "portal/suivi/confirmation.html", context)


# --- Following -------------------------------------------------------------------------------


def _contexte_code(form, **extra) -> dict:
    return {
        "page_title": _("Suivre une demande faite sans compte"),
        "form": form,
        "form_renvoyer": LienRenvoyerForm(),
        **extra,
    }


@never_cache
@require_safe
def lien(request, jeton):
    """The follow link of the mail: the dossier's page, or one page for every bad link."""
    dossier = hors_compte.lien_dossier(jeton)
    if dossier is None:
        context = _contexte_code(CodeSuiviForm(), lien_invalide=True)
        context["page_title"] = _("Ce lien de suivi n’est pas valable")
        return render(request, "portal/suivi/code.html", context, status=404)
    _suivre(request, dossier.pk)
    return redirect(page_du_dossier(dossier.pk))


@never_cache
@require_http_methods(["GET", "POST"])
def code(request):
    """The tracking code and its verification value → the dossier's page."""
    form = CodeSuiviForm(request.POST or None)
    if request.method != "POST":
        return render(request, "portal/suivi/code.html", _contexte_code(form))
    cles = [hors_compte.tentative_cle("ip", _ip(request))]
    code_saisi = hors_compte.code_normaliser(request.POST.get("code", ""))
    if code_saisi:
        cles.append(hors_compte.tentative_cle("code", code_saisi))
    if hors_compte.limite_atteinte(cles):
        return _trop(request, "portal/suivi/code.html", _contexte_code(form))
    if form.is_valid():
        dossier = hors_compte.suivi_verifier(
            form.cleaned_data["code"], form.cleaned_data["verification"]
        )
        if dossier is not None:
            _suivre(request, dossier.pk)
            return redirect(page_du_dossier(dossier.pk))
        form.add_error(None, NEUTRE)
    hors_compte.tentative_echouee(cles)
    return render(request, "portal/suivi/code.html", _contexte_code(form))


@never_cache
@require_http_methods(["GET", "POST"])
def renvoyer(request):
    """A new follow link by mail: the same answer whether a request matched or not."""
    form = LienRenvoyerForm(request.POST or None)
    context = {"page_title": _("Recevoir un nouveau lien de suivi"), "form": form}
    if request.method == "POST":
        cles = [hors_compte.tentative_cle("ip-lien", _ip(request))]
        email = request.POST.get("email", "").strip()
        if email:
            cles.append(hors_compte.tentative_cle("email", email))
        if hors_compte.limite_atteinte(cles):
            return _trop(request, "portal/suivi/renvoyer.html", context)
        if form.is_valid():
            hors_compte.tentative_echouee(cles)  # every request counts: no mail bombing
            hors_compte.lien_renvoyer(
                email=form.cleaned_data["email"],
                reference=form.cleaned_data["reference"],
                lien=_lien,
            )
            messages.info(
                request,
                _(
                    "Si une demande correspond à cette adresse et à cette référence, un "
                    "nouveau lien de suivi vient de lui être envoyé."
                ),
            )
            return redirect("portal:suivi_renvoyer")
    return render(request, "portal/suivi/renvoyer.html", context)


# --- Attaching to an account ----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rattacher(request):
    """Attach a request filed without an account to this account, with its key."""
    form = RattacherForm(
        request.POST or None, initial={"reference": request.GET.get("reference", "")[:40]}
    )
    context = {
        "page_title": _("Rattacher une demande faite sans compte"),
        "breadcrumb_links": [{"label": _("Mon compte"), "url": reverse("portal:account")}],
        "form": form,
    }
    if request.method == "POST":
        cles = [hors_compte.tentative_cle("compte", str(request.user.pk))]
        reference = request.POST.get("reference", "").strip().upper()
        if reference:
            cles.append(hors_compte.tentative_cle("reference", reference))
        if hors_compte.limite_atteinte(cles):
            return _trop(request, "portal/suivi/rattacher.html", context)
        if form.is_valid():
            try:
                dossier = hors_compte.dossier_rattacher(
                    user=request.user,
                    reference=form.cleaned_data["reference"],
                    cle=form.cleaned_data["cle"],
                )
            except hors_compte.RattachementRefuse as refus:
                form.add_error(None, refus.messages[0])
            else:
                messages.success(
                    request,
                    _("La demande %(reference)s est rattachée à votre compte.")
                    % {"reference": dossier.reference},
                )
                return redirect(page_du_dossier(dossier.pk))
        hors_compte.tentative_echouee(cles)
    return render(request, "portal/suivi/rattacher.html", context)
