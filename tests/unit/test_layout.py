"""The core stays readable: small modules, folders of a handful of modules each."""
from __future__ import annotations

from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "xyz_studio"
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 10


def test_no_core_module_is_over_400_lines():
    long = {str(p.relative_to(CORE)): n for p in CORE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by concept: {long}"


def test_no_core_folder_holds_more_than_ten_modules():
    folders = [CORE, *(d for d in CORE.rglob("*") if d.is_dir() and d.name != "__pycache__")]
    crowded = {str(d.relative_to(CORE.parent)): n for d in folders
               if (n := len([p for p in d.glob("*.py") if p.name != "__init__.py"])) > MAX_MODULES_PER_FOLDER}
    assert len(folders) >= 6 and not crowded, crowded


def test_unit_test_folders_mirror_the_code():
    # a module's tests sit in the folder of the same name as the module's own (harness/ for the harness)
    here = Path(__file__).resolve().parent
    folders = {d.name for d in here.iterdir() if d.is_dir() and d.name != "__pycache__" and any(d.glob("test_*.py"))}
    code = {d.name for d in CORE.iterdir() if d.is_dir()} | {"harness"}
    assert folders and folders <= code, f"no code folder for the tests in {sorted(folders - code)}"


def _load_time_imports(path: Path, package: str) -> set[str]:
    """The pack modules `path` imports when it loads (not under TYPE_CHECKING, not inside a function)."""
    import ast
    found: set[str] = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for node in body:
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else [])) if node.level else (node.module or "")
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    # importing a.b.c runs a/__init__.py and a/b/__init__.py first (not the module's own
    # packages: they are already being set up when it loads)
    own = {".".join(package.split(".")[:k]) for k in range(1, package.count(".") + 2)}
    return found | {".".join(m.split(".")[:k]) for m in found for k in range(1, m.count(".") + 1)} - own


def test_no_core_modules_import_each_other_in_a_cycle():
    modules: dict[str, Path] = {}
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = {m for m in _load_time_imports(path, package) if m in modules and m != name}
    cycles, done = [], set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append(trail[trail.index(name):] + [name])
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, trail + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert len(graph) > 60 and not cycles, cycles
