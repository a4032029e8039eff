"""``cloudstack_driver/aio/driver.pyi``: the asyncio driver typed for its users.

At run time ``AsyncCloudStackNodeDriver``'s public methods are the sync driver's, wrapped to
return coroutines; the stub (written by ``tools/aio_stub.py``) tells type checkers so. It must
be what the generator writes for this checkout (else a change of the sync driver went
unregenerated), declare every wrapped method ``async def`` with the sync parameters, and make
mypy accept awaited calls and reject forgotten ``await``.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cloudstack_driver.aio import driver as aio_driver
from cloudstack_driver.cloudstack.driver import CloudStackNodeDriver

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "cloudstack_driver" / "aio" / "driver.pyi"
SOURCE = ROOT / "cloudstack_driver" / "aio" / "driver.py"
REGENERATE = "run python tools/aio_stub.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aio_stub", ROOT / "tools" / "aio_stub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def stub_class() -> dict[str, ast.stmt]:
    """The members of ``AsyncCloudStackNodeDriver`` in the committed stub, by name."""
    return _class_body(ast.parse(STUB.read_text(encoding="utf-8")), "AsyncCloudStackNodeDriver")


def _class_body(tree: ast.Module, name: str) -> dict[str, ast.stmt]:
    classdef = next(s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name)
    members: dict[str, ast.stmt] = {}
    for statement in classdef.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            members[statement.name] = statement
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            members[statement.target.id] = statement
    return members


def _own_names() -> set[str]:
    """What the source of ``AsyncCloudStackNodeDriver`` defines itself (read from the file,
    not from the class, where the wrapped sync methods are set too)."""
    return set(_class_body(ast.parse(SOURCE.read_text(encoding="utf-8")),
                           "AsyncCloudStackNodeDriver"))


def _wrapped_sync_methods() -> dict[str, Any]:
    """The functions ``awaitable_methods`` makes awaitable: every public function of the sync
    driver that the async class does not define itself."""
    own = _own_names()
    return {name: member for name, member in inspect.getmembers(CloudStackNodeDriver,
                                                                inspect.isfunction)
            if not name.startswith("_") and name not in own}


# -- (a) the committed stub is the generator's output ----------------------------------------

def test_committed_stub_is_up_to_date(generator: ModuleType) -> None:
    expected = generator.generate()
    assert STUB.read_text(encoding="utf-8") == expected, (
        f"{STUB.relative_to(ROOT)} is out of date (the sync driver or "
        f"cloudstack_driver/aio/driver.py changed): {REGENERATE}")


def test_check_option(generator: ModuleType, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert generator.main(["--check"]) == 0
    stale = tmp_path / "driver.pyi"
    stale.write_text(STUB.read_text(encoding="utf-8").replace("async def list_nodes",
                                                              "def list_nodes"),
                     encoding="utf-8")
    assert generator.main(["--check", "--output", str(stale)]) == 1
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and message.endswith(f"out of date: {REGENERATE}\n")
    assert generator.main(["--output", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == STUB.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        generator.main(["--help"])
    assert exited.value.code == 0
    assert "--check" in capsys.readouterr().out


# -- (b) every wrapped method is a coroutine function with the sync parameters ---------------

def _ast_parameters(function: ast.AsyncFunctionDef | ast.FunctionDef
                    ) -> list[tuple[str, inspect._ParameterKind, bool]]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    out = [(a.arg, inspect.Parameter.POSITIONAL_ONLY if i < len(args.posonlyargs)
            else inspect.Parameter.POSITIONAL_OR_KEYWORD, d)
           for i, (a, d) in enumerate(zip(positional, defaults, strict=True))]
    if args.vararg is not None:
        out.append((args.vararg.arg, inspect.Parameter.VAR_POSITIONAL, False))
    out += [(a.arg, inspect.Parameter.KEYWORD_ONLY, d is not None)
            for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
    if args.kwarg is not None:
        out.append((args.kwarg.arg, inspect.Parameter.VAR_KEYWORD, False))
    return out


def _sync_parameters(function: Any) -> list[tuple[str, inspect._ParameterKind, bool]]:
    return [(p.name, p.kind, p.default is not inspect.Parameter.empty)
            for p in inspect.signature(function).parameters.values()]


def _normalized(annotation: str) -> str:
    return ast.unparse(ast.parse(annotation, mode="eval"))


def test_every_sync_method_is_async_in_the_stub(stub_class: dict[str, ast.stmt]) -> None:
    wrapped = _wrapped_sync_methods()
    assert len(wrapped) > 100  # list_nodes, create_node, ex_* ...
    for name, function in sorted(wrapped.items()):
        declared = stub_class.get(name)
        assert isinstance(declared, ast.AsyncFunctionDef), (
            f"{name} is not an async def in the stub: {REGENERATE}")
        assert _ast_parameters(declared) == _sync_parameters(function), name
        for default in [*declared.args.defaults, *declared.args.kw_defaults]:
            assert default is None or (isinstance(default, ast.Constant)
                                        and default.value is Ellipsis), name
        returns = function.__annotations__["return"]
        assert declared.returns is not None
        assert ast.unparse(declared.returns) == _normalized(returns), name
    # the wrapper really is what runs: a coroutine comes out of the real class
    assert getattr(aio_driver.AsyncCloudStackNodeDriver.list_nodes, "__wrapped__", None) \
        is CloudStackNodeDriver.list_nodes


def test_own_members_keep_their_own_declarations(stub_class: dict[str, ast.stmt]) -> None:
    source = _class_body(ast.parse(SOURCE.read_text(encoding="utf-8")),
                         "AsyncCloudStackNodeDriver")
    public = {n for n in source if not n.startswith("_") or n.endswith("__")}
    assert {"__init__", "__aenter__", "__aexit__", "aclose", "api", "create_nodes",
            "connection", "connectionCls"} <= public
    for name in public:
        ours, theirs = stub_class[name], source[name]
        assert type(ours) is type(theirs), name  # async stays async, def stays def
        if isinstance(theirs, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert isinstance(ours, (ast.FunctionDef, ast.AsyncFunctionDef))
            assert _ast_parameters(ours) == _ast_parameters(theirs), name
            assert theirs.returns is not None and ours.returns is not None
            assert ast.unparse(ours.returns) == ast.unparse(theirs.returns), name
    # private helpers (_ssh_connect, _sleep ...) are left to the sync base class
    assert not [n for n in stub_class if n.startswith("_") and not n.endswith("__")]
    # from_env / from_config stay the inherited sync classmethods (type[_D] -> _D)
    assert "from_env" not in stub_class and "from_config" not in stub_class


def test_stub_declares_the_module_exports() -> None:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    declared = {s.name for s in tree.body if isinstance(s, (ast.ClassDef, ast.FunctionDef))}
    assert declared == set(aio_driver.__all__)
    assert ast.literal_eval(next(
        s.value for s in tree.body if isinstance(s, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in s.targets)
    )) == aio_driver.__all__


# -- (c) mypy: awaited calls pass, forgotten awaits fail -------------------------------------

GOOD = '''
from __future__ import annotations

import asyncio

from typing_extensions import assert_type

from cloudstack_driver.aio import AsyncApi, AsyncCloudStackNodeDriver
from cloudstack_driver.aio.transport import AsyncCloudStackConnection
from cloudstack_driver.cloudstack.models import CloudStackNode
from cloudstack_driver.models import NodeLocation


async def main() -> str | None:
    async with AsyncCloudStackNodeDriver("key", "secret", url="http://127.0.0.1:8080/client/api",
                                         max_concurrency=8) as d:
        assert_type(d, AsyncCloudStackNodeDriver)
        nodes = await d.list_nodes()
        assert_type(nodes, list[CloudStackNode])
        name: str | None = nodes[0].name
        sizes = await d.list_sizes()
        images = await d.list_images()
        locations = await d.list_locations()
        assert_type(locations, list[NodeLocation])
        await d.create_node("web", sizes[0], images[0], location=locations[0], ex_wait=True)
        again = await asyncio.gather(*(d.ex_get_node(node.id) for node in nodes
                                       if node.id is not None))
        assert_type(again, list[CloudStackNode])
        assert_type(d.api, AsyncApi)
        assert_type(d.connection, AsyncCloudStackConnection)
        await d.aclose()
    assert_type(AsyncCloudStackNodeDriver.from_env(), AsyncCloudStackNodeDriver)
    assert_type(AsyncCloudStackNodeDriver.from_config("cloudstack"), AsyncCloudStackNodeDriver)
    return name
'''

BAD = '''
from cloudstack_driver.aio import AsyncCloudStackNodeDriver
from cloudstack_driver.cloudstack.models import CloudStackNode


async def main(d: AsyncCloudStackNodeDriver) -> None:
    first = d.list_nodes()[0]
    node: CloudStackNode = d.ex_get_node("1")
    d.list_nodes()
'''

BAD_ERRORS = [
    'bad.py:6: error: Value of type "Coroutine[Any, Any, list[CloudStackNode]]" is not '
    "indexable  [index]",
    'bad.py:7: error: Incompatible types in assignment (expression has type "Coroutine[Any, '
    'Any, CloudStackNode]", variable has type "CloudStackNode")  [assignment]',
    'bad.py:8: error: Value of type "Coroutine[Any, Any, list[CloudStackNode]]" must be used  '
    "[unused-coroutine]",
]


def test_mypy_sees_coroutines(tmp_path: Path) -> None:
    """One mypy run over two snippets, the package found on MYPYPATH (so through the stub)."""
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD).lstrip(), encoding="utf-8")
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD).lstrip(), encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-pretty", "--no-error-summary",
         "--hide-error-context", "--no-color-output", "good.py", "bad.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    lines = result.stdout.splitlines()
    assert not [line for line in lines if not line.startswith("bad.py:")], result.stdout
    errors = [line for line in lines if ": error: " in line]
    assert errors == BAD_ERRORS, result.stdout + result.stderr
    assert 'bad.py:6: note: Maybe you forgot to use "await"?' in lines


def test_mypy_still_checks_the_driver_source(tmp_path: Path) -> None:
    """With driver.pyi present, ``mypy`` on the package reads the stub instead of driver.py;
    named on the command line, driver.py is checked itself."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-pretty", "--no-color-output",
         str(SOURCE.relative_to(ROOT))],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout
