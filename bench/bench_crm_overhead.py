"""Benchmark of what client_status costs Odoo's own CRM operations.

Runs the same CRM operations (stage moves, won and lost deals, leads created
by hand, by the mail gateway and by import, conversions, assignments, posts,
contact edits, deletions) on two databases with demo data, one with ``crm``
only and one with ``crm`` and ``client_status``, in one process, and prints
side by side the queries and the time each takes, with the target it must
meet: an operation that changes no status costs at most 5 % more queries and
10 % more time; one that changes statuses at most 25 % more queries (or 10
more for a single click) and 30 % more time.

Each operation runs in a transaction of its own, rolled back: its setup
creates the records it needs (only crm's demo stages, teams, users and lost
reasons are reused), then the operation runs as the administrator with
tracking on, until what it leaves to the end of the transaction (the
precommit hooks: tracking, the addon's deferred reclassifications) is done.
Once to warm the caches, then three times (``--runs``): the queries of the
last run (a warning when the runs differ) and the median time are printed.

    python bench/bench_crm_overhead.py --database-crm DB1 --database-addon DB2 [--runs 3]
"""

import os
import statistics
import time
import uuid
from collections import namedtuple

import common

from odoo import SUPERUSER_ID, api

# the targets: (queries, extra queries allowed for one click, time) ratios
TARGET_UNCHANGED = (1.05, 0, 1.1)
TARGET_STATUSES = (1.25, 10, 1.3)

Operation = namedtuple(
    "Operation", "name changes_statuses setup run one_click", defaults=[False]
)


# ----------------------------------------------------------------------
# Setup helpers: the records each operation needs, its own
# ----------------------------------------------------------------------


def customers(env, count, tag):
    """``count`` client companies with an e-mail address."""
    return env["res.partner"].create(
        [
            {
                "name": f"Bench {tag} client {n}",
                "is_company": True,
                "email": f"{tag}.{n}@client.example.com",
            }
            for n in range(count)
        ]
    )


def leads(env, count, tag, lead_type="opportunity", with_clients=True, user=None):
    """``count`` open leads in the first stage, of the admin (or of the
    ``user`` xmlid): two thirds for client companies (two leads each), a
    third with only a contact name and an e-mail address (all of them without
    ``with_clients``)."""
    ref = env.ref
    clients = customers(env, count // 3 if with_clients else 0, tag)
    values = []
    for n in range(count):
        value = {
            "name": f"Bench {tag} deal {n}",
            "type": lead_type,
            "user_id": ref(user or "base.user_admin").id,
            "team_id": ref("sales_team.team_sales_department").id,
            "stage_id": ref("crm.stage_lead1").id,
            "expected_revenue": 1000 + 10 * n,
        }
        if clients and n < 2 * len(clients):
            value["partner_id"] = clients[n % len(clients)].id
        else:
            value["contact_name"] = f"Bench {tag} contact {n}"
            value["email_from"] = f"{tag}.contact{n}@prospect.example.com"
        values.append(value)
    # followed as usual, without the "created" message (the setup's time)
    return env["crm.lead"].with_context(mail_create_nolog=True).create(values)


def raw_email(n):
    """An e-mail from an unknown sender, with a Message-Id of its own."""
    return (
        f'From: "Prospect {n}" <prospect{n}@unknown.example.com>\r\n'
        "To: sales@company.example.com\r\n"
        f"Subject: Quote request {n}\r\n"
        f"Message-Id: <{uuid.uuid4()}@unknown.example.com>\r\n"
        "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Hello,\r\nwe would need {n + 1} licences: could you send us a quote?\r\n"
    )


def import_rows(env, count):
    """``count`` rows for ``load()``: half for client companies (by external
    id, ten rows each), half with a contact name and an e-mail address."""
    clients = customers(env, count // 20, "import")
    # a name of its own on each run: the external ids' lookup cache survives
    # the rollback
    prefix = f"bench_client_{uuid.uuid4().hex[:8]}"
    env["ir.model.data"].create(
        [
            {
                "module": "__import__",
                "name": f"{prefix}_{n}",
                "model": "res.partner",
                "res_id": client.id,
            }
            for n, client in enumerate(clients)
        ]
    )
    rows = []
    for n in range(count):
        if n % 2:
            client = f"__import__.{prefix}_{n // 2 % len(clients)}"
            rows.append([f"Imported deal {n}", "", client, "", str(100 * n)])
        else:
            rows.append(
                [
                    f"Imported lead {n}",
                    f"imported{n}@prospect.example.com",
                    "",
                    f"Imported contact {n}",
                    str(100 * n),
                ]
            )
    return rows


IMPORT_FIELDS = [
    "name",
    "email_from",
    "partner_id/id",
    "contact_name",
    "expected_revenue",
]


def ref_id(env, xmlid):
    return env.ref(xmlid).id


# ----------------------------------------------------------------------
# The operations: (setup, run); run(env, data) gets what setup(env) returned
# ----------------------------------------------------------------------


def move_each(env, records):
    stage = ref_id(env, "crm.stage_lead2")
    for lead in records:
        lead.write({"stage_id": stage})


def assign_each(env, records):
    user = ref_id(env, "base.user_demo")
    for lead in records:
        lead.write({"user_id": user})


def setup_create_each(env):
    return customers(env, 25, "create50")


def run_create_each(env, clients):
    Lead = env["crm.lead"]
    for n in range(50):
        if n % 2:
            Lead.create({"name": f"Bench deal {n}", "partner_id": clients[n // 2].id})
        else:
            Lead.create(
                {
                    "name": f"Bench lead {n}",
                    "email_from": f"new{n}@prospect.example.com",
                }
            )


def run_gateway(env, messages):
    for message in messages:
        env["mail.thread"].message_process("crm.lead", message)


def run_convert(env, records):
    """What the list view's *Convert to opportunities* does: the dialog is
    opened on the selected leads (defaults: deduplicate, use an existing
    customer or create one) and confirmed."""
    wizard = (
        env["crm.lead2opportunity.partner.mass"]
        .with_context(
            active_model="crm.lead", active_ids=records.ids, active_id=records[0].id
        )
        .create({})
    )
    wizard.action_mass_convert()


def run_post(subtype):
    def post(env, records):
        for n, lead in enumerate(records):
            lead.message_post(
                body=f"Called them back ({n})",
                message_type="comment",
                subtype_xmlid=subtype,
            )

    return post


def setup_partners(env):
    return customers(env, 100, "contacts")


def write_partners(env, partners):
    for n, partner in enumerate(partners):
        partner.write({"phone": f"+48 22 555 {n:04d}"})


def run_import(env, rows):
    """What the import dialog does, with its defaults (one batch, no
    tracking)."""
    Lead = env["crm.lead"].with_context(import_file=True, tracking_disable=True)
    result = Lead.load(IMPORT_FIELDS, rows)
    errors = [m for m in result["messages"] if m["type"] == "error"]
    if errors or len(result["ids"] or []) != len(rows):
        raise RuntimeError(f"import refused: {errors[:3]}")


OPERATIONS = [
    Operation(
        "move 100 leads to another stage, one write each",
        False,
        setup=lambda env: leads(env, 100, "move100"),
        run=move_each,
    ),
    Operation(
        "mark 50 leads won (one action)",
        True,
        setup=lambda env: leads(env, 50, "won50"),
        run=lambda env, records: records.action_set_won(),
    ),
    Operation(
        "one click: mark a lead won",
        True,
        one_click=True,
        setup=lambda env: leads(env, 3, "won1")[0],
        run=lambda env, lead: lead.action_set_won(),
    ),
    Operation(
        "one click: create a lead for a client",
        True,
        one_click=True,
        setup=lambda env: customers(env, 1, "create1"),
        run=lambda env, client: env["crm.lead"].create(
            {"name": "Bench new deal", "partner_id": client.id}
        ),
    ),
    Operation(
        "one click: move a lead to another stage",
        False,
        one_click=True,
        setup=lambda env: leads(env, 3, "move1")[0],
        run=move_each,
    ),
    Operation(
        "one click: assign a salesperson",
        False,
        one_click=True,
        setup=lambda env: leads(env, 3, "assign1")[0],
        run=assign_each,
    ),
    Operation(
        "create 50 leads one by one (half for a client)",
        True,
        setup=setup_create_each,
        run=run_create_each,
    ),
    Operation(
        "20 e-mails from unknown senders (mail gateway)",
        True,
        setup=lambda env: [raw_email(n) for n in range(20)],
        run=run_gateway,
    ),
    Operation(
        "convert 20 leads to opportunities, creating their clients",
        True,
        setup=lambda env: leads(env, 20, "convert20", "lead", with_clients=False),
        run=run_convert,
    ),
    Operation(
        "mark 50 leads lost (one action)",
        True,
        setup=lambda env: leads(env, 50, "lost50"),
        run=lambda env, records: records.action_set_lost(
            lost_reason_id=ref_id(env, "crm.lost_reason_1")
        ),
    ),
    Operation(
        "assign 200 leads, one write each",
        False,
        setup=lambda env: leads(env, 200, "assign200"),
        run=assign_each,
    ),
    Operation(
        "log 50 notes on leads (mt_note)",
        False,
        setup=lambda env: leads(env, 50, "note50"),
        run=run_post("mail.mt_note"),
    ),
    Operation(
        "send 50 messages on leads of another salesperson (mt_comment)",
        False,
        # the salesperson follows the leads: each message notifies them
        setup=lambda env: leads(env, 50, "comment50", user="base.user_demo"),
        run=run_post("mail.mt_comment"),
    ),
    Operation(
        "write 100 contacts' phone, one write each",
        False,
        setup=setup_partners,
        run=write_partners,
    ),
    Operation(
        "delete 50 leads (one unlink)",
        # the leads' statuses go with them: their history rows, the
        # summaries' counts and the board's columns change
        True,
        setup=lambda env: leads(env, 50, "unlink50"),
        run=lambda env, records: records.unlink(),
    ),
    Operation(
        "import 1,000 leads (load)",
        True,
        setup=lambda env: import_rows(env, 1000),
        run=run_import,
    ),
]


# ----------------------------------------------------------------------
# Measure
# ----------------------------------------------------------------------


def settle(env):
    """What a commit would do: flush, run the precommit hooks, flush what
    they wrote."""
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()


def measure(registry, operation):
    """One run of ``operation`` in a transaction of its own, rolled back:
    (queries, seconds, seconds of its setup)."""
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin").id
        env = api.Environment(cr, admin, {"tracking_disable": False})
        start = time.perf_counter()
        data = operation.setup(env)
        settle(env)
        queries = cr.sql_log_count
        setup_done = time.perf_counter()
        operation.run(env, data)
        settle(env)
        end = time.perf_counter()
        return cr.sql_log_count - queries, end - setup_done, setup_done - start
    finally:
        cr.rollback()
        cr.close()


def within(operation, crm, addon):
    """Whether the figures ``addon`` (queries, ms) with client_status meet
    the target against ``crm``."""
    query_ratio, extra, time_ratio = (
        TARGET_STATUSES if operation.changes_statuses else TARGET_UNCHANGED
    )
    queries_ok = addon[0] <= query_ratio * crm[0] or (
        operation.one_click and addon[0] <= crm[0] + extra
    )
    return queries_ok and addon[1] <= time_ratio * crm[1]


def target_text(operation):
    query_ratio, extra, time_ratio = (
        TARGET_STATUSES if operation.changes_statuses else TARGET_UNCHANGED
    )
    queries = f"≤ {query_ratio:.2f}×"
    if operation.one_click and extra:
        queries += f" or +{extra}"
    return f"q {queries}, t ≤ {time_ratio:.1f}×"


def ratio(new, old):
    return f"{new / old:.2f}" if old else "-"


def compare(registries, operation, runs_count):
    """``operation`` on each database, ``runs_count`` times after a warm-up:
    ``{name: (queries, median ms)}``, the warnings, and the seconds spent in
    all (setups included)."""
    runs = {name: [] for name in registries}
    # the first run warms the caches (ormcache, ...): not counted; the two
    # databases alternate so that the machine's load hits both alike
    for __ in range(1 + runs_count):
        for name, registry in registries.items():
            runs[name].append(measure(registry, operation))
    figures = {}
    warnings = []
    for name, measured in runs.items():
        queries = [count for count, __, __ in measured[1:]]
        # one query more or less may be the clock's: a timestamp set again
        # within the same second (base_automation's date_automation_last) is
        # no change, so whether a second turns during the operation changes
        # the fields a flush writes, hence its UPDATEs
        if len(set(queries)) > 1:
            warnings.append(
                f"warning: {operation.name} ({name}): the queries differ"
                f" between runs: {queries}"
            )
        milliseconds = [1000 * seconds for __, seconds, __ in measured[1:]]
        figures[name] = (queries[-1], statistics.median(milliseconds))
    spent = sum(
        run + setup for measured in runs.values() for __, run, setup in measured
    )
    return figures, warnings, spent


def main():
    args = common.parse_args(
        __doc__, databases=("database_crm", "database_addon"), runs=3
    )
    registries = {
        "crm": common.open_registry(args.database_crm),
        "addon": common.open_registry(args.database_addon),
    }
    results = []
    warnings = []
    spent = 0
    # CRM_OVERHEAD_ONLY=3,4: only those operations (their numbers)
    only = {
        int(number)
        for number in os.environ.get("CRM_OVERHEAD_ONLY", "").split(",")
        if number
    }
    for number, operation in enumerate(OPERATIONS, 1):
        if only and number not in only:
            continue
        figures, operation_warnings, seconds = compare(registries, operation, args.runs)
        results.append((operation, figures["crm"], figures["addon"]))
        warnings += operation_warnings
        spent += seconds

    print(
        f"crm only: {args.database_crm}, with client_status: {args.database_addon}"
        f" (demo data); queries of the last of {args.runs} runs, median ms;"
        f" {spent:.0f} s with the warm-up runs and the setups"
    )
    print(
        "| # | operation | changes statuses | queries crm only | queries with client_status"
        " | ratio | ms crm only | ms with client_status | ratio | target | within |"
    )
    print("|---:|---|:---:|---:|---:|---:|---:|---:|---:|---|:---:|")
    ok = 0
    for operation, crm, addon in results:
        number = OPERATIONS.index(operation) + 1
        good = within(operation, crm, addon)
        ok += good
        print(
            f"| {number} | {operation.name} | {'yes' if operation.changes_statuses else 'no'}"
            f" | {crm[0]} | {addon[0]} | {ratio(addon[0], crm[0])}"
            f" | {crm[1]:.0f} | {addon[1]:.0f} | {ratio(addon[1], crm[1])}"
            f" | {target_text(operation)} | {'yes' if good else '**no**'} |"
        )
    for warning in warnings:
        print(warning)
    print(f"{ok} of {len(results)} operations within target")


if __name__ == "__main__":
    main()
