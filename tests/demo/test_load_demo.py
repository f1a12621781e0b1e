import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from actions.models import Action
from csa_tracker.accounts.models import Membership, Role
from demo.users import demo_device
from priorities.models import Plan


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def snapshot() -> dict:
    """Every row of every table we own, so "changes nothing" means nothing."""
    ours = ("accounts", "priorities", "actions", "indicators", "cycles", "reviews", "reports", "auth")
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in ours
    }


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_running_load_demo_twice_changes_nothing(db, debug_on):
    call_command("load_demo", password="first-demo-password")
    before = snapshot()
    call_command("load_demo")
    call_command("load_demo", password="first-demo-password")
    assert snapshot() == before


def test_load_demo_creates_one_user_per_role_in_kent(db, debug_on):
    call_command("load_demo", password="first-demo-password")
    roles = dict(Membership.objects.filter(partnership__slug="kent").values_list("user__username", "role"))
    assert roles == {
        "partner": Role.PARTNER,
        "reviewer": Role.WORKING_GROUP,
        "board": Role.GOVERNING,
        "admin": Role.ADMIN,
    }
    partner = Membership.objects.get(user__username="partner", partnership__slug="kent")
    assert partner.organisation.name == "Kent Community Safety Team"
    assert partner.organisation.led_actions.count() == 9  # as fixtures/kent_2017_18.toml leads them


def test_load_demo_generates_and_prints_a_password_when_none_given(db, debug_on, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    password = out.split("have the password: ")[1].split()[0]
    assert get_user_model().objects.get(username="reviewer").check_password(password)


def test_load_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo")
    assert get_user_model().objects.count() == 0
    call_command("load_demo", force=True, password="forced-demo-password")
    assert get_user_model().objects.filter(username="board").exists()


def test_demo_gives_the_partner_work_and_the_reviewer_a_flagged_item(db, debug_on, client, mailoutbox):
    call_command("load_demo", password="first-demo-password")
    assert mailoutbox == []
    users = {user.username: user for user in get_user_model().objects.all()}
    client.force_login(users["partner"])
    mine = client.get("/kent/my-work/").content.decode()
    assert 'Continue<span class="visually-hidden"> draft update' in mine
    assert "returned update" in mine
    client.force_login(users["reviewer"])
    queue = client.get("/kent/review/").content.decode()
    assert "Flag: Area of concern" in queue
    assert "Moved +14.1% against 2016/17 (Jul–Jun)" in queue  # 3,650 visitors against 3,200 a year before
    assert "Commission and support the Domestic Homicide" in queue


def test_load_demo_adds_maidstone_with_the_partner_and_reviewer_in_both(db, debug_on):
    call_command("load_demo", password="first-demo-password")
    roles = set(Membership.objects.filter(partnership__slug="maidstone").values_list("user__username", "role"))
    assert roles == {("partner", Role.PARTNER), ("reviewer", Role.WORKING_GROUP)}
    plan = Plan.objects.get(partnership__slug="maidstone")
    assert plan.plan_priorities.count() == 2
    actions = Action.objects.filter(plan_priority__plan=plan)
    assert actions.count() == 4
    assert all(action.updates.published().count() == 1 for action in actions)


@pytest.mark.two_factor
def test_demo_totp_prints_a_code_the_reviewers_authenticator_accepts(db, debug_on, capsys):
    call_command("load_demo", password="first-demo-password")
    assert "demo_totp reviewer" in capsys.readouterr().out
    call_command("demo_totp", "reviewer")
    code = capsys.readouterr().out.strip()
    assert demo_device("reviewer").verify_token(code)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "board")
