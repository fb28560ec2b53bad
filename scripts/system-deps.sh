#!/usr/bin/env bash
# System packages the full test suite uses: Debian's Chromium (browser tests) and Virtuoso (external
# SPARQL engine tests). Needs root; run by .ci/run before `make test`. Installs nothing already present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
