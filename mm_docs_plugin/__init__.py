"""mm-docs: interactive 3D matrix-multiplication figures for MkDocs sites."""

__version__ = "0.1.0"
