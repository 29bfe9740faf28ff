"""A real browser for the explorer's tests: Debian's headless Chromium driven by Playwright.

One place for the executable, its flags, the skip when it is missing, the launch, a fresh page,
and the waits every browser test needs (the app's rerun finished; the network drawing settled).
Playwright's own browser download does not work on this machine, so the system Chromium is used.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# the iframe of the network drawing component
COMPONENT = 'iframe[title="explorer.graph.component.gvn_network"]'

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} missing (apt-get install chromium)")


@contextmanager
def chromium():
    """A launched headless Chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser, width: int = 1500, height: int = 1400, downloads: bool = True):
    """A page in a context of its own (no shared cookies or session); returns (context, page)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=downloads)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    return ctx, pg


def idle(page) -> None:
    """Wait until the app has finished its rerun (the running indicator is gone) and painted."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.wait_for_timeout(1000)


def wait_drawn(page, since: float = 0.0) -> float:
    """Wait until the drawing's physics has settled; returns seconds since ``since``."""
    page.wait_for_selector(COMPONENT, state="attached")
    frame = page.frame_locator(COMPONENT)
    frame.locator("body[data-stabilized='1']").wait_for(state="attached", timeout=120_000)
    return time.perf_counter() - since


def drawing_frame(page):
    """The frame of the vis-network drawing inside the component (where gvn* functions live)."""
    return page.frame_locator(COMPONENT).locator("#drawing").element_handle().content_frame()


def click_node(page, node: str) -> None:
    """A real mouse click on a node of the vis-network canvas, at the position the layout gave it."""
    inner = page.frame_locator(COMPONENT).locator("#drawing")
    pos = inner.element_handle().content_frame().evaluate("id => gvnNodeScreenPosition(id)", node)
    box = inner.bounding_box()
    x, y = box["x"] + pos["x"], box["y"] + pos["y"]
    # a point outside the viewport receives no click at all; the viewport is tall enough
    # to hold the whole drawing, so this only fires if the page layout changes
    view = page.viewport_size
    assert 0 <= x < view["width"] and 0 <= y < view["height"], f"node {node} at ({x:.0f}, {y:.0f}) is off-screen"
    page.mouse.click(x, y)
