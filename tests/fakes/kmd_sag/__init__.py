"""A local fake of KMD Sag's OIO Sag/DokumentIndeks v6 services (see :mod:`.service`)."""

from tests.fakes.kmd_sag.service import FakeKmdSag

__all__ = ["FakeKmdSag"]
