"""The menu fits every window from 320 to 1920 px for every role: on one line from 1400 px, behind the
menu button below it; "Signed in as" stays short and Sign out is never cut off or pushed off screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import ROLES
from tests.factories import PASSWORD, MembershipFactory

from .checks import screenshot
from .drivers import Mouse

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 768, 992, 1024, 1199, 1200, 1280, 1366, 1399, 1400, 1440, 1920)
ONE_LINE = 70  # px: the bar's height with everything on one line

BAR_JS = """() => {
  const bar = document.querySelector("nav[aria-label=Main]").getBoundingClientRect();
  const out = [...document.querySelectorAll("nav[aria-label=Main] *")]
    .filter(el => el.offsetParent !== null)
    .filter(el => { const box = el.getBoundingClientRect(); return box.right > innerWidth + 1 || box.left < -1; })
    .map(el => el.tagName.toLowerCase() + "." + el.className);
  return {height: bar.height, out, scroll: document.documentElement.scrollWidth, inner: innerWidth};
}"""


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_fits_every_width(world, live_server, page, role):
    user = world.users[role]
    user.first_name, user.last_name = "Alexandra", "Montgomery-Fitzwilliam of the Weald"
    user.save()
    # A second partnership: the switcher is the widest thing the bar can hold.
    MembershipFactory(user=user, partnership=world.other_partnership, organisation=world.own_org, role=role)
    driver = Mouse(page, live_server.url)
    driver.sign_in(user.username, PASSWORD)
    driver.visit(reverse("partnership_home", kwargs={"partnership": world.partnership.slug}))
    sign_out = page.get_by_role("button", name="Sign out")
    toggler = page.locator(".navbar-toggler")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if toggler.is_visible():
            toggler.click()
            expect(sign_out).to_be_visible()
        else:
            bar = page.evaluate(BAR_JS)
            assert bar["height"] <= ONE_LINE, f"{role} at {width}px: the menu takes {bar['height']}px"
        expect(sign_out).to_be_in_viewport()
        box = sign_out.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{role} at {width}px: Sign out is cut off"
        bar = page.evaluate(BAR_JS)
        assert bar["out"] == [], f"{role} at {width}px: outside the window: {bar['out']}"
        assert bar["scroll"] <= bar["inner"], f"{role} at {width}px: the page scrolls sideways"
        screenshot(page, "navigation", str(role), f"{width}")
        if toggler.is_visible():
            toggler.click()
            expect(page.locator("#main-nav")).not_to_be_visible()


@pytest.mark.parametrize("role", ROLES)
def test_at_laptop_widths_the_menu_is_on_the_bar_or_behind_a_button_saying_menu(world, live_server, page, role):
    """Issue 25: at 1280 and 1366 px every role's menu hid behind an unlabelled icon."""
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users[role].username, PASSWORD)
    driver.visit(reverse("partnership_home", kwargs={"partnership": world.partnership.slug}))
    toggler = page.locator(".navbar-toggler")
    items = page.locator("#main-nav > .navbar-nav > li")
    for width in (1280, 1366, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        if toggler.is_visible():
            expect(toggler).to_have_accessible_name("Menu")
            assert toggler.inner_text().strip() == "Menu", f"{role} at {width}px: the button does not say Menu"
        else:
            for index in range(items.count()):
                expect(items.nth(index)).to_be_visible()
            assert page.evaluate(BAR_JS)["height"] <= ONE_LINE, f"{role} at {width}px: the menu wraps"
