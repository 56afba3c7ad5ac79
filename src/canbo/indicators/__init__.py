"""Indicators and targets (C7): definitions as data, computation from the dossiers, dashboards."""
