"""Packaging of the addons of this repository as ``odoo.addons`` namespace
packages.

``pip install .`` into an environment where Odoo 18.0 is installed puts each addon
at ``odoo/addons/<addon>`` in site-packages, where Odoo finds it without any
change to ``addons_path`` (the layout of OCA's ``odoo-addon-*`` wheels):
``client_status``, its bridge ``client_status_sale`` (auto-installed with
``sale``) and ``client_status_test``, the tests of the engine on a model of
their own (installed by ``make test`` only).
"""

import ast
from pathlib import Path

from setuptools import setup

ADDON = "client_status"
ADDONS = [ADDON, "client_status_sale", "client_status_test"]
HERE = Path(__file__).parent
MANIFEST = ast.literal_eval((HERE / ADDON / "__manifest__.py").read_text())


def _addon_packages(addon):
    """Every Python package of ``addon``, named inside ``odoo.addons``."""
    return [
        "odoo.addons." + ".".join(path.parent.relative_to(HERE).parts)
        for path in sorted((HERE / addon).rglob("__init__.py"))
    ]


def _addon_data(addon):
    """Every non-Python file of ``addon`` (views, data, translations, assets),
    and its migration scripts (Python files Odoo loads by path)."""
    return [
        str(path.relative_to(HERE / addon))
        for path in sorted((HERE / addon).rglob("*"))
        if path.is_file()
        and path.suffix != ".pyc"
        and (
            path.suffix != ".py"
            or path.relative_to(HERE / addon).parts[0] == "migrations"
        )
    ]


setup(
    name="odoo-addon-" + ADDON.replace("_", "-"),
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    license="LGPL-3",
    python_requires=">=3.10",
    install_requires=["odoo>=18.0a,<18.1dev"],
    package_dir={"odoo.addons." + addon: addon for addon in ADDONS},
    packages=[package for addon in ADDONS for package in _addon_packages(addon)],
    package_data={"odoo.addons." + addon: _addon_data(addon) for addon in ADDONS},
    include_package_data=False,
    zip_safe=False,
)
