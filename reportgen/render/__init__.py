"""Stage 4, render: view -> bytes or text, one module per format. Renderers never see YAML.

Heavy libraries (docxtpl, WeasyPrint) are imported inside the render functions, so a command
that needs neither (a rebuild with nothing changed, `check`) never pays for them.
"""

FORMATS = ("docx", "pdf", "html")
