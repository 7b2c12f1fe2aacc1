"""PySide6 user interface of Traject: thin widgets and item models that call the services."""
