"""A real browser for the playground's tests: Debian's chromium, driven by Playwright."""

import pytest

from demos.playground.browser import CHROMIUM, FLAGS

needs_browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed: `make test` installs it when run as root "
    "(apt-get install chromium); Playwright's own browser download cannot work here",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}
