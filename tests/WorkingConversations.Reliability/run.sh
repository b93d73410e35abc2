#!/usr/bin/env bash
# The reliability harness, full form: builds the host in Release (the Production configuration), kills it 20 times
# under load, stops its database for 10 s, sends it 1,200 bad inputs, and writes the figures into docs/reliability.md.
# Usage: tests/WorkingConversations.Reliability/run.sh [--form short] [--kills 20] [--nodes 1] [--broker] [--rolling-restarts 0]
#   [--outages 1] [--bad-inputs 1200] [--output docs/reliability.md] [--section name]
# Takes about 10 minutes on two cores; it needs the CPU to itself for its timings to mean anything.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/WorkingConversations.Host -v quiet -nologo >/dev/null
dotnet build -c Release tests/WorkingConversations.Reliability -v quiet -nologo >/dev/null
output=docs/reliability.md
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--output" ]; then j=$((i + 1)); output="${!j}"; fi
done
dotnet tests/WorkingConversations.Reliability/bin/Release/net10.0/WorkingConversations.Reliability.dll \
  --host src/WorkingConversations.Host/bin/Release/net10.0/WorkingConversations.Host.dll --output "$output" "$@"
