"""Two ways a person works a page, behind one interface, so a journey is written once and run twice:
`Mouse` clicks what it finds by role and label; `Keyboard` reaches the same element with Tab only
and works it with Enter, Space, arrows and typing, checking that each focused element shows focus."""

from playwright.sync_api import Locator, Page, expect

MAX_TABS = 400

FOCUS_SHOWN_JS = """el => {
  const style = getComputedStyle(el);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
}"""


class Mouse:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.on_page = lambda: None  # called on every page reached

    def visit(self, path: str):
        self.page.goto(self.base_url + path)
        self.on_page()

    def sign_in(self, username: str, password: str):
        """Through the real sign-in form, as people do."""
        self.visit("/accounts/login/")
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Sign in")
        self.fill("Username", username)
        self.fill("Password", password)
        self.press("Sign in")
        expect(self.page.get_by_role("navigation", name="Main")).to_contain_text("Signed in as")

    def link(self, name: str) -> Locator:
        """A visible link, or one in a closed menu group, which is opened first as a person would."""
        visible = self.page.get_by_role("link", name=name)
        if visible.count():
            return visible.first
        hidden = self.page.get_by_role("link", name=name, include_hidden=True).first
        self.open_menu(hidden.locator("xpath=ancestor::li[contains(@class, 'dropdown')][1]/button"))
        return hidden

    def open_menu(self, toggle: Locator):
        toggle.click()

    def follow(self, name: str):
        with self.page.expect_navigation():
            self.link(name).click()
        self.on_page()

    def press(self, name: str):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=True).click()
        self.on_page()

    def fill(self, label: str, text: str):
        self.page.get_by_label(label).fill(text)

    def append(self, label: str, text: str):
        field = self.page.get_by_label(label)
        field.fill(field.input_value() + text)

    def choose(self, label: str):
        self.page.get_by_label(label).check()

    def tick(self, label: str):
        self.page.get_by_label(label).check()


class Keyboard(Mouse):
    """After `visit` (the address bar), only the keyboard: no clicks, no `fill`."""

    def tab_until(self, reached, what: str):
        """Tab until `reached()`, then check that the focused element shows it has focus."""
        for _ in range(MAX_TABS):
            if reached():
                assert self.page.evaluate(f"({FOCUS_SHOWN_JS})(document.activeElement)"), f"no visible focus on {what}"
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{what} cannot be reached with Tab")

    def focus(self, target: Locator):
        target.wait_for(state="attached")
        self.tab_until(lambda: target.evaluate("el => el === document.activeElement"), str(target))

    def open_menu(self, toggle: Locator):
        self.focus(toggle)
        self.page.keyboard.press("Enter")

    def follow(self, name: str):
        self.focus(self.link(name))
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.on_page()

    def press(self, name: str):
        self.focus(self.page.get_by_role("button", name=name, exact=True))
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.on_page()

    def fill(self, label: str, text: str):
        self.focus(self.page.get_by_label(label))
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(text)

    def append(self, label: str, text: str):
        self.focus(self.page.get_by_label(label))
        self.page.keyboard.press("ControlOrMeta+End")
        self.page.keyboard.type(text)

    def choose(self, label: str):
        """Tab into the radio group (landing on its checked option, or the first), then arrow to the option."""
        target = self.page.get_by_label(label)
        name = target.get_attribute("name")
        in_group = "name => document.activeElement.type === 'radio' && document.activeElement.name === name"
        self.tab_until(lambda: self.page.evaluate(in_group, name), f"the {name} options")
        for _ in range(self.page.locator(f"input[type=radio][name='{name}']").count()):
            if target.evaluate("el => el === document.activeElement"):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert target.is_checked()

    def tick(self, label: str):
        field = self.page.get_by_label(label)
        self.focus(field)
        self.page.keyboard.press("Space")
        assert field.is_checked()
