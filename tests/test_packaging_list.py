"""The wheel must contain every sub-package: setuptools installs only the listed ones."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_with_an_init_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "paktdesk").rglob("__init__.py") if "__pycache__" not in init.parts}
    assert found - listed == set(), "in pyproject.toml [tool.setuptools] packages nachtragen"
    assert listed - found == {"paktdesk.resources"}
    assert config["package-dir"]["paktdesk.resources"] == "resources"
    assert (ROOT / "resources" / "__init__.py").exists()
