"""What the browser tests share: the phone's screen, logging in through the login page as a user does, and
the check that a page does not scroll sideways."""

from tests.factories import PASSWORD

# A phone's screen, in CSS pixels.
PHONE = {"width": 390, "height": 844}


def log_in(page, username, *, password=PASSWORD, base=""):
    """Log ``username`` in through the login form and wait for the page it leads to. ``base``: the server's
    address, for a page whose context has no base URL."""
    page.goto(f"{base}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def fits(page, width=PHONE["width"]):
    """The page does not scroll sideways at ``width``."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
