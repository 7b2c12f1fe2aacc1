"""How the wheel is assembled: everything else about the project is in pyproject.toml.

The top-level `resources/` and `translations/` folders stay where a translator or an editor of
the guided scripts looks for them; the build maps them into the package as `app.resources`
and `app.translations`, and compiles every catalog (`.po`) to the `.mo` that gettext reads.
"""

import shutil
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

MAPPED = {"app.resources": "resources", "app.translations": "translations"}


class BuildWithCatalogs(build_py):
    """build_py, then every `translations/<lang>/LC_MESSAGES/<domain>.po` compiled into the
    build as `.mo` (with Babel, a build requirement), so a clean clone builds a wheel that
    speaks every language without `make catalogs`."""

    def run(self) -> None:
        if not self.editable_mode:
            # a build folder reused from an earlier build would still hold a script or module
            # deleted since: the wheel holds what the tree holds now, nothing more
            shutil.rmtree(Path(self.build_lib, "app"), ignore_errors=True)
        super().run()
        if not self.editable_mode:  # an editable install reads translations/ itself
            self._compile_catalogs()

    def _compile_catalogs(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target = Path(self.build_lib, "app", "translations")
        catalogs = sorted(Path(MAPPED["app.translations"]).glob("*/LC_MESSAGES/*.po"))
        if not catalogs:  # a wheel that would silently speak English only
            raise SystemExit("setup.py: no catalogs in translations/*/LC_MESSAGES/*.po")
        for po in catalogs:
            language = po.parent.parent.name
            with po.open("rb") as source:
                catalog = read_po(source, locale=language)
            mo = target / po.relative_to(MAPPED["app.translations"]).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)


setup(
    packages=[*find_namespace_packages(include=["app", "app.*"]), *MAPPED],
    package_dir={"": ".", **MAPPED},
    # only what package_data names: the catalogs' sources and the .pot are not installed
    include_package_data=False,
    package_data={
        "app.migrations": ["script.py.mako"],
        # scripts, letters, offers, demo, and the fonts with their licence
        "app.resources": ["*/*"],
    },
    cmdclass={"build_py": BuildWithCatalogs},
)
