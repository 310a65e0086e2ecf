"""Document templates and a dossier with the field kinds templates read (text, yes/no,
amount, date, choice, repeatable block, tableau)."""

import factory
from django.utils import timezone

from demo.formulaires import _champ
from demo.formulaires_commune import _ligne, _modele, _onglet
from dossiers import services as dossiers_services
from dossiers.models import Dossier
from editique.models import ModeleDocument
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import IndividuFactory

CORPS = """<h1>Accusé de réception</h1>
<p>Dossier <strong>{{ dossier.reference }}</strong> déposé par {{ demandeur.nom_complet }}.</p>
{% if dossier.valeurs.salle_equipee %}<p>Salle équipée demandée.</p>{% else %}<p>Salle nue.</p>{% endif %}
<p>Montant : {{ dossier.champs.montant }}</p>
<ul>{% for d in dossier.champs.depenses %}<li>{{ d.libelle }} : {{ d.cout }}</li>{% endfor %}</ul>
<table><tr><th>Poste</th><th>Montant</th></tr>
<tr><td>Fonctionnement</td><td>{{ dossier.champs.budget.fonctionnement.montant }}</td></tr>
<tr><td>Total</td><td>{{ dossier.champs.budget.total.montant }}</td></tr></table>
<p class="signature">Le {{ aujourdhui }}, {{ agent.nom_complet }}</p>"""


class ModeleDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModeleDocument

    nom = factory.Sequence(lambda n: f"Accusé de réception {n}")
    code = factory.Sequence(lambda n: f"accuse-{n}")
    contexte = "dossier"
    corps = "<p>Dossier {{ dossier.reference }} du {{ aujourdhui }}.</p>"
    pied = "<p>{{ collectivite.nom }}</p>"


FORMULAIRE = [
    _onglet(
        0,
        "Demande",
        _ligne(0, _champ("nom_association", "Nom de l’association", "texte")),
        _ligne(1, _champ("salle_equipee", "Salle équipée", "oui_non", obligatoire=False)),
        _ligne(2, _champ("montant", "Montant demandé", "montant")),
        _ligne(3, _champ("date_evenement", "Date de l’événement", "date", obligatoire=False)),
        _ligne(
            4,
            {
                **_champ("depenses", "Dépenses", "bloc_repetable", obligatoire=False),
                "sous_champs": [
                    _champ("libelle", "Libellé", "texte"),
                    _champ("cout", "Coût", "montant", ordre=1),
                ],
            },
        ),
        _ligne(
            5,
            _champ(
                "budget",
                "Budget",
                "tableau",
                obligatoire=False,
                options={
                    "lignes": [
                        ["fonctionnement", "Fonctionnement"],
                        ["investissement", "Investissement"],
                    ],
                    "colonnes": [
                        {"nom": "montant", "libelle": "Montant", "type": "montant", "total": True}
                    ],
                },
            ),
        ),
    )
]

DONNEES = {
    "nom_association": "Les Amis du Vieux Pont",
    "salle_equipee": False,
    "montant": "1234.50",
    "date_evenement": "2026-06-13",
    "depenses": [{"libelle": "Sono", "cout": "300.00"}, {"libelle": "Affiches", "cout": "45.00"}],
    "budget": {
        "fonctionnement": {"montant": "1000.00"},
        "investissement": {"montant": "200.00"},
    },
}


def dossier_depose(donnees=None, *, slug="location-salle"):
    """A submitted dossier of a dispositif whose published form has the fields above."""
    dispositif = DispositifFactory(slug=slug, titre="Location de salle")
    modele = dossiers_services.modele_importer(
        _modele(dispositif.code, FORMULAIRE), dispositif=dispositif
    )
    dossiers_services.modele_publier(modele=modele, by=None)
    dossier = dossiers_services.dossier_commencer(dispositif=dispositif, user=None, profil=None)
    dossier.demandeur_individu = IndividuFactory(prenom="Léa", nom="Durand", civilite="mme")
    # The stored (cleaned) form, written directly: what the wizard would have stored.
    dossier.donnees = dict(DONNEES if donnees is None else donnees)
    dossier.statut = Dossier.Statut.DEPOSE
    dossier.reference = f"2026-{dispositif.code}-000001"
    dossier.depose_le = timezone.now()
    dossier.save()
    return dossier
