"""The demo's everyday form models publish cleanly and can be filled and submitted."""

import datetime
import re

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import Dispositif, ModeleDossier
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

DANS_DIX_JOURS = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

REPONSES = {
    "SAL": {
        "salles-rang-1": "salle-polyvalente",
        "salles-rang-2": "salle-des-fetes",
        "nature_evenement": "familial",
        "type_evenement": "anniversaire",
        "debut": "2027-06-12T14:00",
        "fin": "2027-06-13T02:00",
        "nb_personnes": "80",
        "sonorisation": "oui",
        "buvette": "non",
        "resident": "oui",
        "nb_jours": "2",
        "telephone": "06 12 34 56 78",
        "reglement": "on",
    },
    "BEN": {
        "dechets": ["gravats", "bois"],
        "volume": "6",
        "date_souhaitee": DANS_DIX_JOURS,
        "duree": "3",
        "adresse_depot_numero_voie": "12 rue des Mariniers",
        "adresse_depot_code_postal": "18240",
        "adresse_depot_commune": "Belleville-sur-Loire",
        "plan_depot": '{"type": "Point", "coordinates": [2.8522, 47.5014]}',
        "emplacement": "voie",
        "telephone": "0612345678",
        "engagement": "on",
    },
    "ASF": {
        "civilite": "mme",
        "nom": "Martin",
        "prenom": "Claire",
        "date_naissance": "1984-03-02",
        "situation_familiale": "separe",
        "personnes_foyer": "3",
        "revenus": "1 450,00",
        "charges.loyer.montant": "520",
        "charges.energie.montant": "110",
        "charges.autres.precision": "",
        "nature_aide": "energie",
        "montant_sollicite": "180",
        "engagement": "on",
    },
    "ETC": {
        "type_acte": "naissance",
        "type_copie": "integrale",
        "qualite": "titulaire",
        "exemplaires": "2",
        "nom_acte": "Martin",
        "prenoms_acte": "Claire Anne",
        "date_evenement": "1984-03-02",
        "en_france": "oui",
        "lieu_evenement": "Nantes",
        "pays_evenement": "BE",  # hidden by the condition: dropped
        "nom_pere": "Martin Paul",
        "nom_mere": "Durand Sophie",
        "delivrance": "courrier",
        "adresse_envoi": "4 quai de la Loire\n44000 Nantes",
        "email": "claire.martin@exemple.fr",
        "engagement": "on",
    },
}


class Posted(dict):
    """What a browser posts: getlist for multiple values, like a QueryDict."""

    def getlist(self, key):
        value = self.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def _remplir(code: str, user):
    dispositif = Dispositif.objects.get(code=code)
    dossier = services.dossier_commencer(dispositif=dispositif, user=user)
    onglets = services.modele_onglets(dossier.modele)
    vus = set()
    while True:
        etapes = services.etapes_visibles(dossier, onglets)
        suivantes = [o for o in etapes if o.pk not in vus]
        if not suivantes:
            break
        onglet = suivantes[0]
        vus.add(onglet.pk)
        cleaned, erreurs = services.etape_valider(
            dossier=dossier, onglet=onglet, data=Posted(REPONSES[code])
        )
        assert erreurs == {}, (code, onglet.titre, {k: e.messages for k, e in erreurs.items()})
        services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    return services.dossier_deposer(dossier=dossier, user=user)


def test_every_demo_form_model_is_published_and_valid(demo):
    for code in ("SUB", "SAL", "BEN", "PER", "ASF", "ETC"):
        modeles = ModeleDossier.objects.filter(dispositif__code=code)
        if code == "PER" and not modeles.exists():
            continue  # the périscolaire form comes with the repeatable block
        modele = modeles.get()
        assert modele.statut == "publie", code
        assert services.modele_verifier(modele) == [], code


@pytest.mark.parametrize("code", ["SAL", "BEN", "ASF", "ETC"])
def test_demo_form_can_be_filled_and_submitted(demo, code):
    dossier = _remplir(code, UserFactory())
    # A reference of its dispositif (the demo itself submits a room hire: not -000001).
    assert re.fullmatch(rf"\d{{4}}-{code}-\d{{6}}", dossier.reference)
    donnees = dossier.donnees
    if code == "SAL":
        assert donnees["tarif"] == "350.00"  # 150 € × 2 days + the sound system
    if code == "BEN":
        assert donnees["cout"] == "270.00"  # 6 m³ × 40 € + 2 extra days × 15 €
    if code == "ASF":
        # (1450 − 520 − 110 − 0) / 3 people / 30 days
        assert donnees["reste_a_vivre"] == "9.11"
        assert "precision_aide" not in donnees  # hidden: not "autre"
        assert donnees["charges"]["loyer"]["montant"] == "520.00"
    if code == "ETC":
        assert donnees["nom_pere"] == "Martin Paul"  # filiation shown for a full copy
        assert donnees["lieu_evenement"] == "44109"  # Nantes, by its INSEE code
        assert "pays_evenement" not in donnees
    if code == "SAL":
        assert donnees["salles"] == ["salle-polyvalente", "salle-des-fetes"]
    if code == "BEN":
        assert donnees["adresse_depot"]["code_insee"] == "18026"  # geolocated (fake BAN)
