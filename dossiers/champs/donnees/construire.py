"""Rebuild territoires.json.gz from the Etalab package @etalab/decoupage-administratif.

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    .venv/bin/python dossiers/champs/donnees/construire.py /tmp/package

Keeps the current communes (type "commune-actuelle", COM included), départements, régions
(with their zone: metro, drom, com) and EPCI à fiscalité propre, in a compact JSON of
arrays (see the README beside this file), gzipped. Standard library only.
"""

import gzip
import json
import sys
from pathlib import Path

ICI = Path(__file__).resolve().parent
SORTIE = ICI / "territoires.json.gz"


def construire(paquet: Path) -> dict:
    donnees = paquet / "data"
    lire = lambda nom: json.loads((donnees / nom).read_text(encoding="utf-8"))  # noqa: E731
    version = json.loads((paquet / "package.json").read_text(encoding="utf-8"))["version"]
    epci = lire("epci.json")
    epci_de = {membre["code"]: groupe["code"] for groupe in epci for membre in groupe["membres"]}
    communes = [
        [
            commune["code"],
            commune["nom"],
            commune["departement"],
            commune["region"],
            sorted(commune.get("codesPostaux") or []),
            epci_de.get(commune["code"], ""),
            commune.get("population") or 0,
        ]
        for commune in lire("communes.json")
        if commune["type"] == "commune-actuelle"
    ]
    return {
        "source": f"@etalab/decoupage-administratif {version}",
        "millesime": {"6": 2026, "5": 2025, "4": 2024}.get(version.split(".")[0], 0),
        "regions": [[r["code"], r["nom"], r["zone"]] for r in lire("regions.json")],
        "departements": [
            [d["code"], d["nom"], d["region"], d["zone"]] for d in lire("departements.json")
        ],
        "communes": sorted(communes),
        "epci": sorted([e["code"], e["nom"], e["type"]] for e in epci),
    }


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: construire.py <dossier du paquet npm décompressé>")
    paquet = Path(sys.argv[1])
    texte = json.dumps(construire(paquet), ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same input gives the same bytes (no spurious diff in git).
    SORTIE.write_bytes(gzip.compress(texte.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{SORTIE}: {SORTIE.stat().st_size} octets")  # noqa: T201


if __name__ == "__main__":
    main()
