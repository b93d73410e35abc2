using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Assessing;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Curriculum;
using WorkingConversations.VolunteerTraining.Dbs;
using WorkingConversations.VolunteerTraining.Views;

namespace WorkingConversations.VolunteerTraining.Tests;

public sealed class RequirementRules
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly TrainingCurriculum Curriculum = TrainingCurriculum.Default();
    private static readonly CertificationRules Rules = new();

    private static int? Status(Refusal? refusal) => refusal is null ? null : ProblemTypes.StatusOf(refusal.Type);

    private static Volunteer Fresh(string programme = Programmes.Volunteer) =>
        Volunteer.Create(new VolunteerEnrolled(Guid.NewGuid(), programme, Now.AddMonths(-2)));

    private static Volunteer Ready(string programme = Programmes.Volunteer)
    {
        var v = Fresh(programme);
        foreach (var m in Curriculum.RequiredFor(programme)) v = v.Apply(new ModuleAssessed(v.Id, m.Code, true, 90, "T", Today, Now));
        v = v.Apply(new PracticeHoursLogged(v.Id, Rules.PracticeHoursFor(programme), "S", Today, Now));
        for (var i = 0; i < 3; i++) v = v.Apply(new SupervisionSessionRecorded(v.Id, "S", Today, null, Now));
        return v.Apply(new DbsCheckRecorded(v.Id, DbsEligibility.Eligible, DbsLevels.Enhanced, Today.AddYears(-1), false, Today.AddYears(2), Now));
    }

    private static string[] Unmet(Volunteer v) =>
        [.. Requirements.ForCertification(v, Curriculum, Rules, Today).Where(r => !r.Met).Select(r => r.Requirement)];

    [Fact]
    public void A_new_volunteer_meets_no_requirement_and_every_one_is_listed()
    {
        Assert.Equal(
            ["module:SFP-01", "module:SFP-02", "module:SFP-03", "module:SAFE-01", "module:PRAC-01", "practice-hours", "supervision-sessions", "dbs-check"],
            Unmet(Fresh()));
    }

    [Fact]
    public void Apprentices_need_their_further_modules_and_sixty_hours()
    {
        var apprentice = Fresh(Programmes.Apprentice).Apply(new PracticeHoursLogged(Guid.Empty, 59.5m, "S", Today, Now));
        var unmet = Unmet(apprentice);
        Assert.Contains("module:MEAS-01", unmet);
        Assert.Contains("module:SFP-04", unmet);
        Assert.Contains("practice-hours", unmet);
        Assert.Empty(Unmet(Ready(Programmes.Apprentice)));
        Assert.Contains("practice-hours", Unmet(Ready(Programmes.Apprentice)
            with { PracticeHours = 20m }));
    }

    [Fact]
    public void A_failed_module_stays_unmet_and_a_pass_once_earned_stands()
    {
        var v = Ready();
        var failed = Fresh().Apply(new ModuleAssessed(v.Id, "SFP-01", false, 40, "T", Today, Now));
        Assert.False(failed.Modules["SFP-01"].Passed);
        var passedThenFailed = failed.Apply(new ModuleAssessed(v.Id, "SFP-01", true, 75, "T", Today, Now)).Apply(new ModuleAssessed(v.Id, "SFP-01", false, 50, "T", Today, Now));
        Assert.True(passedThenFailed.Modules["SFP-01"].Passed);
        Assert.Equal(75, passedThenFailed.Modules["SFP-01"].BestScore);
        Assert.Equal(3, passedThenFailed.Modules["SFP-01"].Attempts);
    }

    [Theory]
    [InlineData("eligible", "enhanced", -1, false, true)]
    [InlineData("eligible", "enhanced", -10, true, true)]
    [InlineData("eligible", "standard", -1, false, false)]
    [InlineData("eligible", "basic", -1, true, false)]
    [InlineData("not-eligible", "enhanced", -1, false, false)]
    public void A_DBS_check_counts_only_when_eligible_enhanced_and_within_three_years_or_on_the_update_service(
        string eligibility, string level, int issuedYearsAgo, bool updateService, bool current)
    {
        var issued = Today.AddYears(issuedYearsAgo);
        var dbs = new DbsCheck(eligibility, level, issued, updateService, Requirements.ValidUntil(issued, updateService, Rules));
        Assert.Equal(current, Requirements.DbsIsCurrent(dbs, Rules, Today));
    }

    [Fact]
    public void A_check_lapses_on_the_third_anniversary_of_its_issue()
    {
        var issued = Today.AddYears(-3).AddDays(1);
        var dbs = new DbsCheck(DbsEligibility.Eligible, DbsLevels.Enhanced, issued, false, Requirements.ValidUntil(issued, false, Rules));
        Assert.True(Requirements.DbsIsCurrent(dbs, Rules, Today));
        Assert.False(Requirements.DbsIsCurrent(dbs, Rules, Today.AddDays(1)));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), RecordDbsCheck.LapsesAt(dbs.ValidUntil!.Value));
    }

    [Fact]
    public void The_lapse_handler_withdraws_only_a_clearance_whose_check_has_run_out()
    {
        var certified = Ready().Apply(new VolunteerCertified(Guid.Empty, Programmes.Volunteer, 3, Now)) with
        {
            Dbs = new DbsCheck(DbsEligibility.Eligible, DbsLevels.Enhanced, Today.AddYears(-3), false, Today),
        };
        Assert.NotNull(DbsCheckLapseDueHandler.Decide(certified, Now));
        Assert.Null(DbsCheckLapseDueHandler.Decide(certified, Now.AddDays(-1)));
        Assert.Null(DbsCheckLapseDueHandler.Decide(certified with { Status = VolunteerStatuses.InTraining }, Now));
        Assert.Null(DbsCheckLapseDueHandler.Decide(certified with { Dbs = certified.Dbs! with { ValidUntil = Today.AddYears(3) } }, Now));
        Assert.NotNull(DbsCheckLapseDueHandler.Decide(certified with { Status = VolunteerStatuses.Suspended }, Now));
    }

    [Fact]
    public void A_newer_check_that_would_clear_nobody_takes_a_practitioners_clearance_at_once()
    {
        var certified = Ready().Apply(new VolunteerCertified(Guid.Empty, Programmes.Volunteer, 3, Now));
        DbsCheckRecorded Check(string eligibility, string level, int issuedYearsAgo = 0) =>
            new(certified.Id, eligibility, level, Today.AddYears(issuedYearsAgo), false, Today.AddYears(issuedYearsAgo + 3), Now);

        Assert.Null(RecordDbsCheck.Consequence(certified, Check(DbsEligibility.Eligible, DbsLevels.Enhanced), Rules, Today));
        Assert.Equal("DBS check decision: not-eligible", RecordDbsCheck.Consequence(certified, Check(DbsEligibility.NotEligible, DbsLevels.Enhanced), Rules, Today)!.Reason);
        Assert.Equal("DBS check below the enhanced level", RecordDbsCheck.Consequence(certified, Check(DbsEligibility.Eligible, DbsLevels.Standard), Rules, Today)!.Reason);
        Assert.Equal(DbsCheckLapseDueHandler.Reason, RecordDbsCheck.Consequence(certified, Check(DbsEligibility.Eligible, DbsLevels.Enhanced, -4), Rules, Today)!.Reason);
        Assert.Null(RecordDbsCheck.Consequence(Fresh(), Check(DbsEligibility.NotEligible, DbsLevels.Enhanced), Rules, Today));
    }

    [Fact]
    public void Certification_is_refused_with_every_gap_and_granted_with_the_programmes_capacity()
    {
        var (refused, problem) = CertifyVolunteer.Decide(Fresh(), Curriculum, Rules, Now);
        Assert.Null(refused);
        Assert.Equal(422, Status(problem));

        var (certified, _) = CertifyVolunteer.Decide(Ready(Programmes.Apprentice), Curriculum, Rules, Now);
        Assert.Equal(6, certified!.Capacity);
        Assert.Equal(3, CertifyVolunteer.Decide(Ready(), Curriculum, Rules, Now).Result!.Capacity);
        var (_, again) = CertifyVolunteer.Decide(Ready().Apply(certified), Curriculum, Rules, Now);
        Assert.Equal(409, Status(again));
    }

    [Fact]
    public void Settings_change_what_certification_needs()
    {
        var lenient = new CertificationRules { VolunteerPracticeHours = 5, SupervisionSessions = 1, DbsLevel = DbsLevels.Standard };
        var v = Fresh().Apply(new PracticeHoursLogged(Guid.Empty, 5, "S", Today, Now)).Apply(new SupervisionSessionRecorded(Guid.Empty, "S", Today, null, Now))
            .Apply(new DbsCheckRecorded(Guid.Empty, DbsEligibility.Eligible, DbsLevels.Standard, Today, false, Today.AddYears(3), Now));
        var unmet = Requirements.ForCertification(v, Curriculum, lenient, Today).Where(r => !r.Met).Select(r => r.Requirement).ToArray();
        Assert.All(unmet, u => Assert.StartsWith("module:", u, StringComparison.Ordinal));
        Assert.Contains("practice-hours", Requirements.ForCertification(v, Curriculum, Rules, Today).Where(r => !r.Met).Select(r => r.Requirement));
    }

    [Fact]
    public void An_assessment_whose_verdict_contradicts_its_score_is_refused()
    {
        var module = Curriculum.Find("SFP-01")!;
        Assert.Contains("passed", RecordAssessment.Validate("SFP-01", module, new AssessmentRequest(true, 55, "T", Today), Today).Errors.Keys);
        Assert.True(RecordAssessment.Validate("SFP-01", module, new AssessmentRequest(null, 75, "T", Today), Today).IsValid);
        Assert.True(RecordAssessment.Decide(Guid.Empty, module, new AssessmentRequest(null, 75, "T", Today), Now).Passed);
        Assert.False(RecordAssessment.Decide(Guid.Empty, module, new AssessmentRequest(null, 69, "T", Today), Now).Passed);
        Assert.Contains("code", RecordAssessment.Validate("NOPE", null, new AssessmentRequest(true, null, "T", Today), Today).Errors.Keys);
        Assert.Contains("assessedOn", RecordAssessment.Validate("SFP-01", module, new AssessmentRequest(true, 90, "T", Today.AddDays(1)), Today).Errors.Keys);
    }

    [Fact]
    public void The_pipeline_counts_where_people_stand_and_the_median_days_to_first_certification()
    {
        var start = Now.AddDays(-100);
        VolunteerSummary Row(string programme, string status, int? daysToCertify) =>
            new(Guid.NewGuid(), programme, status, Levels.Trainee, start, daysToCertify is { } d ? start.AddDays(d) : null);

        var pipeline = GetPipeline.Summarise(
        [
            Row(Programmes.Volunteer, VolunteerStatuses.InTraining, null),
            Row(Programmes.Volunteer, VolunteerStatuses.Certified, 30),
            Row(Programmes.Volunteer, VolunteerStatuses.Suspended, 40),
            Row(Programmes.Volunteer, VolunteerStatuses.Withdrawn, 90),
            Row(Programmes.Volunteer, VolunteerStatuses.Withdrawn, null),
            Row(Programmes.Apprentice, VolunteerStatuses.Lapsed, 61),
        ]);

        var volunteers = pipeline.Programmes.Single(p => p.Programme == Programmes.Volunteer);
        Assert.Equal((5, 1, 1, 1, 0, 2, 3), (volunteers.Enrolled, volunteers.InTraining, volunteers.Certified, volunteers.Suspended, volunteers.Lapsed, volunteers.Withdrawn, volunteers.EverCertified));
        Assert.Equal(40, volunteers.MedianDaysToCertify);
        var apprentices = pipeline.Programmes.Single(p => p.Programme == Programmes.Apprentice);
        Assert.Equal((1, 1, 61.0), (apprentices.Enrolled, apprentices.Lapsed, apprentices.MedianDaysToCertify!.Value));
        Assert.Equal(35, GetPipeline.Median([30, 40]));
        Assert.Null(GetPipeline.Median([]));
    }

    [Fact]
    public void An_apprentice_practitioner_needs_the_senior_modules_hours_sessions_and_time_in_practice()
    {
        var practitioner = Ready(Programmes.Apprentice).Apply(new VolunteerCertified(Guid.Empty, Programmes.Apprentice, 6, Now.AddMonths(-2)));
        Assert.Equal(Levels.Practitioner, practitioner.Level);
        var unmet = Requirements.ForSeniorPractitioner(practitioner, Curriculum, Rules, Today).Where(r => !r.Met).Select(r => r.Requirement).ToArray();
        Assert.Equal(["module:SUP-01", "module:SAFE-02", "practice-hours", "supervision-sessions", "months-as-practitioner"], unmet);

        var senior = practitioner with
        {
            PracticeHours = 150, SupervisionSessions = 12, PractitionerSince = Now.AddMonths(-6),
            Modules = practitioner.Modules.SetItem("SUP-01", new ModuleResult("SUP-01", true, 80, Today, 1)).SetItem("SAFE-02", new ModuleResult("SAFE-02", true, 85, Today, 1)),
        };
        var (promoted, _) = Promoting.PromoteApprentice.Decide(senior, Curriculum, Rules, Now);
        Assert.Equal((Levels.SeniorPractitioner, 8), (promoted!.Level, promoted.Capacity));
        Assert.Equal(409, Status(Promoting.PromoteApprentice.Decide(Ready(), Curriculum, Rules, Now).Refusal));
    }
}
