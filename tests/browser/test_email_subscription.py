"""A visitor subscribes to a writer by e-mail, confirms, hears of each publication once, in
Korean, and unsubscribes with the one-click header: a plain POST, no browser, no cookie."""

from __future__ import annotations

import email
import email.policy
import re
import urllib.request

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from planner.models import Visibility
from readers.models import Subscription, SubscriptionStatus
from tests.factory import PASSWORD, make_year

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "fan@example.com"


@pytest.fixture(autouse=True)
def _site_is_the_live_server(settings, live_server):
    # The links in the mail point at the site's address: here, the test server.
    settings.SITE_URL = live_server.url
    cache.clear()


@pytest.fixture
def korean_visitor(browser):
    context = browser.new_context(locale="ko-KR")
    yield context.new_page()
    context.close()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def link_in(message, part: str) -> str:
    return next(url for url in re.findall(r"https?://\S+", message.body) if part in url)


def publish(page, live_server, year: int) -> None:
    """The writer makes a private post public from its edit page."""
    page.goto(f"{live_server.url}/@owner/{year}/edit/")
    page.get_by_label("Visibility").select_option("public")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live_server.url}/@owner/{year}/")


def test_a_visitor_subscribes_confirms_hears_once_per_post_and_unsubscribes_in_one_click(
    page, korean_visitor, live_server, log_in, owner
):
    for year in (2025, 2026, 2027):
        make_year(owner, year=year, visibility=Visibility.PRIVATE, intro=f"**{year}** in short.")
    make_year(owner, year=2024, visibility=Visibility.PUBLIC)  # so the profile lists a year
    mail.outbox.clear()

    # The visitor subscribes on the writer's profile, in Korean.
    visitor = korean_visitor
    visitor.goto(f"{live_server.url}/@owner/")
    form = visitor.locator("#subscribe")
    expect(form.get_by_role("heading")).to_have_text("Olivia Owner 님의 새 글을 이메일로 받기")
    form.get_by_label("내 이메일 주소").fill(ADDRESS)
    form.get_by_role("button", name="이메일로 구독하기").click()
    expect(visitor.locator(".messages")).to_contain_text(f"고맙습니다. {ADDRESS} 주소가")
    [confirmation] = mails_to(ADDRESS)
    assert confirmation.subject == "Yearloop에서 Olivia Owner 님 구독을 확인해 주세요"
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING

    # Nothing is sent before the confirmation.
    log_in("owner", PASSWORD)
    publish(page, live_server, 2025)
    assert len(mails_to(ADDRESS)) == 1

    # The link opens a page; the button confirms.
    visitor.goto(link_in(confirmation, "/subscribe/confirm/"))
    visitor.get_by_role("button", name="네, 새 글을 보내 주세요").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("구독되었습니다")

    # One publication, one mail, in Korean, with the one-click headers.
    publish(page, live_server, 2026)
    announcements = mails_to(ADDRESS)[1:]
    assert len(announcements) == 1
    [announcement] = announcements
    assert (
        announcement.subject == "Olivia Owner 님이 “2026년 결산 및 2027년 계획” 글을 발행했습니다"
    )
    assert "글 전체 읽기:" in announcement.body
    assert f"{live_server.url}/@owner/2026/" in announcement.body
    assert "2026 in short." in announcement.body
    # The headers as the SMTP backend writes them.
    sent = email.message_from_bytes(announcement.message(policy=email.policy.SMTP).as_bytes())
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = sent["List-Unsubscribe"]
    unsubscribe_url = re.fullmatch(r"<(https?://\S+)>", header)[1]
    assert unsubscribe_url in announcement.body

    # The writer's page shows one subscriber, not who.
    page.goto(f"{live_server.url}/@owner/")
    expect(page.locator(".subscriber-count")).to_have_text(
        "1 address subscribed by e-mail gets a mail when you publish a post."
    )
    expect(page.locator("main")).not_to_contain_text(ADDRESS)

    # The mail program unsubscribes: one POST, no browser, no cookie, no token.
    request = urllib.request.Request(
        unsubscribe_url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED

    # The next publication sends that address nothing.
    publish(page, live_server, 2027)
    assert len(mails_to(ADDRESS)) == 2


def test_one_more_publication_while_subscribed_is_one_more_mail(page, live_server, log_in, owner):
    for year in (2025, 2026):
        make_year(owner, year=year, visibility=Visibility.PRIVATE)
    Subscription.objects.create(
        writer=owner, email=ADDRESS, language="en", status=SubscriptionStatus.CONFIRMED
    )
    mail.outbox.clear()
    log_in("owner", PASSWORD)

    publish(page, live_server, 2025)
    assert [m.subject for m in mails_to(ADDRESS)] == [
        "Olivia Owner published “2025 review and 2026 plan”"
    ]
    publish(page, live_server, 2026)
    assert [m.subject for m in mails_to(ADDRESS)] == [
        "Olivia Owner published “2025 review and 2026 plan”",
        "Olivia Owner published “2026 review and 2027 plan”",
    ]
    # Saving a published post again sends nothing more.
    publish(page, live_server, 2026)
    assert len(mails_to(ADDRESS)) == 2


def test_a_visitor_subscribes_from_under_a_post_and_stays_on_the_post(page, live_server, owner):
    make_year(owner, year=2025, visibility=Visibility.PUBLIC)
    mail.outbox.clear()

    page.goto(f"{live_server.url}/@owner/2025/")
    form = page.locator("#subscribe")
    form.get_by_label("Your e-mail address").fill(ADDRESS)
    form.get_by_role("button", name="Subscribe by e-mail").click()

    expect(page).to_have_url(f"{live_server.url}/@owner/2025/")
    expect(page.locator(".messages")).to_contain_text(f"Unless {ADDRESS} already gets these mails")
    assert len(mails_to(ADDRESS)) == 1
