"""The stylesheet as Chromium reads it. It nests no rule in another, so a rule found nested is
one a missing "}" swallowed: it then applies only inside the rule before it, that is nowhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from api.models import AccessToken, Scope
from readers.models import Follow
from tests.factory import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

NESTED_RULES = """() => {
  const nested = [];
  function walk(rules, inside) {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule && inside) nested.push(inside + " → " + rule.selectorText);
      const within = rule instanceof CSSStyleRule ? rule.selectorText : inside;
      if (rule.cssRules) walk(rule.cssRules, within);
    }
  }
  for (const sheet of document.styleSheets) walk(sheet.cssRules, null);
  return nested;
}"""


def test_no_rule_of_the_stylesheet_is_swallowed_by_the_one_before(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.evaluate(NESTED_RULES) == []


def test_the_following_page_lists_writers_without_bullets(page, live_server, log_in):
    reader = make_user("reader")
    Follow.objects.create(follower=reader, writer=make_user("demo", display_name="Dana Demo"))
    log_in("reader", PASSWORD)
    page.goto(live_server.url + "/following/")
    item = page.locator(".following-item")
    expect(item).to_contain_text("Dana Demo")
    assert item.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert page.locator(".following-list").evaluate("ul => getComputedStyle(ul).paddingLeft") == (
        "0px"
    )


def test_a_token_named_with_one_long_word_leaves_revoke_in_view_on_a_phone(
    page, live_server, log_in
):
    owner = make_user("owner")
    AccessToken.issue(owner, name="phone-shortcut-" + "x" * 80, scope=Scope.READ)
    log_in("owner", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/tokens/")
    expect(page.get_by_role("link", name="Revoke")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") == 390
