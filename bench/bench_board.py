"""Time the Clients by Status board in headless Chromium.

Adds ``--clients`` client companies spread over the contact statuses to the
database (committed, removed at the end), serves it with Odoo on a loopback
port, and times, as the admin user in Debian's ``chromium`` driven by
Playwright (``pip install playwright``; no browser download: the system's
chromium is used), how long the board takes to draw its cards: on a full page
load, and when the user switches back to it from the list (the board alone).
Prints the figures; it is no timed test.
"""

import os
import signal
import subprocess
import sys
import time

from common import parse_args, registry

import odoo

PREFIX = "Board Bench Client"


def add_clients(args):
    with registry(args).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        statuses = env["client.status"].search([("scope", "=", "partner")])
        env["res.partner"].create(
            [
                {
                    "name": f"{PREFIX} {index:05d}",
                    "is_company": True,
                    "city": "Warszawa",
                    "client_status_id": statuses[index % len(statuses)].id,
                }
                for index in range(args.clients)
            ]
        )
        return env["res.partner"].search_count([]), len(statuses)


def remove_clients(args):
    with registry(args).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.partner"].search([("name", "=like", f"{PREFIX}%")]).unlink()


def stable_cards(page):
    """Wait for the first card, then until the number of cards holds."""
    page.wait_for_selector(".o_kanban_group .o_kanban_record", timeout=120_000)
    last, stable = -1, 0
    while stable < 3:
        count = page.locator(".o_kanban_record").count()
        stable = stable + 1 if count == last else 0
        last = count
        time.sleep(0.05)
    return last


def measure(port, rounds):
    # imported here: only this benchmark needs it
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{port}/odoo/action-client_status.res_partner_action"
    loads, switches = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        errors = []
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        page.goto(f"http://127.0.0.1:{port}/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")
        for __ in range(rounds):
            start = time.time()
            page.goto(url)
            cards = stable_cards(page)
            loads.append(time.time() - start - 0.15)
        for __ in range(rounds):
            page.click(".o_switch_view.o_list")
            page.wait_for_selector(".o_list_renderer")
            start = time.time()
            page.click(".o_switch_view.o_kanban")
            stable_cards(page)
            switches.append(time.time() - start - 0.15)
        groups = page.locator(".o_kanban_group").count()
        browser.close()
    return loads, switches, cards, groups, errors


def main():
    args = parse_args(__doc__, clients=4000, port=8189, rounds=3)
    total, statuses = add_clients(args)
    odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
    server = subprocess.Popen(
        [
            sys.executable,
            odoo_bin,
            "--database",
            args.database,
            "--db-filter",
            f"^{args.database}$",
            "--http-port",
            str(args.port),
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
            *(["--addons-path", args.addons_path] if args.addons_path else []),
        ],
    )
    try:
        time.sleep(10)
        loads, switches, cards, groups, errors = measure(args.port, args.rounds)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        remove_clients(args)
    print(
        f"Clients by Status: {args.clients} clients added ({total} contacts),"
        f" {statuses} statuses, {groups} columns, {cards} cards drawn"
    )
    print("| measure | best (s) | all (s) |")
    print("|---|---:|---|")
    for name, times in (("page load to cards", loads), ("list -> board", switches)):
        print(f"| {name} | {min(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    print(f"console errors: {len(errors)}", *errors, sep="\n")


if __name__ == "__main__":
    main()
