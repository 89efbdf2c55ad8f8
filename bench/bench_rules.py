"""Benchmark of the rule engine (issue: reclassification within 3x of SQL).

Fills the database, in one transaction that is rolled back at the end, with N
client companies and 2N leads (won, lost and open, closed over three years),
then times on the same data:

(a) the engine's first full run (batches as the cron runs them, most clients
    change), (b) its second run (nothing changes), (c) a naive per-record ORM
    loop computing the same rules and writing one client at a time (on a
    sample, extrapolated to N), (d) one hand-written SQL statement computing the
    same classification, updating the changed clients and inserting their
    history rows (and their sums in the analysis summaries), and (d2) that
    statement again with nothing to change.

    python bench/bench_rules.py --database DB [--partners 100000] [--naive-sample 2000]
"""

import bisect
import resource
import time
from datetime import timedelta

import common

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL


def generate(env, count):
    """N client companies without status history, and 2N leads."""
    cr = env.cr
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, active, is_company, type, create_date, write_date,
                                     create_uid, write_uid)
            SELECT 'Bench client ' || n, TRUE, TRUE, 'contact', now(), now(), 1, 1
              FROM generate_series(1, %s) AS n
            RETURNING id
            """,
            count,
        )
    )
    first = min(row[0] for row in cr.fetchall())
    cr.execute(
        SQL(
            """
            UPDATE res_partner SET commercial_partner_id = id,
                   client_status_id = (SELECT id FROM client_status
                                        WHERE scope = 'partner' AND is_default LIMIT 1),
                   client_status_kind = 'prospect',
                   client_status_date = now() - interval '400 days'
             WHERE id >= %s
            """,
            first,
        )
    )
    # 2N leads: 40 %% won, 30 %% lost, 30 %% open; clients drawn with a skew
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, partner_id, active, probability,
                                  expected_revenue, date_closed, company_id,
                                  create_date, write_date, create_uid, write_uid)
            SELECT 'Bench deal ' || n, 'opportunity',
                   %(first)s + floor(power(random(), 2) * %(count)s)::int,
                   kind <> 'lost', CASE kind WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE 30 END,
                   round((random() * 20000)::numeric, 2),
                   CASE WHEN kind <> 'open'
                        THEN now() AT TIME ZONE 'UTC' - random() * interval '1095 days' END,
                   %(company)s, now(), now(), 1, 1
              FROM (SELECT n, CASE WHEN random() < 0.4 THEN 'won'
                                   WHEN random() < 0.5 THEN 'lost' ELSE 'open' END AS kind
                      FROM generate_series(1, 2 * %(count)s) AS n) AS deal
            """,
            first=first,
            count=count,
            company=env.company.id,
        )
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE crm_lead")
    return first


def engine_run(env):
    """The engine over the partner scope, batch after batch."""
    Run = env["client.status.run"]
    # the generated clients are shared by every company: the shared run
    run = Run.create({"scope": "partner"})
    run.record_count = run._model().search_count(run._batch_domain())
    queries = env.cr.sql_log_count
    while run.state == "running":
        run._process_batch()
        # the cron commits each batch and starts afresh: so does the bench
        env.flush_all()
        env.invalidate_all()
    return run.changed_count, env.cr.sql_log_count - queries


def _holds(value, operator, low, high):
    """Whether a metric value (None: none) meets a condition, as the naive
    loop tests it, one record at a time."""
    if value is None:
        return False
    if operator == ">=":
        return value >= low
    if operator == "<=":
        return value <= low
    if operator == "=":
        return value == low
    return low <= value <= high


def naive_loop(env, partners, rules, quantiles):
    """Per client: search its leads, compute the metrics in Python, evaluate
    the rules, write the client if its status changes."""
    now = fields.Datetime.now()
    Lead = env["crm.lead"].with_context(active_test=False)
    changed = 0
    for partner in partners:
        leads = Lead.search([("partner_id", "=", partner.id)])
        won = leads.filtered(lambda lead: lead.active and lead.probability == 100)
        dates = [lead.date_closed for lead in won if lead.date_closed]
        revenue = sum(
            lead.expected_revenue
            for lead in won
            if lead.date_closed >= now - timedelta(days=365)
        )
        ascending = quantiles[::-1]
        rank = None
        if revenue > 0 and ascending:
            greater = len(ascending) - bisect.bisect_right(ascending, revenue)
            rank = round(100.0 * (greater + 1) / len(ascending), 1)
        metrics = {
            ("won_count", 0): len(won),
            ("days_since_last_won", 0): (now - max(dates)).days if dates else None,
            ("days_since_first_won", 0): (now - min(dates)).days if dates else None,
            ("open_lead_count", 0): len(
                leads.filtered(lambda lead: lead.active and lead.probability < 100)
            ),
            ("revenue_top_percent", 365): rank,
        }
        for rule in rules:
            if all(
                _holds(metrics.get(key), op, low, high)
                for key, op, low, high in rule["conditions"]
            ):
                if partner.client_status_id.id != rule["status_id"]:
                    partner.with_context(
                        client_status_source="rule", tracking_disable=True
                    ).write({"client_status_id": rule["status_id"]})
                    changed += 1
                break
    return changed


SQL_CLASSIFY = """
WITH stats AS (
    SELECT lead.partner_id AS pid,
           count(*) FILTER (WHERE won) AS won_count,
           sum(lead.expected_revenue) FILTER (WHERE won AND closed >= %(year)s) AS revenue,
           max(closed) FILTER (WHERE won) AS last_won,
           min(closed) FILTER (WHERE won) AS first_won,
           count(*) FILTER (WHERE lead.active AND NOT won) AS open_count
      FROM crm_lead AS lead,
           LATERAL (SELECT lead.active AND lead.probability = 100 AS won,
                           lead.date_closed AS closed) AS state
     WHERE lead.partner_id >= %(first)s
     GROUP BY lead.partner_id
), ranked AS (
    SELECT pid, 100.0 * cume_dist() OVER (ORDER BY revenue DESC) AS top
      FROM stats WHERE revenue > 0
), target AS (
    SELECT partner.id, partner.client_status_id AS old_status, partner.client_status_date,
           CASE
             WHEN ranked.top <= 10 THEN %(vip)s
             WHEN stats.won_count >= 3 AND stats.last_won >= %(year)s THEN %(regular)s
             WHEN stats.won_count >= 1 AND stats.first_won >= %(quarter)s THEN %(new)s
             WHEN stats.last_won < %(year1)s THEN %(inactive)s
             WHEN coalesce(stats.won_count, 0) = 0 AND stats.open_count >= 1 THEN %(potential)s
           END AS status
      FROM res_partner AS partner
      LEFT JOIN stats ON stats.pid = partner.id
      LEFT JOIN ranked ON ranked.pid = partner.id
     WHERE partner.id >= %(first)s AND partner.client_status_kind IS DISTINCT FROM 'blacklist'
       AND NOT coalesce(partner.client_status_locked, FALSE)
), changed AS (
    UPDATE res_partner AS partner
       SET client_status_id = target.status, client_status_date = %(now)s
      FROM target
     WHERE partner.id = target.id AND target.status IS NOT NULL
       AND target.status IS DISTINCT FROM target.old_status
 RETURNING partner.id, target.old_status, target.status, target.client_status_date
), logged AS (
    INSERT INTO client_status_history (partner_id, scope, status_from_id, status_to_id,
                                       date, day, user_id, source, days_in_previous)
    SELECT id, 'partner', old_status, status, %(now)s, %(now)s::date, 1, 'rule',
           EXTRACT(EPOCH FROM %(now)s - client_status_date) / 86400.0
      FROM changed
 RETURNING *
)%(summaries)s
SELECT count(*) FROM logged
"""


def sql_statement(env, first, statuses):
    now = fields.Datetime.now()
    env.cr.execute(
        SQL(
            SQL_CLASSIFY,
            first=first,
            now=now,
            year=now - timedelta(days=365),
            year1=now - timedelta(days=366),
            quarter=now - timedelta(days=90),
            summaries=SQL().join(
                SQL(", %s", summary)
                for summary in env["client.status.history"]._summaries_sql("logged")
            ),
            **statuses,
        )
    )
    return env.cr.fetchone()[0]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    args = common.parse_args(__doc__, naive_sample=2_000)
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        gen_time, first = timed(generate, env, args.partners)
        ref = env.ref
        statuses = {
            code: ref(f"client_status.client_status_partner_{code}").id
            for code in ("vip", "regular", "new", "inactive", "potential")
        }
        cr.execute("SAVEPOINT bench_start")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ta, (changed_a, queries_a) = timed(engine_run, env)
        tb, (changed_b, queries_b) = timed(engine_run, env)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        engine = dict(
            env["res.partner"]
            .with_context(active_test=False)
            ._read_group([("id", ">=", first)], ["client_status_id"], ["__count"])
        )
        cr.execute("ROLLBACK TO SAVEPOINT bench_start")
        env.invalidate_all()
        td, changed_d = timed(sql_statement, env, first, statuses)
        env.invalidate_all()
        sql = dict(
            env["res.partner"]
            .with_context(active_test=False)
            ._read_group([("id", ">=", first)], ["client_status_id"], ["__count"])
        )
        td2, changed_d2 = timed(sql_statement, env, first, statuses)
        cr.execute("ROLLBACK TO SAVEPOINT bench_start")
        env.invalidate_all()
        rules = env["client.status.rule"]._get_compiled_rules("partner")
        context = {"now": fields.Datetime.now(), "run": {}}
        quantiles = env["res.partner"]._client_status_revenue_quantiles(365, context)
        sample = env["res.partner"].search(
            [("id", ">=", first)], limit=args.naive_sample, order="id"
        )
        tc_sample, changed_c = timed(naive_loop, env, sample, rules, quantiles)
        tc = tc_sample * args.partners / len(sample)
        cr.rollback()

    n = args.partners
    print(f"N = {n} clients, {2 * n} leads (generated in {gen_time:.1f} s)")
    print("| measurement | seconds | records changed | note |")
    print("|---|---:|---:|---|")
    print(f"| (a) engine, first run | {ta:.1f} | {changed_a} | {queries_a} queries |")
    print(f"| (b) engine, second run | {tb:.1f} | {changed_b} | {queries_b} queries |")
    print(
        f"| (c) naive ORM loop | {tc:.0f} | {changed_c} of {len(sample)} | extrapolated from {len(sample)} clients ({tc_sample:.1f} s) |"
    )
    print(f"| (d) one SQL statement | {td:.1f} | {changed_d} | |")
    print(f"| (d2) same SQL, nothing to change | {td2:.1f} | {changed_d2} | |")
    print(
        f"| ratios | (a)/(d) = {ta / td:.2f} | (b)/(d2) = {tb / td2:.2f} | (c)/(a) = {tc / ta:.0f} |"
    )
    same = sum(min(engine.get(status, 0), count) for status, count in sql.items())
    print(
        f"engine and SQL agree on {same} of {n} clients' statuses; peak RSS {rss // 1024} MiB (+{(rss - rss0) // 1024} MiB during the runs)"
    )


if __name__ == "__main__":
    main()
