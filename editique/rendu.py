"""From a template's text and options to a document: HTML, then PDF (WeasyPrint) or DOCX
(python-docx, built from the same rendered HTML, so both say the same thing).

The rendered HTML is cleaned by nh3 (an allow-list of document tags and a few classes),
and WeasyPrint may fetch nothing but `data:` URLs: a template cannot make the server
read a file or reach a host. The authority's logo (a static file named in settings) is
embedded as a data URL.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import escape

from common.gabarits import rendre

# WeasyPrint logs each layout step at INFO: one line per step and document is noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# What a template may use. Classes are the page helpers documented in the CRM screen.
BALISES = {
    "h1", "h2", "h3", "h4", "p", "br", "strong", "b", "em", "i", "u", "s", "small",
    "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "div", "span",
    "hr", "blockquote",
}  # fmt: skip
CLASSES = ("centre", "droite", "justifie", "saut-de-page", "petit", "signature", "encadre")
ATTRIBUTS = {"*": {"class"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}

CSS = """
@page {
  size: A4 %(orientation)s; margin: %(marge)smm;
  @top-left { content: element(entete); width: 100%%; vertical-align: bottom; }
  @bottom-left { content: element(pied); width: 80%%; vertical-align: top; }
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 8pt;
                  color: #555; vertical-align: top; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt;
       line-height: 1.45; color: #161616; }
header.entete { position: running(entete); font-size: 8.5pt; color: #333; }
header.entete img { height: 14mm; float: left; margin-right: 4mm; }
header.entete .autorite { font-weight: bold; font-size: 10pt; }
footer.pied { position: running(pied); font-size: 8pt; color: #555; }
h1 { font-size: 16pt; margin: 0 0 8pt; } h2 { font-size: 13pt; margin: 12pt 0 6pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; } h4 { font-size: 10pt; margin: 8pt 0 4pt; }
p { margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0; }
th, td { border: 0.5pt solid #888; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
.centre { text-align: center; } .droite { text-align: right; } .justifie { text-align: justify; }
.saut-de-page { break-before: page; } .petit { font-size: 8pt; }
.signature { margin-top: 18pt; margin-left: 55%%; }
.encadre { border: 0.5pt solid #888; padding: 6pt; }
"""


@dataclass(frozen=True)
class Logo:
    donnees: bytes
    mime: str

    @property
    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.donnees).decode()}"


@lru_cache(maxsize=4)
def _logo(chemin: str) -> Logo | None:
    """The authority's logo from the static files (a URL is never fetched)."""
    if not chemin or "://" in chemin:
        return None
    trouve = finders.find(chemin)
    if not trouve:
        return None
    with open(trouve, "rb") as fichier:  # noqa: PTH123
        donnees = fichier.read()
    mime = {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "svg": "image/svg+xml",
    }.get(chemin.rsplit(".", 1)[-1].lower())
    return Logo(donnees, mime) if mime else None


def logo() -> Logo | None:
    return _logo(settings.GUICHET_AUTHORITY_LOGO)


def nettoyer(html: str) -> str:
    """Only the document tags and classes above survive."""
    return nh3.clean(
        html,
        tags=BALISES,
        attributes=ATTRIBUTS,
        filter_style_properties=set(),
        attribute_filter=_garder_classes,
    )


def _garder_classes(balise: str, attribut: str, valeur: str) -> str | None:
    if attribut != "class":
        return valeur
    gardees = [c for c in valeur.split() if c in CLASSES]
    return " ".join(gardees) or None


@dataclass(frozen=True)
class Rendu:
    """A rendered template: its parts as clean HTML and its page options."""

    titre: str
    corps: str
    entete: str
    pied: str
    orientation: str
    marge_mm: int
    logo: bool
    archivage: bool

    @property
    def paysage(self) -> bool:
        return self.orientation == "paysage"


def rendre_document(mise_en_page: dict[str, Any], contexte: dict[str, Any], titre: str) -> Rendu:
    """Renders the body, header and footer (ErreurGabarit on a template error)."""
    return Rendu(
        titre=titre,
        corps=nettoyer(rendre(mise_en_page["corps"], contexte)),
        entete=nettoyer(rendre(mise_en_page.get("entete") or "", contexte)),
        pied=nettoyer(rendre(mise_en_page.get("pied") or "", contexte)),
        orientation=mise_en_page.get("orientation") or "portrait",
        marge_mm=int(mise_en_page.get("marge_mm") or 20),
        logo=bool(mise_en_page.get("logo")),
        archivage=bool(mise_en_page.get("archivage")),
    )


def html(rendu: Rendu) -> str:
    """The whole page WeasyPrint lays out."""
    css = CSS % {
        "orientation": "landscape" if rendu.paysage else "portrait",
        "marge": rendu.marge_mm,
    }
    image = logo() if rendu.logo else None
    entete = (
        (f'<img src="{image.data_url}" alt="">' if image else "")
        + f'<div class="autorite">{escape(settings.GUICHET_AUTHORITY_NAME)}</div>'
        + rendu.entete
    )
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(rendu.titre)}</title><style>{css}</style></head><body>"
        f'<header class="entete">{entete}</header>'
        f'<footer class="pied">{rendu.pied}</footer>'
        f"<main>{rendu.corps}</main></body></html>"
    )


# --- PDF ---------------------------------------------------------------------------------


def pdf(rendu: Rendu) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: only (the logo); anything else a template names is refused, never fetched.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html(rendu), url_fetcher=fetcher, base_url="data:,")
    return document.write_pdf(pdf_variant="pdf/a-3b" if rendu.archivage else None)


# --- DOCX --------------------------------------------------------------------------------

# HTML white space only: the no-break spaces of amounts and dates stay.
ESPACES = re.compile(r"[ \t\r\n\f]+")


def docx(rendu: Rendu) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt
    from lxml import html as lxml_html

    document = Document()
    document.core_properties.title = rendu.titre
    document.core_properties.language = "fr-FR"
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    section = document.sections[0]
    largeur, hauteur = Mm(210), Mm(297)
    if rendu.paysage:
        section.orientation = WD_ORIENT.LANDSCAPE
        largeur, hauteur = hauteur, largeur
    section.page_width, section.page_height = largeur, hauteur
    for cote in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, cote, Mm(rendu.marge_mm))

    entete = section.header
    paragraphe = entete.paragraphs[0]
    image = logo() if rendu.logo else None
    if image and image.mime in ("image/png", "image/jpeg"):
        paragraphe.add_run().add_picture(io.BytesIO(image.donnees), height=Mm(12))
        paragraphe.add_run(" ")
    paragraphe.add_run(settings.GUICHET_AUTHORITY_NAME).bold = True
    _Convertisseur(entete).blocs(_fragment(lxml_html, rendu.entete))
    pied = section.footer
    _Convertisseur(pied).blocs(_fragment(lxml_html, rendu.pied))
    _numero_de_page(pied.add_paragraph())

    _Convertisseur(document).blocs(_fragment(lxml_html, rendu.corps))
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def _fragment(lxml_html, contenu: str):
    return lxml_html.fragment_fromstring(contenu or "", create_parent="div")


def _numero_de_page(paragraphe) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraphe.add_run("Page ")
    champ = OxmlElement("w:fldSimple")
    champ.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    texte = OxmlElement("w:t")
    texte.text = "1"
    run.append(texte)
    champ.append(run)
    paragraphe._p.append(champ)


BLOCS = {"h1", "h2", "h3", "h4", "p", "div", "ul", "ol", "table", "blockquote", "hr"}


class _Convertisseur:
    """Walks the clean HTML (lxml) and writes python-docx blocks into a container (the
    document, a header or a footer)."""

    def __init__(self, conteneur):
        self.conteneur = conteneur
        self.est_document = hasattr(conteneur, "add_page_break")

    def blocs(self, parent) -> None:
        en_cours = None  # a paragraph gathering inline content between blocks
        if (parent.text or "").strip():
            en_cours = self.conteneur.add_paragraph()
            self._texte(en_cours, parent.text, {})
        for element in parent:
            if element.tag in BLOCS:
                en_cours = None
                self.bloc(element)
            else:
                if en_cours is None:
                    en_cours = self.conteneur.add_paragraph()
                self.inline(en_cours, element, {})
            if (element.tail or "").strip():
                if en_cours is None:
                    en_cours = self.conteneur.add_paragraph()
                self._texte(en_cours, element.tail, {})

    def bloc(self, element) -> None:
        classes = set((element.get("class") or "").split())
        if "saut-de-page" in classes and self.est_document:
            self.conteneur.add_page_break()
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4"):
            if self.est_document:
                paragraphe = self.conteneur.add_heading(level=int(tag[1]))
            else:
                paragraphe = self.conteneur.add_paragraph()
            self._contenu(paragraphe, element, {"gras": not self.est_document})
            self._aligner(paragraphe, classes)
        elif tag in ("ul", "ol"):
            self.liste(element, tag == "ol", 1)
        elif tag == "table":
            self.tableau(element)
        elif tag == "hr":
            self.conteneur.add_paragraph()
        elif tag == "div" and any(enfant.tag in BLOCS for enfant in element):
            self.blocs(element)
        else:  # p, blockquote, a div of inline content
            paragraphe = self.conteneur.add_paragraph()
            if tag == "blockquote" and self.est_document:
                paragraphe.style = "Quote"
            self._contenu(paragraphe, element, {"petit": "petit" in classes})
            self._aligner(paragraphe, classes)

    def liste(self, element, numerotee: bool, niveau: int) -> None:
        style = "List Number" if numerotee else "List Bullet"
        if niveau > 1:
            style += f" {min(niveau, 3)}"
        for item in element:
            if item.tag != "li":
                continue
            paragraphe = self.conteneur.add_paragraph(style=style)
            if item.text:
                self._texte(paragraphe, item.text, {})
            for enfant in item:
                if enfant.tag in ("ul", "ol"):
                    self.liste(enfant, enfant.tag == "ol", niveau + 1)
                else:
                    self.inline(paragraphe, enfant, {})
                if enfant.tail:
                    self._texte(paragraphe, enfant.tail, {})

    def tableau(self, element) -> None:
        rangees = list(element.iter("tr"))
        if not rangees:
            return
        colonnes = max(
            sum(int(c.get("colspan") or 1) for c in tr if c.tag in ("td", "th")) for tr in rangees
        )
        if colonnes == 0:
            return
        if self.est_document:
            table = self.conteneur.add_table(rows=len(rangees), cols=colonnes)
        else:
            from docx.shared import Mm

            table = self.conteneur.add_table(rows=len(rangees), cols=colonnes, width=Mm(170))
        table.style = "Table Grid"
        for i, tr in enumerate(rangees):
            j = 0
            for cellule in tr:
                if cellule.tag not in ("td", "th") or j >= colonnes:
                    continue
                portee = min(int(cellule.get("colspan") or 1), colonnes - j)
                case = table.cell(i, j)
                if portee > 1:
                    case = case.merge(table.cell(i, j + portee - 1))
                self._contenu(case.paragraphs[0], cellule, {"gras": cellule.tag == "th"})
                j += portee

    # --- inline content ------------------------------------------------------------------

    def inline(self, paragraphe, element, format_: dict) -> None:
        tag = element.tag
        format_ = dict(format_)
        if tag in ("strong", "b"):
            format_["gras"] = True
        elif tag in ("em", "i"):
            format_["italique"] = True
        elif tag == "u":
            format_["souligne"] = True
        elif tag == "s":
            format_["barre"] = True
        elif tag == "small":
            format_["petit"] = True
        if tag == "br":
            paragraphe.add_run().add_break()
        else:
            self._contenu(paragraphe, element, format_)

    def _contenu(self, paragraphe, element, format_: dict) -> None:
        if element.text:
            self._texte(paragraphe, element.text, format_)
        for enfant in element:
            if enfant.tag in ("ul", "ol", "table"):
                continue  # a block inside inline content: rare, kept out rather than mangled
            self.inline(paragraphe, enfant, format_)
            if enfant.tail:
                self._texte(paragraphe, enfant.tail, format_)

    @staticmethod
    def _texte(paragraphe, texte: str, format_: dict) -> None:
        texte = ESPACES.sub(" ", texte)
        if not paragraphe.runs:
            texte = texte.lstrip()
        if not texte:
            return
        run = paragraphe.add_run(texte)
        run.bold = format_.get("gras") or None
        run.italic = format_.get("italique") or None
        run.underline = format_.get("souligne") or None
        if format_.get("barre"):
            run.font.strike = True
        if format_.get("petit"):
            from docx.shared import Pt

            run.font.size = Pt(8)

    @staticmethod
    def _aligner(paragraphe, classes: set[str]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if "centre" in classes:
            paragraphe.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "droite" in classes or "signature" in classes:
            paragraphe.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "justifie" in classes:
            paragraphe.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
