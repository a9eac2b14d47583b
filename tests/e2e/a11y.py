"""Accessibility check of every page the browser journeys visit: axe-core, in the page, through Playwright.

``audited(page)`` makes a Playwright page check each HTML document it shows, once: before it navigates
away (``goto``, ``reload``, ``expect_navigation``), after it arrives (those and ``wait_for_url``), and at
the end of the test (the fixture calls ``check()``). A page a test reaches by a click without waiting for
the navigation is checked when the test next navigates or ends. A serious or critical violation fails the test at that point with the rule, the elements
and the page. axe-core is vendored under tests/e2e/vendor/axe-core/ and evaluated through the DevTools
protocol, which the portal's CSP (no inline script) does not apply to; the portal never serves it.

Besides axe-core's rules, one of the portal's own: every field marked ``aria-invalid`` names its error
message with ``aria-describedby``, and every error shown beside a field is named so by one.

``A11Y_AUDIT=report`` records the violations without failing (to measure a page before fixing it); the
terminal summary then lists them by rule. Outside that mode the summary gives the number of pages checked.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("serious", "critical")
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "a11y" / "report.json"  # gitignored: the last run

# Runs in the page: every rule axe-core has (WCAG 2.0/2.1 A and AA and its best practices); keeps the
# serious and critical violations, with each element's selector, its HTML and axe-core's explanation.
_RUN = r"""async (impacts) => {
  if (document.contentType !== "text/html" || window.__a11yChecked) { return null; }
  window.__a11yChecked = true;
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const found = result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                              summary: (n.failureSummary || "").slice(0, 300)})),
  }));
  // The portal's own rule: a field's error is announced with the field. Every invalid field points at its
  // message with aria-describedby, and every message shown beside a field is pointed at by one.
  const describedIds = new Set();
  document.querySelectorAll("[aria-describedby]").forEach(el =>
    el.getAttribute("aria-describedby").split(/\s+/).forEach(id => describedIds.add(id)));
  const bad = [];
  document.querySelectorAll("[aria-invalid=true]").forEach(el => {
    const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.some(id => { const m = document.getElementById(id); return m && m.textContent.trim(); })) {
      bad.push({target: el.id ? "#" + el.id : el.name, html: el.outerHTML.slice(0, 200),
                summary: "aria-invalid without aria-describedby naming a message on the page"});
    }
  });
  document.querySelectorAll(".invalid-feedback, .errorlist:not(.nonfield)").forEach(el => {
    if (el.offsetParent === null || !el.textContent.trim() || el.closest("[role=alert]")) { return; }
    if (!el.id || !describedIds.has(el.id)) {
      bad.push({target: el.id ? "#" + el.id : "." + el.className.split(" ").join("."),
                html: el.outerHTML.slice(0, 200), summary: "a field's error message no field points at"});
    }
  });
  if (bad.length) {
    found.push({rule: "portal-field-error-described", impact: "serious",
                help: "Field errors must be tied to their field with aria-describedby", nodes: bad});
  }
  return found;
}"""


class AccessibilityViolation(AssertionError):
    pass


@dataclass
class Audit:
    page: Page
    report_only: bool = field(default_factory=lambda: os.environ.get("A11Y_AUDIT") == "report")
    pages_checked: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def check(self) -> None:
        """Run axe-core on the page's current document unless it was checked already."""
        if not self.page.url.startswith("http"):
            return
        started = time.perf_counter()
        try:
            self._check(retry=True)
        finally:
            self.seconds += time.perf_counter() - started

    def _check(self, retry: bool) -> None:
        try:
            if not self.page.evaluate("() => typeof axe === 'object'"):
                self.page.evaluate(AXE_SOURCE)
            found = self.page.evaluate(_RUN, list(BLOCKING_IMPACTS))
        except PlaywrightError as error:
            if retry and "Execution context was destroyed" in str(error):  # a navigation is under way
                self.page.wait_for_load_state()
                return self._check(retry=False)
            raise
        if found is None:
            return
        url = self.page.url
        self.pages_checked.append(url)
        if not found:
            return
        for violation in found:
            violation["page"] = url
        self.violations.extend(found)
        if not self.report_only:
            raise AccessibilityViolation(describe(found, url))


def describe(violations: list[dict], url: str) -> str:
    lines = [f"axe-core: {sum(len(v['nodes']) for v in violations)} serious/critical violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- {violation['rule']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}  {node['html']}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def audited(page: Page) -> Audit:
    """Make ``page`` check each document it leaves or lands on (see the module's docstring)."""
    audit = Audit(page)
    goto, reload, expect_navigation, wait_for_url = (
        page.goto, page.reload, page.expect_navigation, page.wait_for_url)

    def checked_goto(*args, **kwargs):
        audit.check()
        response = goto(*args, **kwargs)
        audit.check()
        return response

    def checked_reload(*args, **kwargs):
        audit.check()
        response = reload(*args, **kwargs)
        audit.check()
        return response

    def checked_wait_for_url(*args, **kwargs):
        wait_for_url(*args, **kwargs)
        audit.check()

    @contextmanager
    def checked_expect_navigation(*args, **kwargs):
        audit.check()
        with expect_navigation(*args, **kwargs) as navigation:
            yield navigation
        audit.check()

    page.goto = checked_goto
    page.reload = checked_reload
    page.wait_for_url = checked_wait_for_url
    page.expect_navigation = checked_expect_navigation
    return audit


def summary_properties(audit: Audit) -> list[tuple[str, str]]:
    """What a test's report carries up to the terminal summary (also from xdist workers)."""
    return [("a11y", json.dumps({"pages": audit.pages_checked, "violations": audit.violations,
                                 "seconds": audit.seconds}))]


def terminal_summary(terminalreporter) -> None:
    """How many pages the axe-core check saw, and (under A11Y_AUDIT=report) the violations by rule; the
    whole of it in artifacts/a11y/report.json."""
    pages, violations, seconds = [], [], 0.0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "a11y":
                    data = json.loads(value)
                    pages += data["pages"]
                    violations += data["violations"]
                    seconds += data.get("seconds", 0.0)
    if not pages:
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"pages": pages, "violations": violations}, ensure_ascii=False, indent=1))
    terminalreporter.section("accessibility (axe-core, serious and critical)")
    distinct = {urlsplit(url).path for url in pages}
    nodes = sum(len(v["nodes"]) for v in violations)
    terminalreporter.write_line(
        f"{len(pages)} pages checked ({len(distinct)} distinct paths) in {seconds:.0f} s: {nodes} violating elements")
    by_rule: dict[str, list] = {}
    for violation in violations:
        by_rule.setdefault(violation["rule"], []).append(violation)
    for rule, found in sorted(by_rule.items()):
        paths = sorted({urlsplit(v["page"]).path for v in found})
        terminalreporter.write_line(
            f"  {rule}: {sum(len(v['nodes']) for v in found)} elements on {len(paths)} paths: {', '.join(paths)}")
