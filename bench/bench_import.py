"""Benchmark of the spreadsheet import (issue: import the old Excel base).

Imports docs/sample_clients.csv (4,000 client companies whose status is named
in English, Polish, Ukrainian or Russian, or by its code) into res.partner as
the import dialog does (``load()`` with ``import_file``), in one transaction
that is rolled back, and prints the time, the rows imported and the errors
(it exits with 1 when a row is refused).

    python bench/bench_import.py --database DB
"""

import csv
import pathlib
import sys
import time

import common

from odoo import SUPERUSER_ID, api

SAMPLE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "sample_clients.csv"
FIELDS = ["name", "is_company", "email", "city", "client_status_id"]


def main():
    args = common.parse_args(__doc__)
    with SAMPLE.open(encoding="utf-8") as sample:
        rows = list(csv.reader(sample))[1:]
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        langs = ["pl_PL", "uk_UA", "ru_RU"]
        for lang in langs:
            env["res.lang"]._activate_lang(lang)
        env["ir.module.module"].search(
            [("name", "=", "client_status")]
        )._update_translations(langs)
        env.flush_all()
        start = time.perf_counter()
        result = env["res.partner"].with_context(import_file=True).load(FIELDS, rows)
        env.flush_all()
        seconds = time.perf_counter() - start
        history = env["client.status.history"].search_count(
            [("partner_id", "in", result["ids"] or []), ("source", "=", "import")]
        )
        cr.rollback()
    errors = [m for m in result["messages"] if m["type"] == "error"]
    print("| rows | imported | history rows | errors | seconds | rows/s |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {len(rows)} | {len(result['ids'] or [])} | {history} | {len(errors)}"
        f" | {seconds:.1f} | {len(rows) / seconds:.0f} |"
    )
    for message in errors[:10]:
        print(f"row {message['rows']['from'] + 2}: {message['message']}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
