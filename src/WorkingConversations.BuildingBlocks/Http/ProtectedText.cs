namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>What erasure leaves where protected free text was: the same words in every module, every event and every view.</summary>
public static class ProtectedText
{
    public const string Masked = "[erased]";
}
