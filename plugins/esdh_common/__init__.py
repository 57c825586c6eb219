"""What the ESDH plugins share: SOAP calls over zeep, their errors, retries and settings."""
