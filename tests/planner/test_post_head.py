"""The post's <head> keeps what a person wrote inside its attributes, whatever they wrote."""

from __future__ import annotations

import html5lib
import pytest

from tests.factory import make_year

REFRESH = '0;url=https://elsewhere.example/" http-equiv="refresh" data-x="'


def head_of(response):
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return document.find("head")


@pytest.fixture
def hostile_post(owner):
    return make_year(owner, intro=REFRESH)


@pytest.mark.parametrize("who", ["visitor", "reader", "owner"])
def test_it_keeps_an_intro_with_quotes_inside_the_description(
    client, owner, reader, hostile_post, who
):
    if who != "visitor":
        client.force_login(owner if who == "owner" else reader)

    for _ in range(2):  # the second answer comes from the post cache where it applies
        response = client.get(hostile_post.get_absolute_url())
        head = head_of(response)

        assert response.status_code == 200
        assert [meta.get("http-equiv") for meta in head.iter("meta")] == [None] * len(
            head.findall("meta")
        )
        description = head.find("meta[@name='description']").get("content")
        assert description.startswith('0;url=https://elsewhere.example/" http-equiv')
