#!/usr/bin/env bash
# Developer entry point: sets up everything the project needs on a Debian/Ubuntu
# machine, then runs one task.  The Makefile targets call this script.
#
#   scripts/dev.sh run      [runserver args]  migrate, seed the demo, serve http://127.0.0.1:8000
#   scripts/dev.sh test     [pytest args]     checks, then the whole pytest suite (browser tests too)
#   scripts/dev.sh bench    [bench args]      .venv/bin/python bench/run.py
#   scripts/dev.sh lint     [ruff args]       ruff check + ruff format --check
#   scripts/dev.sh messages [args]            makemessages (kk, ru, en) + compilemessages
#   scripts/dev.sh manage   <args>            manage.py with the local database, e.g. createsuperuser
#   scripts/dev.sh screens  [--only ROLE ...] screenshots of every role's main pages into docs/screens/
#   scripts/dev.sh setup                      only the set-up (Python, uv, packages, database)
#   scripts/dev.sh stop-db                    stop the project-local PostgreSQL cluster
#
# Set-up, in order (every step is skipped when already done, so it is cheap to repeat):
#   1. a Python >= 3.12 (PATH, pyenv, uv-managed; or $PYTHON);
#   2. Debian packages that are missing (installed when root, otherwise listed);
#   3. uv (from PATH, or bootstrapped into var/tools), then `uv sync --frozen` into .venv;
#   4. a PostgreSQL cluster of our own under var/pg (Unix socket only, no TCP), unless
#      DATABASE_URL is given.
#
# Environment honoured: DATABASE_URL (use that database instead of var/pg), PYTHON (the
# interpreter to use), SECRET_KEY (for `run`; otherwise one is kept in var/secret_key),
# PLAYWRIGHT_CHROMIUM_EXECUTABLE (browser for the tests), PG_BINDIR (PostgreSQL's bin dir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

VAR_DIR="$ROOT/var"
TOOLS_DIR="$VAR_DIR/tools"          # venv holding uv when uv is not on PATH
PG_DIR="$VAR_DIR/pg"                # the local cluster: data/, run/ (socket), log
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/log"
PG_PORT=5432                        # only names the socket file; the cluster never listens on TCP
PG_ROLE=ziat                        # superuser made by initdb (pytest-django creates test_ziat)
PG_DB=ziat
PG_SYSTEM_USER_FALLBACK=ziat-pg     # runs the cluster as root when there is no `postgres` user
MIN_UV_VERSION=0.9
VENV="$ROOT/.venv"

# The settings module is chosen by manage.py (ziat.settings) and by pytest (pyproject).
unset DJANGO_SETTINGS_MODULE

# --------------------------------------------------------------------------- output
if [[ -t 2 ]]; then BOLD=$'\033[1m' RED=$'\033[31m' RESET=$'\033[0m'; else BOLD='' RED='' RESET=''; fi
say() { printf '%s==> %s%s\n' "$BOLD" "$*" "$RESET" >&2; }
warn() { printf '%swarning:%s %s\n' "$RED" "$RESET" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$RED" "$RESET" "$*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

# --------------------------------------------------------------------------- Debian packages
APT_UPDATED=0
MISSING_PKGS=()      # Debian packages still to install
MISSING_WHY=()       # what each one is for (shown when we cannot install)

can_apt() { is_root && have apt-get; }

apt_update_once() {
    (( APT_UPDATED )) && return 0
    APT_UPDATED=1
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q </dev/null >/dev/null \
        || warn "apt-get update failed; trying with the package lists we have"
}

need_pkg() { # need_pkg PACKAGE WHY
    MISSING_PKGS+=("$1")
    MISSING_WHY+=("$1 ($2)")
}

# Installs the packages collected by need_pkg, or explains how to and exits.
install_missing_pkgs() {
    (( ${#MISSING_PKGS[@]} )) || return 0
    if can_apt; then
        apt_update_once
        say "apt-get install ${MISSING_PKGS[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
            "${MISSING_PKGS[@]}" </dev/null
        MISSING_PKGS=() MISSING_WHY=()
        return 0
    fi
    {
        echo "These system packages are missing:"
        printf '  - %s\n' "${MISSING_WHY[@]}"
        echo "Install them (Debian/Ubuntu; elsewhere the equivalent packages) and run again:"
        echo "  sudo apt-get update && sudo apt-get install -y ${MISSING_PKGS[*]}"
    } >&2
    exit 1
}

# --------------------------------------------------------------------------- 1. Python
# Prints the real interpreter path if "$1" runs and is a CPython >= 3.12 with the GIL
# (wheels such as psycopg-binary do not exist for free-threaded builds).
python_ok() {
    "$1" - <<'EOF' 2>/dev/null
import sys, sysconfig
ok = (sys.version_info >= (3, 12) and sys.implementation.name == "cpython"
      and not sysconfig.get_config_var("Py_GIL_DISABLED"))
if not ok:
    sys.exit(1)
# Inside a virtualenv, name the interpreter it was made from.
print(getattr(sys, "_base_executable", "") if sys.prefix != sys.base_prefix else sys.executable)
EOF
}

# Candidates, best first: versioned names on PATH, python3/python, pyenv, uv-managed.
python_candidates() {
    local name dir
    for name in python3.14 python3.13 python3.12 python3 python; do
        have "$name" && command -v "$name"
    done
    dir="$( (have pyenv && pyenv root) 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    compgen -G "$dir/versions/*/bin/python3.1[2-9]" | sort -V -r || true
    dir="$( (have uv && uv python dir) 2>/dev/null \
        || echo "${UV_PYTHON_INSTALL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/uv/python}")"
    compgen -G "$dir/*/bin/python3.1[2-9]" | sort -V -r || true
}

find_python() {
    local cand found
    if [[ -n ${PYTHON:-} ]]; then
        PY="$(python_ok "$PYTHON")" || die "PYTHON=$PYTHON is not a working CPython >= 3.12"
        return 0
    fi
    while IFS= read -r cand; do
        if found="$(python_ok "$cand")" && [[ -n $found ]]; then
            PY="$found"
            return 0
        fi
    done < <(python_candidates)
    return 1
}

# Debian 13 and Ubuntu 24.04 ship a new enough python3; some releases have python3.1x.
install_python_from_apt() {
    local v
    can_apt || return 1
    apt_update_once
    for v in 3.14 3.13 3.12; do
        if apt-cache show "python$v" >/dev/null 2>&1; then
            say "apt-get install python$v python$v-venv"
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
                "python$v" "python$v-venv" </dev/null && return 0
        fi
    done
    return 1
}

ensure_python() {
    find_python && { say "Python: $PY"; return 0; }
    if install_python_from_apt && find_python; then
        say "Python: $PY"
        return 0
    fi
    local have_ver
    have_ver="$( (python3 --version || python --version) 2>&1 | head -n1 || true)"
    cat >&2 <<EOF
${RED}error:${RESET} this project needs Python >= 3.12; none was found (python3: ${have_ver:-none}).
Debian 12 ships 3.11, so install a newer one in one of these ways, then run again:
  - Debian 13 or Ubuntu 24.04:  sudo apt-get install -y python3 python3-venv
  - pyenv:                      pyenv install 3.13
  - uv:                         uv python install 3.13
  - or point PYTHON at one:     PYTHON=/path/to/python3.13 make ...
EOF
    exit 1
}

# --------------------------------------------------------------------------- 2. system packages
ldconfig_bin() { command -v ldconfig 2>/dev/null || echo /sbin/ldconfig; }
has_lib() { # (no `| grep -q`: under pipefail, ldconfig's SIGPIPE would fail the test)
    local libs
    libs="$("$(ldconfig_bin)" -p 2>/dev/null || true)"
    [[ $libs == *"$1"* ]]
}

# Newest usable PostgreSQL server bin dir (initdb, pg_ctl, postgres), or nothing.
find_pg_bindir() {
    local d want=""
    [[ -f $PG_DATA/PG_VERSION ]] && want="$(cat "$PG_DATA/PG_VERSION")"
    usable() { [[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres && -x $1/psql ]]; }
    if [[ -n ${PG_BINDIR:-} ]]; then
        usable "$PG_BINDIR" || die "PG_BINDIR=$PG_BINDIR has no initdb/pg_ctl/postgres/psql"
        echo "$PG_BINDIR"; return 0
    fi
    # An existing cluster can only be run by its own major version.
    if [[ -n $want ]] && usable "/usr/lib/postgresql/$want/bin"; then
        echo "/usr/lib/postgresql/$want/bin"; return 0
    fi
    if have pg_config && d="$(pg_config --bindir 2>/dev/null)" && usable "$d"; then
        echo "$d"; return 0
    fi
    d="$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n1 || true)"
    if [[ -n $d ]] && usable "$d"; then echo "$d"; return 0; fi
    if have initdb && d="$(dirname "$(readlink -f "$(command -v initdb)")")" && usable "$d"; then
        echo "$d"; return 0
    fi
}

find_chromium() {
    local c
    if [[ -n ${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-} ]]; then
        echo "$PLAYWRIGHT_CHROMIUM_EXECUTABLE"; return 0
    fi
    for c in chromium /usr/bin/chromium chromium-browser google-chrome-stable google-chrome; do
        if have "$c" && timeout 60 "$c" --version >/dev/null 2>&1; then
            command -v "$c"; return 0
        fi
    done
}

# $1: the task; decides what is needed: gettext always, the database server only without
# DATABASE_URL, Chromium only for tests (and `setup`), none of the rest for `messages`.
ensure_system_packages() {
    local task="$1"
    { have msgfmt && have xgettext; } || need_pkg gettext "msgfmt/xgettext for translations"
    if [[ $task != messages ]]; then
        has_lib 'libpango-1.0.so' || need_pkg libpango-1.0-0 "WeasyPrint renders PDFs with Pango"
        has_lib 'libpangoft2-1.0.so' || need_pkg libpangoft2-1.0-0 "WeasyPrint renders PDFs with Pango"
        if ! use_external_db && [[ -z $(find_pg_bindir) ]]; then
            need_pkg postgresql "PostgreSQL server binaries for the local cluster in var/pg"
        fi
    fi
    if [[ $task == test || $task == setup ]] && [[ -z $(find_chromium) ]]; then
        need_pkg chromium "browser tests (Playwright drives Chromium)"
    fi
    install_missing_pkgs

    # Check again: an install may have gone wrong, or not be what this system calls it.
    if [[ $task != messages ]] && ! use_external_db; then
        PG_BIN="$(find_pg_bindir)"
        [[ -n $PG_BIN ]] || die "PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BINDIR"
    fi
    if [[ $task == test || $task == setup ]]; then
        CHROMIUM="$(find_chromium)"
        [[ -n $CHROMIUM ]] || die "no working Chromium found; set PLAYWRIGHT_CHROMIUM_EXECUTABLE"
    fi
    have msgfmt || die "msgfmt (gettext) not found"
}

# --------------------------------------------------------------------------- 3. uv and .venv
uv_recent() { # uv_recent PATH: true if it runs and is >= MIN_UV_VERSION
    local v
    v="$("$1" --version 2>/dev/null | awk '{print $2}')" || return 1
    [[ -n $v ]] && [[ $(printf '%s\n%s\n' "$MIN_UV_VERSION" "$v" | sort -V | head -n1) == "$MIN_UV_VERSION" ]]
}

ensure_uv() {
    if have uv && uv_recent "$(command -v uv)"; then
        UV="$(command -v uv)"
        return 0
    fi
    if [[ -x $TOOLS_DIR/bin/uv ]] && uv_recent "$TOOLS_DIR/bin/uv"; then
        UV="$TOOLS_DIR/bin/uv"
        return 0
    fi
    say "Installing uv into var/tools"
    if [[ ! -x $TOOLS_DIR/bin/python ]] || ! "$TOOLS_DIR/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$TOOLS_DIR"
        if ! "$PY" -m venv "$TOOLS_DIR" >/dev/null 2>&1; then
            rm -rf "$TOOLS_DIR"
            # Debian's own Pythons keep venv/ensurepip in a separate package.
            local pkg
            pkg="python$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
            need_pkg "$pkg" "python -m venv, to bootstrap uv"
            install_missing_pkgs
            "$PY" -m venv "$TOOLS_DIR" || die "could not create $TOOLS_DIR with $PY -m venv"
        fi
    fi
    "$TOOLS_DIR/bin/python" -m pip install -q --disable-pip-version-check --upgrade "uv>=$MIN_UV_VERSION" \
        || die "could not pip install uv into var/tools"
    UV="$TOOLS_DIR/bin/uv"
}

sync_venv() {
    say "uv sync --frozen (.venv, Python $("$PY" -c 'import platform; print(platform.python_version())'))"
    # uv cannot download Pythons here, and should not: always hand it the one we found.
    UV_PYTHON="$PY" UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT="$VENV" \
        "$UV" sync --frozen --quiet </dev/null
}

# --------------------------------------------------------------------------- 4. database
use_external_db() {
    [[ -n ${DATABASE_URL:-} ]] && return 0
    # The settings also read DATABASE_URL from a .env file; respect that too.
    [[ -f $ROOT/.env ]] && grep -qE '^[[:space:]]*(export[[:space:]]+)?DATABASE_URL=' "$ROOT/.env"
}

# The socket directory: var/pg/run, or a short one in /tmp when the path would be too long
# for a Unix socket (at most 107 bytes including ".s.PGSQL.5432").
socket_dir() {
    local d="$PG_DIR/run"
    if (( ${#d} + 20 > 100 )); then
        d="${TMPDIR:-/tmp}/ziat-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    fi
    echo "$d"
}

# Which system user owns and runs the cluster. initdb and postgres refuse to run as root,
# so root runs them as `postgres` (or a system user made for the purpose).
choose_pg_user() {
    if ! is_root; then PG_USER="$(id -un)"; return 0; fi
    if [[ -d $PG_DATA ]]; then
        PG_USER="$(stat -c %U "$PG_DATA")"
        [[ $PG_USER != root && $PG_USER != UNKNOWN ]] && return 0
    fi
    if getent passwd postgres >/dev/null; then
        PG_USER=postgres
    else
        PG_USER="$PG_SYSTEM_USER_FALLBACK"
        if ! getent passwd "$PG_USER" >/dev/null; then
            say "Creating system user $PG_USER to run the local PostgreSQL cluster"
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$PG_USER"
        fi
    fi
}

as_pg() { # run a command as the cluster's owner, from a directory it can enter
    if is_root; then
        (cd "$PG_DIR" && runuser -u "$PG_USER" -- "$@")
    else
        "$@"
    fi
}

# As root: the cluster's user must be able to reach var/pg through every parent
# directory; give "search" (x) permission to those that lack it.
ensure_traversable() {
    is_root || return 0
    local d="" part
    IFS=/ read -r -a parts <<<"${PG_DIR#/}"
    for part in "${parts[@]}"; do
        d="$d/$part"
        [[ -d $d ]] || break
        if ! runuser -u "$PG_USER" -- test -x "$d" 2>/dev/null; then
            say "chmod o+x $d (so that $PG_USER can reach var/pg)"
            chmod o+x "$d"
        fi
    done
}

pg_initdb_locale() { # C.UTF-8 gives Unicode-aware upper()/lower() (icontains on Cyrillic)
    if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then echo --locale=C.UTF-8
    elif locale -a 2>/dev/null | grep -qixE 'en_US\.utf-?8'; then echo --locale=en_US.UTF-8
    else warn "no UTF-8 locale; the cluster uses the C locale"; echo --no-locale
    fi
}

init_cluster() {
    mkdir -p "$PG_DIR"
    is_root && chown "$PG_USER:" "$PG_DIR"
    chmod 755 "$PG_DIR"
    ensure_traversable
    [[ -f $PG_DATA/PG_VERSION ]] && return 0
    rm -rf "$PG_DATA"   # an interrupted initdb leaves a partial directory
    say "initdb $PG_DATA (role $PG_ROLE, running as $PG_USER)"
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" --username="$PG_ROLE" --auth=trust \
            --encoding=UTF8 "$(pg_initdb_locale)" >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        die "initdb failed"
    fi
}

# 0 if a postmaster is running on our data directory (the postmaster's working directory
# is its data directory). A postmaster.pid whose process is gone, or is now some other
# program (PID reused after a reboot), is stale and removed so that the start can go on.
pg_running() {
    local pid_file="$PG_DATA/postmaster.pid" pid
    [[ -f $pid_file ]] || return 1
    pid="$(head -n1 "$pid_file" 2>/dev/null || true)"
    if [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]] \
        && [[ $(readlink -f "/proc/$pid/cwd" 2>/dev/null) == "$(readlink -f "$PG_DATA")" ]]; then
        return 0
    fi
    warn "removing stale $pid_file (PID $pid is not this cluster's postgres)"
    rm -f "$pid_file"
    return 1
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_ROLE" -d postgres; }

start_cluster() {
    mkdir -p "$PG_SOCKET"
    is_root && chown "$PG_USER:" "$PG_SOCKET"
    chmod 755 "$PG_SOCKET"
    if pg_running; then
        pg_ready && return 0
        # Running, but not on our socket (e.g. started from another path): restart it.
        say "Restarting the local PostgreSQL cluster"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
    [[ $PG_SOCKET != *"'"* ]] || die "the socket path must not contain a single quote: $PG_SOCKET"
    say "Starting PostgreSQL (socket $PG_SOCKET, log var/pg/log)"
    # No TCP at all (listen_addresses=''), so it never meets another server on port 5432.
    # A throw-away development cluster: durability is traded for speed (fsync off); after
    # a machine crash, `rm -rf var/pg` and run again.
    local opts="-k '$PG_SOCKET' -p $PG_PORT -c listen_addresses='' -c fsync=off"
    opts+=" -c synchronous_commit=off -c full_page_writes=off"
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "$opts" -w -t 60 start >/dev/null; then
        tail -n 30 "$PG_LOG" >&2 || true
        die "PostgreSQL did not start (see var/pg/log)"
    fi
}

create_database() {
    local exists
    exists="$("$PG_BIN/psql" -X -q -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_ROLE" -d postgres -tA \
        -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")"
    if [[ $exists != 1 ]]; then
        say "createdb $PG_DB"
        "$PG_BIN/createdb" -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_ROLE" "$PG_DB"
    fi
}

ensure_database() {
    if use_external_db; then
        say "Database: DATABASE_URL from the environment (or .env)"
        return 0
    fi
    # Nothing of the caller's libpq settings may point our commands elsewhere.
    unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE PGDATA
    PG_SOCKET="$(socket_dir)"
    choose_pg_user
    mkdir -p "$VAR_DIR"
    # Serialise concurrent runs (make run while make test starts) during set-up.
    if have flock; then exec 9>"$VAR_DIR/.pg.lock"; flock 9; fi
    init_cluster
    start_cluster
    create_database
    if have flock; then flock -u 9; exec 9>&-; fi
    local enc
    enc="$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$PG_SOCKET")"
    export DATABASE_URL="postgres://$PG_ROLE@/$PG_DB?host=$enc"
    printf '%s\n' "$DATABASE_URL" >"$PG_DIR/database_url"
    say "Database: $DATABASE_URL"
}

stop_cluster() {
    [[ -f $PG_DATA/PG_VERSION ]] || { say "No local cluster in var/pg"; return 0; }
    PG_BIN="$(find_pg_bindir)"
    [[ -n $PG_BIN ]] || die "PostgreSQL binaries not found"
    choose_pg_user
    if pg_running; then
        say "Stopping the local PostgreSQL cluster"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    else
        say "The local PostgreSQL cluster is not running"
    fi
}

# --------------------------------------------------------------------------- set-up
setup() { # setup TASK
    mkdir -p "$VAR_DIR"
    ensure_python
    [[ $1 == lint ]] || ensure_system_packages "$1"
    ensure_uv
    sync_venv
    case "$1" in
        lint) ;;
        messages) export DATABASE_URL="${DATABASE_URL:-postgres:///$PG_DB}" ;;  # settings need one; never used
        *) ensure_database ;;
    esac
}

manage() { "$VENV/bin/python" "$ROOT/manage.py" "$@"; }

random_key() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))'; }

# compilemessages over our own locale/ directories (not .venv's), if there is any .po yet.
compile_messages() {
    if [[ -z $(find "$ROOT" \( -name .venv -o -name var -o -name node_modules -o -name .git \) -prune \
            -o -name '*.po' -print -quit) ]]; then
        say "compilemessages: no .po files yet"
        return 0
    fi
    say "compilemessages"
    # The settings insist on a SECRET_KEY (and SITE_URL without DEBUG), which compiling does not use.
    DEBUG=true SECRET_KEY="${SECRET_KEY:-$(random_key)}" \
        manage compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v 0
}

# --------------------------------------------------------------------------- tasks
# SECRET_KEY from the environment, or one generated once into var/secret_key.
export_secret_key() {
    [[ -n ${SECRET_KEY:-} ]] && return 0
    [[ -s $VAR_DIR/secret_key ]] || (umask 077 && random_key >"$VAR_DIR/secret_key")
    SECRET_KEY="$(cat "$VAR_DIR/secret_key")"
    export SECRET_KEY
}

task_run() {
    setup run
    export DEBUG=true
    export_secret_key
    say "migrate"
    manage migrate --noinput
    compile_messages
    say "seed_demo"
    manage seed_demo
    start_background
    say "Serving the demo on http://127.0.0.1:8000 (Ctrl-C stops it; 'make stop-db' stops the database)"
    if (( $# )); then
        "$VENV/bin/python" "$ROOT/manage.py" runserver "$@" || true
    else
        "$VENV/bin/python" "$ROOT/manage.py" runserver 127.0.0.1:8000 || true
    fi
}

# The task worker and the scheduler run beside the server, and stop with it (logs in var/log).
BACKGROUND_PIDS=()
start_background() {
    mkdir -p "$VAR_DIR/log"
    say "Starting the task worker and the scheduler (var/log/worker.log, var/log/scheduler.log)"
    "$VENV/bin/python" "$ROOT/manage.py" db_worker --no-reload >>"$VAR_DIR/log/worker.log" 2>&1 &
    BACKGROUND_PIDS+=("$!")
    "$VENV/bin/python" "$ROOT/manage.py" run_scheduler >>"$VAR_DIR/log/scheduler.log" 2>&1 &
    BACKGROUND_PIDS+=("$!")
    trap stop_background EXIT
    trap 'exit 130' INT TERM
}

stop_background() {
    local pid
    (( ${#BACKGROUND_PIDS[@]} )) || return 0
    say "Stopping the task worker and the scheduler"
    for pid in "${BACKGROUND_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${BACKGROUND_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    BACKGROUND_PIDS=()
}

task_test() {
    setup test
    export PLAYWRIGHT_CHROMIUM_EXECUTABLE="$CHROMIUM"
    compile_messages
    say "makemigrations --check"
    # The production settings want a SECRET_KEY; pytest's test settings bring their own.
    DEBUG=true SECRET_KEY="$(random_key)" manage makemigrations --check --dry-run
    say "check --deploy"
    DEBUG=false SECRET_KEY="$(random_key)" ALLOWED_HOSTS=example.kz SITE_URL=https://example.kz \
        manage check --deploy --fail-level WARNING
    say "pytest $*"
    local rc=0
    "$VENV/bin/pytest" "$@" </dev/null || rc=$?
    if (( rc == 5 )); then
        warn "pytest collected no tests; that counts as a failure"
    fi
    return "$rc"
}

task_bench() {
    setup bench
    export_secret_key
    exec "$VENV/bin/python" "$ROOT/bench/run.py" "$@"
}

task_lint() {
    setup lint
    "$VENV/bin/ruff" check "$@" .
    "$VENV/bin/ruff" format --check .
}

task_messages() {
    setup messages
    mkdir -p "$ROOT/locale"   # LOCALE_PATHS; git keeps no empty directory
    # Only the django domain: locale/*/LC_MESSAGES/djangojs.po (the back-office's JavaScript, what Django's
    # own catalogue lacks) is kept by hand, and compile_messages compiles it with the rest.
    manage makemessages -l kk -l ru -l en --no-obsolete \
        --ignore=.venv --ignore=var --ignore=node_modules "$@"
    compile_messages
}

task_manage() { # the environment of `run`: DEBUG=true and the local database
    setup manage
    export DEBUG=true
    export_secret_key
    exec "$VENV/bin/python" "$ROOT/manage.py" "$@"
}

# Screenshots (scripts/screens.py) from a server of its own over the demo in a database of its own
# (ziat_screens, seeded once), so that the development database is left as it is.
SCREENS_DB=ziat_screens
SCREENS_PORT="${SCREENS_PORT:-8079}"
task_screens() {
    if use_external_db; then
        die "make screens uses a database of its own in var/pg; unset DATABASE_URL"
    fi
    setup test
    export PLAYWRIGHT_CHROMIUM_EXECUTABLE="$CHROMIUM"
    export DEBUG=true
    export_secret_key
    PG_DB="$SCREENS_DB" create_database
    export DATABASE_URL="${DATABASE_URL/\/$PG_DB\?//$SCREENS_DB?}"
    say "Database: $DATABASE_URL"
    compile_messages
    manage migrate --noinput -v 0
    if [[ $(manage shell -c 'from enrolment.models import Cohort; print(Cohort.objects.filter(code="DEMO-004-04").exists())' 2>/dev/null | tail -n1) != True ]]; then
        say "seed_demo (into $SCREENS_DB)"
        manage seed_demo >/dev/null
    fi
    say "Serving on 127.0.0.1:$SCREENS_PORT for the screenshots"
    "$VENV/bin/python" "$ROOT/manage.py" runserver "127.0.0.1:$SCREENS_PORT" --noreload >"$VAR_DIR/screens-server.log" 2>&1 &
    local server=$!
    local tries=0
    until "$VENV/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "http://127.0.0.1:$SCREENS_PORT/health/" 2>/dev/null; do
        (( ++tries > 60 )) && { kill "$server"; die "the server did not start (var/screens-server.log)"; }
        sleep 1
    done
    local rc=0
    "$VENV/bin/python" "$ROOT/scripts/screens.py" --base-url "http://127.0.0.1:$SCREENS_PORT" "$@" || rc=$?
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    return "$rc"
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
    local task="${1:-}"
    (( $# )) && shift
    case "$task" in
        run) task_run "$@" ;;
        test) task_test "$@" ;;
        bench) task_bench "$@" ;;
        lint) task_lint "$@" ;;
        messages) task_messages "$@" ;;
        manage) task_manage "$@" ;;
        screens) task_screens "$@" ;;
        setup) setup setup; say "Set-up done" ;;
        stop-db) stop_cluster ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
