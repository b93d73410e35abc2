using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WorkingConversations.Testing;

/// <summary>A partner's callback endpoint on 127.0.0.1 that records every attempt and answers as the test says.</summary>
public sealed class CallbackListener : IDisposable
{
    public sealed record Attempt(int Number, byte[] Body, string? Signature, string? CallbackId, int AnsweredWith);

    private readonly HttpListener _listener = new();
    private readonly Func<int, int?> _answer;
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentBag<HttpListenerContext> _unanswered = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    /// <param name="answer">The status to answer attempt number n (from 1) with; null never answers.</param>
    public CallbackListener(Func<int, int?> answer)
    {
        _answer = answer;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/callbacks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(Loop);
    }

    public string Url { get; }

    public IReadOnlyCollection<Attempt> Attempts => _attempts.ToArray();

    /// <summary>Waits, without polling, until the attempts so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntil(Func<IReadOnlyCollection<Attempt>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var arrived = _arrived.Task;
            if (condition(Attempts)) return;
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) throw new TimeoutException($"Callbacks so far: {Attempts.Count}");
            try
            {
                await arrived.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // One more look at the condition before giving up.
            }
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var number = Interlocked.Increment(ref _count);
            var status = _answer(number);
            _attempts.Enqueue(new Attempt(number, buffer.ToArray(), context.Request.Headers["X-WC-Signature"], context.Request.Headers["X-WC-Callback-Id"], status ?? 0));
            if (status is { } code)
            {
                context.Response.StatusCode = code;
                context.Response.Close();
            }
            else
            {
                _unanswered.Add(context);
            }

            Interlocked.Exchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var context in _unanswered) context.Response.Abort();
        _listener.Close();
    }
}
