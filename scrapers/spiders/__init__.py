"""Spiders: one per watched site."""
