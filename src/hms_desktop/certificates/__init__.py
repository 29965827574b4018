"""Certificates: reportlab rendering from plain data. No Qt, no database."""
