"""Shared pytest set-up.

Its presence alone matters: ``tests/`` is not a package, so pytest puts this file's folder
on ``sys.path``, which lets test modules import the builders in ``tests/fixtures``.
"""
