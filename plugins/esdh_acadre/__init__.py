"""Acadre (Formpipe) ESDH over its public SOAP web service PWS v7 (``AcadreServiceV7.asmx``)."""
