namespace WorkingConversations.Outcomes.Scoring;

/// <summary>One item of a questionnaire, in its published wording.</summary>
public sealed record InstrumentItem(string Text, bool MayBeNotApplicable = false);

/// <summary>An answer option of a questionnaire and the score it carries.</summary>
public sealed record AnswerOption(int Score, string Text);

/// <summary>How a questionnaire reads to the person answering it: its title, its instruction, each item and its answer options.</summary>
public sealed record InstrumentWording(string Instrument, string Title, string Instruction, IReadOnlyList<InstrumentItem> Items, IReadOnlyList<AnswerOption> Options, string Source);

/// <summary>
/// The questionnaires' published wording (measures.md names each source). The items and answer options are the
/// instruments' own; the pages show them as they are, so that an answer recorded through the service means what it means
/// anywhere else the instrument is used. The number of items and the answer range agree with <see cref="Instruments"/>.
/// </summary>
internal static class InstrumentWordings
{
    private static readonly AnswerOption[] FrequencyOptions =
        [new(0, "Not at all"), new(1, "Several days"), new(2, "More than half the days"), new(3, "Nearly every day")];

    public static readonly IReadOnlyDictionary<string, InstrumentWording> All = new Dictionary<string, InstrumentWording>(StringComparer.Ordinal)
    {
        [Instruments.Phq9] = new(Instruments.Phq9, "PHQ-9: depression",
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
            [
                new("Little interest or pleasure in doing things"),
                new("Feeling down, depressed, or hopeless"),
                new("Trouble falling or staying asleep, or sleeping too much"),
                new("Feeling tired or having little energy"),
                new("Poor appetite or overeating"),
                new("Feeling bad about yourself, or that you are a failure or have let yourself or your family down"),
                new("Trouble concentrating on things, such as reading the newspaper or watching television"),
                new("Moving or speaking so slowly that other people could have noticed? Or the opposite: being so fidgety or restless that you have been moving around a lot more than usual"),
                new("Thoughts that you would be better off dead or of hurting yourself in some way"),
            ],
            FrequencyOptions, "Patient Health Questionnaire (PHQ-9), as used in NHS Talking Therapies"),
        [Instruments.Gad7] = new(Instruments.Gad7, "GAD-7: anxiety",
            "Over the last 2 weeks, how often have you been bothered by the following problems?",
            [
                new("Feeling nervous, anxious or on edge"),
                new("Not being able to stop or control worrying"),
                new("Worrying too much about different things"),
                new("Trouble relaxing"),
                new("Being so restless that it is hard to sit still"),
                new("Becoming easily annoyed or irritable"),
                new("Feeling afraid as if something awful might happen"),
            ],
            FrequencyOptions, "Generalised Anxiety Disorder assessment (GAD-7), as used in NHS Talking Therapies"),
        [Instruments.Swemwbs] = new(Instruments.Swemwbs, "SWEMWBS: wellbeing",
            "Below are some statements about feelings and thoughts. Please choose the answer that best describes your experience of each over the last 2 weeks.",
            [
                new("I've been feeling optimistic about the future"),
                new("I've been feeling useful"),
                new("I've been feeling relaxed"),
                new("I've been dealing with problems well"),
                new("I've been thinking clearly"),
                new("I've been feeling close to other people"),
                new("I've been able to make up my own mind about things"),
            ],
            [new(1, "None of the time"), new(2, "Rarely"), new(3, "Some of the time"), new(4, "Often"), new(5, "All of the time")],
            "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS), Warwick Medical School"),
        [Instruments.Ons4] = new(Instruments.Ons4, "ONS4: personal wellbeing",
            "Please answer each question on a scale of 0 to 10, where 0 is \"not at all\" and 10 is \"completely\".",
            [
                new("Overall, how satisfied are you with your life nowadays?"),
                new("Overall, to what extent do you feel that the things you do in your life are worthwhile?"),
                new("Overall, how happy did you feel yesterday?"),
                new("Overall, how anxious did you feel yesterday?"),
            ],
            [.. Enumerable.Range(0, 11).Select(i => new AnswerOption(i, i switch { 0 => "0, not at all", 10 => "10, completely", _ => i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))],
            "ONS personal well-being questions, Government Statistical Service harmonised standard"),
        [Instruments.Ucla3] = new(Instruments.Ucla3, "UCLA-3: loneliness",
            "The next questions are about how you feel about different aspects of your life.",
            [
                new("How often do you feel that you lack companionship?"),
                new("How often do you feel left out?"),
                new("How often do you feel isolated from others?"),
            ],
            [new(1, "Hardly ever or never"), new(2, "Some of the time"), new(3, "Often")],
            "UCLA 3-item loneliness scale, as in the ONS loneliness guidance"),
        [Instruments.Wsas] = new(Instruments.Wsas, "WSAS: work and social adjustment",
            "People's problems sometimes affect their ability to do certain day-to-day tasks in their lives. For each, how much does your problem impair your ability to carry out the activity?",
            [
                new("Because of my problem, my ability to work is impaired", MayBeNotApplicable: true),
                new("Because of my problem, my home management (cleaning, tidying, shopping, cooking, looking after home or children, paying bills) is impaired"),
                new("Because of my problem, my social leisure activities (with other people, such as parties, bars, clubs, outings, visits, dating, home entertaining) are impaired"),
                new("Because of my problem, my private leisure activities (done alone, such as reading, gardening, collecting, sewing, walking alone) are impaired"),
                new("Because of my problem, my ability to form and maintain close relationships with others, including those I live with, is impaired"),
            ],
            [
                new(0, "0, not at all"), new(1, "1"), new(2, "2, slightly"), new(3, "3"), new(4, "4, definitely"), new(5, "5"), new(6, "6, markedly"), new(7, "7"),
                new(8, "8, very severely"),
            ],
            "Work and Social Adjustment Scale (Mundt et al. 2002; NHS Data Dictionary)"),
    };
}
