"""Load test: people at work on the boards while the full reclassification runs.

Starts a multi-worker Odoo server (4 HTTP workers, 2 cron workers, loopback
only) on a database with crm, client_status and their demo data plus
generated client companies, their contact persons and leads, then runs N
JSON-RPC clients (admins, a sales manager and salespeople) that drag lead
and client cards to another status, create, win and lose leads, move leads
to another stage and read the two boards, each operation timed. Three
phases: a warm-up (not counted), a baseline without any full run, then the
same load while an admin triggers the full reclassification (*Reclassify
Now*) again as soon as the previous one is done. Before each run the admin
moves the VIP rule's threshold (top 15 %, then 10 %, in turn), as one
adjusting the rules does: every run then reclassifies the clients between
the two (about 100 of 20,000), where a run over classified clients would
change next to nothing (``--no-tune-rules``; each such change of a rule also
clears the caches of every worker). Once the clients stop and the last run
ends (or 60 s have passed), the server is stopped and the invariants of the
statuses are checked in SQL.

Prints, as Markdown: per phase and operation the requests, errors and the
p50, p95 and max latency (ms), with runs the ratio of each p95 to the
baseline's; the errors by type (client_status, crm's lead scoring, other)
with a sample each, from the clients and from the server log; the full runs
triggered and completed; the invariants, before and after the load (status =
last history row; history chains unbroken and without duplicates; summaries =
recount of the history; no snapshot table or run left running).

The database is created when missing (``-i crm,client_status`` with demo
data), the data generated when missing (through the ORM in batches, as
people would create it, then classified by one full run; a separate
process), and reused when present (``--keep`` keeps it, else it is dropped at
the end). The server's log is kept beside the database name in /tmp.

    python bench/load_concurrent.py [--database cs_load] [--companies 20000]
        [--contacts 2000] [--leads 40000] [--clients 8] [--seconds 180]
        [--baseline-seconds 60] [--workers 4] [--cron-workers 2] [--port 8770]
        [--think 0.5] [--no-tune-rules] [--timeout 3600] [--keep]
"""

import argparse
import math
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import psycopg2
import requests

import odoo

ODOO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
ODOO_BIN = os.path.join(ODOO_ROOT, "odoo-bin")

# names of the generated records (the marker of a database already filled)
COMPANY_NAME = "Load test client"
CONTACT_NAME = "Load test contact"
LEAD_NAME = "Load test deal"
NEW_LEAD_NAME = "Load test new deal"
BATCH = 1000
# the users the generator adds (login = password), besides admin and demo
USERS = {
    "load_sales1": ("sales_team.group_sale_salesman",),
    "load_sales2": ("sales_team.group_sale_salesman",),
    "load_manager": (
        "sales_team.group_sale_manager",
        "client_status.client_status_group_manager",
    ),
}
PASSWORDS = {"admin": "admin", "demo": "demo"} | {login: login for login in USERS}
# the clients' logins, in turn (8 clients: 2 admins, 1 manager, 5 salespeople)
ROLES = [
    "admin",
    "load_sales1",
    "load_manager",
    "load_sales2",
    "admin",
    "load_sales1",
    "demo",
    "load_sales2",
]
# the operations and how often each is chosen
WEIGHTS = {
    "drag_lead": 12,
    "drag_client": 10,
    "create_lead": 12,
    "win": 8,
    "lose": 6,
    "stage_move": 14,
    "read_board_leads": 14,
    "read_board_clients": 14,
}
WARM_UP_SECONDS = 15
# how long the clients and the last run get once the load ends
LAST_RUN_SECONDS = 60
# a triggered run that shows no progress for that long is given up
STALL_SECONDS = 90
# the VIP rule's thresholds (top % by won revenue) set in turn before each run
VIP_TOP_PERCENTS = (15, 10)
REQUEST_TIMEOUT = 120
# the kanban's columns: the first cards of each
CARDS_PER_COLUMN = 20
CLIENT_BOARD_DOMAIN = ["|", ("is_company", "=", True), ("parent_id", "=", False)]
STATUS = {"fields": {"display_name": {}}}
LEAD_CARD = {
    "display_name": {},
    "partner_id": STATUS,
    "user_id": STATUS,
    "expected_revenue": {},
    "client_status_id": STATUS,
    "client_status_days": {},
    "client_status_lock_info": {},
    "partner_client_status_id": STATUS,
}
CLIENT_CARD = {
    "display_name": {},
    "email": {},
    "client_status_id": STATUS,
    "client_status_days": {},
    "client_status_lock_info": {},
    "client_status_rule_disagrees": {},
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cs_load")
    parser.add_argument("--addons-path", default=os.path.join(ODOO_ROOT, "addons"))
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--leads", type=int, default=40_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--baseline-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cron-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument(
        "--think", type=float, default=0.5, help="mean pause between operations (s)"
    )
    parser.add_argument(
        "--timeout", type=int, default=3600, help="hard limit of the whole test (s)"
    )
    parser.add_argument(
        "--tune-rules",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="move the VIP threshold before each full run (runs with changes)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    # internal: the data generator, run in a process of its own
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# ----------------------------------------------------------------------
# The data: users, client companies, contact persons, leads (ORM batches)
# ----------------------------------------------------------------------

CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


def generate(args):
    """Add what the database lacks, committing each batch (a run cut short
    resumes), then classify everything once by the rules."""
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        ["--database", args.database, "--addons-path", args.addons_path]
        + ["--log-level", "warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, CREATE_CONTEXT)
        # loopback only: no lead enrichment by IAP (requests to odoo.com
        # for new leads); on demand only, as the CRM settings set it
        env["ir.config_parameter"].set_param("crm.iap.lead.enrich.setting", "manual")
        enrich = env.ref("crm_iap_enrich.ir_cron_lead_enrichment", False)
        if enrich:
            enrich.active = False
        users = ensure_users(env)
        cr.commit()
        companies = ensure_partners(env, args.companies, company_values)
        contacts = ensure_partners(
            env, args.contacts, lambda n: contact_values(n, companies, args.contacts)
        )
        created = ensure_leads(env, args.leads, companies, contacts, users)
        Run = env["client.status.run"]
        if created or not Run.search_count([("state", "=", "done")]):
            analyze(env)
            classify(env)
        analyze(env)


def analyze(env):
    """Refresh the planner's statistics: the tables grow by thousands of
    rows per batch, and with autovacuum off (this machine's cluster) plans
    made for the few rows of a new database take minutes, not milliseconds."""
    env.cr.execute("ANALYZE")
    env.cr.commit()


def ensure_users(env):
    """The salespeople and the sales manager (created when missing): the
    ids of the users leads are given to, admin and demo first."""
    Users = env["res.users"].with_context(active_test=False)
    users = [env.ref("base.user_admin"), env.ref("base.user_demo")]
    for login, groups in USERS.items():
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "password": PASSWORDS[login],
                    "email": f"{login}@example.com",
                }
            )
            # added to the groups of a new user, not in their place
            user.groups_id = [
                odoo.Command.link(env.ref(xmlid).id)
                for xmlid in (*groups, "base.group_partner_manager")
            ]
        users.append(user)
    return [user.id for user in users]


def progress(name, done, count):
    print(f"  {time.strftime('%T')} {name}: {done} of {count}", file=sys.stderr)


def company_values(n):
    return {
        "name": f"{COMPANY_NAME} {n:06d}",
        "is_company": True,
        "email": f"client{n}@load.example.com",
    }


def contact_values(n, companies, count):
    """Contact ``n`` works for one company in every ``len(companies) / count``."""
    return {
        "name": f"{CONTACT_NAME} {n:06d}",
        "parent_id": companies[n * len(companies) // count],
        "email": f"contact{n}@load.example.com",
    }


def partner_ids(env, name):
    """The ids of the partners named ``name NNNNNN``, in order."""
    env.cr.execute(
        "SELECT id FROM res_partner WHERE name LIKE %s ORDER BY name", [f"{name} %"]
    )
    return [row[0] for row in env.cr.fetchall()]


def ensure_partners(env, count, values):
    """The ids of the ``count`` partners ``values(n)`` describes, the missing
    ones created in batches."""
    name = values(0)["name"].rsplit(" ", 1)[0]
    ids = partner_ids(env, name)
    Partner = env["res.partner"]
    for start in range(len(ids), count, BATCH):
        Partner.create([values(n) for n in range(start, min(start + BATCH, count))])
        env.cr.commit()
        env.invalidate_all()
        progress(name, min(start + BATCH, count), count)
    analyze(env)
    return partner_ids(env, name)[:count]


def lead_values(n, companies, contacts, users, stages, now):
    """Lead ``n``, the same at every run: a few companies have many leads,
    most one or two, some none; 35 % won and 20 % lost over the last two
    years, the others open; revenues spread over two orders of magnitude."""
    rng = random.Random(n)
    company = companies[int(len(companies) * rng.random() ** 2)]
    partner = contacts.get(company) if rng.random() < 0.5 else None
    values = {
        "name": f"{LEAD_NAME} {n:06d}",
        "type": "opportunity",
        "partner_id": partner or company,
        "user_id": rng.choice(users),
        "team_id": stages["team"],
        "expected_revenue": round(rng.lognormvariate(8.5, 1.0), -1),
        "stage_id": rng.choice(stages["open"]),
    }
    outcome = rng.random()
    closed = now - timedelta(days=rng.uniform(0, 730))
    if outcome < 0.35:
        values.update(stage_id=stages["won"], probability=100, date_closed=closed)
    elif outcome < 0.55:
        values.update(
            active=False,
            probability=0,
            date_closed=closed,
            lost_reason_id=rng.choice(stages["lost_reasons"]),
        )
    return values


def ensure_leads(env, count, companies, contacts_ids, users):
    """Create the missing generated leads in batches; return how many."""
    Lead = env["crm.lead"].with_context(active_test=False)
    existing = Lead.search_count([("name", "=like", f"{LEAD_NAME} %")])
    contacts = {
        contact.parent_id.id: contact.id
        for contact in env["res.partner"].browse(contacts_ids)
    }
    stages = {
        "team": env.ref("sales_team.team_sales_department").id,
        "open": env["crm.stage"].search([("is_won", "=", False)]).ids,
        "won": env["crm.stage"].search([("is_won", "=", True)], limit=1).id,
        "lost_reasons": env["crm.lost.reason"].search([]).ids,
    }
    now = datetime.now()
    for start in range(existing, count, BATCH):
        if (start // BATCH) % 5 == 0:
            analyze(env)
        Lead.create(
            [
                lead_values(n, companies, contacts, users, stages, now)
                for n in range(start, min(start + BATCH, count))
            ]
        )
        env.cr.commit()
        env.invalidate_all()
        progress(LEAD_NAME, min(start + BATCH, count), count)
    return max(count - existing, 0)


def classify(env):
    """One full run of the rules, batch by batch as the cron does, then the
    pending records: the test starts from classified clients."""
    runs = env["client.status.run"]._get_running()
    while "running" in runs.mapped("state"):
        runs._process_batch()
        env.cr.commit()
        env.invalidate_all()
    Run = env["client.status.run"]
    models = env["client.status"]._get_status_models().values()
    while any(
        env[model].search_count(env[model]._client_status_pending_domain())
        for model in models
    ):
        Run._cron_reclassify_pending()
        env.cr.commit()
        env.invalidate_all()


# ----------------------------------------------------------------------
# The database and the server
# ----------------------------------------------------------------------


def connect(database):
    """A read-only autocommit connection (the checks and the runs' watch)."""
    conn = psycopg2.connect(dbname=database)
    conn.set_session(readonly=True, autocommit=True)
    return conn


def query(conn, sql, params=None):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def addon_installed(database):
    try:
        conn = connect(database)
    except psycopg2.OperationalError:
        return False
    try:
        return bool(
            query(
                conn,
                "SELECT 1 FROM ir_module_module"
                " WHERE name = 'client_status' AND state = 'installed'",
            )
        )
    finally:
        conn.close()


def odoo_command(args, *options):
    return [
        sys.executable,
        ODOO_BIN,
        "--database",
        args.database,
        "--addons-path",
        args.addons_path,
        *options,
    ]


def ensure_database(args, deadline):
    """Create the database (crm and client_status with demo data) when
    missing, then generate the missing data in a process of its own."""
    if not addon_installed(args.database):
        print(f"installing crm and client_status on {args.database}", file=sys.stderr)
        subprocess.run(
            odoo_command(args, "-i", "crm,client_status", "--stop-after-init")
            + ["--log-level", "warn"],
            check=True,
            timeout=remaining(deadline),
        )
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            os.path.abspath(__file__),
            "--generate",
            *("--database", args.database, "--addons-path", args.addons_path),
            *("--companies", str(args.companies), "--contacts", str(args.contacts)),
            *("--leads", str(args.leads)),
        ],
        check=True,
        timeout=remaining(deadline),
    )
    return time.monotonic() - started


def remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the test's time is up (--timeout)")
    return left


def postpone_daily_run(args):
    """Move the daily reclassification past the test (a database kept for
    days would start it with the server): only the triggered runs run."""
    conn = psycopg2.connect(dbname=args.database)
    with conn, conn.cursor() as cr:
        cr.execute(
            """
            UPDATE ir_cron SET nextcall = now() at time zone 'utc' + interval '1 day'
             WHERE id = (SELECT res_id FROM ir_model_data
                          WHERE module = 'client_status'
                            AND name = 'ir_cron_client_status_reclassify')
               AND nextcall < now() at time zone 'utc' + interval '2 hours'
            """
        )
    conn.close()


# Runs odoo-bin without the websocket process of the multi-worker mode (its
# gevent process): the clients speak JSON-RPC only, and in a virtualenv whose
# pkg_resources cannot resolve gevent's requirements (setuptools < 70 against
# zope.interface >= 7, whose metadata name is normalized) that process fails
# at start and the server spawns it again every second.
LAUNCHER = """
import runpy, sys
from odoo.service import server
server.PreforkServer.long_polling_spawn = lambda self: None
sys.argv[0] = sys.argv.pop(1)
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def start_server(args, logfile):
    """The multi-worker server, in a process group of its own."""
    command = odoo_command(
        args,
        *("--workers", str(args.workers), "--max-cron-threads", str(args.cron_workers)),
        *("--http-port", str(args.port), "--http-interface", "127.0.0.1"),
        *("--limit-time-real", "600", "--limit-time-cpu", "600"),
        *("--log-level", "warn", "--logfile", logfile),
        # the transactions retried after a concurrency failure (INFO)
        *("--log-handler", "odoo.service.model:INFO"),
    )
    command[1:1] = ["-c", LAUNCHER]
    # odoo-bin sets TZ before anything imports time; the launcher imports odoo
    env = dict(os.environ, ODOO_NOTIFY_CRON_CHANGES="1", TZ="UTC")
    return subprocess.Popen(command, env=env, start_new_session=True)


def wait_ready(server, url, deadline):
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit code {server.returncode})")
        try:
            response = requests.post(
                f"{url}/web/webclient/version_info", json={"params": {}}, timeout=5
            )
            if response.ok:
                return
        except requests.RequestException:
            pass
        remaining(deadline)
        time.sleep(1)


def stop_server(server):
    """Stop the server's process group: politely, then for good."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(30)


# ----------------------------------------------------------------------
# The clients
# ----------------------------------------------------------------------


class RpcError(Exception):
    """An error the server answered: its exception's name, message and
    traceback."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name") or error.get("message", "?")
        self.text = data.get("message") or error.get("message", "")
        self.debug = data.get("debug") or ""
        super().__init__(f"{self.name}: {self.text}")


class Rpc:
    """A user over ``/jsonrpc`` (``object.execute_kw`` with uid and password)."""

    def __init__(self, url, database, login):
        self.url = f"{url}/jsonrpc"
        self.database = database
        self.password = PASSWORDS[login]
        self.session = requests.Session()
        self.uid = self.request("common", "login", [database, login, self.password])
        if not self.uid:
            raise RuntimeError(f"{login} cannot log in")

    def request(self, service, method, args):
        response = self.session.post(
            self.url,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": args},
            },
            timeout=REQUEST_TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        # a method returning None: no result in the answer
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self.request(
            "object",
            "execute_kw",
            [self.database, self.uid, self.password, model, method, list(args), kwargs],
        )


FRAME = re.compile(r'File "[^"]*/addons/(\w+)/([^"]+)", line (\d+), in (\w+)')


def innermost_frame(text):
    """The innermost frame of an addon in a traceback: ``addon/file:line
    function``, or ``None``."""
    frames = FRAME.findall(text)
    if not frames:
        return None
    addon, path, line, function = frames[-1]
    return f"{addon}/{path}:{line} {function}"


def category(text):
    """Whose error a traceback (or message) is: crm's lead scoring (core
    Odoo: its frequency table or methods), else the addon of the innermost
    addon frame (client_status or other), else client_status when the text
    names it."""
    if "crm_lead_scoring_frequency" in text or "_pls_" in text:
        return "lead scoring (core)"
    frame = innermost_frame(text)
    if frame:
        return "client_status" if frame.startswith("client_status/") else "other"
    return "client_status" if "client_status" in text else "other"


class Stats:
    """Latencies and errors per phase and operation (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(Counter)
        self.samples = {}

    def record(self, phase, operation, seconds, error=None):
        with self.lock:
            self.latencies[phase, operation].append(seconds)
            if error is not None:
                if isinstance(error, RpcError):
                    name, text = error.name, f"{error.text}\n{error.debug}"
                else:
                    name, text = type(error).__name__, str(error)
                key = (category(text), operation, name)
                self.errors[phase][key] += 1
                self.samples.setdefault(key, error)


class Client(threading.Thread):
    """A person at work: picks an operation by its weight, times it, pauses
    (``think`` s on average), until ``stop`` is set. Acts on the leads of its
    ``pool`` (its own, not another client's) and on any generated company."""

    def __init__(self, number, rpc, pool, shared, load):
        super().__init__(name=f"client-{number}", daemon=True)
        self.rpc = rpc
        self.pool = pool
        self.shared = shared
        self.load = load
        self.rng = random.Random(number)

    def run(self):
        operations = list(WEIGHTS)
        weights = list(WEIGHTS.values())
        while not self.load.stop.is_set():
            operation = self.rng.choices(operations, weights)[0]
            if (
                operation in ("win", "lose", "drag_lead", "stage_move")
                and not self.pool
            ):
                operation = "create_lead"
            phase = self.load.phase
            start = time.monotonic()
            try:
                getattr(self, operation)()
            except Exception as error:
                self.load.stats.record(
                    phase, operation, time.monotonic() - start, error
                )
            else:
                self.load.stats.record(phase, operation, time.monotonic() - start)
            self.load.stop.wait(self.rng.uniform(0, 2 * self.load.think))

    def any_lead(self):
        return self.rng.choice(self.pool)

    def take_lead(self):
        return self.pool.pop(self.rng.randrange(len(self.pool)))

    def drag_lead(self):
        """A lead card dropped on another open status, as the board does:
        ask whether a dialog is needed (not for an open status), then save."""
        lead = self.any_lead()
        status = self.rng.choice(self.shared["lead_statuses"])
        if not self.rpc.call("crm.lead", "action_client_status_change", [lead], status):
            self.rpc.call("crm.lead", "write", [lead], {"client_status_id": status})

    def drag_client(self):
        """A client card dropped on another status (not a blacklist one)."""
        company = self.rng.choice(self.shared["companies"])
        status = self.rng.choice(self.shared["partner_statuses"])
        self.rpc.call("res.partner", "write", [company], {"client_status_id": status})

    def create_lead(self):
        lead = self.rpc.call(
            "crm.lead",
            "create",
            {
                "name": f"{NEW_LEAD_NAME} {self.name}",
                "type": "opportunity",
                "partner_id": self.rng.choice(self.shared["companies"]),
                "user_id": self.rpc.uid,
                "expected_revenue": self.rng.randrange(1000, 50000, 100),
            },
        )
        self.pool.append(lead)

    def win(self):
        self.rpc.call("crm.lead", "action_set_won", [self.take_lead()])

    def lose(self):
        self.rpc.call(
            "crm.lead",
            "action_set_lost",
            [self.take_lead()],
            lost_reason_id=self.rng.choice(self.shared["lost_reasons"]),
        )

    def stage_move(self):
        stage = self.rng.choice(self.shared["open_stages"])
        self.rpc.call("crm.lead", "write", [self.any_lead()], {"stage_id": stage})

    def read_board(self, model, domain, aggregates, card, context=None):
        """A board grouped by status: the columns, then the first cards of
        each (the web client reads them one request per column)."""
        context = context or {}
        groups = self.rpc.call(
            model,
            "web_read_group",
            domain,
            aggregates,
            ["client_status_id"],
            lazy=True,
            context=context,
        )["groups"]
        for group in groups:
            self.rpc.call(
                model,
                "web_search_read",
                group["__domain"],
                card,
                limit=CARDS_PER_COLUMN,
                context=context,
            )

    def read_board_leads(self):
        self.read_board("crm.lead", [], ["expected_revenue:sum"], LEAD_CARD)

    def read_board_clients(self):
        self.read_board(
            "res.partner",
            CLIENT_BOARD_DOMAIN,
            [],
            CLIENT_CARD,
            {"res_partner_search_mode": "customer"},
        )


class Load:
    """What the clients share: the phase they count in, the stop signal, the
    statistics and the mean pause."""

    def __init__(self, think):
        self.phase = "warm-up"
        self.stop = threading.Event()
        self.stats = Stats()
        self.think = think


def shared_data(conn):
    """The ids every client picks from: the generated companies, the
    statuses a card may be dropped on (open lead statuses; contact statuses
    but the blacklist), the open stages and the lost reasons."""

    def ids(sql, params=None):
        return [row[0] for row in query(conn, sql, params)]

    def statuses(scope, kinds):
        return ids(
            "SELECT id FROM client_status WHERE active AND scope = %s"
            " AND kind IN %s AND company_id IS NULL ORDER BY id",
            [scope, tuple(kinds)],
        )

    return {
        "companies": ids(
            "SELECT id FROM res_partner WHERE is_company AND name LIKE %s",
            [f"{COMPANY_NAME} %"],
        ),
        "lead_statuses": statuses("lead", ["open"]),
        "partner_statuses": statuses("partner", ["prospect", "customer", "inactive"]),
        "open_stages": ids("SELECT id FROM crm_stage WHERE is_won IS NOT TRUE"),
        "lost_reasons": ids("SELECT id FROM crm_lost_reason"),
    }


def lead_pools(conn, rpcs):
    """Each client's leads: the open leads of its user, shared out between
    the clients of the same user (no two clients act on one lead)."""
    pools = [[] for __ in rpcs]
    clients_of = defaultdict(list)
    for index, rpc in enumerate(rpcs):
        clients_of[rpc.uid].append(index)
    for lead_id, user_id in query(
        conn,
        "SELECT id, user_id FROM crm_lead WHERE active AND probability < 100"
        " AND user_id = ANY(%s) ORDER BY id",
        [list(clients_of)],
    ):
        clients = clients_of[user_id]
        pools[clients[lead_id % len(clients)]].append(lead_id)
    return pools


# ----------------------------------------------------------------------
# The full runs: triggered again and again, watched in SQL
# ----------------------------------------------------------------------


def cron_failures(conn):
    return query(
        conn,
        """
        SELECT coalesce(sum(failure_count), 0) FROM ir_cron
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'client_status'
                         AND name IN ('ir_cron_client_status_reclassify',
                                      'ir_cron_client_status_reclassify_runs'))
        """,
    )[0][0]


def watch_run(conn, since_id, resumed, deadline):
    """Wait for the full run triggered after the run ``since_id`` to end (its
    runs, one per scope: new ones, or ``resumed``, those running when it was
    triggered): ``(outcome, processed, changed)``, outcome ``completed``
    (they are all done), ``cron failed`` (the job gave up without progress:
    rescheduled for tomorrow), ``stalled`` (no progress for
    ``STALL_SECONDS``) or ``unfinished`` (``deadline()`` passed)."""
    failures = cron_failures(conn)
    last_state, last_change = None, time.monotonic()
    while True:
        rows = query(
            conn,
            "SELECT id, state, coalesce(processed_count, 0),"
            " coalesce(changed_count, 0)"
            " FROM client_status_run WHERE id > %s OR id = ANY(%s) ORDER BY id",
            [since_id, resumed],
        )
        processed = sum(row[2] for row in rows)
        changed = sum(row[3] for row in rows)
        if rows and all(row[1] == "done" for row in rows):
            return "completed", processed, changed
        if rows and all(row[1] in ("done", "failed") for row in rows):
            return "run failed", processed, changed
        # (a first batch that fails takes its new runs with it)
        if cron_failures(conn) > failures:
            return "cron failed", processed, changed
        if rows != last_state:
            last_state, last_change = rows, time.monotonic()
        elif time.monotonic() - last_change > STALL_SECONDS:
            return "stalled", processed, changed
        if time.monotonic() > deadline():
            return "unfinished", processed, changed
        time.sleep(1)


def vip_condition(admin):
    """The condition of the VIP rule (top % of clients by won revenue):
    ``(id, value)``, or ``None`` without one."""
    conditions = admin.call(
        "client.status.rule.condition",
        "search_read",
        [("metric", "=", "revenue_top_percent"), ("rule_id.active", "=", True)],
        ["value"],
        limit=1,
    )
    return (conditions[0]["id"], conditions[0]["value"]) if conditions else None


def trigger_runs(admin, conn, load, results, runs_end, tune):
    """While ``load.phase`` is ``with runs``: trigger the full
    reclassification, wait for it to end, again. With ``tune``, the admin
    first sets the VIP rule's threshold to the next of ``VIP_TOP_PERCENTS``
    (put back at the end), as one adjusting the rules does: every run then
    moves the clients between the two thresholds. Appends ``(seconds from
    the phase's start, VIP top %, outcome, seconds, processed, changed)`` to
    ``results``."""
    condition = vip_condition(admin) if tune else None
    phase_start = time.monotonic()
    try:
        while load.phase == "with runs":
            top = None
            if condition:
                top = VIP_TOP_PERCENTS[len(results) % len(VIP_TOP_PERCENTS)]
            at = time.monotonic() - phase_start
            outcome = full_run(admin, conn, runs_end, condition and (condition[0], top))
            results.append((at, top, *outcome))
            if outcome[0].startswith("failed"):
                time.sleep(5)
    finally:
        if condition:
            set_condition(admin, *condition)


def set_condition(admin, condition_id, value):
    admin.call(
        "client.status.rule.condition", "write", [condition_id], {"value": value}
    )


def full_run(admin, conn, runs_end, condition=None):
    """Set ``condition`` (``(id, value)``) if any, trigger the full
    reclassification and watch it: ``(outcome, seconds, processed,
    changed)``."""
    ((since_id, resumed),) = query(
        conn,
        "SELECT coalesce(max(id), 0),"
        " coalesce(array_agg(id) FILTER (WHERE state = 'running'), '{}')"
        " FROM client_status_run",
    )
    start = time.monotonic()
    try:
        if condition:
            set_condition(admin, *condition)
        admin.call("client.status.rule", "action_reclassify_now", [])
        outcome, processed, changed = watch_run(conn, since_id, resumed, runs_end)
    except Exception as error:  # reported, not lost with the thread
        outcome, processed, changed = f"failed: {error!r}"[:200], 0, 0
    return outcome, time.monotonic() - start, processed, changed


# ----------------------------------------------------------------------
# The invariants
# ----------------------------------------------------------------------

RECORDS = [("res_partner", "partner_id"), ("crm_lead", "lead_id")]

STATUS_NOT_LAST = """
    WITH last AS (
        SELECT DISTINCT ON ({field}) {field} AS record_id, status_to_id
          FROM client_status_history WHERE {field} IS NOT NULL
         ORDER BY {field}, date DESC, id DESC
    )
    SELECT count(*) FROM {table} AS rec FULL JOIN last ON last.record_id = rec.id
     WHERE rec.client_status_id IS DISTINCT FROM last.status_to_id
"""
# each row of a record's history, in order, beside the previous one
IN_ORDER = """
    SELECT status_from_id, status_to_id, date,
           lag(status_from_id) OVER w AS previous_from,
           lag(status_to_id) OVER w AS previous_to,
           lag(date) OVER w AS previous_date,
           row_number() OVER w AS n
      FROM client_status_history WHERE {field} IS NOT NULL
    WINDOW w AS (PARTITION BY {field} ORDER BY date, id)
"""
CHAIN_BROKEN = f"""
    SELECT count(*) FROM ({IN_ORDER}) AS rows
     WHERE status_from_id IS DISTINCT FROM previous_to
"""
DUPLICATES = f"""
    SELECT count(*) FROM ({IN_ORDER}) AS rows
     WHERE n > 1 AND date = previous_date
       AND status_from_id IS NOT DISTINCT FROM previous_from
       AND status_to_id IS NOT DISTINCT FROM previous_to
"""
NO_CHANGE = """
    SELECT count(*) FROM client_status_history
     WHERE {field} IS NOT NULL AND status_from_id = status_to_id
"""
# the summaries against their sums recounted from the history: the keys
# where the summary's sum differs (see client_status_transition.py and
# client_status_duration.py, _summary_keys and _summary_measures)
TRANSITIONS_OFF = """
    SELECT count(*) FROM (
        SELECT 1 FROM (
            SELECT day, scope, company_id, status_from_id, status_to_id,
                   direction, source, count(*) AS n
              FROM client_status_history GROUP BY 1, 2, 3, 4, 5, 6, 7
            UNION ALL
            SELECT date, scope, company_id, status_from_id, status_to_id,
                   direction, source, -sum(transition_count)
              FROM client_status_transition GROUP BY 1, 2, 3, 4, 5, 6, 7
        ) AS both_sides
        GROUP BY day, scope, company_id, status_from_id, status_to_id,
                 direction, source
        HAVING sum(n) != 0
    ) AS off
"""
DURATIONS_OFF = """
    SELECT count(*) FROM (
        SELECT 1 FROM (
            SELECT scope, company_id, status_from_id AS status_id,
                   round(days_in_previous::numeric, 1) AS days, count(*) AS n,
                   sum(days_in_previous)::float8 AS total
              FROM client_status_history WHERE days_in_previous IS NOT NULL
             GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT scope, company_id, status_id, round(days::numeric, 1),
                   -sum(record_count), -sum(days_total)::float8
              FROM client_status_duration GROUP BY 1, 2, 3, 4
        ) AS both_sides
        GROUP BY scope, company_id, status_id, days
        HAVING sum(n) != 0 OR abs(sum(total)) > 1e-6 * greatest(1, max(abs(total)))
    ) AS off
"""
SNAPSHOTS = """
    SELECT count(*) FROM pg_class
     WHERE relkind = 'r' AND relname LIKE 'client\\_status\\_run\\_%'
"""
RUNNING = "SELECT count(*) FROM client_status_run WHERE state = 'running'"


def invariants(conn):
    """``{check: violations}``."""

    def per_record(sql):
        return sum(
            query(conn, sql.format(table=table, field=field))[0][0]
            for table, field in RECORDS
        )

    return {
        "status ≠ last history row (contacts and leads, archived too)": per_record(
            STATUS_NOT_LAST
        ),
        "history chain broken (from ≠ previous row's to)": per_record(CHAIN_BROKEN),
        "duplicate rows (same from, to and date as the previous row)": per_record(
            DUPLICATES
        ),
        "rows from a status to itself": per_record(NO_CHANGE),
        "transition summary keys ≠ recount": query(conn, TRANSITIONS_OFF)[0][0],
        "duration summary keys ≠ recount": query(conn, DURATIONS_OFF)[0][0],
        "snapshot tables left": query(conn, SNAPSHOTS)[0][0],
        "runs left running": query(conn, RUNNING)[0][0],
    }


# ----------------------------------------------------------------------
# The server log
# ----------------------------------------------------------------------

LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
RETRY = re.compile(r"odoo\.service\.model: (\w+), (\d+ tries left|maximum number)")


def log_exception(record):
    """What a log record reports: the exception of its traceback, the
    PostgreSQL error of a bad query, else its message."""
    lines = [line.strip() for line in record if line.strip()]
    if len(lines) == 1:
        return lines[0].split(": ", 1)[-1]
    if lines[-1].startswith("ERROR:"):
        return lines[-1].removeprefix("ERROR:").strip()
    return lines[-1].split(":")[0]


def read_log(logfile):
    """The ERROR and CRITICAL records (with their tracebacks) by category
    and exception, a sample each, the WARNING count and the transactions
    retried after a concurrency failure (by error code)."""
    records, record = [], None
    warnings = 0
    retries = Counter()
    with open(logfile, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = LOG_RECORD.match(line)
            if match:
                record = None
                if match.group(1) in ("ERROR", "CRITICAL"):
                    record = [line]
                    records.append(record)
                warnings += match.group(1) == "WARNING"
                if retry := RETRY.search(line):
                    retries[retry.group(1)] += 1
            elif record is not None:
                record.append(line)
    errors = Counter()
    samples = {}
    for record in records:
        text = "".join(record)
        exception = log_exception(record)
        key = (category(text), exception[:80])
        errors[key] += 1
        frame = innermost_frame(text)
        samples.setdefault(
            key,
            f"{record[0].strip()[:160]} / {exception[:160]}"
            + (f" (at {frame})" if frame else ""),
        )
    return errors, samples, warnings, retries


# ----------------------------------------------------------------------
# The report
# ----------------------------------------------------------------------


def percentile(values, q):
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def phase_table(stats, phase, seconds, baseline=None):
    """The operations of ``phase``: requests, errors, p50, p95, max (ms) and,
    against ``baseline``, the ratio of the p95s."""
    errors = Counter()
    for (__, operation, __), count in stats.errors[phase].items():
        errors[operation] += count
    header = "| operation | requests | errors | p50 ms | p95 ms | max ms |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if baseline:
        header += " p95 / baseline p95 |"
        rule += "---:|"
    lines = [header, rule]
    total = 0
    p95s = {}
    for operation in WEIGHTS:
        values = stats.latencies.get((phase, operation))
        if not values:
            continue
        total += len(values)
        p95s[operation] = percentile(values, 0.95)
        line = (
            f"| {operation} | {len(values)} | {errors[operation]}"
            f" | {1000 * statistics.median(values):.0f}"
            f" | {1000 * p95s[operation]:.0f} | {1000 * max(values):.0f} |"
        )
        if baseline:
            ratio = (
                p95s[operation] / baseline[operation] if operation in baseline else 0
            )
            line += f" {ratio:.2f} |" if ratio else " - |"
        lines.append(line)
    lines.append(
        f"| all | {total} ({total / max(seconds, 1):.1f}/s) | {sum(errors.values())}"
        " | | | |" + (" |" if baseline else "")
    )
    return "\n".join(lines), p95s


def error_lines(stats):
    lines = [
        "| phase | category | operation | exception | count | sample |",
        "|---|---|---|---|---:|---|",
    ]
    for phase in ("baseline", "with runs"):
        for key, count in sorted(stats.errors[phase].items()):
            sample = stats.samples[key]
            text = " ".join(str(getattr(sample, "text", sample)).split())[:160]
            if frame := innermost_frame(getattr(sample, "debug", "")):
                text += f" (at {frame})"
            text = text.replace("|", "/")
            lines.append(
                f"| {phase} | {key[0]} | {key[1]} | {key[2]} | {count} | {text} |"
            )
    return lines if len(lines) > 2 else ["none"]


def data_sizes(conn):
    """What the database holds (generated and demo records alike)."""
    rows = query(
        conn,
        """
        SELECT (SELECT count(*) FROM res_partner WHERE is_company),
               (SELECT count(*) FROM res_partner WHERE NOT is_company),
               (SELECT count(*) FROM crm_lead),
               (SELECT count(*) FROM crm_lead WHERE active AND probability = 100),
               (SELECT count(*) FROM crm_lead WHERE NOT active),
               (SELECT count(*) FROM client_status_history),
               (SELECT count(DISTINCT client_status_id) FROM res_partner)
        """,
    )[0]
    return (
        f"{rows[0]:,} companies, {rows[1]:,} other contacts, {rows[2]:,} leads"
        f" ({rows[3]:,} won, {rows[4]:,} lost or archived), {rows[5]:,} history"
        f" rows, contacts in {rows[6]} statuses"
    )


def report(args, load, runs, before, after, log, sizes, setup):
    """Print everything as Markdown."""
    print(f"`{shlex.join([os.path.relpath(sys.executable), *sys.argv])}`")
    print(
        f"\n{args.database}: {sizes['before']}; after the test: {sizes['after']}."
        f" {args.clients} clients ({', '.join(role_list(args.clients))}),"
        f" mean pause {args.think} s; server: {args.workers} HTTP workers,"
        f" {args.cron_workers} cron workers; {os.cpu_count()} cores;"
        f" setup {setup:.0f} s."
    )
    baseline = None
    for phase, length in (
        ("baseline", args.baseline_seconds),
        ("with runs", args.seconds),
    ):
        if not length:
            continue
        table, p95s = phase_table(load.stats, phase, length, baseline)
        print(f"\n### {phase} ({length} s)\n\n{table}")
        baseline = baseline or p95s
    print("\n### Errors answered to the clients\n")
    print("\n".join(error_lines(load.stats)))
    errors, samples, warnings, retries = log
    print(
        f"\n### Server log\n\n{sum(errors.values())} ERROR records, {warnings}"
        f" WARNING lines; transactions retried after a concurrency failure:"
        f" {dict(retries) or 'none'}\n"
    )
    if errors:
        print("| category | exception | count | sample |\n|---|---|---:|---|")
        for key, count in sorted(errors.items()):
            print(
                f"| {key[0]} | {key[1]} | {count} | {samples[key].replace('|', '/')} |"
            )
    completed = sum(run[2] == "completed" for run in runs)
    print(f"\n### Full runs: {len(runs)} triggered, {completed} completed\n")
    if runs:
        print(
            "| # | triggered at (s) | VIP top % | outcome | seconds | records | changed |"
        )
        print("|---:|---:|---:|---|---:|---:|---:|")
        for number, (at, top, outcome, took, processed, changed) in enumerate(runs, 1):
            print(
                f"| {number} | {at:.0f} | {top or '-'} | {outcome} | {took:.0f}"
                f" | {processed} | {changed} |"
            )
    print(
        "\n### Invariants (violations)\n\n| check | before | after |\n|---|---:|---:|"
    )
    for check, count in after.items():
        print(f"| {check} | {before[check]} | {count} |")


def role_list(count):
    return [ROLES[index % len(ROLES)] for index in range(count)]


# ----------------------------------------------------------------------
# The test
# ----------------------------------------------------------------------


def run_phase(load, name, seconds, deadline):
    load.phase = name
    time.sleep(min(seconds, remaining(deadline)))


def run_load(args, url, conn, deadline):
    """Log the clients in, run the phases, stop: ``(load, runs)``."""
    rpcs = [Rpc(url, args.database, login) for login in role_list(args.clients)]
    shared = shared_data(conn)
    load = Load(args.think)
    clients = [
        Client(number, rpc, pool, shared, load)
        for number, (rpc, pool) in enumerate(
            zip(rpcs, lead_pools(conn, rpcs), strict=False)
        )
    ]
    runs = []
    runs_end = [math.inf]
    trigger = threading.Thread(
        target=trigger_runs,
        args=(
            rpcs[0],
            connect(args.database),
            load,
            runs,
            lambda: runs_end[0],
            args.tune_rules,
        ),
        daemon=True,
    )
    for client in clients:
        client.start()
    try:
        run_phase(load, "warm-up", WARM_UP_SECONDS, deadline)
        if args.baseline_seconds:
            run_phase(load, "baseline", args.baseline_seconds, deadline)
        load.phase = "with runs"
        trigger.start()
        run_phase(load, "with runs", args.seconds, deadline)
    finally:
        load.phase = "stopping"
        runs_end[0] = time.monotonic() + LAST_RUN_SECONDS
        load.stop.set()
        for client in clients:
            client.join(REQUEST_TIMEOUT)
        if trigger.is_alive():
            trigger.join(LAST_RUN_SECONDS + 10)
    return load, runs


def main():
    args = parse_args()
    if args.generate:
        generate(args)
        return
    deadline = time.monotonic() + args.timeout
    started = time.monotonic()
    ensure_database(args, deadline)
    conn = connect(args.database)
    sizes = {"before": data_sizes(conn)}
    before = invariants(conn)
    postpone_daily_run(args)
    setup = time.monotonic() - started
    logfile = f"/tmp/{args.database}-server.log"
    if os.path.exists(logfile):
        os.remove(logfile)
    url = f"http://127.0.0.1:{args.port}"
    server = start_server(args, logfile)
    try:
        wait_ready(server, url, deadline)
        load, runs = run_load(args, url, conn, deadline)
    finally:
        stop_server(server)
    after = invariants(conn)
    sizes["after"] = data_sizes(conn)
    conn.close()
    report(args, load, runs, before, after, read_log(logfile), sizes, setup)
    print(f"\nServer log: {logfile}")
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.database], check=True)


if __name__ == "__main__":
    main()
