"""What the benchmarks share: their command line and the Odoo registry."""

import argparse

import odoo


def parse_args(doc, databases=("database",), **extra):
    """Parse the ``databases`` options (``--database`` by default; Odoo's
    config gets the first), ``--addons-path``, ``--partners`` and the
    ``extra`` integer options (name: default), then load Odoo's config."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for name in databases:
        parser.add_argument(f"--{name.replace('_', '-')}", required=True)
    parser.add_argument("--addons-path")
    parser.add_argument("--partners", type=int, default=100_000)
    for name, default in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    args = parser.parse_args()
    options = ["--database", getattr(args, databases[0]), "--log-level", "warn"]
    if args.addons_path:
        options += ["--addons-path", args.addons_path]
    odoo.tools.config.parse_config(options)
    return args


def open_registry(database):
    """The registry of ``database``; several can be open in one process."""
    return odoo.modules.registry.Registry(database)


def registry(args):
    return open_registry(args.database)
