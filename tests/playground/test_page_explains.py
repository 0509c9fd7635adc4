"""Every number explains itself, for everyone (Chromium): the page passes an accessibility audit
(axe-core) in each of its states, works from the keyboard, draws classes a colour-blind reader
tells apart, and explains a neuron, a dot's graph and the names it uses."""

from pathlib import Path

import pytest

from .conftest import needs_browser

pytestmark = needs_browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def audit(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is, one line each."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci, from package-lock.json)")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document).then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_the_page_has_no_serious_or_critical_accessibility_violation(laptop, opened):
    page, _ = opened()
    assert audit(page) == []


def test_nor_once_a_weight_and_a_dots_graph_are_open(laptop, opened):
    page, _ = opened()
    page.locator('#network [data-name="W1[1,1]"]').click()
    page.locator("#parameter table").wait_for()
    page.get_by_label("Its loss's computation graph").click()
    page.locator("#dot-graph svg").wait_for()
    assert audit(page) == []
