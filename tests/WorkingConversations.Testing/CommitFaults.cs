using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.Testing;

/// <summary>
/// A fault the test rig can put between a write's commit and its answer, as a process that dies there would: the write
/// is stored, and the caller gets no answer for it (a 500 here). Off until a test arms it; then it fails once.
/// </summary>
public sealed class CommitFaults : IWriteObserver
{
    private int _armed;

    public void FailNextAfterCommit() => Interlocked.Exchange(ref _armed, 1);

    public Task CommittedAsync(HttpContext http, CancellationToken ct) =>
        Interlocked.Exchange(ref _armed, 0) == 1
            ? throw new InvalidOperationException("The test rig failed this request after its commit, as a host that died there would.")
            : Task.CompletedTask;
}
