"""Flat illustrations for the demo's dispositifs, drawn with Pillow (already a
dependency, for the upload checks) so `make demo` needs no image files: a landscape
(16/9) in the DSFR's illustrative colours with a motif per service."""

import io

from PIL import Image, ImageDraw

LARGEUR, HAUTEUR = 1200, 675

# Pairs from the DSFR's illustrative palette: (sky, motif).
COULEURS = {
    "associations": ((0xE3, 0xE3, 0xFD), (0x6A, 0x6A, 0xF4)),
    "salle": ((0xFE, 0xEC, 0xC2), (0xC3, 0x99, 0x2A)),
    "benne": ((0xDF, 0xF0, 0xE7), (0x00, 0xA9, 0x5F)),
    "ecole": ((0xFE, 0xE7, 0xFC), (0xA5, 0x58, 0xA0)),
    "solidarite": ((0xFE, 0xE9, 0xE5), (0xE1, 0x00, 0x0F)),
    "etat_civil": ((0xE8, 0xED, 0xFF), (0x00, 0x00, 0x91)),
}


def _degrade(dessin, haut, bas):
    for y in range(HAUTEUR):
        t = y / HAUTEUR
        couleur = tuple(round(a + (b - a) * t) for a, b in zip(haut, bas, strict=True))
        dessin.line([(0, y), (LARGEUR, y)], fill=couleur)


def _melange(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _batiment(d, x, y, larg, h, couleur, clair, fronton=True):
    d.rectangle([x, y, x + larg, y + h], fill=couleur)
    if fronton:
        d.polygon([(x - 20, y), (x + larg // 2, y - h // 3), (x + larg + 20, y)], fill=couleur)
    for i in range(3):
        fx = x + 30 + i * (larg - 60) // 3
        d.rectangle([fx, y + 40, fx + (larg - 120) // 3, y + 110], fill=clair)
    d.rectangle([x + larg // 2 - 35, y + h - 120, x + larg // 2 + 35, y + h], fill=clair)


def _motif(d, nom, couleur, clair):
    sol = HAUTEUR - 150
    if nom == "associations":
        for i, (x, taille) in enumerate(
            [(430, 1.0), (600, 1.2), (770, 1.0), (515, 0.8), (685, 0.8)]
        ):
            t = 0.15 * (i % 3)
            c = _melange(couleur, (255, 255, 255), t)
            r = int(48 * taille)
            base = sol - (40 if taille < 1 else 0)
            d.ellipse([x - r, base - 5 * r, x + r, base - 3 * r], fill=c)
            d.pieslice([x - 2 * r, base - 3 * r + 10, x + 2 * r, base + r], 180, 360, fill=c)
    elif nom == "salle":
        _batiment(d, 400, sol - 300, 400, 300, couleur, clair)
        d.rectangle([590, sol - 460, 610, sol - 380], fill=couleur)
        d.polygon([(610, sol - 460), (680, sol - 440), (610, sol - 420)], fill=(0xE1, 0x00, 0x0F))
    elif nom == "benne":
        d.polygon([(380, sol - 220), (820, sol - 220), (770, sol), (430, sol)], fill=couleur)
        d.rectangle([360, sol - 240, 840, sol - 215], fill=_melange(couleur, (0, 0, 0), 0.2))
        for x, y, r in [
            (470, sol - 260, 60),
            (560, sol - 290, 75),
            (680, sol - 270, 65),
            (760, sol - 250, 45),
        ]:
            d.ellipse([x - r, y - r, x + r, y + r], fill=_melange(couleur, (255, 255, 255), 0.35))
        for x in (460, 740):
            d.ellipse([x - 30, sol - 20, x + 30, sol + 40], fill=(0x3A, 0x3A, 0x3A))
    elif nom == "ecole":
        _batiment(d, 330, sol - 260, 540, 260, couleur, clair)
        d.ellipse([930, 70, 1070, 210], fill=(0xFF, 0xCA, 0x00))
        for x, c in [(240, (0x00, 0xA9, 0x5F)), (960, (0x6A, 0x6A, 0xF4))]:
            d.rectangle([x - 8, sol - 120, x + 8, sol], fill=(0x7F, 0x5A, 0x3A))
            d.ellipse([x - 60, sol - 230, x + 60, sol - 100], fill=c)
    elif nom == "solidarite":
        cx, cy, r = LARGEUR // 2, sol - 300, 100
        d.ellipse([cx - 2 * r, cy - r, cx, cy + r], fill=couleur)
        d.ellipse([cx, cy - r, cx + 2 * r, cy + r], fill=couleur)
        k = 0.7071  # the sides are tangent to both lobes, at 45°
        d.polygon(
            [
                (cx - r - k * r, cy + k * r),
                (cx, cy),
                (cx + r + k * r, cy + k * r),
                (cx, cy + r * (1 + 2 * k)),
            ],
            fill=couleur,
        )
        for x in (300, 900):
            d.ellipse([x - 45, sol - 200, x + 45, sol - 110], fill=clair)
            d.pieslice([x - 90, sol - 110, x + 90, sol + 70], 180, 360, fill=clair)
    elif nom == "etat_civil":
        d.rounded_rectangle([430, 90, 770, sol], radius=18, fill=(255, 255, 255))
        for i in range(7):
            d.rectangle([480, 150 + i * 45, 720 - (i % 3) * 50, 165 + i * 45], fill=clair)
        d.ellipse([620, sol - 150, 740, sol - 30], fill=couleur)
        d.ellipse([650, sol - 120, 710, sol - 60], fill=_melange(couleur, (255, 255, 255), 0.4))


def illustration_png(nom: str) -> bytes:
    ciel, couleur = COULEURS[nom]
    image = Image.new("RGB", (LARGEUR, HAUTEUR), ciel)
    d = ImageDraw.Draw(image)
    _degrade(d, ciel, _melange(ciel, (255, 255, 255), 0.6))
    clair = _melange(couleur, (255, 255, 255), 0.75)
    colline = _melange(ciel, couleur, 0.25)
    d.ellipse([-300, HAUTEUR - 220, 700, HAUTEUR + 300], fill=colline)
    d.ellipse([500, HAUTEUR - 190, 1500, HAUTEUR + 300], fill=_melange(colline, couleur, 0.15))
    d.rectangle([0, HAUTEUR - 150, LARGEUR, HAUTEUR], fill=_melange(colline, couleur, 0.08))
    _motif(d, nom, couleur, clair)
    sortie = io.BytesIO()
    image.save(sortie, "PNG", optimize=True)
    return sortie.getvalue()
