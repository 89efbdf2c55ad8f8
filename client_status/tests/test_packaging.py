# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import glob
import os

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import BaseCase, tagged

LANGS = ("pl", "uk", "ru")


@tagged("post_install", "-at_install", "client_status_packaging")
class TestPackaging(BaseCase):
    """The installed copy of the addon carries every file its manifest names,
    wherever it is installed from (``pip install .`` or an addons path; the
    pip layout itself is checked by ``make test``)."""

    def test_manifest_files_present(self):
        path = get_module_path("client_status")
        manifest = get_manifest("client_status")
        self.assertEqual(manifest["version"], "18.0.1.5.0")
        # the migration scripts, which are no Python package
        self.assertTrue(
            os.path.isfile(
                os.path.join(
                    path, "migrations", manifest["version"], "post-migration.py"
                )
            )
        )
        for key in ("data", "demo"):
            for name in manifest[key]:
                self.assertTrue(os.path.isfile(os.path.join(path, name)), name)
        for patterns in manifest["assets"].values():
            for pattern in patterns:
                files = glob.glob(
                    os.path.join(os.path.dirname(path), pattern), recursive=True
                )
                self.assertNotEqual(files, [], pattern)
        for lang in LANGS:
            self.assertTrue(
                os.path.isfile(os.path.join(path, "i18n", f"{lang}.po")), lang
            )
        self.assertTrue(os.path.isfile(os.path.join(path, "i18n", "client_status.pot")))
        self.assertTrue(
            os.path.isfile(os.path.join(path, "static", "description", "icon.png"))
        )
