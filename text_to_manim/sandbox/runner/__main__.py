"""Start the runner: `python -I <this folder>/__main__.py MODE ...`.

Inside the sandbox this folder is all there is of the project (bound read-only, no parent package), and
`-I` keeps it off sys.path, so the folder is loaded as the package `t2m_runner` by its path: the same
modules, with their relative imports, run in the sandbox and on the host.
"""
import importlib
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_package(name: str = "t2m_runner"):
    spec = importlib.util.spec_from_file_location(name, HERE / "__init__.py", submodule_search_locations=[str(HERE)])
    assert spec is not None and spec.loader is not None  # a .py file always has a spec and a loader
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package


if __name__ == "__main__":
    load_package()
    sys.exit(importlib.import_module("t2m_runner.scene_run").main())
