"""Traject's data files (guided scripts, letter templates, offers, fonts, demo population).

Installed as the package `app.resources` (see `setup.py`); the code finds them with
`app.package_data`, never by a path relative to the source tree.
"""
