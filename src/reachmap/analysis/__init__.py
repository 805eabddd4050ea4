"""Analyses over the models: reach, country coverage, forward basing, isochrones."""
