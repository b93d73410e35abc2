using Hl7.Fhir.Model;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>Pure: the FHIR messages this service sends (the answer to a referral message, status callbacks).</summary>
internal static class FhirMessages
{
    public const string SourceName = "Working Conversations";

    /// <summary>A message Bundle: its MessageHeader of the BaRS event, and the ServiceRequest it is about as its focus.</summary>
    public static Bundle Message(string eventCode, ServiceRequest focus, DateTimeOffset at, Guid messageId, string? respondingTo)
    {
        var focusUrl = $"{FhirUris.Base}/R4/ServiceRequest/{focus.Id}";
        var header = new MessageHeader
        {
            Id = messageId.ToString(),
            Event = new Coding(FhirUris.BarsEvents, eventCode),
            Source = new MessageHeader.MessageSourceComponent { Name = SourceName, Endpoint = FhirUris.MessageEndpoint },
            Focus = [new ResourceReference(focusUrl)],
        };
        if (respondingTo is not null)
        {
            header.Response = new MessageHeader.ResponseComponent { Identifier = respondingTo, Code = MessageHeader.ResponseType.Ok };
        }

        return new Bundle
        {
            Id = messageId.ToString(),
            Type = Bundle.BundleType.Message,
            Timestamp = at,
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = $"urn:uuid:{messageId}", Resource = header },
                new Bundle.EntryComponent { FullUrl = focusUrl, Resource = focus },
            ],
        };
    }
}
