"""reportgen: a Norwegian municipality's tertial report from YAML to DOCX, PDF and HTML."""

__version__ = "0.1.0"
