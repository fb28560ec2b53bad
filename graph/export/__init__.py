"""Export a subgraph in the format the next tool wants: RDF, network files, CSV, pictures or a briefing.

Every format is registered by name in ``FORMATS``; ``export`` returns the main file's bytes and
``export_files`` the main file with its companions (a briefing's Turtle appendix and figure).

>>> sorted(FORMATS)[:4]
['briefing-html', 'csv', 'docx', 'gexf']
"""

from .registry import FORMATS, Format, Options, export, export_files, file_name, safe_path

__all__ = ["FORMATS", "Format", "Options", "export", "export_files", "file_name", "safe_path"]
