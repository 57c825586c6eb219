"""Fælleskommunalt Sags- og Dokumentindeks (SF1470, SagDokumentIndeks v6).

SAPA reads its cross-system overview of a citizen's cases from the index. This plugin
binds the ``case_export`` port: each locked copy of a case goes to the index over SOAP
(zeep), as ``importer`` the first time and ``opdater`` afterwards, together with the
DokumentIndeks entries of its documents. See ``README.md``.
"""
