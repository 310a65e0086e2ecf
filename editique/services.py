"""The verbs of éditique: check and publish a template, preview it, produce and store a
document. Callers hand the context (plain data) and what the document is for."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.gabarits import Probleme, Variable, valider
from editique import contextes, rendu
from editique.models import DOSSIER_DOCUMENTS, DocumentGenere, ModeleDocument, VersionModeleDocument

PARTIES = (("corps", "Corps"), ("entete", "En-tête"), ("pied", "Pied de page"))


def schema(modele: ModeleDocument) -> list[Variable]:
    """The variables the template may use: its context kind's, for its cible."""
    try:
        type_contexte = contextes.get(modele.contexte)
    except KeyError:
        return list(contextes.SCHEMA_COMMUN)
    return type_contexte.schema(modele.cible)


def problemes(modele: ModeleDocument, variables: list[Variable] | None = None) -> dict:
    """{part: [Probleme]} for the body, header and footer of the draft; empty: publishable."""
    variables = schema(modele) if variables is None else variables
    trouves: dict[str, list[Probleme]] = {}
    if modele.contexte not in {t.code for t in contextes.types()}:
        trouves["corps"] = [Probleme("", None, _("Contexte inconnu : « %s ».") % modele.contexte)]
    for partie, _libelle in PARTIES:
        source = getattr(modele, partie) or ""
        liste = valider(source, variables)
        if liste:
            trouves.setdefault(partie, []).extend(liste)
    return trouves


@transaction.atomic
def modele_publier(*, modele: ModeleDocument, par=None) -> VersionModeleDocument:
    """Freezes the draft as the next version; refused (ValidationError, the problems in
    French) while the template has any problem."""
    modele = ModeleDocument.objects.select_for_update().get(pk=modele.pk)
    trouves = problemes(modele)
    if trouves:
        messages = [
            f"{dict(PARTIES)[partie]} — {probleme}"
            for partie, liste in trouves.items()
            for probleme in liste
        ]
        raise ValidationError(messages)
    dernier = modele.versions.aggregate(n=Max("numero"))["n"] or 0
    return VersionModeleDocument.objects.create(
        modele=modele, numero=dernier + 1, publie_par=par, **modele.mise_en_page()
    )


def rendre(mise_en_page: dict, contexte: dict[str, Any], *, titre: str) -> rendu.Rendu:
    return rendu.rendre_document(mise_en_page, contexte, titre)


def produire(rendu_: rendu.Rendu, format_: str) -> bytes:
    if format_ == DocumentGenere.Format.DOCX:
        return rendu.docx(rendu_)
    return rendu.pdf(rendu_)


def apercu(modele: ModeleDocument, contexte: dict[str, Any], format_: str) -> bytes:
    """The draft rendered on a context, not stored (ErreurGabarit on a template error)."""
    return produire(rendre(modele.mise_en_page(), contexte, titre=modele.nom), format_)


@transaction.atomic
def document_generer(
    *,
    modele: ModeleDocument,
    contexte: dict[str, Any],
    format_: str = DocumentGenere.Format.PDF,
    objet=None,
    titre: str = "",
    par=None,
    depose_usager: bool | None = None,
) -> DocumentGenere:
    """Produces a document from the latest published version and stores it (file through
    the default storage, SHA-256, version, who and when), attached to `objet` if given.
    ValidationError when the template has no published version; ErreurGabarit when the
    context lacks a variable."""
    version = modele.versions.order_by("-numero").first()
    if version is None:
        raise ValidationError(_("Ce modèle n’a pas de version publiée."))
    titre = titre or modele.nom
    contenu = produire(rendre(version.mise_en_page(), contexte, titre=titre), format_)
    maintenant = timezone.now()
    document = DocumentGenere(
        modele=modele,
        version=version,
        titre=titre[:255],
        format=format_,
        empreinte=hashlib.sha256(contenu).hexdigest(),
        taille=len(contenu),
        objet=objet,
        depose_usager=modele.deposer_usager if depose_usager is None else depose_usager,
        cree_par=par,
        created_at=maintenant,
    )
    nom = f"{modele.code}-{maintenant:%Y%m%d-%H%M%S}-{document.empreinte[:8]}.{format_}"
    # The file is written before its row commits: if this fails here it is removed at
    # once; if the caller's transaction rolls back later, the sweeper removes it.
    document.fichier.save(nom, ContentFile(contenu), save=False)
    try:
        document.save()
    except BaseException:
        document.fichier.storage.delete(document.fichier.name)
        raise
    return document


# Longer than any transaction that produces documents: a younger file may belong to a
# row not committed yet.
ANCIENNETE_ORPHELIN = timedelta(hours=1)


def fichiers_orphelins_supprimer(*, anciennete: timedelta = ANCIENNETE_ORPHELIN) -> list[str]:
    """Deletes the stored files of generated documents whose row does not exist (their
    transaction rolled back after the file was written), once older than `anciennete`.
    Run by beat every hour; returns the names deleted."""
    stockage = DocumentGenere._meta.get_field("fichier").storage
    limite = timezone.now() - anciennete
    supprimes: list[str] = []

    def parcourir(dossier: str) -> None:
        try:
            sous_dossiers, fichiers = stockage.listdir(dossier)
        except FileNotFoundError:
            return
        for sous in sorted(sous_dossiers):
            parcourir(f"{dossier}/{sous}")
        if not fichiers:
            return
        connus = set(
            DocumentGenere.objects.filter(fichier__startswith=f"{dossier}/").values_list(
                "fichier", flat=True
            )
        )
        for fichier in sorted(fichiers):
            nom = f"{dossier}/{fichier}"
            if nom not in connus and stockage.get_modified_time(nom) < limite:
                stockage.delete(nom)
                supprimes.append(nom)

    parcourir(DOSSIER_DOCUMENTS)
    return supprimes


def document_verifier(document: DocumentGenere) -> bool:
    """True when the stored file still has the checksum recorded at production."""
    with document.fichier.open("rb") as fichier:
        return hashlib.sha256(fichier.read()).hexdigest() == document.empreinte
