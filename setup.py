"""Wheel builds bundle the viewer first (all metadata is in pyproject.toml).

setuptools runs build_py for `pip install .`, `python -m build` (sdist, then a
wheel from it) and `pip install git+…`; each then ships mm_docs_plugin/assets/.
An editable install (`pip install -e`, used by `make setup`) serves the assets
from the source tree, where setup.sh builds them with the same script.
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

# The build backend does not put this folder on sys.path.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts"))
import viewer_bundle


class BuildPyWithViewer(build_py):
    def run(self):
        if not getattr(self, "editable_mode", False):
            try:
                viewer_bundle.ensure()
            except viewer_bundle.BundleError as e:
                raise SetupError(str(e)) from None
            # The package-data globs may have been read before the bundle existed.
            self.__dict__.pop("data_files", None)
        super().run()


setup(cmdclass={"build_py": BuildPyWithViewer})
