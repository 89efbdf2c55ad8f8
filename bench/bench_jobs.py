"""Benchmark of the wizards that run as jobs (issue 15: no request of
preview, archive or preset longer than 10 s at 1,000,000 clients).

Fills the database, in one transaction that is rolled back at the end, with N
client companies and 2N leads (``bench_rules.generate``), then times, as the
administrator: the request of Preview (it starts the job), the job's batches
as the cron runs them, the request reading the preview's form, the request of
Apply and its batches, the request of the archive wizard on the status most
clients have and its batches, and the request loading a preset that archives
the other statuses. ``--max-batches`` stops each job after that many batches
(its total is then extrapolated from their mean).

    python bench/bench_jobs.py --database DB [--partners 100000] [--max-batches 0]
"""

import time

import bench_rules
import common

from odoo import SUPERUSER_ID, api


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def run_job(job, max_batches):
    """The job's batches as the cron runs them (each then committed: the
    bench flushes and starts afresh); return (seconds, longest batch,
    batches, extrapolated total)."""
    times = []
    while job.state in ("queued", "running"):
        if max_batches and len(times) >= max_batches:
            break
        elapsed, __ = timed(job.sudo()._process_next_batch_safely)
        job.env.flush_all()
        job.env.invalidate_all()
        times.append(elapsed)
    total = sum(times)
    if job.state in ("queued", "running") and times:
        # what is left, at the mean pace of the batches run
        per_record = total / max(job.done_count, 1)
        total += per_record * (job.record_count - job.done_count)
    return sum(times), max(times, default=0.0), len(times), total


def main():
    args = common.parse_args(__doc__, max_batches=0)
    rows = []
    with common.registry(args).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        gen_time, __ = timed(bench_rules.generate, env, args.partners)
        # everything runs in the background; the administrator works
        env["ir.config_parameter"].set_param("client_status.background_threshold", "0")
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, su=False)
        env.flush_all()

        elapsed, action = timed(env["client.status.rule"].action_preview)
        preview = env["client.status.reclassify.preview"].browse(action["res_id"])
        job = preview.job_id
        rows.append(("Preview: request", elapsed, f"{job.record_count} to read"))
        spent, longest, batches, total = run_job(job, args.max_batches)
        rows.append(
            (
                "Preview: job",
                total,
                f"{batches} batches in {spent:.1f} s, longest {longest:.2f} s;"
                f" {job.changed_count} changes",
            )
        )
        elapsed, __ = timed(
            lambda: (
                preview.summary,
                preview.line_ids.mapped("partner_id.display_name"),
                preview.line_ids.mapped("status_to_id.display_name"),
            )
        )
        rows.append(("Preview: form", elapsed, f"{len(preview.line_ids)} lines shown"))
        if job.state == "done" and job.changed_count:
            elapsed, __ = timed(preview.action_apply)
            rows.append(("Apply: request", elapsed, ""))
            spent, longest, batches, total = run_job(preview.job_id, args.max_batches)
            rows.append(
                (
                    "Apply: job",
                    total,
                    f"{batches} batches in {spent:.1f} s, longest {longest:.2f} s;"
                    f" {preview.job_id.changed_count} changed",
                )
            )

        Partner = env["res.partner"].with_context(active_test=False)
        status, count = max(
            Partner._read_group(
                [("client_status_kind", "!=", "blacklist")],
                ["client_status_id"],
                ["__count"],
            ),
            key=lambda group: group[1],
        )
        if status.is_default:
            other = env["client.status"].search(
                [("scope", "=", "partner"), ("id", "!=", status.id)], limit=1
            )
            status.sudo().is_default = False
            other.sudo().is_default = True
        target = env["client.status"].search(
            [
                ("scope", "=", "partner"),
                ("id", "!=", status.id),
                ("kind", "!=", "blacklist"),
            ],
            limit=1,
        )
        env.flush_all()

        def archive():
            action = status.action_archive()
            wizard = (
                env["client.status.archive"]
                .with_context(**action["context"])
                .create({"target_status_id": target.id})
            )
            wizard.action_confirm()
            return wizard

        elapsed, wizard = timed(archive)
        rows.append(("Archive: request", elapsed, f"{count} records of {status.name}"))
        spent, longest, batches, total = run_job(wizard.job_id, args.max_batches)
        rows.append(
            (
                "Archive: job",
                total,
                f"{batches} batches in {spent:.1f} s, longest {longest:.2f} s",
            )
        )

        def preset():
            wizard = env["client.status.preset"].create(
                {"preset": "outbound", "others": "archive"}
            )
            wizard.action_load()
            return wizard

        elapsed, wizard = timed(preset)
        rows.append(
            (
                "Preset: request",
                elapsed,
                f"{wizard.job_id.record_count} records to move",
            )
        )
        cr.rollback()

    n = args.partners
    print(f"N = {n} clients, {2 * n} leads (generated in {gen_time:.1f} s)")
    print("| measurement | seconds | note |")
    print("|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} | {note} |")


if __name__ == "__main__":
    main()
