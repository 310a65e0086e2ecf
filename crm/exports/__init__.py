"""Exports of dossiers and the JSON flow in the CRM (C2, C12, C15)."""
