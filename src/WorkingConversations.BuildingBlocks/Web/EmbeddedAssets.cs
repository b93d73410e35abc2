using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>
/// The staff pages' static files (the vendored NHS.UK frontend and two small scripts), embedded in this assembly under
/// <c>wc-assets/</c> and served from it at <c>/assets</c>: the same bytes in every build and environment, with no
/// static-web-assets manifest and nothing fetched from elsewhere.
/// </summary>
internal sealed class EmbeddedAssets : IFileProvider
{
    private const string Prefix = "wc-assets/";
    private static readonly Assembly Assembly = typeof(EmbeddedAssets).Assembly;
    private readonly Dictionary<string, string> _resources;
    private readonly DateTimeOffset _built = File.GetLastWriteTimeUtc(Assembly.Location);

    public EmbeddedAssets() =>
        _resources = Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..].Replace('\\', '/'), n => n, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => _resources.Keys;

    public IFileInfo GetFileInfo(string subpath)
    {
        var path = subpath.TrimStart('/');
        return _resources.TryGetValue(path, out var resource)
            ? new Asset(resource, Path.GetFileName(path), _built)
            : new NotFoundFileInfo(subpath);
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class Asset(string resource, string name, DateTimeOffset modified) : IFileInfo
    {
        private readonly long _length = OpenStream(resource).Length;

        public bool Exists => true;

        public long Length => _length;

        public string? PhysicalPath => null;

        public string Name => name;

        public DateTimeOffset LastModified => modified;

        public bool IsDirectory => false;

        public Stream CreateReadStream() => OpenStream(resource);

        private static Stream OpenStream(string resource) =>
            Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"The embedded asset {resource} is missing.");
    }
}
