import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from prfaq.management.commands.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=io.StringIO())


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_demo_user_signs_in_sees_dashboard_and_team_then_signs_out(
    page, live_server, demo, console_errors
):
    sign_in(page, live_server, "li@example.com")
    expect(page.get_by_role("heading", name="Hello, Li Wei")).to_be_visible()
    expect(page.get_by_role("link", name="Checkout", exact=True)).to_be_visible()

    page.get_by_role("link", name="Checkout", exact=True).click()
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Maya Okafor")).to_be_visible()
    expect(page.get_by_text("Invite someone")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{live_server.url}/teams/checkout/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/teams/checkout/")
    assert console_errors == []


def test_lead_changes_a_role_in_place_with_htmx(page, live_server, demo, console_errors):
    sign_in(page, live_server, "maya@example.com")
    page.goto(f"{live_server.url}/teams/checkout/")
    page.get_by_label("Role of Li Wei").select_option("lead")
    expect(page.get_by_text("Li Wei is now a lead.")).to_be_visible()
    # Swapped in place: no full page load, and the change survives one.
    page.reload()
    expect(page.get_by_label("Role of Li Wei")).to_have_value("lead")
    assert console_errors == []


def test_wrong_password_shows_an_error_without_script_errors(
    page, live_server, demo, console_errors
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("li@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    assert console_errors == []
