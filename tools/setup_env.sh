#!/usr/bin/env bash
# Prepare everything `make demo` and `make test` need: Debian build packages,
# an Odoo 18.0 source tree at $ODOO_SRC, a virtualenv with Odoo's requirements,
# Odoo itself and this addon installed with `pip install .`.
# Idempotent: a second run only reinstalls the addon.
source "$(dirname "$0")/lib.sh"

ensure_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing system packages: ${missing[*]} (install them by hand)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo/release.py" ]; then
        return 0
    fi
    log "no Odoo source at $ODOO_SRC: cloning $ODOO_REPO ($ODOO_BRANCH, depth 1)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO" "$ODOO_SRC"; then
        rm -rf "$ODOO_SRC"
        die "could not clone Odoo $ODOO_BRANCH from $ODOO_REPO.
    Offline? Put an Odoo 18.0 source tree (the one with odoo-bin and odoo/release.py) at
    $ODOO_SRC, or point ODOO_SRC at one: make demo ODOO_SRC=/path/to/odoo"
    fi
}

check_odoo_version() {
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p" "$ODOO_SRC/odoo/release.py")
    [ "$version" = "18.0" ] || die "$ODOO_SRC holds Odoo $version, client_status needs 18.0"
}

ensure_venv() {
    local venv
    venv=$(venv_dir)
    if [ ! -f "$venv/.complete" ]; then
        log "creating the virtualenv $venv (Odoo's requirements: a few minutes the first time)"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv"
        "$venv/bin/python" -m pip install -q "setuptools<70" wheel
        "$venv/bin/python" -m pip install -q -r "$ODOO_SRC/requirements.txt" -r "$REPO_DIR/requirements-dev.txt"
        touch "$venv/.complete"
    fi
    # Odoo itself, editable so the tree at $ODOO_SRC is the one that runs; its
    # `odoo.addons` package extends its path over site-packages, where
    # installed addons (like ours, below) land.
    if ! "$venv/bin/python" -c 'import odoo.release' 2>/dev/null \
        || [ "$("$venv/bin/python" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')" != "$(cd "$ODOO_SRC" && pwd)" ]; then
        log "installing Odoo from $ODOO_SRC into the virtualenv"
        "$venv/bin/python" -m pip install -q --no-deps -e "$ODOO_SRC"
    fi
    log "installing client_status (pip install .)"
    # without build isolation setuptools reuses build/: start clean, so that
    # a file removed from the addon is not installed from an old build
    rm -rf "$REPO_DIR/build" "$REPO_DIR"/*.egg-info
    "$venv/bin/python" -m pip install -q --no-build-isolation --force-reinstall --no-deps "$REPO_DIR"
    "$venv/bin/python" -m pip check >/dev/null || log "pip check reports conflicts (see: $venv/bin/pip check)"
}

ensure_debian_packages git libldap2-dev libsasl2-dev libpq-dev chromium
ensure_odoo_src
check_odoo_version
ensure_venv
