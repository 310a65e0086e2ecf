"""The demo's document templates: published, and each renders on a real demo dossier
(or its sample context) to a PDF that says what it should."""

import io

import pytest
from pypdf import PdfReader

from dossiers import editique as dossiers_editique
from dossiers.models import Dossier
from editique import contextes, services
from editique.models import ModeleDocument

pytestmark = pytest.mark.django_db


def _texte(contenu: bytes) -> tuple[str, int]:
    lecteur = PdfReader(io.BytesIO(contenu))
    texte = " ".join(p.extract_text() for p in lecteur.pages)
    # One line of words: extraction wraps lines where the PDF does, spaces vary.
    texte = " ".join(texte.replace("\u202f", " ").replace("\u00a0", " ").split())
    return texte, len(lecteur.pages)


def test_demo_templates_are_published_and_render(demo):
    modeles = {m.code: m for m in ModeleDocument.objects.prefetch_related("versions")}
    assert set(modeles) == {
        "accuse-reception",
        "arrete-subvention",
        "convention-salle",
        "proces-verbal-commission",  # issue 9, demo/commissions.py
    }
    assert all(m.version_publiee and not services.problemes(m) for m in modeles.values())

    # The filed one (the demo also keeps a draft of this dispositif).
    location = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).get(
        dispositif__slug="location-salle-municipale"
    )
    assert location.reference
    contexte = dossiers_editique.contexte_dossier(location)
    texte, pages = _texte(services.apercu(modeles["convention-salle"], contexte, "pdf"))
    assert pages == 2
    assert "Salle des fêtes (300 places)" in texte
    assert "Sonorisation (forfait de 50 €)" in texte
    assert "« habitant » s’applique : 200,00 €" in texte
    texte, _pages = _texte(services.apercu(modeles["accuse-reception"], contexte, "pdf"))
    assert "Madame," in texte and location.reference in texte

    subvention = contextes.get("dossier").exemple("subvention-associations")
    texte, _pages = _texte(services.apercu(modeles["arrete-subvention"], subvention, "pdf"))
    assert "portant attribution d’une subvention" in texte
    assert "1 250,00 €" in texte
