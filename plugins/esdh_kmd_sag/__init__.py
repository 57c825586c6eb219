"""KMD Sag ESDH over OIO Sag/DokumentIndeks v6 SOAP services (no public WSDL: see
``docs/plugins/kmd_sag.md``)."""
