"""Checking an archival version: every check has an id and a message a person can act on.

``validate`` lives in :mod:`plugins.archive.validation.run`.
"""
