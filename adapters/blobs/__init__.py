"""Blob stores: file bytes, content addressed by sha256."""
