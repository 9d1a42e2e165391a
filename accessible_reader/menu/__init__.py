"""menu layer."""
