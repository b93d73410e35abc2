using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace WorkingConversations.Access.Keys;

/// <summary>A Data Protection key, as ASP.NET Core writes it, kept in the database (schema access) for every node.</summary>
internal sealed record DataProtectionKey(string Id, string Xml);

/// <summary>The key ring of the session cookies and anti-forgery tokens, in PostgreSQL rather than one machine's disk.</summary>
internal sealed class DataProtectionKeys(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        // Data Protection asks synchronously; Marten 9 reads only asynchronously.
        return [.. session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
