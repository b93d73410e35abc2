#!/usr/bin/env python3
"""The host's CPU by area, from perf samples (docs/performance.md, "Intake, round 4").

Usage: perf-areas.py /tmp/intake.perf   (recorded with perf record -g against a host run with DOTNET_PerfMapEnabled=1
and DOTNET_EnableWriteXorExecute=0, so that the JIT-compiled frames have names)
"""
import collections
import re
import subprocess
import sys

# Context areas: any frame in the stack decides (checked first, in order).
CONTEXT = [
    ("GC", re.compile(r"gc_heap::|GCHeap::|WKS::|SVR::|GarbageCollect|PollGC|gc_thread_function|BackgroundGC|GCToEEInterface|mark_object|plan_phase|relocate_phase|compact_phase")),
    ("projection daemon (episode rows)", re.compile(r"Daemon|ProjectionBatch|GroupedProjectionExecution|EpisodeOutcome|ISubscriptionAgent|SubscriptionAgent|EventLoader|HighWaterAgent")),
    ("Wolverine (background: durability, nodes, agents)", re.compile(r"Wolverine\.(Runtime\.Agents|RDBMS|Persistence|Transports|Runtime\.WorkerQueues)|DurabilityAgent|NodeAgentController|Wolverine.*Heartbeat")),
]
# Owners: the innermost frame of one of these decides (walked from the leaf up).
OWNERS = [
    ("OpenTelemetry, metrics", re.compile(r"OpenTelemetry\.(Metrics|Instrumentation\.AspNetCore\.Implementation\.HttpInListener|Trace)|AggregatorStore|System\.Diagnostics\.Metrics|MeterListener|Prometheus|DiagnosticListener|System\.Diagnostics\.Activity")),
    ("logging", re.compile(r"Microsoft\.Extensions\.Logging|MartenCommandLog|LogScope|LostRaceLogFilter|Console\.Internal|ConsoleLogger")),
    ("Npgsql", re.compile(r"^Npgsql!|Npgsql\.")),
    ("Wolverine (outbox, messages, in the request)", re.compile(r"^Wolverine|Wolverine\.")),
    ("Marten session, unit of work, serialisation (with JasperFx, Weasel, Polly)", re.compile(r"^(Marten|JasperFx|JasperFx\.Events|Weasel\.[A-Za-z]+|Polly\.Core)!|Marten\.|JasperFx\.|Weasel\.|Polly\.|Marten\.Generated|ReferralView|ProjectionStorage")),
    ("referral decision (match keys, sealing, events)", re.compile(r"PostingReferral\.PostReferral\.(Record|Decide|IdentityOf|Intake|<Intake>|FindSamePerson|<FindSamePerson>)|SealedText|ReferralRules|IdentitySealing|PersonMatchKeys|ParticipantIdentity|Referrals\.Identity")),
    ("JSON request binding and validation", re.compile(r"JsonBody|ReadFromJson|ReferralValidation|PostReferral\.(Check|Handle)|BodyFields|Idempotency|Validation|HttpRequestJsonExtensions")),
    ("write step (scope, answer, commit)", re.compile(r"Writing\.WriteStep|WriteAttempt|JsonAnswer|Answer\.|StreamWrites|ServiceProvider|ServiceLookup|DependencyInjection")),
    ("authentication (API key)", re.compile(r"Authentication|ApiKey|Access\.Authenticating|ClaimsPrincipal|ClaimsIdentity")),
    ("rate limiting", re.compile(r"RateLimit|System\.Threading\.RateLimiting")),
    ("authorization", re.compile(r"Authorization")),
    ("routing, endpoint, middleware (ours and the framework's)", re.compile(r"AspNetCore\.Routing|RequestDelegateFactory|EndpointMiddleware|CorrelationMiddleware|SecurityHeaders|EmptyIdGuard|QueryTextGuard|StatusCodePages|ExceptionHandler|Swagger|StaticFile|StaffAssets|AspNetCore\.Http\.|HostFiltering|HostingApplication|Hosting\.")),
    ("Kestrel, HTTP, sockets", re.compile(r"Kestrel|Http1|HttpProtocol|SocketAsyncEngine")),
]
IDLE = re.compile(r"LowLevelLifoSemaphore|LowLevelSpinWaiter|WorkerThreadStart|SemaphoreSlim.*Spin|ThreadPoolWorkQueue\.Dispatch|WaitForSignal")
def classify(stack):
    """stack: list of frame names, root first."""
    # The thread pool's own frames at the top of the managed stack: a worker looking for work, spinning or waking.
    managed=[f for f in stack if '!' in f or 'perf-' in f or '.dll' in f]
    if managed and IDLE.search(managed[-1]): return "thread pool: looking for work (spinning, waking)"
    if any('Tiered Com' in f for f in stack[:1]): return "JIT: tiered compilation thread"
    for name, rx in CONTEXT:
        for f in stack:
            if rx.search(f): return name
    for f in reversed(stack):
        for name, rx in OWNERS:
            if rx.search(f): return name
    text=' '.join(stack[-6:])
    if re.search(r"tcp_|sock_|sendto|recvfrom|__send|__recv|epoll|skb|ip_local|ip_protocol|inet_", text): return "loopback TCP in the kernel (sends and receives, caller not unwound)"
    if re.search(r"finish_task_switch|__schedule|schedule \(|futex", text): return "kernel: switching threads, futex"
    if 'libcrypto' in stack[-1]: return "OpenSSL (HMAC, AES-GCM, SHA-256; caller not unwound)"
    if 'libclrjit' in stack[-1]: return "JIT on a worker thread"
    if 'libcoreclr' in stack[-1]: return "runtime native code (GC, allocation, casts, stubs; unsymbolised)"
    return "other (timers, libc, unattributed)"


def read_perf(path):
    """perf script's samples: (thread name, frames leaf first)."""
    out = subprocess.run(["perf", "script", "-i", path, "-F", "comm,tid,period,ip,sym,dso"], capture_output=True, text=True).stdout
    samples, frames, header = [], None, None
    for line in out.splitlines():
        if not line.strip():
            if frames is not None: samples.append((header, frames)); frames = None
            continue
        if not line.startswith((" ", "\t")):
            header, frames = line.strip().rsplit(None, 2)[0], []
        else:
            parts = line.strip().split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else parts[0])
    if frames is not None: samples.append((header, frames))
    return samples


def code_kind(leaf):
    if "perf-" in leaf:
        return "instrumented or tier 0" if re.search(r"\[(InstrumentedTier\w*|QuickJitted|Tier0)\]", leaf) else "optimised"
    dso = leaf[leaf.rfind("(") + 1:-1].split("/")[-1]
    return {"libcoreclr.so": "runtime (libcoreclr)", "[kernel.kallsyms]": "kernel", "libclrjit.so": "JIT compiler"}.get(dso, "precompiled or other native")


if __name__ == "__main__":
    samples = read_perf(sys.argv[1])
    total = len(samples)
    own, callees, kinds = collections.Counter(), collections.Counter(), collections.Counter()
    patterns = dict(OWNERS + CONTEXT)
    for thread, frames in samples:
        stack = ["THREAD:" + thread] + list(reversed(frames))
        area = classify(stack)
        own[area] += 1
        for name, rx in patterns.items():
            if any(rx.search(f) for f in stack): callees[name] += 1
        if area not in patterns: callees[area] += 1
        kinds[code_kind(frames[0] if frames else "")] += 1
    print(f"{total} samples")
    print("| area | own | with callees |")
    print("|---|---|---|")
    for area, n in own.most_common():
        print(f"| {area} | {100 * n / total:.1f}% | {100 * callees[area] / total:.1f}% |")
    print()
    for kind, n in kinds.most_common():
        print(f"{kind}: {100 * n / total:.1f}%")
