"""mm-docs: interactive 3D matrix-multiplication figures for MkDocs sites.

``from mm_docs_plugin import Figure`` makes a figure from Python (numpy arrays in;
a notebook output, a fence, a link, a poster or an HTML file out): see `figure.py`.
"""

__version__ = "0.1.0"
__all__ = ["Figure", "__version__"]


def __getattr__(name):
    # Imported on first use: the plugin and the CLI need not load it.
    if name == "Figure":
        from .figure import Figure

        return Figure
    raise AttributeError("module 'mm_docs_plugin' has no attribute %r" % name)
