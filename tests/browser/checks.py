"""What every page must pass in the browser, and where screenshots and axe reports are kept."""

import json
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# 1280 CSS px at 400% zoom (WCAG 1.4.10 Reflow).
ZOOMED = {"width": 320, "height": 256}
BLOCKING_IMPACTS = ("serious", "critical")
# Every page is checked at each of these window widths (CSS px): a phone, a tablet, small and large laptops.
WIDTHS = (320, 768, 1024, 1280, 1440)
# Screenshots of every page are kept at a phone's and a laptop's width.
SCREENSHOT_WIDTHS = (390, 1366)
HEIGHT = 900
DESKTOP_WIDTH = 1440  # the width the browser context opens with (conftest.DESKTOP)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def width_problems(page, name: str, widths=WIDTHS) -> list[str]:
    """axe-core and horizontal scrolling at each width, on the page already loaded (no reload: the
    layout changes with the window, the content does not)."""
    size = page.viewport_size
    problems = []
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            problems += [f"at {width}px: {problem}" for problem in axe_problems(page, f"{name}@{width}")]
            overflow = page.evaluate(REFLOW_JS)
            if overflow:
                problems.append(f"at {width}px {overflow}")
    finally:
        page.set_viewport_size(size)
    return problems


def screenshots_at_widths(page, *parts: str, widths=SCREENSHOT_WIDTHS) -> list[Path]:
    """test-artifacts/screenshots/<width>/<parts…>.png for each width."""
    size = page.viewport_size
    try:
        paths = []
        for width in widths:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            paths.append(screenshot(page, str(width), *parts))
        return paths
    finally:
        page.set_viewport_size(size)


def screenshot(page, *parts: str) -> Path:
    """Saved under test-artifacts/screenshots/ (gitignored; CI keeps it on disk)."""
    path = SCREENSHOTS.joinpath(*parts[:-1], f"{parts[-1]}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


_axe = Axe()


def axe_problems(page, name: str) -> list[str]:
    """Serious and critical axe-core violations on the page; every violation is kept as JSON for reading."""
    results = _axe.run(page)
    report = ARTIFACTS / "axe" / f"{name}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(results.response["violations"], indent=2))
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


STRUCTURE_JS = """() => {
  const problems = [];
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements; a page has exactly one`);
  if (document.querySelectorAll("main#main").length !== 1) problems.push("no single <main id=main>");
  const skip = document.querySelector("body > a.skip-link:first-child");
  if (!skip || skip.getAttribute("href") !== "#main") problems.push("the first element is not the skip link to #main");
  for (const link of document.querySelectorAll(".error-summary a[href^='#']")) {
    const id = link.getAttribute("href").slice(1);
    if (!id || !document.getElementById(id)) {
      problems.push(`error summary link ${link.textContent.trim()} has no field`);
    }
  }
  for (const canvas of document.querySelectorAll("canvas")) {
    const named = canvas.getAttribute("role") === "img"
      && (canvas.getAttribute("aria-label") || canvas.getAttribute("aria-labelledby"));
    const figure = canvas.closest("figure");
    if (!named || !figure || !figure.querySelector("table")) {
      problems.push("a chart without a name and a table alternative in its <figure>");
    }
  }
  return problems;
}"""

REFLOW_JS = """() => {
  const wide = document.documentElement.scrollWidth;
  if (wide <= innerWidth + 1) return null;
  const culprits = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className.split(" ").join(".") : ""));
  return `the page is ${wide}px wide in a ${innerWidth}px window (${culprits.join(", ")})`;
}"""


def page_problems(page, name: str) -> list[str]:
    """What we check on every page: axe-core, structure (one h1, landmarks, skip link, error summary
    links, chart alternatives) and reflow at 400% zoom, where only scroll containers may scroll sideways."""
    problems = axe_problems(page, name) + page.evaluate(STRUCTURE_JS)
    size = page.viewport_size
    page.set_viewport_size(ZOOMED)
    try:
        overflow = page.evaluate(REFLOW_JS)
    finally:
        page.set_viewport_size(size)
    return problems + ([f"at 320px wide {overflow}"] if overflow else [])
