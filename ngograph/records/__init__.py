"""The record types, their checks and reference resolution."""
