"""The wheel must contain every sub-package: setuptools installs only the listed ones."""

from __future__ import annotations

import re
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


def test_license_is_an_spdx_expression_with_its_file_and_the_build_backend_is_pinned():
    """setuptools ends the ``license = { text = … }`` table on 2027-02-18; the SPDX form needs
    setuptools ≥ 77.0.3, and an untried major version must not build the release."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = config["project"]
    assert project["license"] == "LicenseRef-Proprietary"
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    assert "Alle Rechte vorbehalten" in (ROOT / "LICENSE.txt").read_text(encoding="utf-8")
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))  # refused next to an expression
    (backend,) = config["build-system"]["requires"]
    assert re.fullmatch(r"setuptools>=77\.0\.3,<\d+", backend.replace(" ", "")), backend  # a tested range
