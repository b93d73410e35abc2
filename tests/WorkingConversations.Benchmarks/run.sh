#!/usr/bin/env bash
# Runs the benchmark: builds the host in Release (the Production configuration) and measures it in one run.
# Usage: tests/WorkingConversations.Benchmarks/run.sh [--seconds 10] [--concurrency 4,16] [--warm-up 30] [--output file] [--only participant-page,dashboard | intake,dashboard]
#        (every option is listed at the top of Program.cs: --half-rate, --cpu-timeline, --wait-events, --statement-stats, ...)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/WorkingConversations.Host -v quiet -nologo >/dev/null
dotnet run -c Release --project tests/WorkingConversations.Benchmarks -- --host src/WorkingConversations.Host/bin/Release/net10.0/WorkingConversations.Host.dll "$@"
