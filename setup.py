"""Packaging of the client_status addon as an ``odoo.addons`` namespace package.

``pip install .`` into an environment where Odoo 18.0 is installed puts the addon
at ``odoo/addons/client_status`` in site-packages, where Odoo finds it without any
change to ``addons_path`` (the layout of OCA's ``odoo-addon-*`` wheels).
"""

import ast
from pathlib import Path

from setuptools import setup

ADDON = "client_status"
HERE = Path(__file__).parent
MANIFEST = ast.literal_eval((HERE / ADDON / "__manifest__.py").read_text())


def _addon_packages():
    """Every Python package of the addon, named inside ``odoo.addons``."""
    return [
        "odoo.addons." + ".".join(path.parent.relative_to(HERE).parts)
        for path in sorted((HERE / ADDON).rglob("__init__.py"))
    ]


def _addon_data():
    """Every non-Python file of the addon (views, data, translations, assets)."""
    return [
        str(path.relative_to(HERE / ADDON))
        for path in sorted((HERE / ADDON).rglob("*"))
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]


setup(
    name="odoo-addon-" + ADDON.replace("_", "-"),
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    license="LGPL-3",
    python_requires=">=3.10",
    install_requires=["odoo>=18.0a,<18.1dev"],
    package_dir={"odoo.addons." + ADDON: ADDON},
    packages=_addon_packages(),
    package_data={"odoo.addons." + ADDON: _addon_data()},
    include_package_data=False,
    zip_safe=False,
)
