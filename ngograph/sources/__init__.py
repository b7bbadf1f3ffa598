"""Readers of the sources: each yields checked records with their locations (file:line, file:row)."""
