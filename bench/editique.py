"""Issue 6: document production speed, in one process (one worker core).

Measures, on the demo's templates and a dossier-shaped context (plain data, as
dossiers/editique.py builds it):

- one-page receipts (the demo's « Accusé de réception »): rendered, cleaned, laid out
  and written as PDF, then as DOCX; per second of wall time and per second of the
  process's CPU time (= per worker core);
- ten-page dossier PDFs: a summary of a dossier with a long repeatable block (a table
  of expenses), the row count calibrated so the PDF has exactly ten pages.

Goal: ≥ 10 receipts per second per worker core. Prints a table and writes
var/bench/editique.json. Needs no database.
"""

import datetime as dt
import io
import json
import os
import time
from decimal import Decimal
from pathlib import Path

SECONDES = float(os.environ.get("BENCH_EDITIQUE_SECONDS", "8"))
OBJECTIF = 10.0

DOSSIER_LONG = """<h1>Dossier {{ dossier.reference }}</h1>
<p>{{ dossier.dispositif }} — déposé le {{ dossier.depose_le }} par {{ demandeur.nom_complet }},
{{ demandeur.adresse }}, {{ demandeur.code_postal }} {{ demandeur.commune }}.</p>
<h2>Projet</h2>
<p class="justifie">{{ dossier.champs.description }}</p>
<h2>Dépenses prévues</h2>
<table><thead><tr><th>N°</th><th>Poste</th><th>Fournisseur</th><th>Date</th><th>Montant</th></tr></thead>
<tbody>{% for d in dossier.champs.depenses %}<tr><td>{{ loop.index }}</td><td>{{ d.poste }}</td>
<td>{{ d.fournisseur }}</td><td>{{ d.date }}</td><td class="droite">{{ d.montant }}</td></tr>{% endfor %}
</tbody></table>
<p>Total : <strong>{{ dossier.valeurs.total|montant }}</strong>
{% if dossier.valeurs.total > 10000 %}(au-delà de 10 000 €, une convention est requise){% endif %}</p>
<p class="signature">Le {{ aujourdhui }}, {{ agent.nom_complet }}</p>"""


def _contexte(lignes: int = 0) -> dict:
    depenses = [
        {
            "poste": f"Poste de dépense n° {i} (matériel, location, prestations)",
            "fournisseur": f"Fournisseur {i % 17} SARL",
            "date": f"{1 + i % 28} mars 2026",
            "montant": f"{100 + i * 7},50\u00a0€",
        }
        for i in range(lignes)
    ]
    return {
        "dossier": {
            "reference": "2026-SUB-000123",
            "dispositif": "Subvention aux associations",
            "statut": "Déposé",
            "depose_le": dt.date(2026, 2, 27),
            "cree_le": dt.date(2026, 2, 20),
            "champs": {"description": "Fête du fleuve et animations. " * 20, "depenses": depenses},
            "valeurs": {"total": Decimal(sum(100 + i * 7 for i in range(lignes)))},
        },
        "demandeur": {
            "type": "individu",
            "nom_complet": "Madame Camille Martin",
            "civilite": "Madame",
            "prenom": "Camille",
            "nom": "Martin",
            "email": "usager@demo.guichet.fr",
            "telephone": "06 12 34 56 78",
            "adresse": "12 rue des Tanneurs",
            "complement_adresse": "",
            "code_postal": "18240",
            "commune": "Belleville-sur-Loire",
            "siret": "",
        },
        "collectivite": {"nom": "Ville de Belleville-sur-Loire"},
        "agent": {
            "prenom": "Sophie",
            "nom": "Durand",
            "nom_complet": "Sophie Durand",
            "email": "agent@demo.guichet.fr",
        },
        "aujourdhui": dt.date(2026, 3, 2),
    }


def _mesurer(produire, secondes: float) -> dict:
    produire()  # warm: fonts, compiled template
    n = 0
    debut, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - debut < secondes:
        produire()
        n += 1
    duree, cpu = time.perf_counter() - debut, time.process_time() - cpu
    return {
        "documents": n,
        "seconds": round(duree, 2),
        "cpu_seconds": round(cpu, 2),
        "per_second": round(n / duree, 1),
        "per_core_second": round(n / cpu, 1) if cpu else None,
    }


def _pages(contenu: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(contenu)).pages)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from demo.editique import ACCUSE, PIED
    from editique import services

    print("Benchmark — éditique (issue 6), un processus (un cœur)", flush=True)
    accuse = {"corps": ACCUSE, "pied": PIED, "orientation": "portrait", "marge_mm": 20}
    recu = _contexte()
    pdf_recu = services.produire(services.rendre(accuse, recu, titre="Accusé"), "pdf")
    if _pages(pdf_recu) != 1:
        raise SystemExit("L’accusé de réception doit tenir sur une page.")

    # Ten pages: calibrate the expense rows (about 30 a page), then check.
    long_ = {"corps": DOSSIER_LONG, "pied": PIED, "orientation": "portrait", "marge_mm": 20}
    lignes = 250
    for _ in range(6):
        contenu = services.produire(
            services.rendre(long_, _contexte(lignes), titre="Dossier"), "pdf"
        )
        pages = _pages(contenu)
        if pages == 10:
            break
        lignes = max(1, int(lignes * 9.5 / pages))
    if pages != 10:
        raise SystemExit(f"Calibrage : {pages} pages avec {lignes} lignes.")
    contexte_long = _contexte(lignes)

    resultats = {
        "receipt_pdf": _mesurer(
            lambda: services.produire(services.rendre(accuse, recu, titre="Accusé"), "pdf"),
            SECONDES,
        ),
        "receipt_pdf_a": _mesurer(
            lambda: services.produire(
                services.rendre({**accuse, "archivage": True}, recu, titre="Accusé"), "pdf"
            ),
            SECONDES / 2,
        ),
        "receipt_docx": _mesurer(
            lambda: services.produire(services.rendre(accuse, recu, titre="Accusé"), "docx"),
            SECONDES / 2,
        ),
        "ten_page_pdf": _mesurer(
            lambda: services.produire(
                services.rendre(long_, contexte_long, titre="Dossier"), "pdf"
            ),
            SECONDES,
        ),
    }
    libelles = {
        "receipt_pdf": "Accusé de réception, PDF (1 page)",
        "receipt_pdf_a": "Accusé de réception, PDF/A-3b (1 page)",
        "receipt_docx": "Accusé de réception, DOCX",
        "ten_page_pdf": f"Dossier de 10 pages, PDF ({lignes} lignes)",
    }
    print(f"\n  {'document':<44} {'nombre':>7} {'par s':>8} {'par s CPU':>10}")
    for cle, mesure in resultats.items():
        print(
            f"  {libelles[cle]:<44} {mesure['documents']:>7} {mesure['per_second']:>8.1f} "
            f"{mesure['per_core_second']:>10.1f}"
        )
    par_coeur = resultats["receipt_pdf"]["per_core_second"]
    atteint = par_coeur >= OBJECTIF
    print(f"\n  Accusés PDF par seconde et par cœur : {par_coeur} (objectif ≥ {OBJECTIF:g})")
    sortie = {
        "editique": {
            **resultats,
            "ten_page_rows": lignes,
            "goal_receipts_per_core_second": OBJECTIF,
            "met": atteint,
            "load_average": os.getloadavg()[0],
        }
    }
    chemin = Path("var/bench")
    chemin.mkdir(parents=True, exist_ok=True)
    (chemin / "editique.json").write_text(json.dumps(sortie, indent=2, ensure_ascii=False))
    print(f"\nJSON : {chemin / 'editique.json'}")
    return 0 if atteint else 1
