"""The ontology's HTML reference, rendered offline with pyLODE."""

from pathlib import Path

from .build import project_root
from .errors import ConvergenceError

__all__ = ["render_ontology_docs"]


def render_ontology_docs(out: Path) -> Path:
    """Render ontology/convergence.ttl to one HTML file with pyLODE and return its path."""
    try:
        from pylode import OntPub
    except ImportError:
        raise ConvergenceError("pyLODE is not installed; run `make docs` (it installs the docs extra)",
                               "docs") from None
    doc = OntPub(ontology=str(project_root() / "ontology" / "convergence.ttl"))
    html = doc.make_html()
    if "http://" in html or "https://" in html:
        html = _strip_remote_assets(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def _strip_remote_assets(html: str) -> str:
    """Drop <script src> and <link href> tags that point to the internet, so the page works offline."""
    import re

    html = re.sub(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>', "", html)
    return re.sub(r'<link[^>]+href="https?://[^"]*"[^>]*/?>', "", html)
