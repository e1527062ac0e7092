"""Eligo: offline eligibility screening for clinical-trial sites."""

__version__ = "0.1.0"
