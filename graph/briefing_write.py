"""Writing a built Briefing out: a Word document, one self-contained HTML page, or Markdown.

Every text is cleaned of control characters and escaped for its format; only http(s) URLs become links.
"""

import html as _html
import io
import re

from .briefing import Briefing, Line, cite_text, clean

__all__ = ["write_docx", "write_html", "write_markdown"]


_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _ref_text(ref) -> str:
    parts = [clean(ref.title)]
    meta = ", ".join(x for x in (clean(ref.publisher), clean(ref.issued or "")) if x)
    if meta:
        parts.append(meta)
    if ref.kind:
        parts.append(f"{ref.kind.lower()} source")
    if ref.marking:
        parts.append(f"marked {ref.marking.upper()}")
    return ". ".join(parts) + "."


def _intro(b: Briefing) -> str:
    return ("Each statement below carries numbers in square brackets: they point to the sources listed under "
            "References, with title, publisher, date and address. "
            f"The statements themselves, with the entities and sources, are in the appendix file {b.appendix} "
            "(TriG, readable as text and by any RDF tool).")


# ------------------------------------------------------------------ DOCX


def _docx_marking(section, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for part in (section.header, section.footer):
        p = part.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(marking)
        run.bold = True
        run.font.size = Pt(10)


def _docx_link(paragraph, url: str, text: str) -> None:
    """Add a clickable hyperlink run (python-docx has no call for it)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([style, colour, underline])
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def write_docx(b: Briefing) -> bytes:
    """Write the briefing as DOCX bytes (fixed dates and zip times: the same briefing gives the same bytes)."""
    import datetime as dt
    import zipfile

    from docx import Document
    from docx.shared import Cm, Pt

    from .export.tables import deterministic_zip

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    doc.styles["Normal"].font.size = Pt(10)
    _docx_marking(section, b.marking)
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    props = doc.core_properties
    props.title, props.author, props.created, props.modified = b.title, "Convergence Graph", fixed, fixed
    props.last_modified_by, props.revision = "Convergence Graph", 1
    doc.add_heading(b.title, 0)
    doc.add_heading("Scope", 1)
    scope = doc.add_table(rows=0, cols=2, style="Light Grid Accent 1")
    for key, value in b.scope:
        cells = scope.add_row().cells
        cells[0].text, cells[1].text = clean(key), clean(value)
    doc.add_paragraph(_intro(b))
    doc.add_heading("Figure", 1)
    doc.add_picture(io.BytesIO(b.figure_png), width=Cm(17.0))
    doc.add_paragraph("Colour shows the domain, shape the kind of entity; arrows point from subject to object.")
    if b.changes is not None:
        doc.add_heading(f"New since {clean(b.changes.old)}", 1)
        doc.add_paragraph(clean(b.changes.summary()))
        for title, items in (("Entities added", b.changes.added_entities),
                             ("Entities removed", b.changes.removed_entities)):
            if items:
                doc.add_paragraph(f"{title}: " + ", ".join(clean(lab) for _, lab in items))
        for kind, title in (("added", "Statements added"), ("removed", "Statements removed")):
            if b.change_lines.get(kind):
                doc.add_heading(title, 2)
                for line in b.change_lines[kind]:
                    doc.add_paragraph(_line_text(line), style="List Bullet")
    for table in b.tables:
        doc.add_heading(table.title, 1)
        if not table.rows:
            doc.add_paragraph(table.empty)
            continue
        t = doc.add_table(rows=1, cols=len(table.columns), style="Light Grid Accent 1")
        for cell, name in zip(t.rows[0].cells, table.columns):
            cell.text = name
        for row in table.rows:
            for cell, value in zip(t.add_row().cells, row):
                cell.text = clean(value)
        if table.note:
            doc.add_paragraph(table.note)
    doc.add_heading("Statements", 1)
    for line in b.statements:
        doc.add_paragraph(_line_text(line), style="List Bullet")
    doc.add_heading("References", 1)
    for n, ref in b.references:
        p = doc.add_paragraph(f"[{n}] {_ref_text(ref)} ")
        if _SAFE_URL.match(ref.url or ""):
            _docx_link(p, ref.url, clean(ref.url))
        elif ref.url:
            p.add_run(clean(ref.url))
    raw = io.BytesIO()
    doc.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as z:
        return deterministic_zip({name: z.read(name) for name in z.namelist()})


def _line_text(line: Line) -> str:
    return line.text + ("" if not line.cites else " " + cite_text(line.cites))


# ---- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;margin:0 auto;
padding:0 1.2rem 3rem;color:#1d1d1d;line-height:1.45}
.marking{text-align:center;font-weight:700;letter-spacing:.08em;padding:.3rem;border:1px solid #444;margin:.6rem 0}
h1{font-size:1.7rem;margin:1rem 0 .4rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#eef2f7}.scope th{width:9rem}.figure svg{width:100%;height:auto}
.cite a{text-decoration:none}.refs li{margin-bottom:.3rem}.note{color:#555;font-size:.9rem}
@media print{.marking{position:running(m)}a{color:inherit}h2{break-after:avoid}table{break-inside:auto}}
"""


def _h(text) -> str:
    return _html.escape(clean(text), quote=True)


_CITE = re.compile(r"\[(\d+(?:(?:, |–)\d+)*)\]")


def _link_numbers(group: str, fmt: str) -> str:
    return re.sub(r"\d+", lambda m: fmt.format(n=m.group(0)), group)


def _cites_html(text: str) -> str:
    """Escape, then turn each number of a citation bracket into a link to its reference (digits only)."""
    return _CITE.sub(lambda m: "[" + _link_numbers(m.group(1), '<a href="#ref-{n}">{n}</a>') + "]", _h(text))


def _svg_inline(svg: bytes) -> str:
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def write_html(b: Briefing, lang: str = "en") -> str:
    """Write the briefing as one self-contained HTML page: inline style and figure, every text escaped."""
    out = [f'<!DOCTYPE html>\n<html lang="{_h(lang)}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_h(b.title)}</title>\n'
           f"<style>{_CSS}</style>\n</head>\n<body>\n"
           f'<header class="marking">{_h(b.marking)}</header>\n<h1>{_h(b.title)}</h1>\n']
    out.append('<h2>Scope</h2>\n<table class="scope">\n' + "".join(
        f"<tr><th>{_h(k)}</th><td>{_h(v)}</td></tr>\n" for k, v in b.scope) + "</table>\n")
    out.append(f'<p class="note">{_h(_intro(b))}</p>\n')
    out.append(f'<h2>Figure</h2>\n<div class="figure" role="img" aria-label="{_h("Network of " + b.title)}">'
               f"{_svg_inline(b.figure_svg)}</div>\n<p class=\"note\">Colour shows the domain, shape the kind of "
               "entity; arrows point from subject to object.</p>\n")
    if b.changes is not None:
        out.append(f"<h2>New since {_h(b.changes.old)}</h2>\n<p>{_h(b.changes.summary())}</p>\n")
        for title, items in (("Entities added", b.changes.added_entities),
                             ("Entities removed", b.changes.removed_entities)):
            if items:
                out.append(f"<p><strong>{title}:</strong> {_h(', '.join(lab for _, lab in items))}</p>\n")
        for kind, title in (("added", "Statements added"), ("removed", "Statements removed")):
            if b.change_lines.get(kind):
                out.append(f"<h3>{title}</h3>\n<ul>\n" + "".join(
                    f"<li>{_cites_html(_line_text(line))}</li>\n" for line in b.change_lines[kind]) + "</ul>\n")
    for table in b.tables:
        out.append(f"<h2>{_h(table.title)}</h2>\n")
        if not table.rows:
            out.append(f'<p class="note">{_h(table.empty)}</p>\n')
            continue
        out.append("<table>\n<tr>" + "".join(f"<th>{_h(c)}</th>" for c in table.columns) + "</tr>\n")
        for row in table.rows:
            cells = [f"<td>{_h(v)}</td>" for v in row[:-1]] + [f'<td class="cite">{_cites_html(row[-1])}</td>']
            out.append("<tr>" + "".join(cells) + "</tr>\n")
        out.append("</table>\n" + (f'<p class="note">{_h(table.note)}</p>\n' if table.note else ""))
    out.append("<h2>Statements</h2>\n<ul>\n" + "".join(
        f"<li>{_cites_html(_line_text(line))}</li>\n" for line in b.statements) + "</ul>\n")
    out.append('<h2>References</h2>\n<ol class="refs">\n')
    for n, ref in b.references:
        url = clean(ref.url or "")
        where = (f' <a href="{_h(url)}" rel="noopener noreferrer">{_h(url)}</a>' if _SAFE_URL.match(url)
                 else (f" {_h(url)}" if url else ""))
        out.append(f'<li id="ref-{n}" value="{n}">{_h(_ref_text(ref))}{where}</li>\n')
    out.append(f'</ol>\n<footer class="marking">{_h(b.marking)}</footer>\n</body>\n</html>\n')
    return "".join(out)


# ---- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _md(text) -> str:
    """Markdown-safe text: HTML escaped (renderers pass raw HTML through) and Markdown punctuation escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _html.escape(clean(text), quote=False)).replace("\n", " ")


def _md_cites(text: str) -> str:
    """A citation bracket with each number linked to its reference."""
    m = _CITE.search(text)
    return "\\[" + _link_numbers(m.group(1), "[{n}](#ref-{n})") + "\\]" if m else ""


def _md_line(line: Line) -> str:
    return _md(line.text) + ("" if not line.cites else " " + _md_cites(cite_text(line.cites)))


def write_markdown(b: Briefing) -> str:
    """Write the briefing as Markdown (GitHub style tables), the figure as the PNG file beside it."""
    out = [f"**{_md(b.marking)}**", "", f"# {_md(b.title)}", "", "## Scope", ""]
    out += [f"- **{_md(k)}:** {_md(v)}" for k, v in b.scope]
    out += ["", _md(_intro(b)), "", "## Figure", "", f"![Network of {_md(b.title)}]({b.figure_file})", "",
            "Colour shows the domain, shape the kind of entity; arrows point from subject to object.", ""]
    if b.changes is not None:
        out += [f"## New since {_md(b.changes.old)}", "", _md(b.changes.summary()), ""]
        for title, items in (("Entities added", b.changes.added_entities),
                             ("Entities removed", b.changes.removed_entities)):
            if items:
                out += [f"**{title}:** " + ", ".join(_md(lab) for _, lab in items), ""]
        for kind, title in (("added", "Statements added"), ("removed", "Statements removed")):
            if b.change_lines.get(kind):
                out += [f"### {title}", ""] + [f"- {_md_line(line)}" for line in b.change_lines[kind]] + [""]
    for table in b.tables:
        out += [f"## {_md(table.title)}", ""]
        if not table.rows:
            out += [_md(table.empty), ""]
            continue
        out.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
        out.append("|" + "---|" * len(table.columns))
        out += ["| " + " | ".join([_md(v) for v in row[:-1]] + [_md_cites(row[-1])]) + " |" for row in table.rows]
        out += ["", _md(table.note), ""] if table.note else [""]
    out += ["## Statements", ""] + [f"- {_md_line(line)}" for line in b.statements] + ["", "## References", ""]
    for n, ref in b.references:
        url = clean(ref.url or "")
        where = f" <{url}>" if _SAFE_URL.match(url) else (f" {_md(url)}" if url else "")
        out.append(f'<a id="ref-{n}"></a>{n}\\. {_md(_ref_text(ref))}{where}  ')
    out += ["", f"**{_md(b.marking)}**", ""]
    return "\n".join(out)
