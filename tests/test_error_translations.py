"""Every domain error speaks Indonesian and English.

Walks the source of every raise of a domain error (``RuleViolation``, ``NotFound``,
``PermissionDenied``, ``Conflict``, their subclasses and ``field_error``) and fails on one whose
message has no Indonesian text: either ``message_id=`` beside the English message (pure modules
and services), or a gettext message (``_("...")``) whose msgid is translated in the catalogue.
Helpers that pass their caller's English and Indonesian text on to an error (``field_error``,
the access gate's ``require``, the backup refusals) are found too, and each call of them checked.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "jamsos"
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
BASES = {"DomainError", "RuleViolation", "NotFound", "PermissionDenied", "Conflict"}
#: Messages without Indonesian text on purpose: none. Add here only with a reason beside it.
EXEMPT: set[str] = set()


def _sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(), str(path)))
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _error_classes(sources: list[tuple[Path, ast.Module]]) -> set[str]:
    classes = set(BASES)
    grew = True
    while grew:
        grew = False
        for _path, tree in sources:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in classes
                    and any(getattr(b, "id", None) in classes for b in node.bases)
                ):
                    classes.add(node.name)
                    grew = True
    return classes


def _self_translated(sources: list[tuple[Path, ast.Module]]) -> set[str]:
    """Error classes whose constructor gives the Indonesian text itself (``RuleNotInForce``)."""
    names = set()
    for _path, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        calls = [c for c in ast.walk(item) if isinstance(c, ast.Call)]
                        if any(k.arg == "message_id" for c in calls for k in c.keywords):
                            names.add(node.name)
    return names


def _gettext_msgid(node: ast.expr) -> str | None:
    """The msgid of ``_("...")`` or ``_("...") % {...}``; None for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        node = node.left
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", None) in ("_", "gettext", "gettext_lazy")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return str(node.args[0].value)
    return None


@functools.cache
def _translations() -> dict[str, str]:
    """msgid → msgstr of the Indonesian catalogue (single-line and wrapped entries)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            entries["".join(msgid)] = "".join(msgstr)

    for line in PO.read_text().splitlines():
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        elif not line.strip():
            flush()
            msgid = msgstr = current = None
    flush()
    return entries


def _names_in(node: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _helpers(
    sources: list[tuple[Path, ast.Module]], classes: set[str]
) -> dict[str, tuple[int, str, int, str]]:
    """Functions that build an error from two of their parameters, the English message and its
    Indonesian ``message_id``: name → (position, name) of each of the two parameters. A private
    helper (``_refuse``) is known by its file too, as other files may name theirs alike."""
    found = {}
    for _path, tree in sources:
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            params = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
            positional = len(fn.args.posonlyargs + fn.args.args)
            for call in ast.walk(fn):
                name = getattr(call, "func", None)
                name = getattr(name, "id", None) or getattr(name, "attr", None)
                if not (isinstance(call, ast.Call) and name in classes and call.args):
                    continue
                keywords = {k.arg: k.value for k in call.keywords}
                if "message_id" not in keywords:
                    continue
                english = _names_in(call.args[0]) - _names_in(keywords["message_id"])
                indonesian = _names_in(keywords["message_id"]) - _names_in(call.args[0])
                english &= set(params)
                indonesian &= set(params)
                if len(english) == 1 and len(indonesian) == 1:
                    en, id_ = english.pop(), indonesian.pop()
                    at = {p: (i if i < positional else -1) for i, p in enumerate(params)}
                    key = f"{_path}:{fn.name}" if fn.name.startswith("_") else fn.name
                    found[key] = (at[en], en, at[id_], id_)
    return found


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if 0 <= position < len(call.args) else None


def _raises() -> list[tuple[str, ast.Call]]:
    sources = _sources()
    classes = _error_classes(sources) - _self_translated(sources)
    found = []
    for path, tree in sources:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in classes and node.args:
                found.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}", node))
    return found


def _helper_calls() -> list[tuple[str, ast.Call, tuple[int, str, int, str]]]:
    sources = _sources()
    helpers = _helpers(sources, _error_classes(sources))
    found = []
    for path, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                key = f"{path}:{name}" if str(name).startswith("_") else name
                if key in helpers:
                    where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                    found.append((where, node, helpers[key]))
    return found


RAISES = _raises()
HELPER_CALLS = _helper_calls()


def test_the_walk_finds_the_domain_errors():
    assert len(RAISES) > 150


def test_the_walk_finds_the_helpers_and_their_calls():
    helpers = {getattr(c.func, "id", None) or c.func.attr for _w, c, _h in HELPER_CALLS}
    assert {"field_error", "require", "_refuse", "_invalid"} <= helpers
    assert len(HELPER_CALLS) > 100


def _assert_translated(where: str, message: ast.expr) -> None:
    msgid = _gettext_msgid(message)
    assert msgid is not None, f"{where}: give message_id= or a gettext message"
    translated = _translations().get(msgid, "")
    assert translated and translated != msgid, f"{where}: {msgid!r} has no Indonesian translation"


@pytest.mark.parametrize(
    ("where", "call", "helper"), HELPER_CALLS, ids=[w for w, _c, _h in HELPER_CALLS]
)
def test_every_call_of_an_error_helper_has_indonesian_text(where, call, helper):
    en_at, en_name, id_at, id_name = helper
    english = _argument(call, en_at, en_name)
    indonesian = _argument(call, id_at, id_name)
    if english is None:
        return  # the helper's own default message, checked where it is raised
    if indonesian is None:
        _assert_translated(where, english)
        return
    assert ast.unparse(english) != ast.unparse(indonesian), f"{where}: Indonesian is the English"


@pytest.mark.parametrize(("where", "call"), RAISES, ids=[w for w, _c in RAISES])
def test_every_domain_error_has_indonesian_text(where, call):
    message = call.args[0]
    keywords = {k.arg: k.value for k in call.keywords}
    if "message_id" in keywords:
        assert ast.unparse(keywords["message_id"]) != ast.unparse(message), where
        return
    if f"{where.split(':')[0]}:{ast.unparse(message)}" in EXEMPT:
        return
    _assert_translated(where, message)
