"""Conversion jobs: kinds (registry.py, adapters.py), the database-backed queue (queue.py), artifacts."""
