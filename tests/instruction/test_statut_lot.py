"""The set-based change of a chunk of dossiers (services_statut_lot) against N single
change_status calls: two identical sets of dossiers, in two dispositifs with the same
guide, moved the same way — one set by change_status dossier by dossier, the other by
statut_changer_lot — must end with the same rows: suivis, sort keys, changes, history
lines, fields, assignments, conversations, outbox rows, the journal's events and the
dashboard's counters, and the same hand-overs on commit. Then the refusals, the
fallback of a statut whose action has no set-based path, a failing action isolating its
dossier, and two connections at once."""

import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse

from dossiers import services_conversation
from dossiers.models import Conversation, Dossier, Historique
from instruction import actions, services, services_statut_lot
from instruction.actions import champs as action_champs
from instruction.models import ChangementStatut, Statut, SuiviInstruction
from instruction.models_compteurs import CompteurBannette
from instruction.services_statut_lot import Demande, statut_changer_lot
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import ActionStatutFactory, guide_publie
from tests.usagers.factories import IndividuFactory

DossierEvent = apps.get_model("dossiers", "DossierEvent")
SuiviEvent = apps.get_model("instruction", "SuiviInstructionEvent")


class Marquer(actions.TypeAction):
    """A module's type: no set-based path, so its statut's dossiers go one by one."""

    code = "test-lot-marquer"
    libelle = "Marquer prioritaire"

    def executer(self, dossier, config, contexte):
        dossier.prioritaire = True
        dossier.save(update_fields=["prioritaire"])


@pytest.fixture
def marquer():
    actions.register(Marquer)
    yield
    actions._types.pop(Marquer.code)


@pytest.fixture
def courriel(db):
    modele = ModeleMessage.objects.create(
        nom="Statut (lot)",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Dossier {{ dossier.reference }} : {{ statut.libelle }}",
        corps="Bonjour {{ demandeur.prenom }}, {{ statut.etape }} : {{ lien }}",
    )
    assert notifications_services.modele_publier(modele) == []
    # The event's own mapping too: `_notifier`'s outbox rows.
    notifications_services.correspondance_enregistrer(
        evenement=services.EVENEMENT_STATUT, modele=modele
    )
    return modele


@pytest.fixture
def bloquer(monkeypatch):
    """The fields' action fails for a dossier named « Bloque » (one by one or in a chunk)."""
    executer, executer_lot = action_champs.Action.executer, action_champs.Action.executer_lot

    def verifier(dossier):
        if dossier.donnees.get("nom") == "Bloque":
            raise ValidationError("Valeur refusée pour ce dossier.")

    def un(self, dossier, config, contexte):
        verifier(dossier)
        return executer(self, dossier, config, contexte)

    def lot(self, dossiers, config, contextes):
        for dossier in dossiers:
            verifier(dossier)
        return executer_lot(self, dossiers, config, contextes)

    monkeypatch.setattr(action_champs.Action, "executer", un)
    monkeypatch.setattr(action_champs.Action, "executer_lot", lot)


def _guide(instructeur, courriel):
    """The test guide, with the benchmark's five actions on « En instruction », the
    conversation closed and a field set on « Accordé » (which closes the dossier), a
    module's action on « Incomplet »."""
    dispositif = dispositif_publie()
    statuts = guide_publie(dispositif)
    for ordre, (type_, config) in enumerate(
        [
            ("champs", {"valeurs": {"etape": "instruction", "a_relancer": False}}),
            ("suivi", {"texte": "Votre dossier est en cours d’examen."}),
            ("attribuer", {"agent": instructeur.pk}),
            ("courriel", {"modele": courriel.pk}),
            ("conversation", {"ouvrir": True}),
        ]
    ):
        ActionStatutFactory(statut=statuts["instruction"], ordre=ordre, type=type_, config=config)
    ActionStatutFactory(
        statut=statuts["accorde"], ordre=0, type="champs", config={"valeurs": {"etape": "fin"}}
    )
    ActionStatutFactory(
        statut=statuts["accorde"], ordre=1, type="conversation", config={"ouvrir": False}
    )
    ActionStatutFactory(statut=statuts["incomplet"], ordre=0, type=Marquer.code, config={})
    return dispositif, statuts


def _ensemble(citizen, instructeur, admin_user, courriel):
    """One set of dossiers and the moves to make, the same for both sets: (dossier,
    target code, seen code)."""
    dispositif, statuts = _guide(instructeur, courriel)

    def nouveau(**kwargs):
        individu = IndividuFactory(prenom="Léa", nom="Durand", email="lea@exemple.fr")
        return deposer(dispositif, citizen, individu=individu, **kwargs)

    simple = nouveau()
    rouverte = nouveau()  # its conversation opened then closed: reopened
    services_conversation.conversation_ouvrir(rouverte, instructeur)
    services_conversation.conversation_fermer(rouverte, instructeur)
    deja_attribue = nouveau()  # assigned to someone else: « avant » in the history
    Dossier.objects.filter(pk=deja_attribue.pk).update(agent=admin_user)
    a_clore = nouveau()  # in instruction, its conversation open: closed and closed
    services.change_status(dossier=a_clore, statut=statuts["instruction"], by=instructeur)
    sans_adresse = deposer(dispositif, None)  # no mail to anyone
    interdit = nouveau()  # Déposé → Accordé: the guide refuses
    deja = nouveau()
    services.change_status(dossier=deja, statut=statuts["instruction"], by=None)
    vu_avant = nouveau()  # the agent saw another statut
    module = nouveau()  # « Incomplet »'s module action: alone
    motif = nouveau()  # « Refusé » needs a reason
    services.change_status(dossier=motif, statut=statuts["instruction"], by=None)
    sans_guide = deposer(dispositif_publie(), citizen)
    moves = [
        (simple, "instruction", "depose"),
        (rouverte, "instruction", "depose"),
        (deja_attribue, "instruction", "depose"),
        (a_clore, "accorde", "instruction"),
        (sans_adresse, "instruction", "depose"),
        (interdit, "accorde", "depose"),
        (deja, "instruction", "instruction"),
        (vu_avant, "instruction", "instruction"),
        (module, "incomplet", "depose"),
        (motif, "refuse", None),
        (sans_guide, "instruction", None),
    ]
    return (
        dispositif,
        statuts,
        [
            (Dossier.objects.get(pk=d.pk), statuts[vers], statuts[vu] if vu else None)
            for d, vers, vu in moves
        ],
    )


def _moment(valeur, le):
    return None if valeur is None else "=le" if valeur == le else "autre"


def _texte(valeur, dossier, cles):
    if not isinstance(valeur, str):
        return valeur
    valeur = valeur.replace(reverse("portal:dossier", args=[dossier.pk]), "<lien>")
    valeur = valeur.replace(dossier.reference, "<ref>")
    for pk, nom in cles.items():
        valeur = valeur.replace(f":{pk}:", f":{nom}:")
    return valeur


def _photo(dossier):
    """Everything a change writes for this dossier, with what must differ between two
    sets (ids, references, timestamps) replaced by what it stands for."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    changements = list(ChangementStatut.objects.filter(dossier=dossier).order_by("pk"))
    le = changements[-1].le if changements else None
    cles = {c.pk: f"c{i}" for i, c in enumerate(changements)}
    suivi = SuiviInstruction.objects.filter(dossier=dossier).select_related("statut").first()
    conversation = Conversation.objects.filter(dossier=dossier).first()
    return {
        "dossier": (
            dossier.statut,
            _moment(dossier.clos_le, le),
            dossier.donnees,
            dossier.agent_id,
            dossier.prioritaire,
            dossier.tri_avancement,
            dossier.tri_statut and Statut.objects.get(pk=dossier.tri_statut).code,
            dossier.tri_echeance - suivi.etape_entree_le if suivi and suivi.echeance else None,
        ),
        "suivi": suivi
        and (
            suivi.statut.code,
            _moment(suivi.entre_le, le),
            _moment(suivi.etape_entree_le, le),
            suivi.echeance and suivi.echeance - suivi.etape_entree_le,
        ),
        "changements": [
            (c.de and c.de.code, c.vers.code, c.par_id, c.motif, c.retour) for c in changements
        ],
        "historique": [
            (
                h.nature,
                _texte(h.libelle, dossier, cles),
                h.details,
                h.visible_usager,
                h.par_id,
                _moment(h.quand, le),
            )
            for h in Historique.objects.filter(dossier=dossier).order_by("pk")
        ],
        "conversation": conversation
        and (
            conversation.ouverte,
            conversation.ouverte_par_id,
            conversation.fermee_par_id,
            conversation.fermee_le is None,
        ),
        "messages": [
            (
                m.canal,
                m.statut,
                m.destinataire,
                _texte(m.sujet, dossier, cles),
                _texte(m.corps, dossier, cles),
                _texte(m.corps_html, dossier, cles),
                m.pieces_jointes,
                m.evenement,
                m.modele_id,
                m.usager_id,
                m.objet_type_id,
                _texte(m.cle, dossier, cles),
            )
            for m in Message.objects.filter(objet_id=str(dossier.pk)).order_by("pk")
        ],
        "journal": [
            (e.pgh_label, e.statut, e.agent_id, e.donnees, e.prioritaire)
            for e in DossierEvent.objects.filter(pgh_obj_id=dossier.pk).order_by("pgh_id")
        ],
        "journal_suivi": [
            (e.pgh_label, e.statut.code)
            for e in SuiviEvent.objects.filter(pgh_obj_id=dossier.pk)
            .select_related("statut")
            .order_by("pgh_id")
        ],
    }


def _compteurs(dispositif):
    """The bannettes' counter of the dispositif, by statut code (its rows summed)."""
    sommes = (
        CompteurBannette.objects.filter(dispositif=dispositif)
        .values_list("statut_id")
        .annotate(n=Sum("nombre"))
    )
    codes = dict(Statut.objects.values_list("pk", "code"))
    return {codes.get(statut): n for statut, n in sommes if n}


def _issue(erreur_ou_changement):
    if isinstance(erreur_ou_changement, ValidationError):
        return ("refus", erreur_ou_changement.messages)
    if isinstance(erreur_ou_changement, Exception):
        return ("erreur", type(erreur_ou_changement).__name__)
    return ("fait", erreur_ou_changement.vers.code)


def _un_par_un(moves, by, reason):
    issues = []
    for dossier, statut, attendu in moves:
        try:
            issues.append(
                _issue(
                    services.change_status(
                        dossier=dossier, statut=statut, by=by, reason=reason, attendu=attendu
                    )
                )
            )
        except ValidationError as erreur:
            issues.append(_issue(erreur))
    return issues


def _par_lot(moves, by, reason):
    demandes = [Demande(dossier=d, statut=s, attendu=a) for d, s, a in moves]
    return [
        _issue(i.erreur or i.changement)
        for i in statut_changer_lot(demandes=demandes, by=by, reason=reason)
    ]


@pytest.fixture
def appels(monkeypatch):
    """The dossiers change_status moved alone."""
    vrai, faits = services.change_status, []

    def espion(**kwargs):
        faits.append(kwargs["dossier"].pk)
        return vrai(**kwargs)

    monkeypatch.setattr(services, "change_status", espion)
    return faits


def test_a_chunk_writes_what_one_change_status_per_dossier_writes(
    citizen,
    instructeur,
    admin_user,
    courriel,
    marquer,
    appels,
    django_capture_on_commit_callbacks,
):
    # Each set spans two guides (two dispositifs): a chunk groups each round of actions
    # by config across the statuts of the same code.
    ensembles = [_ensemble(citizen, instructeur, admin_user, courriel) for _ in range(4)]
    dispositifs_a, dispositifs_b = [e[0] for e in ensembles[:2]], [e[0] for e in ensembles[2:]]
    moves_a = ensembles[0][2] + ensembles[1][2]
    moves_b = ensembles[2][2] + ensembles[3][2]
    compteurs = ([_compteurs(d) for d in dispositifs_a], [_compteurs(d) for d in dispositifs_b])
    assert compteurs[0] == compteurs[1]
    avant = [_photo(d) for d, _s, _a in moves_a]
    assert avant == [_photo(d) for d, _s, _a in moves_b]  # two identical sets

    with django_capture_on_commit_callbacks() as remis_a:
        issues_a = _un_par_un(moves_a, instructeur, "")
    appels.clear()
    with django_capture_on_commit_callbacks() as remis_b:
        issues_b = _par_lot(moves_b, instructeur, "")

    assert issues_a == issues_b
    attendues = [
        "fait",
        "fait",
        "fait",
        "fait",
        "fait",
        "refus",
        "refus",
        "refus",
        "fait",
        "refus",
        "refus",
    ]
    assert [i[0] for i in issues_a] == attendues * 2
    assert issues_a[5][1] == ["Le guide ne permet pas de passer de « Déposé » à « Accordé »."]
    assert issues_a[6][1] == ["Le dossier a déjà ce statut."]
    assert issues_a[7][1][0].startswith("Un autre agent vient de changer le statut")
    assert issues_a[9][1] == ["Indiquez le motif de ce changement."]
    assert issues_a[10][1] == ["Ce dossier ne suit pas de guide d’instruction."]
    # Only the module's action and the dossiers without guide went through change_status.
    seuls = [moves_b[r][0].pk for r in (8, 10, 19, 21)]
    assert sorted(appels) == sorted(seuls)

    apres_a = [_photo(d) for d, _s, _a in moves_a]
    apres_b = [_photo(d) for d, _s, _a in moves_b]
    for rang, (a, b) in enumerate(zip(apres_a, apres_b, strict=True)):
        assert a == b, rang
    assert apres_a != avant  # something was written
    assert apres_a[0]["dossier"][2]["etape"] == "instruction"
    assert len(apres_a[0]["messages"]) == 2  # the action's mail and the event's
    assert apres_a[3]["dossier"][0] == Dossier.Statut.CLOS
    apres = ([_compteurs(d) for d in dispositifs_a], [_compteurs(d) for d in dispositifs_b])
    assert apres[0] == apres[1]
    assert apres[0] != compteurs[0]
    assert len(remis_a) == len(remis_b) > 0  # the outbox rows handed over on commit


def test_a_failing_action_isolates_its_dossier(
    citizen, instructeur, admin_user, courriel, bloquer, appels
):
    dispositif, statuts = _guide(instructeur, courriel)
    individu = IndividuFactory(prenom="Léa", nom="Durand", email="lea@exemple.fr")
    bon = deposer(dispositif, citizen, individu=individu)
    bloque = deposer(dispositif, citizen, donnees={"nom": "Bloque", "montant": "1"})
    appels.clear()
    issues = statut_changer_lot(
        demandes=[Demande(bon, statuts["instruction"]), Demande(bloque, statuts["instruction"])],
        by=instructeur,
    )
    # The chunk rolled back, then each dossier alone: the good one moved, the other
    # refused with change_status's message, nothing of it written.
    assert sorted(appels) == sorted([bon.pk, bloque.pk])
    assert issues[0].changement is not None and issues[0].changement.vers == statuts["instruction"]
    assert issues[1].erreur.messages == [
        "L’action « Renseigner des champs » a échoué : Valeur refusée pour ce dossier."
    ]
    assert SuiviInstruction.objects.get(dossier=bloque).statut == statuts["depose"]
    assert not Conversation.objects.filter(dossier=bloque).exists()
    assert not Message.objects.filter(objet_id=str(bloque.pk)).exists()
    assert ChangementStatut.objects.filter(dossier=bon).count() == 2
    assert Message.objects.filter(objet_id=str(bon.pk)).count() == 2


def test_the_callers_copies_see_the_change(citizen, instructeur, courriel):
    dispositif, statuts = _guide(instructeur, courriel)
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    issues = statut_changer_lot(
        demandes=[Demande(d, statuts["instruction"], statuts["depose"]) for d in dossiers],
        by=instructeur,
    )
    for dossier, issue in zip(dossiers, issues, strict=True):
        assert issue.erreur is None
        assert dossier.agent_id == instructeur.pk and dossier.donnees["etape"] == "instruction"
        assert Dossier.suivi_instruction.related.get_cached_value(dossier).statut_id == (
            statuts["instruction"].pk
        )


def test_chunks_of_taille(citizen, instructeur, courriel, monkeypatch):
    monkeypatch.setattr(services_statut_lot, "TAILLE", 2)
    dispositif, statuts = _guide(instructeur, courriel)
    dossiers = [deposer(dispositif, citizen) for _ in range(5)]
    issues = statut_changer_lot(
        demandes=[Demande(d, statuts["instruction"]) for d in dossiers], by=instructeur
    )
    assert [i.erreur for i in issues] == [None] * 5
    assert (
        SuiviInstruction.objects.filter(dossier__in=dossiers, statut=statuts["instruction"]).count()
        == 5
    )


@pytest.mark.django_db(transaction=True)
def test_a_chunk_waits_for_a_single_change_and_sees_it(citizen, instructeur):
    statuts = guide_publie(dispositif_publie())
    dispositif = statuts["depose"].version.guide.dispositif
    avant, pris, apres = (deposer(dispositif, citizen) for _ in range(3))
    dedans, continuer, resultats = threading.Event(), threading.Event(), {}

    def seul():
        try:
            with transaction.atomic():
                services.change_status(
                    dossier=pris, statut=statuts["instruction"], by=None, attendu=statuts["depose"]
                )
                dedans.set()
                continuer.wait(5)
        finally:
            connection.close()

    def lot():
        try:
            resultats["lot"] = statut_changer_lot(
                demandes=[
                    Demande(d, statuts["incomplet"], statuts["depose"])
                    for d in (avant, pris, apres)
                ],
                by=None,
            )
        finally:
            connection.close()

    premier = threading.Thread(target=seul)
    premier.start()
    assert dedans.wait(5)
    second = threading.Thread(target=lot)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the single change's row lock
    continuer.set()
    premier.join(5)
    second.join(10)
    issues = resultats["lot"]
    assert issues[0].erreur is None and issues[2].erreur is None
    assert (
        issues[1]
        .erreur.messages[0]
        .startswith(
            "Un autre agent vient de changer le statut de ce dossier (il est maintenant "
            "« En instruction »)"
        )
    )
    etats = dict(
        SuiviInstruction.objects.filter(dossier__in=[avant, pris, apres]).values_list(
            "dossier_id", "statut__code"
        )
    )
    assert etats == {avant.pk: "incomplet", pris.pk: "instruction", apres.pk: "incomplet"}
