#!/usr/bin/env bash
# Lede beside doccano 1.8.4 and Label Studio, with the shared harness (../shared/peers) patched for
# today's Lede: see bench/peers.md. From the project root:
#   bash bench/peers.sh                                                   # everything, ~75 min
#   ROUNDS=1 SYSTEMS=lede,doccano,ls-uwsgi bash bench/peers.sh --saves 496   # a quick look
# Environment: as ../shared/peers/run_all.sh (ROUNDS, SYSTEMS, PEERS_HOME=/tmp/peers, LEDE_REPO=this
# checkout: its committed HEAD is measured), plus PEERS_SHARED (the harness to copy) and
# PEERS_HARNESS (where the patched copy goes, /tmp/peers-harness; replaced on every run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "${PEERS_SHARED:-$ROOT/../shared/peers}" && pwd)
HARNESS=${PEERS_HARNESS:-/tmp/peers-harness}
rm -rf "$HARNESS"
cp -r "$SHARED" "$HARNESS"
chmod -R u+w "$HARNESS"
patch -s -d "$HARNESS" -p1 < "$ROOT/bench/peers.patch"
# prepare_data.py reads the sentences from shared/datasets beside the harness it came from.
export PEERS_SHARED_PARENT=${PEERS_SHARED_PARENT:-$(dirname "$(dirname "$SHARED")")}
export LEDE_REPO=${LEDE_REPO:-$ROOT}
# install.sh brings an existing clone up to date from its own origin: make that LEDE_REPO.
if [ -d "${PEERS_HOME:-/tmp/peers}/lede/.git" ]; then
  git -C "${PEERS_HOME:-/tmp/peers}/lede" remote set-url origin "$LEDE_REPO"
fi
exec bash "$HARNESS/run_all.sh" "$@"
