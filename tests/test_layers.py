"""Dependencies point one way (README, Layout): each app imports only the apps below it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = {"core", "mentoring", "recognition"}
PROCESS = DOMAIN | {"workflow"}
READS = PROCESS | {"scoring", "dashboards", "reports"}
MAY_IMPORT = {
    "core": set(),
    "mentoring": {"core"},
    "recognition": {"core", "mentoring"},
    "workflow": DOMAIN,
    "scoring": DOMAIN,
    "notifications": PROCESS,
    "audit": DOMAIN,
    "submission": PROCESS | {"audit"},
    "dashboards": PROCESS | {"scoring", "submission"},
    "reports": PROCESS | {"scoring", "dashboards", "audit"},
    "demo": PROCESS | {"scoring", "submission", "notifications"},
    "api": READS | {"notifications", "submission"},
    "portal": READS | {"notifications", "submission", "audit"},
}
APPS = set(MAY_IMPORT) | {"config"}


def imported_apps(app: str) -> dict[str, set[str]]:
    """Our apps each module of `app` imports (migrations aside)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        apps = {name.split(".")[0] for name in names} & APPS - {app}
        if apps:
            found[str(path.relative_to(ROOT))] = apps
    return found


def test_every_app_imports_only_the_layers_below_it():
    wrong = {
        module: apps - MAY_IMPORT[app]
        for app in MAY_IMPORT
        for module, apps in imported_apps(app).items()
        if apps - MAY_IMPORT[app]
    }
    assert wrong == {}


def test_the_check_sees_imports():
    assert "mentoring" in imported_apps("workflow")["workflow/policy.py"]
