"""The parts and their arrows (docs/architecture.md): a test fails when a module imports what its part may not,
counting imports inside functions too; a second test shows the checker does catch a forbidden import."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[1] / "tracker"
FLASK = ("flask", "flask_babel", "flask_login", "flask_limiter", "flask_smorest", "flask_wtf", "werkzeug", "wtforms")


@dataclass(frozen=True)
class Rule:
    """Modules under `part` may import only what `allows` accepts."""

    part: str
    reason: str
    forbidden: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None  # when set, nothing outside these (and the standard library) is allowed

    def allows(self, imported: str) -> bool:
        if any(_within(imported, name) for name in self.forbidden):
            return False
        if self.only is None:
            return True
        return imported.split(".")[0] in sys.stdlib_module_names or any(_within(imported, n) for n in self.only)


RULES = (
    Rule(
        "tracker.domain",
        "the domain is pure: the standard library and eventsourcing",
        only=("tracker.domain", "eventsourcing", "uuid6"),
    ),
    Rule(
        "tracker.queries",
        "reads never write, nor know the web",
        forbidden=("tracker.application", "tracker.web", "tracker.cli", *FLASK),
    ),
    Rule(
        "tracker.projections",
        "read models know no web",
        forbidden=("tracker.application", "tracker.web", "tracker.cli", "tracker.queries", *FLASK),
    ),
    Rule(
        "tracker.documents",
        "documents render without Flask",
        forbidden=("tracker.application", "tracker.web", "tracker.cli", *FLASK),
    ),
    Rule("tracker.audit", "the audit part knows no web", forbidden=("tracker.web", "tracker.cli", *FLASK)),
    Rule(
        "tracker.application",
        "commands know no adapter",
        forbidden=("tracker.web", "tracker.cli", "tracker.queries", "tracker.documents", *FLASK),
    ),
)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """Every module a source file imports, wherever the import statement stands (functions included)."""
    found = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}" if base else alias.name) for alias in node.names]
    return found


def forbidden_arrows(root: Path, rules: tuple[Rule, ...] = RULES) -> list[str]:
    arrows = []
    for path in sorted(root.rglob("*.py")):
        module = ".".join((root.name, *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for rule in rules:
            if not _within(module, rule.part):
                continue
            for line, imported in imports_of(path, module):
                if not rule.allows(imported) and not (imported.startswith(rule.part + ".") or imported == rule.part):
                    arrows.append(f"{path.relative_to(root.parent)}:{line} imports {imported}: {rule.reason}")
    return arrows


def test_no_part_imports_what_it_may_not():
    assert forbidden_arrows(TRACKER) == []


def test_the_checker_catches_a_forbidden_import_even_inside_a_function(tmp_path):
    package = tmp_path / "tracker"
    for part in ("domain", "queries", "documents"):
        (package / part).mkdir(parents=True)
        (package / part / "__init__.py").write_text('"""A part."""\n')
    (package / "domain" / "team.py").write_text("import datetime\nfrom eventsourcing.domain import Aggregate\n")
    (package / "queries" / "report.py").write_text("def page():\n    from flask import request\n    return request\n")
    (package / "documents" / "pdf.py").write_text("from ..web import views\n")
    (package / "domain" / "meeting.py").write_text("import sqlalchemy\n")

    arrows = forbidden_arrows(package)

    assert [arrow.split(":")[0] for arrow in arrows] == [
        "tracker/documents/pdf.py",
        "tracker/domain/meeting.py",
        "tracker/queries/report.py",
    ]
    assert "imports flask.request" in arrows[2] and "imports tracker.web.views" in arrows[0]
