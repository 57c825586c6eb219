"""An example vendor plugin: an ESDH kept in a folder (cases, documents, an inbox)."""
