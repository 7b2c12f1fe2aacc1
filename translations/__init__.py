"""Traject's catalogs: `messages` (the interface) and `documents` (client documents).

Installed as the package `app.translations`, with every `.po` compiled to `.mo` by the build
(see `setup.py`); `app.i18n` finds them with `app.package_data`.
"""
