"""Traject: an offline caseload application for counsellors of job seekers and newcomers."""

__version__ = "0.1.0"
