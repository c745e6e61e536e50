"""The Korean catalogue: complete, compiled, and holding every string the code marks.

Failures name the msgids, so a new string is quick to translate: `make messages`, fill in the
msgstr in locale/ko/LC_MESSAGES/django.po, `make messages` again.
"""

from __future__ import annotations

import ast
import io
import shutil
import tokenize
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation.template import templatize

PO_PATH = settings.BASE_DIR / "locale" / "ko" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# What `make messages` leaves out: other people's code, generated files and the tests.
IGNORED = [".venv/*", "var/*", "node_modules/*", "staticfiles/*", "tests/*"]
SOURCES = ["accounts", "planner", "portability", "templates", "yearloop"]

# Marking functions as xgettext is told about them by makemessages: name -> role of each argument.
MARKERS = {
    "_": "s",
    "gettext": "s",
    "gettext_lazy": "s",
    "gettext_noop": "s",
    "ngettext": "sp",
    "ngettext_lazy": "sp",
    "pgettext": "cs",
    "pgettext_lazy": "cs",
    "npgettext": "csp",
    "npgettext_lazy": "csp",
}

Key = tuple[str, str, str]  # context, msgid, plural msgid ("" when none)


def key(entry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def label(k: Key) -> str:
    context, msgid, plural = k
    text = repr(msgid) + (f" / plural {plural!r}" if plural else "")
    return f"{text} (context {context!r})" if context else text


def translation(entry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(text for _, text in sorted(entry.msgstr_plural.items()))
    return (entry.msgstr,)


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def calls_in(source: str) -> set[Key]:
    """The literal msgids of the marking calls in Python source, or in a templatized template.

    Works on tokens, not on a syntax tree, since a templatized template is not Python.
    """
    found: set[Key] = set()
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        roles = MARKERS.get(token.string) if token.type == tokenize.NAME else None
        if roles is None or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string == "def":
            continue
        arguments: list[str | None] = [None]
        depth = 0
        for inner in tokens[i + 2 :]:
            if inner.string in "([{" and inner.type == tokenize.OP:
                depth += 1
            elif inner.string in ")]}" and inner.type == tokenize.OP:
                if depth == 0:
                    break
                depth -= 1
            elif inner.string == "," and depth == 0:
                arguments.append(None)
            elif inner.type == tokenize.STRING and depth == 0:
                # Adjacent literals are one string, as in Python.
                arguments[-1] = (arguments[-1] or "") + ast.literal_eval(inner.string)
        texts = dict(zip(roles, arguments, strict=False))
        if texts.get("s"):
            found.add((texts.get("c") or "", texts["s"], texts.get("p") or ""))
    return found


def templatized(template: str, origin: str) -> str:
    """A template as makemessages hands it to xgettext, its indentation dropped for tokenize."""
    return "\n".join(line.lstrip() for line in templatize(template, origin).splitlines())


def marked_in_code() -> set[Key]:
    """Every string the code marks for translation, found without GNU gettext."""
    found: set[Key] = set()
    for folder in SOURCES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix == ".py" and "migrations" not in path.parts:
                found |= calls_in(path.read_text())
            elif path.suffix in (".html", ".txt") and folder == "templates":
                found |= calls_in(templatized(path.read_text(), origin=str(path)))
    return found


def makemessages_in_a_copy(tmp_path: Path, settings) -> polib.POFile:
    """The catalogue as `makemessages` would leave it, made in a copy of the sources."""
    for folder in [*SOURCES, "locale"]:
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)  # makemessages reads the tree it is run in
        call_command("makemessages", locale=["ko"], ignore_patterns=IGNORED, verbosity=0)
    return polib.pofile(str(tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.po"))


def test_it_translates_every_entry_and_leaves_none_fuzzy():
    po = catalogue()

    untranslated = [label(key(e)) for e in po.untranslated_entries()]
    fuzzy = [label(key(e)) for e in po.fuzzy_entries()]
    assert not untranslated, "Untranslated in django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy in django.po (check and drop the flag):\n" + "\n".join(fuzzy)
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")


def test_it_compiles_the_catalogue_that_is_committed():
    # Checkouts do not keep modification times, so the compiled file is compared by content.
    compiled = {key(e): translation(e) for e in polib.mofile(str(MO_PATH)) if e.msgid}
    written = {key(e): translation(e) for e in catalogue().translated_entries()}

    stale = sorted(label(k) for k in compiled.keys() ^ written.keys())
    stale += sorted(label(k) for k in compiled.keys() & written.keys() if compiled[k] != written[k])
    assert not stale, "django.mo differs from django.po; run `make messages`:\n" + "\n".join(stale)


def test_it_finds_every_marked_string_of_the_code_in_the_catalogue():
    translated = {key(e) for e in catalogue().translated_entries()}

    missing = sorted(label(k) for k in marked_in_code() - translated)

    assert not missing, "Marked in the code, missing from django.po:\n" + "\n".join(missing)


def test_it_reads_marked_strings_the_way_makemessages_does():
    found = calls_in(
        'x = _("One " "line")\n'
        'y = pgettext_lazy("period", "May–August")\n'
        "z = ngettext('%(n)s day', '%(n)s days', n) % {'n': n}\n"
        'w = npgettext("c", "a", "b", count)\n'
        'v = translation.gettext("Also")\n'
        "def gettext(message): ...\n"
    ) | calls_in(
        templatized(
            '{% load i18n %}{% translate "Hello" context "greeting" %} '
            "{% blocktranslate count n=k %}{{ n }} year{% plural %}{{ n }} years"
            "{% endblocktranslate %}{{ x|date:_('M j') }}",
            origin="t.html",
        )
    )

    assert found == {
        ("", "One line", ""),
        ("period", "May–August", ""),
        ("", "%(n)s day", "%(n)s days"),
        ("c", "a", "b"),
        ("", "Also", ""),
        ("greeting", "Hello", ""),
        ("", "%(n)s year", "%(n)s years"),
        ("", "M j", ""),
    }


def test_it_needs_no_new_entries_from_makemessages(tmp_path, settings):
    """`makemessages` finds nothing new; without GNU gettext, the reading above stands in."""
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        po = makemessages_in_a_copy(tmp_path, settings)
        needed = {key(e) for e in po if not e.obsolete}
    else:
        needed = marked_in_code()
    translated = {key(e) for e in catalogue().translated_entries()}

    missing = sorted(label(k) for k in needed - translated)

    assert not missing, (
        "New strings that makemessages adds to django.po; run `make messages` and translate:\n"
        + "\n".join(missing)
    )
