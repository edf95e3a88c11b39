#!/usr/bin/env bash
# One command: create .venv, install the test dependencies (Debian chromium + CJK and emoji
# fonts for the browser tests, PostgreSQL server binaries for the database tests), then run
# every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep without -q reads all of fc-list's output: with pipefail, -q's early exit (SIGPIPE to
# fc-list) made the check fail and reinstalled the fonts on every run
fc-list 2>/dev/null | grep -i "Noto [A-Za-z]* CJK" >/dev/null || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -i "Noto Color Emoji" >/dev/null || need+=(fonts-noto-color-emoji)
# The PostgreSQL tests start their own throw-away server (tests/pgserver.py: initdb + pg_ctl in a
# temp dir on 127.0.0.1); only the server binaries are needed. SOCIALFUND_TEST_PG_URL uses an
# existing server instead.
if [ -z "${SOCIALFUND_TEST_PG_URL:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt=(apt-get); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then apt=(sudo apt-get); else apt=(); fi
  if [ ${#apt[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need[*]} ..."
    "${apt[@]}" update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${need[@]}" >/dev/null
  else
    echo "The browser and PostgreSQL tests need Debian packages that are missing: ${need[*]}." >&2
    echo "Install them as root: apt-get install -y ${need[*]}   (those tests fail until then)" >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
