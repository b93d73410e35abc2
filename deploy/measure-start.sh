#!/usr/bin/env bash
# Measures how long the host takes from process start to /health/ready answering 200.
# Usage: [ConnectionStrings__Postgres=...] deploy/measure-start.sh [Production|Development] [runs]
# Production runs the Release build (pre-generated handler code, no Roslyn) and needs ConnectionStrings__Postgres: only
# Development starts the embedded PostgreSQL. Development runs the Debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
environment="${1:-Production}"
runs="${2:-3}"
configuration=Release
[ "$environment" = "Production" ] || configuration=Debug
if [ "$environment" != "Development" ] && [ -z "${ConnectionStrings__Postgres:-}" ]; then
  echo "Set ConnectionStrings__Postgres: outside Development the host starts no embedded PostgreSQL." >&2
  exit 1
fi
dotnet build -c "$configuration" src/WorkingConversations.Host -v quiet -nologo >/dev/null
dll="src/WorkingConversations.Host/bin/$configuration/net10.0/WorkingConversations.Host.dll"
port=5091
# Production refuses the development keys; a measurement brings throw-away ones unless the caller set its own.
if [ "$environment" = "Production" ]; then
  export Referrals__MatchKey="${Referrals__MatchKey:-$(openssl rand -base64 32)}"
  export Referrals__IdentityEncryptionKey="${Referrals__IdentityEncryptionKey:-$(openssl rand -base64 32)}"
  export Journey__AuditKey="${Journey__AuditKey:-$(openssl rand -base64 32)}"
fi
for run in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT="$environment" dotnet "$dll" --urls "http://127.0.0.1:$port" >/tmp/wc-start.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the host exited; see /tmp/wc-start.log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  echo "run $run ($environment, $configuration): ready in $(( (end - start) / 1000000 )) ms"
  kill -TERM "$pid"; wait "$pid" || true
done
roslyn=$(ls "src/WorkingConversations.Host/bin/$configuration/net10.0" | grep -c '^Microsoft.CodeAnalysis' || true)
echo "Roslyn assemblies in the $configuration output: $roslyn"
