"""The one build step of our own: compile the translation catalogues (``.po`` → ``.mo``).

Everything else about the package is in ``pyproject.toml``. The ``.mo`` files are built,
never committed: a regular install writes them into the build, an editable one beside
their ``.po`` sources (setuptools asks commands to build in place in editable mode).
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _catalogue_module():
    spec = importlib.util.spec_from_file_location("_windykacja_catalogue",
                                                  HERE / "i18n" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        catalogue = _catalogue_module()
        if getattr(self, "editable_mode", False):
            catalogue.compile_all()
        else:
            catalogue.compile_all(Path(self.build_lib) / "windykacja" / "i18n" / "locale")


setup(cmdclass={"build_py": BuildWithCatalogues})
