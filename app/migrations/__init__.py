"""Alembic migrations of the caseload schema (env.py, versions/); found with app.package_data."""
