"""Mutation survivors of ngograph/publish/statistics.py (tools/mutation.py): tiny stores, hand-counted values."""
