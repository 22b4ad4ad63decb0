"""Every file Jamsos hands out goes through the one place that makes it safe: download names
through ``jamsos.core.exports.attachment``/``safe_filename``, spreadsheet cells through
``csv_text``/``csv_bytes``/``safe_row``, PDF paragraphs through ``jamsos.web.pdf.text``.

Walks the source, so a new export or download that bypasses them fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "jamsos"

#: Writers of fixed content only: the empty worker-list template (its header and one example).
FIXED_CONTENT_WRITERS = {"jamsos/registry/upload.py:template_csv"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(ROOT.parent).as_posix(), ast.parse(path.read_text())


def _name(node: ast.AST) -> str:
    func = getattr(node, "func", None)
    return str(getattr(func, "id", None) or getattr(func, "attr", None) or "")


def _functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            yield node


def test_every_download_name_is_sanitised():
    unsafe = []
    seen = 0
    for where, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                target = node.targets[0]
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value == "Content-Disposition"
                ):
                    seen += 1
                    value = node.value
                    fixed = isinstance(value, ast.Constant)
                    if not fixed and _name(value) != "attachment":
                        unsafe.append(f"{where}:{node.lineno}")
            if isinstance(node, ast.Call) and _name(node) == "FileResponse":
                seen += 1
                filename = {k.arg: k.value for k in node.keywords}.get("filename")
                if filename is None or _name(filename) != "safe_filename":
                    unsafe.append(f"{where}:{node.lineno}")
    assert seen >= 9
    assert unsafe == []


def test_every_spreadsheet_writer_goes_through_the_safe_cells():
    raw = []
    for where, tree in _sources():
        if where == "jamsos/core/exports.py":
            continue
        for fn in _functions(tree):
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                if _name(node) == "writer" or (
                    _name(node) == "append" and "sheet" in ast.unparse(node.func)
                ):
                    ok = _name(node) == "append" and node.args and _name(node.args[0]) == "safe_row"
                    if not ok and f"{where}:{fn.name}" not in FIXED_CONTENT_WRITERS:
                        raw.append(f"{where}:{node.lineno} in {fn.name}")
    assert raw == []


def test_every_pdf_paragraph_is_escaped():
    raw = []
    for where, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "Paragraph":
                escaped = node.args and _name(node.args[0]) == "escape"
                if not escaped:
                    raw.append(f"{where}:{node.lineno}")
    assert raw == []
