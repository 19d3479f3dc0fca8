"""MkDocs plugin entry point ``mm``.

A stub until the plugin issue: it registers under ``plugins: [mm]`` and does
nothing yet, so a site that names it builds.
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin


class MmPlugin(BasePlugin):
    """Turns ```` ```mm ```` fences into interactive figures (not yet wired)."""
