"""Converting documents to the archival format: multi-page TIFF, LZW or CCITT Group 4."""
