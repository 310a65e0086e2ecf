"""A filed dossier expecting justificatifs, for the tests of P12."""

from dossiers import services
from dossiers.models import Champ, Ligne, Onglet, PieceAFournir, ProprietesVue, Vue
from tests.dossiers.factories import DispositifFactory, TypeJustificatifFactory


def dispositif_avec_pieces(**kwargs):
    """A published dispositif (one tab, one field) whose sheet asks two pieces linked to
    types: a mandatory « Justificatif de domicile » and an optional « RIB »."""
    dispositif = DispositifFactory(**kwargs)
    modele = services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Demandeur")
    ligne = Ligne.objects.create(onglet=onglet)
    Champ.objects.create(ligne=ligne, nom="nom", libelle="Nom", type="texte")
    services.modele_publier(modele=modele, by=None)
    domicile = TypeJustificatifFactory(
        code="domicile", libelle="Justificatif de domicile", duree_validite=90
    )
    rib = TypeJustificatifFactory(code="rib", libelle="RIB", formats=["pdf"])
    PieceAFournir.objects.create(
        dispositif=dispositif, libelle="Justificatif de domicile", type_justificatif=domicile
    )
    PieceAFournir.objects.create(
        dispositif=dispositif, libelle="RIB", obligatoire=False, type_justificatif=rib
    )
    PieceAFournir.objects.create(dispositif=dispositif, libelle="Sans type")
    return dispositif


def dossier_depose(user, *, profil=None, dispositif=None):
    dispositif = dispositif or dispositif_avec_pieces()
    dossier = services.dossier_commencer(dispositif=dispositif, user=user, profil=profil)
    dossier.donnees = {"nom": "Martin"}
    return services.dossier_deposer(dossier=dossier, user=user)


def dispositif_avec_piece_au_formulaire(**kwargs):
    """A published dispositif whose one tab asks « Nom » (texte, required), « Justificatif
    de domicile » (piece_justificative of type domicile, required) and, only when the name
    is « Dupont », « RIB » (piece_justificative of type rib, required)."""
    dispositif = DispositifFactory(**kwargs)
    modele = services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Demandeur")
    ligne = Ligne.objects.create(onglet=onglet)
    champs = [
        Champ.objects.create(ligne=ligne, nom="nom", libelle="Nom", type="texte"),
        Champ.objects.create(
            ligne=ligne,
            nom="domicile",
            libelle="Justificatif de domicile",
            type="piece_justificative",
            options={"type_document": "domicile"},
            ordre=1,
        ),
        Champ.objects.create(
            ligne=ligne,
            nom="rib",
            libelle="RIB",
            type="piece_justificative",
            options={"type_document": "rib"},
            condition={"champ": "nom", "op": "=", "valeur": "Dupont"},
            ordre=2,
        ),
    ]
    for champ in champs:
        ProprietesVue.objects.update_or_create(
            champ=champ, vue=Vue.INTERNET, defaults={"obligatoire": True}
        )
    services.modele_publier(modele=modele, by=None)
    TypeJustificatifFactory(code="domicile", libelle="Justificatif de domicile")
    TypeJustificatifFactory(code="rib", libelle="RIB", formats=["pdf"], taille_max=10_000)
    return dispositif
