"""Benchmark of the status analytics (issue: pivots fast on large data).

Fills, in one transaction that is rolled back, the history with H rows (by
default 1,000,000) over H/10 client companies, the statuses drawn among the
contact catalogue and the dates over three years, sums them into the
summaries the analysis views read (``client.status.summary``), then times
what those views ask the database: the transitions matrix (pivot, previous x
new status), upgrades and downgrades per month (graph), the same restricted
to one month (the default filter), and the average and median days in each
status; the matrix and the graph over the history itself for comparison.

    python bench/bench_analytics.py --database DB [--rows 1000000]
"""

import time

import common

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def generate(env, rows):
    cr = env.cr
    clients = rows // 10
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, active, is_company, type, create_date,
                                     write_date, create_uid, write_uid)
            SELECT 'Analytics client ' || n, TRUE, TRUE, 'contact', now(), now(), 1, 1
              FROM generate_series(1, %s) AS n
            RETURNING id
            """,
            clients,
        )
    )
    first = min(row[0] for row in cr.fetchall())
    statuses = env["client.status"].search([("scope", "=", "partner")]).ids
    cr.execute(
        SQL(
            """
            INSERT INTO client_status_history (
                partner_id, scope, status_from_id, status_to_id, date, day,
                user_id, source, days_in_previous, direction, company_id)
            SELECT change.partner_id, 'partner', change.from_id, change.to_id,
                   change.date, change.date::date, 1, 'rule', random() * 200,
                   %(direction)s, NULL
              FROM (SELECT %(first)s + mod(n, %(clients)s) AS partner_id,
                           (%(statuses)s::int[])[1 + floor(random() * %(count)s)] AS from_id,
                           (%(statuses)s::int[])[1 + floor(random() * %(count)s)] AS to_id,
                           now() AT TIME ZONE 'UTC' - random() * interval '1095 days' AS date
                      FROM generate_series(1, %(rows)s) AS n) AS change
              JOIN client_status AS status_from ON status_from.id = change.from_id
              JOIN client_status AS status_to ON status_to.id = change.to_id
            """,
            direction=env["client.status"]._direction_sql("status_from", "status_to"),
            first=first,
            clients=clients,
            statuses=statuses,
            count=len(statuses),
            rows=rows,
        )
    )
    cr.execute("ANALYZE client_status_history")


def summarize(env):
    for summary in env["client.status.summary"]._get_summary_models():
        summary._rebuild()
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(summary._table)))


def summary_rows(env):
    return sum(
        env[summary._name].search_count([])
        for summary in env["client.status.summary"]._get_summary_models()
    )


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main():
    args = common.parse_args(__doc__, rows=1_000_000)
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        gen_time, __ = timed(lambda: generate(env, args.rows))
        summary_time, __ = timed(lambda: summarize(env))
        History = env["client.status.history"]
        Transition = env["client.status.transition"]
        month = [("date", ">=", "2026-01-01"), ("date", "<", "2026-02-01")]
        count = ["transition_count:sum"]
        matrix = ["status_from_id", "status_to_id"]
        movement = [("direction", "in", ("up", "down"))]
        per_month = ["date:month", "direction"]
        measures = [
            (
                "transitions matrix (pivot: previous x new status)",
                lambda: Transition.web_read_group([], count, matrix, lazy=False),
            ),
            (
                "upgrades and downgrades per month (graph)",
                lambda: Transition.web_read_group(
                    movement, count, per_month, lazy=False
                ),
            ),
            (
                "transitions matrix, one month (default filter)",
                lambda: Transition.web_read_group(month, count, matrix, lazy=False),
            ),
            (
                "average and median days in each status",
                lambda: env["client.status"]
                .search([])
                .read(["days_average", "days_median"]),
            ),
            (
                "for comparison: the matrix over the history itself",
                lambda: History.web_read_group([], ["__count"], matrix, lazy=False),
            ),
            (
                "for comparison: the graph over the history itself",
                lambda: History.web_read_group(
                    movement, ["__count"], per_month, lazy=False
                ),
            ),
        ]
        print(
            f"{args.rows} history rows over {args.rows // 10} clients"
            f" (generated in {gen_time:.1f} s, summed into"
            f" {summary_rows(env)} summary rows in {summary_time:.1f} s)"
        )
        print("| query | ms (best of 3) | groups |")
        print("|---|---:|---:|")
        for name, function in measures:
            runs = []
            for __ in range(3):
                env.invalidate_all()
                runs.append(timed(function))
            best, result = min(runs, key=lambda run: run[0])
            groups = result["length"] if isinstance(result, dict) else len(result)
            print(f"| {name} | {best * 1000:.0f} | {groups} |")
        cr.rollback()


if __name__ == "__main__":
    main()
