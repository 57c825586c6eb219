"""Local stand-ins for KOMBIT's Serviceplatformen: SF1601, the token service, and
Beskedfordeler's receipt deliveries. They check what they receive against the
official schemas from the standards folder."""
