"""bench/exports.py's measure of an export child's peak memory (issue 10, slice export):
the child's own high-water mark, not `ru_maxrss`, which a child started by subprocess
inherits from its parent (Linux keeps the peak of the address space exec replaced)."""

import json
import subprocess
import sys
from pathlib import Path

from bench.exports import maxrss_mo, pic_mo

RACINE = Path(__file__).resolve().parents[2]
ENFANT = (
    "import json; from bench.exports import maxrss_mo, pic_mo; "
    "print(json.dumps([pic_mo(), maxrss_mo()]))"
)


def test_a_child_reports_its_own_peak_not_its_parents():
    lest = b"x" * (200 * 1024 * 1024)  # written, so resident: this process peaks above 200 MB
    parent = pic_mo()
    sortie = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", ENFANT], capture_output=True, text=True, check=True, cwd=RACINE
    )
    del lest
    propre, herite = json.loads(sortie.stdout)
    assert parent > 200
    # What the benchmark reported before: the parent's peak, whatever the child did.
    assert herite > parent * 0.95
    # A bare interpreter that imported one module: a few tens of MB at most.
    assert propre < 60 < herite
    assert pic_mo() <= maxrss_mo()
