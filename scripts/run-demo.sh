#!/usr/bin/env bash
# One command: create .venv, install, prepare the demo database if missing, start the dashboard
# on the offline demo data at http://localhost:8501 .
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements.txt
.venv/bin/python -m socialfund init-demo --if-missing
echo "socialfund: open http://localhost:${PORT:-8501}"
exec .venv/bin/python -m streamlit run dashboard.py --server.port "${PORT:-8501}" \
  --server.address "${HOST:-localhost}" --browser.gatherUsageStats false "$@"
