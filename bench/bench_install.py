"""Time the install of client_status on a large crm database, as a new user
would install it: ``crm`` without demo data, N client companies and 2N leads
(won, lost and open) made with SQL, then ``odoo-bin -i client_status`` (what
*Apps › Install* does in a request), then the work the install leaves to the
background to its end, one call of the runs' job per batch and transaction
as the cron makes them: the installation runs (first statuses and their
history rows), then the runs of the rules.

The data is made once in a template database (``<database>_template_<N>``,
kept for the next time); the install runs on a copy of it, ``--database``,
dropped at the end (``--keep 1`` keeps both, ``--keep 0`` drops the template
too).

    python bench/bench_install.py --database DB [--partners 100000] [--keep 1]
"""

import subprocess
import sys
import time
from pathlib import Path

import common

import odoo
from odoo import SUPERUSER_ID, api

ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"


def psql(database, query):
    return subprocess.run(
        ["psql", "-d", database, "-tAc", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def odoo_bin(args, database, *options):
    """Run odoo-bin on ``database``; return the seconds it took."""
    command = [sys.executable, str(ODOO_BIN), "--database", database]
    if args.addons_path:
        command += ["--addons-path", args.addons_path]
    command += [
        "--without-demo=all",
        "--stop-after-init",
        "--max-cron-threads=0",
        "--log-level=warn",
        *options,
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def exists(database):
    return bool(
        psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    )


def make_template(args, template):
    """A crm database without demo data, N client companies and 2N leads
    (40 % won, 30 % lost, 30 % open, clients drawn with a skew)."""
    subprocess.run(["createdb", template], check=True)
    odoo_bin(args, template, "-i", "crm")
    count = args.partners
    psql(
        template,
        f"""
        INSERT INTO res_partner (name, complete_name, active, is_company, type,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Bench client ' || n, 'Bench client ' || n, TRUE, TRUE, 'contact',
               now(), now(), 1, 1
          FROM generate_series(1, {count}) AS n;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE commercial_partner_id IS NULL;
        """,
    )
    first = int(
        psql(template, "SELECT min(id) FROM res_partner WHERE name LIKE 'Bench %'")
    )
    psql(
        template,
        f"""
        INSERT INTO crm_lead (name, type, partner_id, active, probability,
                              expected_revenue, date_closed, company_id,
                              create_date, write_date, create_uid, write_uid)
        SELECT 'Bench deal ' || n, 'opportunity',
               {first} + floor(power(random(), 2) * {count})::int,
               kind <> 'lost',
               CASE kind WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE 30 END,
               round((random() * 20000)::numeric, 2),
               CASE WHEN kind <> 'open'
                    THEN now() AT TIME ZONE 'UTC' - random() * interval '1095 days' END,
               1, now(), now(), 1, 1
          FROM (SELECT n, CASE WHEN random() < 0.4 THEN 'won'
                               WHEN random() < 0.5 THEN 'lost' ELSE 'open' END AS kind
                  FROM generate_series(1, 2 * {count}) AS n) AS deal
        """,
    )
    psql(template, "VACUUM ANALYZE res_partner")
    psql(template, "VACUUM ANALYZE crm_lead")


def run_job(registry, kind):
    """Call the runs' job, one transaction per call, as long as runs of
    ``kind`` are running; return (seconds, calls, slowest call)."""
    calls, slowest, start = 0, 0.0, time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if not env["client.status.run"].search_count(
                [("state", "=", "running"), ("kind", "=", kind)]
            ):
                break
            call = time.perf_counter()
            env["client.status.run"]._cron_reclassify_runs()
        slowest = max(slowest, time.perf_counter() - call)
        calls += 1
    return time.perf_counter() - start, calls, slowest


def main():
    args = common.parse_args(__doc__, keep=1)
    template = f"{args.database}_template_{args.partners}"
    if not exists(template):
        print(f"making {template} ({args.partners} clients, {2 * args.partners} leads)")
        make_template(args, template)
    subprocess.run(["dropdb", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-T", template, args.database], check=True)

    install = odoo_bin(args, args.database, "-i", "client_status")

    registry = common.registry(args)
    backfill, backfill_calls, backfill_slowest = run_job(registry, "install")
    rules, rules_calls, rules_slowest = run_job(registry, "rules")
    with registry.cursor() as cr:
        cr.execute(
            "SELECT (SELECT count(*) FROM res_partner WHERE client_status_id IS NULL),"
            " (SELECT count(*) FROM crm_lead WHERE client_status_id IS NULL),"
            " (SELECT count(*) FROM client_status_history WHERE source = 'install'),"
            " (SELECT count(*) FROM client_status_history WHERE source = 'rule'),"
            " (SELECT count(*) FROM client_status_run WHERE state = 'failed')"
        )
        left_partners, left_leads, install_rows, rule_rows, failed = cr.fetchone()
    registry.delete(args.database)
    odoo.sql_db.close_db(args.database)

    rows = [
        ("clients / leads", f"{args.partners} / {2 * args.partners}"),
        ("odoo-bin -i client_status (s)", f"{install:.1f}"),
        (
            "installation runs, to the end (s, cron calls, slowest call)",
            f"{backfill:.1f}, {backfill_calls}, {backfill_slowest:.2f}",
        ),
        (
            "then the runs of the rules (s, cron calls, slowest call)",
            f"{rules:.1f}, {rules_calls}, {rules_slowest:.2f}",
        ),
        ("install history rows", install_rows),
        ("rule history rows", rule_rows),
        ("left without status (contacts / leads)", f"{left_partners} / {left_leads}"),
        ("failed runs", failed),
    ]
    width = max(len(title) for title, __ in rows)
    print(f"| {'':{width}} | value |")
    print(f"|{'-' * (width + 2)}|------:|")
    for title, value in rows:
        print(f"| {title:{width}} | {value} |")

    if args.keep != 1:
        subprocess.run(["dropdb", "--if-exists", args.database], check=True)
        if args.keep == 0:
            subprocess.run(["dropdb", "--if-exists", template], check=True)


if __name__ == "__main__":
    main()
