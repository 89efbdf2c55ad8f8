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


def contacts_first_page(env):
    env["res.partner"].web_search_read(
        [], {"display_name": {}, "email": {}}, limit=80, count_limit=10001
    )
    env.invalidate_all()


def board(env, scope, cards=40):
    model = env[env["client.status"]._get_status_models()[scope]]
    domain = env["client.status"]._get_board_domains()[scope]
    groups = model.web_read_group(
        domain, ["client_status_id"], ["client_status_id"], lazy=True
    )["groups"]
    for group in groups:
        model.web_search_read(group["__domain"], SPEC, limit=cards)
    env.invalidate_all()
    return len(groups)


def main():
    args = common.parse_args(__doc__)
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partners = env["res.partner"].search_count([])
        leads = env["crm.lead"].with_context(active_test=False).search_count([])
        contacts = timed(lambda: contacts_first_page(env))
        columns = {scope: board(env, scope) for scope in ("partner", "lead")}
        clients = timed(lambda: board(env, "partner"))
        lead_board = timed(lambda: board(env, "lead"))
        cr.rollback()
    print(f"{partners} contacts, {leads} leads")
    print("| request | ms | ratio to Odoo's Contacts first page |")
    print("|---|---:|---:|")
    print(
        f"| Odoo's Contacts kanban, first page (80 cards and the count) | {contacts * 1000:.0f} | 1.00 |"
    )
    print(
        f"| Clients by Status: {columns['partner']} columns and their first 40 cards"
        f" | {clients * 1000:.0f} | {clients / contacts:.2f} |"
    )
    print(
        f"| Leads by Status: {columns['lead']} columns and their first 40 cards"
        f" | {lead_board * 1000:.0f} | {lead_board / contacts:.2f} |"
    )


if __name__ == "__main__":
    main()
