#!/usr/bin/env bash
# Lede beside doccano 1.8.4 and Label Studio, with the shared harness (../shared/peers, which now holds
# what this project once patched into it: CPU per save, the COPY-seeded data): see bench/peers.md.
# From the project root:
#   bash bench/peers.sh                                                   # everything, ~75 min
#   ROUNDS=1 SYSTEMS=lede,doccano,ls-uwsgi bash bench/peers.sh --saves 496   # a quick look
# Environment: as ../shared/peers/run_all.sh (ROUNDS, SYSTEMS, PEERS_HOME=/tmp/peers, LEDE_REPO=this
# checkout: its committed HEAD is measured), plus PEERS_SHARED (the harness, default ../shared/peers).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "${PEERS_SHARED:-$ROOT/../shared/peers}" && pwd)
export LEDE_REPO=${LEDE_REPO:-$ROOT}
# install.sh brings an existing clone up to date from its own origin: make that LEDE_REPO.
if [ -d "${PEERS_HOME:-/tmp/peers}/lede/.git" ]; then
  git -C "${PEERS_HOME:-/tmp/peers}/lede" remote set-url origin "$LEDE_REPO"
fi
# The harness is run from a copy, the shared folder never written. Its prepare_data.py imports Lede's
# splitter from where it once lived (annotator.segmentation, now annotator.text.segmentation) and finds
# shared/datasets two folders above itself: the copy's import is moved and its data paths kept.
HARNESS=$(mktemp -d "${TMPDIR:-/tmp}/peers-harness.XXXXXX")
trap 'rm -rf "$HARNESS"' EXIT
cp -R "$SHARED"/. "$HARNESS"/
sed -i \
  -e 's/from annotator\.segmentation import/from annotator.text.segmentation import/' \
  -e "s|^ROOT = HERE.parent.parent.*|ROOT = Path(\"$(dirname "$(dirname "$SHARED")")\")  # the folder that holds shared/|" \
  "$HARNESS/prepare_data.py"
grep -q 'from annotator.text.segmentation import' "$HARNESS/prepare_data.py" \
  || { echo "bench/peers.sh: the harness's prepare_data.py no longer reads as expected" >&2; exit 1; }
bash "$HARNESS/run_all.sh" "$@"
