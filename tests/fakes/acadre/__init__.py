"""A local fake of Acadre PWS v7 for the plugin's tests (see :mod:`.service`)."""

from tests.fakes.acadre.service import FakeAcadre

__all__ = ["FakeAcadre"]
