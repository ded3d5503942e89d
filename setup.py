"""Package list for setuptools (everything else is in pyproject.toml).

Every ``paktdesk`` sub-package with an ``__init__.py`` is found automatically; the top-level
``resources/`` folder is added as ``paktdesk.resources`` (mapped by ``package-dir`` in
pyproject.toml). A fixed list in pyproject.toml broke the install whenever a listed sub-package
did not exist yet and silently left out new ones.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["paktdesk", "paktdesk.*"]), "paktdesk.resources"])
