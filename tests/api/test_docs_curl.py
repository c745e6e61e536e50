"""The round of curl examples in docs/api.md, run with curl against a live server: each
block's answer must be the JSON written under it ("…" standing for any value)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from api.models import AccessToken, Scope
from tests.factory import image_bytes, make_user

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```(sh|json)\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    """Each curl block of the round with the JSON block that follows it."""
    round_ = DOC.read_text().split("## A round with curl", 1)[1]
    blocks = BLOCK.findall(round_)
    pairs = []
    for (kind, code), (next_kind, expected) in itertools.pairwise(blocks):
        if kind == "sh" and next_kind == "json":
            pairs.append((code, expected))
    return pairs


def values(text: str) -> list:
    decoder, found, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        value, at = decoder.raw_decode(text, at)
        found.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return found


def matches(expected, actual) -> bool:
    if expected == "…":
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return expected == actual


def test_the_round_has_examples():
    assert len(examples()) >= 8


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_curl_round_of_the_docs_answers_as_written(live_server, tmp_path):
    owner = make_user("owner")
    token = AccessToken.issue(owner, name="docs", scope=Scope.WRITE)[1]
    revoked, revoked_token = AccessToken.issue(owner, name="old", scope=Scope.WRITE)
    revoked.revoke()
    (tmp_path / "finish.jpg").write_bytes(image_bytes(size=(800, 600)))
    env = {
        **os.environ,
        "YEARLOOP": live_server.url,
        "TOKEN": token,
        "REVOKED_TOKEN": revoked_token,
    }
    for code, expected in examples():
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, (code, done.stderr)
        answers, wanted = values(done.stdout), values(expected)
        assert len(answers) == len(wanted), (code, done.stdout)
        for want, answer in zip(wanted, answers, strict=True):
            assert matches(want, answer), (code, want, answer)
