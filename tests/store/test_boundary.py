"""Only the store names a database: no module outside ``flyloop/store`` imports a driver, branches
on a dialect, writes a statement that only one database understands, or catches the database's
own errors (the store translates them into flyloop's) (issue 10, item 3)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import flyloop

PACKAGE = Path(flyloop.__file__).parent
DRIVERS = ("sqlite3", "psycopg", "psycopg2", "sqlalchemy.dialects", "sqlalchemy.exc")
# Names of databases and drivers, in identifiers (store.dialect, sqlite_insert, is_postgres ...).
NAMED = re.compile(r"sqlite|postgres|psycopg|dialect", re.IGNORECASE)
# Statements one database has and another lacks, in string constants other than docstrings.
ONE_DATABASE = re.compile(
    r"\bPRAGMA\b|\bpg_\w+\(|::(?:jsonb|text|int8|float8|bool)\b|\bunnest\(|\bVACUUM\b|\bON CONFLICT\b|\bRETURNING\b"
    r"|\bBEGIN IMMEDIATE\b|\bexcluded\.",
    re.IGNORECASE,
)
STATEMENT = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|PRAGMA|VACUUM|CHECKPOINT|BEGIN|CREATE|ALTER|DROP|LOCK)\b")
DIALECT_NAMES = {"sqlite", "sqlite3", "postgresql", "postgres", "psycopg", "psycopg2", "pg"}
# A user's setting for the SQLite store (FLYLOOP_SQLITE_SYNCHRONOUS), handed to Store() unread.
ALLOWED = {"sqlite_synchronous"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def breaches(source: str) -> list[str]:
    """What in ``source`` names a database, one line each."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{where}: imports {a.name}" for a in node.names if a.name.startswith(DRIVERS)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(DRIVERS):
                found.append(f"{where}: imports from {node.module}")
            elif node.module.startswith("sqlalchemy"):
                found += [f"{where}: imports {a.name}" for a in node.names if NAMED.search(a.name) or a.name == "exc"]
        elif isinstance(node, ast.Attribute) and NAMED.search(node.attr) and node.attr not in ALLOWED:
            found.append(f"{where}: .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "exc" and ast.unparse(node.value) in ("sa", "sqlalchemy"):
            found.append(f"{where}: {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and NAMED.search(node.id) and node.id not in ALLOWED:
            found.append(f"{where}: {node.id}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and NAMED.search(node.name):
            found.append(f"{where}: defines {node.name}")
        elif isinstance(node, ast.arg) and NAMED.search(node.arg):
            found.append(f"{where}: argument {node.arg}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value
            if text.strip().lower() in DIALECT_NAMES:
                found.append(f"{where}: the string {text!r}")
            elif STATEMENT.match(text) and (hit := ONE_DATABASE.search(text)):
                found.append(f"{where}: {hit.group(0)!r} in a statement")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_no_module_outside_the_store_names_a_database():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "store":
            continue
        hits = breaches(path.read_text(encoding="utf-8"))
        if hits:
            found[str(relative)] = hits
    assert found == {}


def test_the_check_sees_each_way_of_naming_a_database():
    source = '''
"""A docstring may say SQLite, PRAGMA and ON CONFLICT: it explains."""
import sqlite3
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite import insert

def f(conn, store, is_sqlite=False):
    if store.dialect == "sqlite":
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(1)")
    conn.exec_driver_sql("INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING")
    help = "sqlite:///path or postgresql://..."
    try:
        pass
    except sa.exc.OperationalError:
        pass
'''
    assert breaches(source) == [
        "3: imports sqlite3",
        "4: imports from sqlalchemy.dialects",
        "5: imports from sqlalchemy.dialects.sqlite",
        "7: argument is_sqlite",
        "8: .dialect",
        "8: the string 'sqlite'",
        "9: 'PRAGMA' in a statement",
        "10: 'pg_advisory_xact_lock(' in a statement",
        "11: 'ON CONFLICT' in a statement",
        "15: sa.exc",
    ]
