"""Validation: report types, the pySHACL engine, the quality-check queries."""
