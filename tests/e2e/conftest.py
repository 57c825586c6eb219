from tests.letters.conftest import _fake_servers, platform  # noqa: F401 - the local fakes
from tests.plugins.letters.conftest import standards_dir  # noqa: F401
