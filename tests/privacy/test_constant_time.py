"""Secrets are compared in constant time: no `==` between a token, signature, nonce or digest in the code.

Tokens are checked with `hmac.compare_digest` (CSRF), itsdangerous and Twilio's validator
(which use it), or found by the SHA-256 of the token in the database (chat and staff sessions).
This reads every module's syntax tree for a plain comparison of such values, so a new one fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import voice_service

SECRETISH = re.compile(r"(token|signature|secret|nonce|digest|password|mac)$|^(signed|expected)$", re.I)
# Not secrets, though named like them: a reply form's one-off id, compared to make a double-sent form count once.
ALLOWED = {("voice_service/inbox/threads.py", "last_reply_token")}


def _is_sql(node: ast.AST) -> bool:
    """`Model.column` or `col(...)`: the comparison builds SQL."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id[:1].isupper():
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "col"


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _plain_comparisons(path: Path, root: Path) -> list[str]:
    found = []
    relative = str(path.relative_to(root))
    for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
        if not isinstance(node, ast.Compare) or not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        sides = (node.left, *node.comparators)
        if any(_is_sql(side) for side in sides):
            continue  # a database look-up (by a token's hash, where the token is a secret), not a Python comparison
        names = [name for name in map(_name, sides) if name]
        if any((relative, name) in ALLOWED for name in names):
            continue
        secret = next((name for name in names if SECRETISH.search(name)), None)
        if secret:
            found.append(f"{relative}:{node.lineno} compares {secret} with ==")
    return found


def test_no_secret_is_compared_with_equals():
    package = Path(voice_service.__file__).parent
    root = package.parent
    found = [problem for path in sorted(package.rglob("*.py")) for problem in _plain_comparisons(path, root)]
    assert found == []


def test_the_check_would_catch_one(tmp_path):
    module = tmp_path / "voice_service" / "bad.py"
    module.parent.mkdir()
    module.write_text("def ok(signature, expected):\n    return signature == expected\n")
    assert _plain_comparisons(module, tmp_path) == ["voice_service/bad.py:2 compares signature with =="]
