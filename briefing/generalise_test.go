package briefing

import (
	"slices"
	"strings"
	"testing"
)

// Texts below were written for these tests in the manner of wire copy;
// each table targets one error pattern seen on unseen copy (descriptive
// speaker references, listed tallies, children by age, asides, …).

// TestDescriptiveSpeakers: "the Armenian premier said", "the negotiator
// said", "X's chief of staff" resolve to the person introduced earlier
// with that role, or stay empty; never a wrong person or a role word.
func TestDescriptiveSpeakers(t *testing.T) {
	tests := []speakerCase{
		{"premier after country adjective",
			"Armenian Prime Minister Nikol Pashinyan arrived in Brussels on Monday. “We are ready to sign,” the Armenian premier said.",
			"We are ready to sign,", "Nikol Pashinyan"},
		{"general on television",
			"General Oleksandr Syrskyi visited the front on Sunday. The general told state television: “The line is holding.”",
			"The line is holding.", "Oleksandr Syrskyi"},
		{"negotiator",
			"Rustem Umerov, Ukraine's chief negotiator, flew to Miami. “Progress was made,” the negotiator said.",
			"Progress was made,", "Rustem Umerov"},
		{"presidential aide",
			"Presidential aide Yuri Ushakov spoke to reporters. “No date has been fixed,” the presidential aide said.",
			"No date has been fixed,", "Yuri Ushakov"},
		{"official urged",
			"Deputy Foreign Minister Sergei Ryabkov spoke in Moscow. “Washington must listen,” the official urged.",
			"Washington must listen,", "Sergei Ryabkov"},
		{"chief of staff not a name",
			"Zelenskiy's chief of staff said on Monday the talks were “constructive and frank”.",
			"constructive and frank", ""},
		{"anonymous official stays anonymous",
			"Deputy Foreign Minister Sergei Ryabkov spoke in Moscow on Monday. “Nothing has changed,” an official said.",
			"Nothing has changed,", ""},
		{"the official after an anonymous one",
			"Deputy Foreign Minister Sergei Ryabkov spoke in Moscow. A senior official, who asked not to be named, said the talks had stalled. “There is no date,” the official said.",
			"There is no date,", ""},
		{"the official far from the named one",
			"Deputy Foreign Minister Sergei Ryabkov spoke in Moscow. Markets fell. Oil rose. Gas was flat. “There is no date,” the official said.",
			"There is no date,", ""},
		{"leader role not given to another country's politician",
			"German Chancellor Friedrich Merz spoke in Berlin. Kremlin spokesman Dmitry Peskov said later: “The Kremlin leader has no plans to travel.” Merz was not available. “It is a tactic,” the Kremlin leader said.",
			"It is a tactic,", ""},
	}
	runSpeakerCases(t, tests)
}

// TestListedTallies: colon lists, dash bullets and tallies quoted from an
// official.
func TestListedTallies(t *testing.T) {
	type want struct {
		place   string
		downed  int
		killed  int
		injured int
	}
	tests := []struct {
		name string
		body string
		want []want
	}{
		{"colon list of regions",
			"Russia's defence ministry said air defences intercepted 58 Ukrainian drones overnight: 21 over the Bryansk region, 17 over the Kursk region and 20 over the Belgorod region.",
			[]want{{"Russia", 58, 0, 0}, {"Bryansk region", 21, 0, 0}, {"Kursk region", 17, 0, 0}, {"Belgorod region", 20, 0, 0}}},
		{"quoted governor tally",
			"Governor Oleh Syniehubov wrote on Telegram after the strike: “Two people were killed and 11 injured in Kharkiv.”",
			[]want{{"Kharkiv", 0, 2, 11}}},
		{"quoted tally after the quote",
			"“Four people were killed and seven wounded in the attack on Zaporizhzhia,” Governor Ivan Fedorov said.",
			[]want{{"Zaporizhzhia", 0, 4, 7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			for _, w := range tc.want {
				found := false
				for _, a := range b.Attacks {
					if a.Place == w.place && a.Downed[Drones] == w.downed && a.Killed == w.killed && a.Injured == w.injured {
						found = true
					}
				}
				if !found {
					t.Errorf("no attack %+v in %+v", w, b.Attacks)
				}
			}
		})
	}
}

// TestQuotedNonTallies: numbers in quotes that are hypothetical, cumulative
// or unattributed stay out.
func TestQuotedNonTallies(t *testing.T) {
	for _, body := range []string{
		"Governor Oleh Syniehubov said: “If the shelling goes on, 20 people could be killed every day.”",
		"“Since 2022, 300 people were killed in this town,” the mayor said of the war.",
		"Graffiti on the wall read “12 killed”.",
		"Mayor Ihor Terekhov said: “In 2022, 40 people were killed in a missile strike on this street.”",
		"A banner said “Two killed, 11 injured, and still no shelter” at the protest.",
	} {
		b := Brief(Article{Body: body})
		if len(b.Attacks) != 0 {
			t.Errorf("%q: attacks %+v", body, b.Attacks)
		}
	}
}

// TestChildrenCounts: children from "of them", ages and "including".
func TestChildrenCounts(t *testing.T) {
	tests := []struct {
		name                  string
		body                  string
		killed, childKilled   int
		injured, childInjured int
	}{
		{"four of them children", "A Russian missile strike on Kryvyi Rih killed 12 people, four of them children, officials said.", 12, 4, 0, 0},
		{"one of them a teenager", "Nine people were injured in a drone attack on Odesa, one of them a 14-year-old girl, the governor said.", 0, 0, 9, 1},
		{"including a 9-year-old", "Three people were killed, including a 9-year-old, when a drone hit Sumy, the regional governor said.", 3, 1, 0, 0},
		{"women and children", "The strike on Kherson injured 10 people, including three women and five children, officials said.", 0, 0, 10, 5},
		{"adult age in an including aside", "Two people were injured, including a 70-year-old, in the shelling of Nikopol, the governor said.", 0, 0, 2, 0},
		{"of them adults", "The strike on Kherson killed 12 people, four of them soldiers, officials said.", 12, 0, 0, 0},
		{"of the injured were children", "A Russian strike on Odesa injured seven people, the governor said. Two of the injured were children.", 0, 0, 7, 2},
		{"of the injured were adults", "A Russian strike on Odesa injured seven people, the governor said. Two of the injured were soldiers.", 0, 0, 7, 0},
		{"aged after a noun", "A drone attack on Sumy injured three people, including a boy aged 12, the governor said.", 0, 0, 3, 1},
		{"age is not a count", "A 76-year-old man was killed by shelling in Kherson, the governor said.", 1, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Attacks) == 0 {
				t.Fatalf("no attack")
			}
			a := b.Attacks[0]
			if a.Killed != tc.killed || a.ChildrenKilled != tc.childKilled || a.Injured != tc.injured || a.ChildrenInjured != tc.childInjured {
				t.Errorf("got killed=%d(children %d) injured=%d(children %d), want %d(%d) %d(%d); %+v",
					a.Killed, a.ChildrenKilled, a.Injured, a.ChildrenInjured, tc.killed, tc.childKilled, tc.injured, tc.childInjured, a)
			}
		})
	}
}

// TestAsideAttribution: an aside between the speaker and the verb.
func TestAsideAttribution(t *testing.T) {
	tests := []speakerCase{
		{"dash aside", "Hungarian Prime Minister Viktor Orban — who has blocked the package for weeks — said: “We will not change our position.”", "We will not change our position.", "Viktor Orban"},
		{"en dash role aside", "Anna Kovacs – the government's spokesperson – said the decision was “final and binding”.", "final and binding", "Anna Kovacs"},
		{"dash aside after a name with a role", "Kremlin spokesman Dmitry Peskov – asked about the sanctions – said: “We will respond.”", "We will respond.", "Dmitry Peskov"},
		{"aside holding another name is not skipped", "Envoy Mark Rowe met the delegation on Monday — Anna Kovacs said: “Nothing changed.”", "Nothing changed.", "Anna Kovacs"},
		{"appositive after quote", "“The figures are alarming,” Maria Holm, the group's researcher, said.", "The figures are alarming,", "Maria Holm"},
	}
	runSpeakerCases(t, tests)
}

// TestSurnameOnly: late-wire copy names people by surname only; a pronoun
// binds to the subject of the reporting clause.
func TestSurnameOnly(t *testing.T) {
	quotes := []struct {
		name, body, quote, speaker string
	}{
		{"surname with participle aside", "Zelenskiy, speaking in Kyiv, said: “We need more air defence.”", "We need more air defence.", "Zelenskiy"},
		{"surname with asked aside", "Trump, asked about the request, said: “We will see.”", "We will see.", "Trump"},
		{"second surname keeps its own quote", "Zelenskiy said: “We need more air defence.” Trump, asked about it, said: “We will see.”", "We will see.", "Trump"},
		{"plural common noun is not a name", "Witnesses said: “The blast shook the whole street.”", "The blast shook the whole street.", ""},
		{"political plural is not a name", "Conservatives said: “The budget is a disgrace.”", "The budget is a disgrace.", ""},
		{"acronym is not a person", "KCNA said: “The test was a success.”", "The test was a success.", "KCNA"},
	}
	for _, tc := range quotes {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			q, ok := quoteBy(b, tc.quote)
			if !ok {
				t.Fatalf("quote %q not found in %+v", tc.quote, b.Quotes)
			}
			if q.Speaker != tc.speaker && !(tc.speaker == "KCNA" && q.Speaker == "") {
				t.Errorf("speaker = %q, want %q", q.Speaker, tc.speaker)
			}
			for _, p := range b.People {
				if p.Name == "Witnesses" || p.Name == "KCNA" {
					t.Errorf("not a person: %+v", p)
				}
			}
		})
	}
	t.Run("pronoun binds to the reporting subject", func(t *testing.T) {
		b := Brief(Article{Body: "President Emmanuel Macron visited Kyiv last week. Zelenskiy said he spoke with Merz on Monday about air defence."})
		if len(b.Meetings) != 1 || !slices.Contains(b.Meetings[0].Participants, "Zelenskiy") || !slices.Contains(b.Meetings[0].Participants, "Merz") {
			t.Errorf("meetings = %+v, want Zelenskiy–Merz", b.Meetings)
		}
	})
	for _, body := range []string{
		"Talks with Moscow stalled on Monday, Zelenskiy said.",
		"Officials met Tuesday in Geneva.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestNotTallies: numbers that are not attack tallies.
func TestNotTallies(t *testing.T) {
	for _, body := range []string{
		"A drone hit a house in Sumy overnight, but no one was hurt, the governor said.",
		"In February, air defences destroyed over 35,000 drones, the air force said.",
		"Air defences shot down 4,000 drones last month, the air force said.",
		"So far this year Russia has launched 20,000 drones at Ukraine, the air force said.",
	} {
		b := Brief(Article{Body: body})
		for _, a := range b.Attacks {
			if a.Killed+a.Injured > 0 || len(a.Downed)+len(a.Launched) > 0 {
				t.Errorf("%q: attack %+v", body, a)
			}
		}
	}
	// a tally of one attack in a sentence with a date stays a tally
	b := Brief(Article{Body: "On 3 February, air defences shot down 40 drones over Kyiv, the air force said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Downed[Drones] != 40 {
		t.Errorf("attacks = %+v, want 40 downed", b.Attacks)
	}
}

// TestLabelsAreNotQuotes: quoted labels are named terms, not quotes.
func TestLabelsAreNotQuotes(t *testing.T) {
	for _, tc := range []struct{ body, text string }{
		{"Peskov said the offensive was part of what Moscow calls the war, a “special military operation”, and would go on.", "special military operation"},
		{"The minister said Moscow refers to the annexed areas as “new regions” in all documents.", "new regions"},
		{"Prosecutors said the shooting was a reference to “the old order” that the group wanted back.", "the old order"},
	} {
		b := Brief(Article{Body: tc.body})
		if _, ok := quoteBy(b, tc.text); ok {
			t.Errorf("%q: label returned as a quote", tc.body)
		}
	}
	// a quote introduced by "called" with a speaker stays a quote
	b := Brief(Article{Body: "NATO Secretary General Mark Rutte called the deal “a quantum leap for our security”."})
	if _, ok := quoteBy(b, "a quantum leap for our security"); !ok {
		t.Errorf("quote lost: %+v", b.Quotes)
	}
}

// TestPlaceAfterCapitalNoun: "the Saudi capital, Riyadh" is Riyadh.
func TestPlaceAfterCapitalNoun(t *testing.T) {
	b := Brief(Article{Body: "Envoy Steve Witkoff met Foreign Minister Sergey Lavrov in the Saudi capital, Riyadh, on Tuesday."})
	if len(b.Meetings) != 1 || b.Meetings[0].Place != "Riyadh" {
		t.Errorf("meetings = %+v, want place Riyadh", b.Meetings)
	}
}

// TestWeaponCountGrammar: lists opening with number words, combined
// counts, totals with an "including" subset.
func TestWeaponCountGrammar(t *testing.T) {
	type counts map[string]int
	tests := []struct {
		name             string
		body             string
		launched, downed counts
	}{
		{"list opening with a number word",
			"Eighteen drones, two cruise missiles and one ballistic missile were shot down overnight, the air force said.",
			nil, counts{Drones: 18, CruiseMissiles: 2, BallisticMissiles: 1}},
		{"combined count is no one kind",
			"Russia launched 21 drones and missiles at Ukraine overnight, the air force said.",
			nil, nil},
		{"total with a same-kind subset",
			"Russia fired 31 missiles of various types, including 9 Kinzhal hypersonic missiles, the air force said.",
			counts{Missiles: 31}, nil},
		{"hyphenated maker before the model",
			"The ministry said it had shot down two U.S.-made ATACMS ballistic missiles and a Storm Shadow cruise missile.",
			nil, counts{BallisticMissiles: 2, CruiseMissiles: 1}},
		{"total with a typed subset keeps both",
			"Russia launched 40 missiles, including 11 ballistic missiles, the air force said.",
			counts{Missiles: 40, BallisticMissiles: 11}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			got := map[string]int{}
			gotD := map[string]int{}
			for _, a := range b.Attacks {
				for k, v := range a.Launched {
					got[k] = v
				}
				for k, v := range a.Downed {
					gotD[k] = v
				}
			}
			for k, v := range tc.launched {
				if got[k] != v {
					t.Errorf("launched[%s] = %d, want %d (%+v)", k, got[k], v, b.Attacks)
				}
			}
			for k, v := range tc.downed {
				if gotD[k] != v {
					t.Errorf("downed[%s] = %d, want %d (%+v)", k, gotD[k], v, b.Attacks)
				}
			}
			if tc.launched == nil && len(got) > 0 || tc.downed == nil && len(gotD) > 0 {
				t.Errorf("unexpected counts launched=%v downed=%v", got, gotD)
			}
			if tc.launched != nil && len(got) != len(tc.launched) {
				t.Errorf("launched = %v, want %v", got, tc.launched)
			}
		})
	}
}

// TestMeetingGeneralisation: group references, hosts and mediators,
// passive forms and long titles.
func TestMeetingGeneralisation(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		parts  []string
		place  string
		status string
	}{
		{"the two leaders shook hands",
			"Turkish President Recep Tayyip Erdogan spoke about trade on Tuesday. Greek Prime Minister Kyriakos Mitsotakis arrived later. The two leaders shook hands in Ankara before lunch.",
			[]string{"Recep Tayyip Erdogan", "Kyriakos Mitsotakis"}, "Ankara", StatusHeld},
		{"rare face-to-face meeting",
			"President Alexander Stubb and President Alar Karis held a rare face-to-face meeting in Tallinn on Monday.",
			[]string{"Alexander Stubb", "Alar Karis"}, "Tallinn", StatusHeld},
		{"passive with long title",
			"Foreign Minister Takeshi Iwaya was received by the President of Ukraine Volodymyr Zelenskyy in Kyiv on Monday.",
			[]string{"Takeshi Iwaya", "Volodymyr Zelenskyy"}, "Kyiv", StatusHeld},
		{"talks in a city with a long title",
			"Foreign Minister Johann Wadephul held talks in Kyiv with the Minister for Foreign Affairs of Ukraine Andrii Sybiha.",
			[]string{"Johann Wadephul", "Andrii Sybiha"}, "Kyiv", StatusHeld},
		{"talks hosted by two others",
			"President Volodymyr Zelensky met President Vladimir Putin in Paris in talks hosted by President Emmanuel Macron and Chancellor Angela Merkel.",
			[]string{"Volodymyr Zelensky", "Vladimir Putin", "Emmanuel Macron", "Angela Merkel"}, "Paris", StatusHeld},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Meetings) != 1 {
				t.Fatalf("meetings = %+v, want one", b.Meetings)
			}
			m := b.Meetings[0]
			got := slices.Clone(m.Participants)
			want := slices.Clone(tc.parts)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("participants = %q, want %q", m.Participants, tc.parts)
			}
			if m.Place != tc.place || m.Status != tc.status {
				t.Errorf("place/status = %q/%q, want %q/%q", m.Place, m.Status, tc.place, tc.status)
			}
		})
	}
	for _, body := range []string{
		// one leader named before: no pair to resolve
		"Turkish President Recep Tayyip Erdogan spoke about trade on Tuesday. The two leaders shook hands in Ankara.",
		// "the two" without a group noun
		"Envoy Steve Witkoff and President Vladimir Putin spoke on Monday. The two sides met again.",
		// a title alone is not a participant
		"Foreign Minister Johann Wadephul held talks with the President of the Commission.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestTollByTime: the latest toll wins by time words, not by position.
func TestTollByTime(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		killed int
	}{
		{"earlier figure after the latest", "At least 14 people were killed in a Russian missile strike on Ternopil, the governor said on Wednesday. Earlier, officials had said 11 people were killed.", 14},
		{"confirmed later", "Seven people were killed in the attack on Kyiv overnight, the mayor said. By 7 p.m., nine were confirmed killed.", 9},
		{"has risen to a number word", "The death toll from the Russian strike on Dnipro has risen to twelve, the regional governor said.", 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Attacks) != 1 || b.Attacks[0].Killed != tc.killed {
				t.Errorf("attacks = %+v, want one with killed %d", b.Attacks, tc.killed)
			}
		})
	}
	// a toll of another place far back is not a rising toll
	b := Brief(Article{Body: "The strike on the port killed 3 people. The toll of the storm that hit the coast last year was 40, the official said."})
	for _, a := range b.Attacks {
		if a.Killed == 40 {
			t.Errorf("storm toll counted: %+v", a)
		}
	}
}

// TestColonAttribution: a colon after a non-speech clause and rarer speech
// verbs introduce the subject's quote.
func TestColonAttribution(t *testing.T) {
	tests := []speakerCase{
		{"updated toll", "Governor Oleh Syniehubov gave an updated toll: “Four people were killed.”", "Four people were killed.", "Oleh Syniehubov"},
		{"boarding", "President Donald Trump said as he boarded Air Force One: “We are close to a deal.”", "We are close to a deal.", "Donald Trump"},
		{"snapped", "Press secretary Karoline Leavitt snapped: “That is fake news.”", "That is fake news.", "Karoline Leavitt"},
		{"telling reporters", "Prime Minister Mohammed bin Abdulrahman Al Thani spoke on Sunday, telling reporters in Doha: “The gaps remain wide.”", "The gaps remain wide.", "Mohammed bin Abdulrahman Al Thani"},
		{"statement read in full", "The foreign ministry issued a short statement. It read in full: “The ambassador has been summoned over the incident.”", "The ambassador has been summoned over the incident.", "the foreign ministry"},
	}
	runSpeakerCases(t, tests)
	// a colon after a sign or a label names no speaker
	b := Brief(Article{Body: "President Donald Trump left the room. A sign on the door read: “No entry for unauthorised staff today.”"})
	if q, ok := quoteBy(b, "No entry for unauthorised staff today."); ok && q.Speaker != "" {
		t.Errorf("sign quote given to %q", q.Speaker)
	}
}

// TestSeparateCalls: one subject's calls with several people are separate
// meetings, not a meeting of the others with each other.
func TestSeparateCalls(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		pairs [][2]string
	}{
		{"and with", "Secretary of State Marco Rubio spoke by phone with Foreign Minister Sergey Lavrov and with Foreign Minister Andrii Sybiha on Monday.",
			[][2]string{{"Marco Rubio", "Sergey Lavrov"}, {"Marco Rubio", "Andrii Sybiha"}}},
		{"with both", "Secretary of State Marco Rubio spoke with both Prime Minister Shehbaz Sharif and Foreign Minister Subrahmanyam Jaishankar on Friday.",
			[][2]string{{"Marco Rubio", "Shehbaz Sharif"}, {"Marco Rubio", "Subrahmanyam Jaishankar"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Meetings) != len(tc.pairs) {
				t.Fatalf("meetings = %+v, want %d", b.Meetings, len(tc.pairs))
			}
			for i, m := range b.Meetings {
				if len(m.Participants) != 2 || !slices.Contains(m.Participants, tc.pairs[i][0]) || !slices.Contains(m.Participants, tc.pairs[i][1]) {
					t.Errorf("meeting %d = %q, want %q", i, m.Participants, tc.pairs[i])
				}
			}
		})
	}
	// talks with two people at once stay one meeting
	b := Brief(Article{Body: "President Emmanuel Macron held talks with Chancellor Friedrich Merz and Prime Minister Keir Starmer in Kyiv."})
	if len(b.Meetings) != 1 || len(b.Meetings[0].Participants) != 3 {
		t.Errorf("meetings = %+v, want one three-way meeting", b.Meetings)
	}
}

// TestNationalTallyPlace: a national weapons tally from a military
// reporter gets its country; a governor's does not.
func TestNationalTallyPlace(t *testing.T) {
	tests := []struct{ body, place string }{
		{"Russia launched 90 drones overnight, the Ukrainian air force said, adding that 60 were shot down.", "Ukraine"},
		{"Air defences destroyed 41 drones overnight, Russia's defence ministry said.", "Russia"},
		{"Air defences destroyed 41 drones overnight, the regional governor said.", ""},
	}
	for _, tc := range tests {
		b := Brief(Article{Body: tc.body})
		if len(b.Attacks) != 1 || b.Attacks[0].Place != tc.place {
			t.Errorf("%q: attacks = %+v, want place %q", tc.body, b.Attacks, tc.place)
		}
	}
}

// TestHedgedMeetings: meetings floated, conditional or asked about are not
// held.
func TestHedgedMeetings(t *testing.T) {
	for _, body := range []string{
		"President Donald Trump floated hosting a meeting between President Vladimir Putin and President Volodymyr Zelenskyy if the ceasefire holds.",
		"A meeting between President Vladimir Putin and President Volodymyr Zelenskyy could take place once a deal is agreed, an aide said.",
		"Officials said talks between President Vladimir Putin and President Volodymyr Zelenskyy would happen only after a ceasefire.",
	} {
		b := Brief(Article{Body: body})
		for _, m := range b.Meetings {
			if m.Status == StatusHeld {
				t.Errorf("%q: held meeting %+v", body, m)
			}
		}
	}
	// a question and transcript labels report nothing
	b := Brief(Article{Body: "MR MILLER: We met the minister on Monday.\nQUESTION: Did Secretary Antony Blinken meet Foreign Minister Wang Yi?\nMR MILLER: He did, in Jakarta."})
	if len(b.Meetings) != 0 {
		t.Errorf("meetings from a transcript: %+v", b.Meetings)
	}
	for _, p := range b.People {
		if p.Name == "MILLER" || p.Name == "MR MILLER" || strings.HasPrefix(p.Role, "Did") {
			t.Errorf("transcript label as a person: %+v", p)
		}
	}
	// a past meeting with a later clause holding a modal stays held
	b = Brief(Article{Body: "The talks between Chancellor Friedrich Merz and President Emmanuel Macron, which officials said could resume in May, ended on Friday."})
	if len(b.Meetings) != 1 || b.Meetings[0].Status != StatusHeld {
		t.Errorf("meetings = %+v, want one held", b.Meetings)
	}
}

// TestBulletTallies: dash-bullet items under a colon introduction inherit
// its verb; bullets without one stay headlines.
func TestBulletTallies(t *testing.T) {
	b := Brief(Article{Body: "The air force said it detected and tracked 135 air attack means:\n- 120 Shahed drones;\n- 15 Kh-101 cruise missiles.\nOf these, 96 drones were shot down."})
	if len(b.Attacks) != 1 {
		t.Fatalf("attacks = %+v, want one", b.Attacks)
	}
	a := b.Attacks[0]
	if a.Launched[Drones] != 120 || a.Launched[CruiseMissiles] != 15 || a.Downed[Drones] != 96 || a.ReportedBy != "the air force" {
		t.Errorf("attack = %+v", a)
	}
	// bullets after a line that does not introduce them: related headlines
	for _, body := range []string{
		"Talks resumed in Geneva on Monday.\n- Russia launched 100 drones at Kyiv\n- Five killed in Odesa strike",
		"Talks resumed in Geneva on Monday.\nRelated coverage:\n• Russia launched 100 drones at Kyiv\n• Five killed in Odesa\nThe next round is due in May.",
		"Talks resumed in Geneva on Monday.\nMore from our team:\n- Russia launched 100 drones at Kyiv\n- Five killed in Odesa\nThe next round is due in May.",
	} {
		if b := Brief(Article{Body: body}); len(b.Attacks) != 0 {
			t.Errorf("attacks from headline bullets: %+v", b.Attacks)
		}
	}
}

// TestSharedName: a lone name shared by several people goes to the one
// mentioned most, the first introduced on a tie.
func TestSharedName(t *testing.T) {
	b := Brief(Article{Body: "President Donald Trump met Kim Jong Un in 2019. South Korean President Kim Dae-jung had met Kim Jong Il in 2000. Talks between Trump and Kim collapsed."})
	for _, m := range b.Meetings {
		if slices.Contains(m.Participants, "Donald Trump") && !slices.Contains(m.Participants, "Kim Jong Un") {
			t.Errorf("Trump paired with the wrong Kim: %q", m.Participants)
		}
	}
	b = Brief(Article{Body: "Kim Yo Jong spoke first. Kim Jong Un later met envoys. Kim Jong Un said the talks were useful. Kim told reporters: “We are ready.”"})
	if q, ok := quoteBy(b, "We are ready."); !ok || q.Speaker != "Kim Jong Un" {
		t.Errorf("quote = %+v, want Kim Jong Un", q)
	}
}

// TestQuotedAsSaying: "X quoted Y as saying" credits Y, and the quote that
// continues keeps Y.
func TestQuotedAsSaying(t *testing.T) {
	b := Brief(Article{Body: "“We will respond firmly,” Belta quoted President Alexander Lukashenko as saying. “Nobody should doubt it.”"})
	for _, text := range []string{"We will respond firmly,", "Nobody should doubt it."} {
		if q, ok := quoteBy(b, text); !ok || q.Speaker != "Alexander Lukashenko" {
			t.Errorf("%q: quote = %+v, want Alexander Lukashenko", text, q)
		}
	}
	for _, p := range b.People {
		if p.Name == "Belta" {
			t.Errorf("agency as a person: %+v", p)
		}
	}
	// an agency that says something itself keeps it
	b = Brief(Article{Body: "President Alexander Lukashenko spoke on Monday. Belta said the meeting was “productive and long”."})
	if q, ok := quoteBy(b, "productive and long"); ok && q.Speaker == "Alexander Lukashenko" {
		t.Errorf("agency's words given to %q", q.Speaker)
	}
}

// TestWaveOfDrones: "a wave of N drones" is what was launched.
func TestWaveOfDrones(t *testing.T) {
	b := Brief(Article{Body: "A wave of eleven drones approached Odesa overnight; air defences brought down eight of them, the air force said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Launched[Drones] != 11 || b.Attacks[0].Downed[Drones] != 8 {
		t.Errorf("attacks = %+v, want 11 launched, 8 downed", b.Attacks)
	}
}

// TestAgeAndDiplomatReferences: "the 47-year-old" and "the Russian
// diplomat" refer back to the one matching person, or to nobody.
func TestAgeAndDiplomatReferences(t *testing.T) {
	tests := []speakerCase{
		{"age reference", "Olena Kovalenko stood by the ruins. “We lost everything,” the 47-year-old said.", "We lost everything,", "Olena Kovalenko"},
		{"age reference with noun", "Olena Kovalenko stood by the ruins. “We lost everything,” the 47-year-old teacher said.", "We lost everything,", "Olena Kovalenko"},
		{"age reference after two people", "Olena Kovalenko and Petro Bondar stood by the ruins. “We lost everything,” the 47-year-old said.", "We lost everything,", ""},
		{"diplomat is the foreign minister", "Russian Foreign Minister Sergei Lavrov met Secretary of State Marco Rubio. “The conversation was useful,” the Russian diplomat said.", "The conversation was useful,", "Sergei Lavrov"},
		{"diplomat of another country", "Russian Foreign Minister Sergei Lavrov arrived in Ankara. “The conversation was useful,” the Turkish diplomat said.", "The conversation was useful,", ""},
	}
	runSpeakerCases(t, tests)
}

// TestGroupObjects: "a meeting between the two leaders" names the two
// people named before.
func TestGroupObjects(t *testing.T) {
	b := Brief(Article{Body: "President Vladimir Putin spoke in Moscow on Monday. President Volodymyr Zelensky replied from Kyiv. Officials said a meeting between the two leaders “must be well prepared”."})
	if len(b.Meetings) != 1 || b.Meetings[0].Status != StatusPlanned ||
		!slices.Contains(b.Meetings[0].Participants, "Vladimir Putin") || !slices.Contains(b.Meetings[0].Participants, "Volodymyr Zelensky") {
		t.Errorf("meetings = %+v, want Putin–Zelensky planned", b.Meetings)
	}
	// with only one person named before, "the two leaders" stays unresolved
	b = Brief(Article{Body: "President Vladimir Putin spoke in Moscow on Monday. Officials said a meeting between the two leaders was possible."})
	if len(b.Meetings) != 0 {
		t.Errorf("meetings = %+v, want none", b.Meetings)
	}
}

// TestOrganisationSpeakers: named organisations speak as bodies.
func TestOrganisationSpeakers(t *testing.T) {
	tests := []struct{ body, quote, speaker string }{
		{"Analysts at the Institute for the Study of War, a Washington-based think tank, said Russian forces had made “marginal gains” in the area.", "marginal gains", "the Institute for the Study of War"},
		{"Human Rights Watch said the strike was “a clear violation”.", "a clear violation", "Human Rights Watch"},
		{"The Holy See press office said the pope “expressed his sorrow for the victims”.", "expressed his sorrow for the victims", "the Holy See press office"},
		{"The two men discussed “ways to reduce tensions”, according to a statement from the Amiri Diwan on Sunday.", "ways to reduce tensions", "the Amiri Diwan"},
		// a capitalised place name with an org word is not a speaker unless it speaks
		{"Crowds gathered outside the Supreme Court building. “We want justice,” a protester said.", "We want justice,", ""},
	}
	for _, tc := range tests {
		b := Brief(Article{Body: tc.body})
		q, ok := quoteBy(b, tc.quote)
		if !ok {
			t.Errorf("quote %q not found in %+v", tc.quote, b.Quotes)
			continue
		}
		if q.Speaker != tc.speaker {
			t.Errorf("%q: speaker = %q, want %q", tc.quote, q.Speaker, tc.speaker)
		}
	}
}

// TestTallyGrammarMore: "N of the M drones", weekly totals, "across X".
func TestTallyGrammarMore(t *testing.T) {
	if b := Brief(Article{Body: "The air force said Russia attacked overnight with 112 drones, 76 of which were shot down."}); len(b.Attacks) != 1 || b.Attacks[0].Downed[Drones] != 76 || b.Attacks[0].Launched[Drones] != 112 {
		t.Errorf("of-which: attacks = %+v", b.Attacks)
	}
	b := Brief(Article{Body: "Ukraine's air force said it had downed 73 of the 90 drones launched overnight."})
	if len(b.Attacks) != 1 || b.Attacks[0].Downed[Drones] != 73 || b.Attacks[0].Launched[Drones] != 90 {
		t.Errorf("attacks = %+v, want 73 of 90", b.Attacks)
	}
	b = Brief(Article{Body: "Zelensky said Russia had launched more than 1,500 drones, 1,200 glide bombs and 50 missiles at Ukraine over the past week."})
	if len(b.Attacks) != 0 {
		t.Errorf("weekly totals counted: %+v", b.Attacks)
	}
	b = Brief(Article{Body: "Russian strikes killed at least five people and wounded 20 others across Ukraine over the past day, regional officials said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Place != "Ukraine" || b.Attacks[0].Killed != 5 || b.Attacks[0].Injured != 20 {
		t.Errorf("attacks = %+v, want Ukraine 5 killed 20 injured", b.Attacks)
	}
}

// TestSurnameMeetings: late-wire meetings between people named by surname
// only.
func TestSurnameMeetings(t *testing.T) {
	tests := []struct {
		body   string
		parts  []string
		status string
	}{
		{"Zelenskiy met Trump at the White House on Monday.", []string{"Zelenskiy", "Trump"}, StatusHeld},
		{"Trump and Putin met in Anchorage, Alaska, on Friday.", []string{"Trump", "Putin"}, StatusHeld},
		{"Erdogan hosted Zelenskiy in Istanbul.", []string{"Erdogan", "Zelenskiy"}, StatusHeld},
		{"Rubio sat down with Lavrov in Riyadh on Tuesday.", []string{"Rubio", "Lavrov"}, StatusHeld},
		{"Starmer will travel to Washington next week to meet Trump.", []string{"Starmer", "Trump"}, StatusPlanned},
		{"Zelensky had a phone call with Japanese Prime Minister Shigeru Ishiba.", []string{"Zelensky", "Shigeru Ishiba"}, StatusHeld},
		{"Trump said he had a “very good” call with Putin.", []string{"Trump", "Putin"}, StatusHeld},
	}
	for _, tc := range tests {
		b := Brief(Article{Body: tc.body})
		if len(b.Meetings) != 1 {
			t.Errorf("%q: meetings = %+v, want one", tc.body, b.Meetings)
			continue
		}
		m := b.Meetings[0]
		got := slices.Clone(m.Participants)
		want := slices.Clone(tc.parts)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || m.Status != tc.status {
			t.Errorf("%q: meeting = %q %s, want %q %s", tc.body, m.Participants, m.Status, tc.parts, tc.status)
		}
	}
	for _, body := range []string{
		"Trump met with Republican senators on Tuesday to discuss the sanctions bill.",
		"Kyiv welcomed the decision, and Brussels hosted the summit.",
		"Officials met Tuesday in Geneva.",
		"Meet Olena, the volunteer who feeds the front.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestLoneNamesThatAreNotPeople: companies, agencies and cities that speak
// are not people; first names that are also places still are.
func TestLoneNamesThatAreNotPeople(t *testing.T) {
	for _, w := range []string{"Gazprom", "Ryanair", "Boeing", "Rosneft", "Euroclear", "Bloomberg", "Islamabad", "Belgrade", "Suspilne", "Wagner", "Frontex"} {
		b := Brief(Article{Body: w + " said on Monday the talks were “constructive and very long”."})
		if len(b.People) != 0 {
			t.Errorf("%s: people = %+v", w, b.People)
		}
	}
	b := Brief(Article{Body: "Sofia Petrenko, a nurse, said: “We worked all night.”"})
	if q, ok := quoteBy(b, "We worked all night."); !ok || q.Speaker != "Sofia Petrenko" {
		t.Errorf("quote = %+v, want Sofia Petrenko", q)
	}
}

// TestStandaloneQuote: a quote that is a sentence of its own takes the
// speaker the next sentence names, and only then.
func TestStandaloneQuote(t *testing.T) {
	tests := []struct{ body, quote, speaker string }{
		{"“All is well!” The message came from Prime Minister Mark Carney after the vote.", "All is well!", "Mark Carney"},
		{"“We are still here.” Mayor Ihor Terekhov wrote on Telegram late on Sunday.", "We are still here.", "Ihor Terekhov"},
	}
	for _, tc := range tests {
		b := Brief(Article{Body: tc.body})
		if q, ok := quoteBy(b, tc.quote); !ok || q.Speaker != tc.speaker {
			t.Errorf("%q: quote = %+v, want %s", tc.body, q, tc.speaker)
		}
	}
	// the next sentence's own claim is not the quote's speaker
	b := Brief(Article{Body: "“Stop the war!” Mayor Ihor Terekhov said the crowd chanted for hours."})
	if q, ok := quoteBy(b, "Stop the war!"); ok && q.Speaker != "" {
		t.Errorf("slogan given to %q", q.Speaker)
	}
}

// TestRegionHeadings: in a roundup, a region heading places the town
// tallies under it until the next crosshead.
func TestRegionHeadings(t *testing.T) {
	b := Brief(Article{Body: "Russian attacks killed five people across Ukraine overnight, officials said.\nDonetsk region.\nRussian shelling killed two people in Kostiantynivka, the governor said.\nElsewhere\nIn Kharkiv, a drone strike injured four people, the mayor said."})
	want := map[string]bool{"Donetsk region": false, "Kharkiv": false}
	for _, a := range b.Attacks {
		if a.Killed == 2 && a.Place == "Donetsk region" {
			want["Donetsk region"] = true
		}
		if a.Injured == 4 && a.Place == "Kharkiv" {
			want["Kharkiv"] = true
		}
	}
	for p, ok := range want {
		if !ok {
			t.Errorf("no tally placed in %s: %+v", p, b.Attacks)
		}
	}
}

// TestCountryLeaderNotPartyLeader: "the Kremlin leader" is never a party
// or opposition leader of another country.
func TestCountryLeaderNotPartyLeader(t *testing.T) {
	for _, body := range []string{
		"CDU leader Friedrich Merz said Europe would respond. “We are not afraid of sanctions,” the Kremlin leader said.",
		"Opposition leader Petro Poroshenko said Kyiv would respond. “We are not afraid of sanctions,” the Russian president said.",
	} {
		b := Brief(Article{Body: body})
		if q, ok := quoteBy(b, "We are not afraid of sanctions,"); !ok || q.Speaker != "" {
			t.Errorf("%q: quote = %+v, want no speaker", body, q)
		}
	}
}

// TestNationalityBeforeName: a nationality written before a name rules out
// another country's leader role.
func TestNationalityBeforeName(t *testing.T) {
	b := Brief(Article{Body: "Vladimir Putin spoke on Friday. Germany's Friedrich Merz said Europe would respond. “We are not afraid,” the Kremlin leader said."})
	if q, ok := quoteBy(b, "We are not afraid,"); !ok || q.Speaker == "Friedrich Merz" {
		t.Errorf("quote = %+v, must not be Merz", q)
	}
	b = Brief(Article{Body: "Russia's Vladimir Putin spoke on Friday. “We are not afraid,” the Kremlin leader said."})
	if q, ok := quoteBy(b, "We are not afraid,"); !ok || q.Speaker != "Vladimir Putin" {
		t.Errorf("quote = %+v, want Vladimir Putin", q)
	}
}

// TestJoinedMeeting: someone who joins the talks by video link takes part.
func TestJoinedMeeting(t *testing.T) {
	b := Brief(Article{Body: "Chancellor Friedrich Merz met President Volodymyr Zelensky in Berlin. President Emmanuel Macron joined the talks by video link."})
	if len(b.Meetings) != 1 || !slices.Contains(b.Meetings[0].Participants, "Emmanuel Macron") {
		t.Errorf("meetings = %+v, want Macron among participants", b.Meetings)
	}
	// joining an alliance is not joining a meeting
	b = Brief(Article{Body: "Chancellor Friedrich Merz met President Volodymyr Zelensky in Berlin. President Alexander Stubb joined the coalition in 2023."})
	if len(b.Meetings) != 1 || slices.Contains(b.Meetings[0].Participants, "Alexander Stubb") {
		t.Errorf("meetings = %+v, want no Stubb", b.Meetings)
	}
}

// TestCasualtyNounsAndShellingOf: family nouns are casualties, "shelling
// of X" places the tally.
func TestCasualtyNounsAndShellingOf(t *testing.T) {
	b := Brief(Article{Body: "A Russian drone strike killed a man and injured his two sons in Kherson, the governor said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Killed != 1 || b.Attacks[0].Injured != 2 {
		t.Errorf("attacks = %+v, want 1 killed, 2 injured", b.Attacks)
	}
	b = Brief(Article{Body: "Russian shelling of Nikopol injured four people, the governor said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Place != "Nikopol" {
		t.Errorf("attacks = %+v, want place Nikopol", b.Attacks)
	}
}

// TestNationalTallySeparate: a military reporter's national count is its
// own entry, not folded into the governor's report before it.
func TestNationalTallySeparate(t *testing.T) {
	b := Brief(Article{Body: "A Ukrainian drone attack on Russia's Belgorod region killed two civilians, regional governor Vyacheslav Gladkov said.\nSeparately, Russia's defence ministry said air defences had destroyed 57 Ukrainian drones overnight - 31 over the Belgorod region and 26 over the Kursk region."})
	var bel, nat bool
	for _, a := range b.Attacks {
		if a.Killed == 2 && a.Place == "Belgorod region" {
			bel = true
		}
		if a.Downed[Drones] == 57 && a.Place == "Russia" {
			nat = true
		}
	}
	if !bel || !nat {
		t.Errorf("attacks = %+v, want Belgorod region killed 2 and Russia downed 57 apart", b.Attacks)
	}
}
