"""Time the post-init hook (default status and history row for every existing
contact and lead) on N contacts without a status.

Run through ``make bench`` (or ``tools/bench.sh``); prints one table. The data
is made in the benchmark's transaction and rolled back at the end.

    python bench/bench_post_init_hook.py --database DB [--partners 100000]
"""

import time

import common

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def _make_partners(env, count):
    """Insert ``count`` contacts with no status, as before the addon's install."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, active, is_company, type, create_date,
                                     write_date, create_uid, write_uid)
            SELECT 'Bench contact ' || n, TRUE, mod(n, 5) = 0, 'contact',
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', %(uid)s, %(uid)s
              FROM generate_series(1, %(count)s) AS n
            """,
            uid=SUPERUSER_ID,
            count=count,
        )
    )
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE commercial_partner_id IS NULL"
    )


def main():
    args = common.parse_args(__doc__)

    from odoo.addons.client_status.hooks import post_init_hook

    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _make_partners(env, args.partners)
        cr.execute("SELECT count(*) FROM res_partner WHERE client_status_id IS NULL")
        pending = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM client_status_history")
        rows_before = cr.fetchone()[0]
        start = time.perf_counter()
        post_init_hook(env)
        elapsed = time.perf_counter() - start
        cr.execute("SELECT count(*) FROM client_status_history")
        rows_added = cr.fetchone()[0] - rows_before
        cr.execute("SELECT count(*) FROM res_partner WHERE client_status_id IS NULL")
        left = cr.fetchone()[0]
        cr.rollback()

    header = (
        "contacts without status",
        "history rows added",
        "left without",
        "seconds",
        "rows/s",
    )
    values = (
        pending,
        rows_added,
        left,
        f"{elapsed:.2f}",
        f"{rows_added / elapsed:.0f}",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("-" * (len(title) + 1) + ":" for title in header) + "|")
    print(
        "| "
        + " | ".join(str(v).rjust(len(t)) for v, t in zip(values, header, strict=True))
        + " |"
    )


if __name__ == "__main__":
    main()
