using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.VolunteerTraining.Curriculum;

internal sealed record CurriculumItem(string Code, string Title, string[] RequiredFor, int? PassMark);

internal sealed record CurriculumList(IReadOnlyList<CurriculumItem> Items);

internal static class GetCurriculum
{
    public static Ok<CurriculumList> Handle(CurriculumSource curriculum) =>
        TypedResults.Ok(new CurriculumList([.. curriculum.Current.Modules.Select(m => new CurriculumItem(m.Code, m.Title, m.RequiredFor, m.PassMark))]));
}
