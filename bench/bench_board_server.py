"""Time, on the server, what the boards ask when they open, against what
Odoo's own Contacts kanban asks, on an existing database (e.g. the one
``bench_install.py --keep 1`` leaves):

- Odoo's Contacts kanban, first page: ``web_search_read`` of 80 contacts with
  the count of all (``count_limit`` as the web client sends it);
- *Clients by Status* and *Leads by Status*: ``web_read_group`` by status (one
  column per status of the scope, with its count), then the first 40 cards of
  every column, in the model's order, as the kanban loads them.

Each measure is the median of 5 runs after a warm-up, read-only.

    python bench/bench_board_server.py --database DB
"""

import statistics
import time

import common

from odoo import SUPERUSER_ID, api

SPEC = {"display_name": {}, "client_status_id": {"fields": {"display_name": {}}}}


def timed(function, runs=5):
    function()
    durations = []
    for __ in range(runs):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def contacts_first_page(env, count_limit=10001):
    env["res.partner"].web_search_read(
        [], {"display_name": {}, "email": {}}, limit=80, count_limit=count_limit
    )
    env.invalidate_all()


def columns(env, scope):
    """The board's columns with their counts."""
    model = env[env["client.status"]._get_status_models()[scope]]
    domain = env["client.status"]._get_board_domains()[scope]
    groups = model.web_read_group(
        domain, ["client_status_id"], ["client_status_id"], lazy=True
    )["groups"]
    env.invalidate_all()
    return groups


def cards(env, scope, groups, limit=40):
    """The first cards of every column."""
    model = env[env["client.status"]._get_status_models()[scope]]
    for group in groups:
        # as the web client asks (relational_model.js: count_limit 10,001)
        model.web_search_read(group["__domain"], SPEC, limit=limit, count_limit=10001)
    env.invalidate_all()


def main():
    args = common.parse_args(__doc__)
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partners = env["res.partner"].search_count([])
        leads = env["crm.lead"].with_context(active_test=False).search_count([])
        contacts = timed(lambda: contacts_first_page(env))
        contacts_count = timed(lambda: contacts_first_page(env, None))
        rows = []
        for scope, title in (("partner", "Clients"), ("lead", "Leads")):
            groups = columns(env, scope)
            rows.append(
                (
                    title,
                    len(groups),
                    timed(lambda scope=scope: columns(env, scope)),
                    timed(lambda scope=scope, groups=groups: cards(env, scope, groups)),
                )
            )
        cr.rollback()
    print(f"{partners} contacts, {leads} leads")
    print("| request | ms | ratio to Odoo's Contacts first page (full count) |")
    print("|---|---:|---:|")
    print(
        "| Odoo's Contacts kanban, first page (80 cards, count up to 10,001)"
        f" | {contacts * 1000:.0f} | {contacts / contacts_count:.2f} |"
    )
    print(
        "| Odoo's Contacts kanban, first page (80 cards, full count)"
        f" | {contacts_count * 1000:.0f} | 1.00 |"
    )
    for title, count, group_time, cards_time in rows:
        print(
            f"| {title} by Status: {count} columns with their counts (group by)"
            f" | {group_time * 1000:.0f} | {group_time / contacts_count:.2f} |"
        )
        print(
            f"| {title} by Status: the first 40 cards of every column"
            f" | {cards_time * 1000:.0f} | {cards_time / contacts_count:.2f} |"
        )


if __name__ == "__main__":
    main()
