package briefing

import (
	"slices"
	"testing"
)

// Texts below were written for these tests in the manner of wire copy;
// each table targets one error pattern seen on a second set of unseen copy.

// meetingParts returns the sorted participants of each meeting.
func meetingParts(b Briefing) [][]string {
	var out [][]string
	for _, m := range b.Meetings {
		p := slices.Clone(m.Participants)
		slices.Sort(p)
		out = append(out, p)
	}
	return out
}

// TestAdverbialsBeforeWith: time, place, duration and channel adverbials
// between a meeting verb or noun and "with" keep the partner.
func TestAdverbialsBeforeWith(t *testing.T) {
	tests := []meetingCase{
		{"hours of talks",
			"Foreign Minister Sergei Lavrov held more than five hours of talks with Foreign Minister Wang Yi on Monday.",
			[]string{"Sergei Lavrov", "Wang Yi"}, StatusHeld},
		{"place and day before with",
			"Foreign Minister Sergei Lavrov held talks in Beijing on Thursday with Foreign Minister Wang Yi.",
			[]string{"Sergei Lavrov", "Wang Yi"}, StatusHeld},
		{"by phone on a day",
			"President Emmanuel Macron spoke by phone on Friday with President Vladimir Putin about the war.",
			[]string{"Emmanuel Macron", "Vladimir Putin"}, StatusHeld},
		{"first time since",
			"Chancellor Olaf Scholz spoke by phone for the first time since December with President Vladimir Putin.",
			[]string{"Olaf Scholz", "Vladimir Putin"}, StatusHeld},
		{"spent an hour with",
			"Secretary of State Antony Blinken spent more than an hour with Foreign Minister Ayman Safadi in Amman.",
			[]string{"Antony Blinken", "Ayman Safadi"}, StatusHeld},
		{"met on a day with",
			"President Joe Biden met on Wednesday with Prime Minister Fumio Kishida at the White House.",
			[]string{"Fumio Kishida", "Joe Biden"}, StatusHeld},
	}
	runMeetingCases(t, tests)
	for _, body := range []string{
		// an object between the verb and "with" is not an adverbial
		"President Emmanuel Macron spoke about pensions on Friday with great confidence.",
		// money spent with a company is no meeting
		"Minister Rachel Reeves spent millions with Acme Holdings last year.",
		// "spent" without a duration
		"Governor Kathy Hochul spent the budget surplus with care.",
		// a noun phrase object breaks the run
		"Foreign Minister Sergei Lavrov held talks in Beijing on Thursday about sanctions with officials.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestPartialQuotesInReportedSpeech: a partial quote inside reported
// speech goes to the subject of the reporting verb; vague sources and
// named terms stay out.
func TestPartialQuotesInReportedSpeech(t *testing.T) {
	tests := []speakerCase{
		{"for his part, said X believes",
			"Foreign Minister Hakan Fidan met reporters in Ankara. Fidan, for his part, said Turkey believes “a ceasefire is within reach”.",
			"a ceasefire is within reach", "Hakan Fidan"},
		{"spokesman denounced",
			"Foreign ministry spokesman Lin Jian spoke on Monday. The spokesman denounced “reckless provocations” by the coast guard.",
			"reckless provocations", "Lin Jian"},
		{"condemned what he called",
			"President Emmanuel Macron arrived in Kyiv. He condemned what he called a “cowardly and barbaric attack” on the city.",
			"cowardly and barbaric attack", "Emmanuel Macron"},
		{"welcomed as",
			"Chancellor Friedrich Merz welcomed the deal as “a good day for Europe” on Friday.",
			"a good day for Europe", "Friedrich Merz"},
		{"told reporters that a country welcomed",
			"Kremlin spokesman Dmitry Peskov told reporters that Moscow welcomed “the sober approach” of the new government.",
			"the sober approach", "Dmitry Peskov"},
		{"clause attributed to a body",
			"The Kremlin said President Vladimir Putin was “open to talks” with Kyiv.",
			"open to talks", "the Kremlin"},
		{"vague source stays empty",
			"One diplomat said Moscow believes “time is on its side”.",
			"time is on its side", ""},
	}
	runSpeakerCases(t, tests)
	// a term named by its users is not a quote
	for _, body := range []string{
		"The EU condemned what Moscow calls its “special military operation” in Ukraine.",
		"Russia launched what it called a “massive strike” on the city.",
	} {
		if b := Brief(Article{Body: body}); len(b.Quotes) != 0 {
			t.Errorf("%q: quotes = %+v", body, b.Quotes)
		}
	}
}

// TestSalientSpeaker: "he said" and bare role nouns bind to the salient
// person (the subject, the office holder named without a country), not to
// the latest name mentioned in passing.
func TestSalientSpeaker(t *testing.T) {
	tests := []speakerCase{
		{"he said after a possessive topic",
			"Secretary of State Antony Blinken said the talks in Tokyo were useful. Blinken's trip follows a visit to the region by Defense Secretary Lloyd Austin last month. “We made real progress,” he said.",
			"We made real progress,", "Antony Blinken"},
		{"he said after a prepositional object",
			"Secretary of State Antony Blinken said the talks in Tokyo were useful. The trip was planned with Defense Secretary Lloyd Austin. “We made real progress,” he said.",
			"We made real progress,", "Antony Blinken"},
		{"he said after a new subject stays with it",
			"Secretary of State Antony Blinken said the talks were useful. Defense Secretary Lloyd Austin arrived on Friday. “We made real progress,” he said.",
			"We made real progress,", "Lloyd Austin"},
		{"fronted topic",
			"Prime Minister Yulia Svyrydenko spoke on Monday. For Petro, the engineer, the calculation is simpler. “We go out every morning,” he said.",
			"We go out every morning,", "Petro"},
		{"home prime minister over a foreign one in passing",
			"Prime Minister Keir Starmer said Britain would send more aid. He spoke after Indian Prime Minister Narendra Modi visited London. “This is the right thing,” the prime minister said.",
			"This is the right thing,", "Keir Starmer"},
		{"foreign leader who is the last subject keeps the role",
			"Chancellor Rachel Reeves will present the budget on Wednesday. German Chancellor Friedrich Merz praised Britain. “We will be prudent,” the chancellor said.",
			"We will be prudent,", "Friedrich Merz"},
	}
	runSpeakerCases(t, tests)
}

// TestCalledOffMeetings: denied, cancelled or postponed meetings give
// nothing; held and planned ones with similar words stay.
func TestCalledOffMeetings(t *testing.T) {
	for _, body := range []string{
		"There were no plans for a new meeting between President Donald Trump and President Vladimir Putin, the Kremlin said.",
		"A planned meeting between President Donald Trump and President Vladimir Putin in Budapest was cancelled.",
		"Talks between Foreign Minister Sergei Lavrov and Secretary of State Marco Rubio were postponed.",
		"A meeting between President Donald Trump and President Vladimir Putin is not on the agenda.",
		"The summit between Prime Minister Mark Carney and President Donald Trump has been called off.",
		"The Kremlin ruled out a meeting between President Vladimir Putin and President Volodymyr Zelensky this year.",
		"President Vladimir Putin declined to meet President Volodymyr Zelensky in Istanbul.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
	tests := []meetingCase{
		{"talks were held",
			"Talks between Foreign Minister Sergei Lavrov and Secretary of State Marco Rubio were held in Riyadh.",
			[]string{"Marco Rubio", "Sergei Lavrov"}, StatusHeld},
		{"were not the first",
			"The talks between President Donald Trump and President Vladimir Putin in Alaska were not the first.",
			[]string{"Donald Trump", "Vladimir Putin"}, StatusHeld},
		{"another meeting postponed in a later clause",
			"President Donald Trump held talks with President Vladimir Putin after a meeting with President Xi Jinping was postponed.",
			[]string{"Donald Trump", "Vladimir Putin"}, StatusHeld},
		{"will take place",
			"A meeting between President Donald Trump and President Vladimir Putin will take place on Friday.",
			[]string{"Donald Trump", "Vladimir Putin"}, StatusPlanned},
	}
	runMeetingCases(t, tests)
}

// TestWishedAndTripMeetings: meetings sought, requested or framed by a
// future trip are planned, not held; a trip in the past stays held.
func TestWishedAndTripMeetings(t *testing.T) {
	tests := []meetingCase{
		{"counting on a meeting",
			"President Volodymyr Zelensky is counting on a meeting with President Donald Trump.",
			[]string{"Donald Trump", "Volodymyr Zelensky"}, StatusPlanned},
		{"hopes for a meeting",
			"President Volodymyr Zelensky hopes for a meeting with President Donald Trump.",
			[]string{"Donald Trump", "Volodymyr Zelensky"}, StatusPlanned},
		{"requested a meeting",
			"President Volodymyr Zelensky has requested a meeting with President Donald Trump.",
			[]string{"Donald Trump", "Volodymyr Zelensky"}, StatusPlanned},
		{"set to visit for a summit",
			"Prime Minister Narendra Modi is set to visit Moscow for a summit with President Vladimir Putin.",
			[]string{"Narendra Modi", "Vladimir Putin"}, StatusPlanned},
		{"will travel for talks",
			"Chancellor Friedrich Merz will travel to Washington next week for talks with President Donald Trump.",
			[]string{"Donald Trump", "Friedrich Merz"}, StatusPlanned},
		{"flew for talks stays held",
			"Envoy Steve Witkoff flew to Moscow on Thursday for talks with President Vladimir Putin.",
			[]string{"Steve Witkoff", "Vladimir Putin"}, StatusHeld},
		{"travelled to visit stays held",
			"Prime Minister Narendra Modi travelled to Moscow to visit the Kremlin for talks with President Vladimir Putin.",
			[]string{"Narendra Modi", "Vladimir Putin"}, StatusHeld},
	}
	runMeetingCases(t, tests)
}

// TestRisingTollsAndVictimNouns: a toll that reaches a new value replaces
// the first count; security personnel, service members and demonyms are
// counted victims; other numbers are not.
func TestRisingTollsAndVictimNouns(t *testing.T) {
	tests := []struct {
		name, body      string
		killed, injured int
	}{
		{"toll reached",
			"A Russian missile killed 12 people in Dnipro on Tuesday. The death toll reached 21 on Wednesday, the governor said.", 21, 0},
		{"toll reached alone",
			"A missile struck Dnipro on Tuesday. The death toll reached 21 on Wednesday, the governor said.", 21, 0},
		{"toll stood at",
			"A bomb exploded at a market in Quetta on Friday. The toll stood at 17 by nightfall, officials said.", 17, 0},
		{"number of dead had risen to",
			"A missile struck Dnipro on Tuesday. The number of dead had risen to 14 by evening, the governor said.", 14, 0},
		{"security personnel",
			"A suicide bomber attacked a convoy in Pulwama, killing 12 security personnel.", 12, 0},
		{"demonym victims",
			"Israeli strikes killed 195 Palestinians in Gaza over the weekend, the health ministry said.", 195, 0},
		{"troops and civilians",
			"Four troops were killed and six civilians wounded in the shelling of Kherson.", 4, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Attacks) != 1 {
				t.Fatalf("attacks = %+v, want one", b.Attacks)
			}
			if a := b.Attacks[0]; a.Killed != tc.killed || a.Injured != tc.injured {
				t.Errorf("killed/injured = %d/%d, want %d/%d", a.Killed, a.Injured, tc.killed, tc.injured)
			}
		})
	}
	for _, body := range []string{
		"A Russian missile struck Dnipro on Tuesday. The number of visitors to the museum reached 2,000 this year.",
		"Students protested in Dnipro on Tuesday. Police said 40 students were detained.",
	} {
		for _, a := range Brief(Article{Body: body}).Attacks {
			if a.Killed != 0 || a.Injured != 0 {
				t.Errorf("%q: attack %+v", body, a)
			}
		}
	}
}

// TestGroupNounPhrases: "the Russian and Chinese leaders", bare "the
// three" after a sentence naming exactly three people, "a meeting also
// attended by X".
func TestGroupNounPhrases(t *testing.T) {
	tests := []struct {
		name, body string
		parts      []string
	}{
		{"two nationalities",
			"Chinese President Xi Jinping arrived in Moscow on Monday. Russian President Vladimir Putin greeted guests. The Russian and Chinese leaders last met in May.",
			[]string{"Vladimir Putin", "Xi Jinping"}},
		{"the three",
			"President Emmanuel Macron, Chancellor Friedrich Merz and Prime Minister Keir Starmer arrived in Kyiv. The three will meet President Volodymyr Zelensky on Saturday.",
			[]string{"Emmanuel Macron", "Friedrich Merz", "Keir Starmer", "Volodymyr Zelensky"}},
		{"the two met",
			"President Alexander Stubb and President Alar Karis toured the port. The two met again on Friday.",
			[]string{"Alar Karis", "Alexander Stubb"}},
		{"also attended by",
			"President Donald Trump met President Volodymyr Zelensky in Rome, a meeting also attended by President Emmanuel Macron.",
			[]string{"Donald Trump", "Emmanuel Macron", "Volodymyr Zelensky"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Meetings) != 1 {
				t.Fatalf("meetings = %+v, want one", b.Meetings)
			}
			want := slices.Clone(tc.parts)
			slices.Sort(want)
			if got := meetingParts(b)[0]; !slices.Equal(got, want) {
				t.Errorf("participants = %q, want %q", got, want)
			}
		})
	}
	for _, body := range []string{
		// a nationality with two candidates and no fitting role
		"Russian President Vladimir Putin and Russian Foreign Minister Sergei Lavrov spoke. Chinese President Xi Jinping listened. The Russian and Chinese envoys met later.",
		// "the two" after countries, not people
		"President Alexander Stubb spoke on Monday. Russia and Ukraine exchanged prisoners. The two met in Istanbul.",
		// "the two" after a sentence naming three people
		"President Alexander Stubb, President Alar Karis and President Edgars Rinkevics toured the port. The two met again on Friday.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestVagueSources: vague sources keep an empty speaker and never continue
// the previous speaker's quote; a named source after them still binds.
func TestVagueSources(t *testing.T) {
	tests := []speakerCase{
		{"U.S. officials after a named speaker",
			"“We will act,” President Donald Trump said. “The strike was necessary,” U.S. officials said.",
			"The strike was necessary,", ""},
		{"a Downing Street source",
			"“We will act,” Prime Minister Keir Starmer said. “No decision has been made,” a Downing Street source said.",
			"No decision has been made,", ""},
		{"one diplomat",
			"“We will act,” Prime Minister Keir Starmer said. “Nobody expects a deal,” one diplomat said.",
			"Nobody expects a deal,", ""},
		{"Kremlin insiders",
			"“We will act,” Prime Minister Keir Starmer said. “Nobody expects a deal,” Kremlin insiders said.",
			"Nobody expects a deal,", ""},
		{"bare officials",
			"“We will act,” Prime Minister Keir Starmer said. “Nobody expects a deal,” officials said.",
			"Nobody expects a deal,", ""},
		{"the official after one official",
			"Foreign Minister Sergei Lavrov spoke in Moscow. One official said the talks had stalled. “There is no date,” the official said.",
			"There is no date,", ""},
		{"named speaker still binds",
			"“We will act,” Prime Minister Keir Starmer said. “Nobody expects a deal,” Foreign Secretary David Lammy said.",
			"Nobody expects a deal,", "David Lammy"},
	}
	runSpeakerCases(t, tests)
	// a vague source still reports a toll
	b := Brief(Article{Body: "A bomb exploded at a market in Quetta on Friday. The toll was later raised to 17, officials said."})
	if len(b.Attacks) != 1 || b.Attacks[0].ReportedBy != "officials" {
		t.Errorf("attacks = %+v, want one reported by officials", b.Attacks)
	}
}

// TestNamesThatAreAlsoWords: a country, place or month word is a given
// name or surname when a role stands before the name or in an appositive
// after it; alone it is not a person. A title appositive after a name does
// not hide its speaker.
func TestNamesThatAreAlsoWords(t *testing.T) {
	tests := []speakerCase{
		{"month surname after a role",
			"Former prime minister Theresa May said: “We must stand firm.”",
			"We must stand firm.", "Theresa May"},
		{"country given name after a role",
			"Defence Minister Israel Katz said: “We will respond.”",
			"We will respond.", "Israel Katz"},
		{"country given name with an appositive role",
			"Israel Katz, the defence minister, said: “We will respond.”",
			"We will respond.", "Israel Katz"},
		{"month surname with an appositive role",
			"Theresa May, the former prime minister, said: “We must stand firm.”",
			"We must stand firm.", "Theresa May"},
		{"hyphenated title appositive",
			"Tedros Adhanom Ghebreyesus, director-general of the World Health Organization, said: “The system is collapsing.”",
			"The system is collapsing.", "Tedros Adhanom Ghebreyesus"},
		{"a month and a country are not people",
			"In May, Israel said: “We will respond.”",
			"We will respond.", ""},
	}
	runSpeakerCases(t, tests)
	for _, body := range []string{
		"Israel Hamas talks resumed in May.",
		"The minister visited Israel on Monday.",
	} {
		if b := Brief(Article{Body: body}); len(b.People) != 0 {
			t.Errorf("%q: people = %+v", body, b.People)
		}
	}
}

// TestLayoutAttribution: a short header line ("Quote from X:") introduces
// the quote paragraph after it; a person named only by a first name ("gave
// her name only as X") speaks.
func TestLayoutAttribution(t *testing.T) {
	tests := []speakerCase{
		{"quote from header",
			"Quote from President Volodymyr Zelensky:\n\n“We will not give up our land.”",
			"We will not give up our land.", "Volodymyr Zelensky"},
		{"header with a surname named before",
			"President Volodymyr Zelensky spoke in Kyiv. Quote from Zelensky:\n\n“We will not give up our land.”",
			"We will not give up our land.", "Volodymyr Zelensky"},
		{"gave her name only as",
			"A woman who gave her name only as Lyudmila said: “We have no heat.”",
			"We have no heat.", "Lyudmila"},
		{"identified only as",
			"A fighter identified only as Omar told reporters: “We will hold the line.”",
			"We will hold the line.", "Omar"},
	}
	runSpeakerCases(t, tests)
	// a header without a person gives no speaker
	b := Brief(Article{Body: "Prime Minister Keir Starmer spoke in London. Key points:\n\n“We will not give up, whatever happens next week.”"})
	for _, q := range b.Quotes {
		if q.Speaker != "" && q.Speaker != "Keir Starmer" {
			t.Errorf("quote %q: speaker %q", q.Text, q.Speaker)
		}
	}
}

// TestRadarLossAndPortCities: drones that disappear from radar are
// suppressed, not downed; "the Black Sea port city of X" places the attack
// in X.
func TestRadarLossAndPortCities(t *testing.T) {
	b := Brief(Article{Body: "Russia launched 90 drones overnight. Air defences shot down 60, and 20 disappeared from radar, the air force said."})
	if len(b.Attacks) != 1 {
		t.Fatalf("attacks = %+v, want one", b.Attacks)
	}
	if a := b.Attacks[0]; a.Suppressed[Drones] != 20 || a.Downed[Drones] != 60 || a.Launched[Drones] != 90 {
		t.Errorf("attack = %+v, want 90 launched, 60 downed, 20 suppressed", a)
	}
	b = Brief(Article{Body: "A Russian drone attack on the Black Sea port city of Odesa injured three people, the governor said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Place != "Odesa" || b.Attacks[0].Injured != 3 {
		t.Errorf("attacks = %+v, want three injured in Odesa", b.Attacks)
	}
	// a number that disappeared is not a weapon without a weapon context
	b = Brief(Article{Body: "Protesters gathered in Tbilisi on Monday. Police said 20 disappeared after the rally."})
	for _, a := range b.Attacks {
		if len(a.Suppressed) != 0 {
			t.Errorf("attack %+v", a)
		}
	}
}

// TestWithWhom: "Y, with whom he spoke" is a meeting of Y and the relative
// clause's subject; other "with whom" clauses are not.
func TestWithWhom(t *testing.T) {
	tests := []meetingCase{
		{"spoke by phone",
			"Prime Minister Benjamin Netanyahu spoke on Monday. He thanked President Isaac Herzog, with whom he spoke by phone on Sunday.",
			[]string{"Benjamin Netanyahu", "Isaac Herzog"}, StatusHeld},
		{"will meet",
			"Chancellor Friedrich Merz praised President Emmanuel Macron, with whom he will meet on Friday.",
			[]string{"Emmanuel Macron", "Friedrich Merz"}, StatusPlanned},
	}
	runMeetingCases(t, tests)
	for _, body := range []string{
		"Chancellor Friedrich Merz praised President Emmanuel Macron, with whom he has worked for years.",
		"Chancellor Friedrich Merz praised President Emmanuel Macron, with whom he did not speak.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}

// TestSharedFamilyName: an honorific's gender picks among people sharing a
// family name once one is known by kin word ("his sister").
func TestSharedFamilyName(t *testing.T) {
	tests := []speakerCase{
		{"Mr. after the sister",
			"His sister Kim Yo Jong issued a statement on Monday. North Korean leader Kim Jong Un inspected a factory. “We are strong,” Mr. Kim said.",
			"We are strong,", "Kim Jong Un"},
		{"Ms. after the sister",
			"His sister Kim Yo Jong issued a statement on Monday. North Korean leader Kim Jong Un inspected a factory. “We are strong,” Ms. Kim said.",
			"We are strong,", "Kim Yo Jong"},
		{"Mr. with the leader first",
			"North Korean leader Kim Jong Un inspected a missile factory on Monday. His sister Kim Yo Jong issued a statement. “We are strong,” Mr. Kim said.",
			"We are strong,", "Kim Jong Un"},
	}
	runSpeakerCases(t, tests)
}

// TestPeriodTotals: counts over a past week, month or year are not one
// attack's tally; a daily "past 24 hours" report and a strike dated "last
// week" still are.
func TestPeriodTotals(t *testing.T) {
	for _, body := range []string{
		"Over the past week, Russian strikes killed 25 people across Ukraine, the president said.",
		"In the last two months, drones killed 40 civilians in the region, officials said.",
		"So far this year, attacks have killed 300 people in the province.",
	} {
		for _, a := range Brief(Article{Body: body}).Attacks {
			if a.Killed != 0 || len(a.Launched) != 0 {
				t.Errorf("%q: attack %+v", body, a)
			}
		}
	}
	for _, tc := range []struct {
		body   string
		killed int
	}{
		{"A Russian missile strike on Sumy last week killed 12 people, the governor said.", 12},
		{"Russian attacks killed four people in the Kherson region over the past 24 hours, the governor said.", 4},
	} {
		b := Brief(Article{Body: tc.body})
		if len(b.Attacks) != 1 || b.Attacks[0].Killed != tc.killed {
			t.Errorf("%q: attacks = %+v, want killed %d", tc.body, b.Attacks, tc.killed)
		}
	}
}

// TestSpeakerPlaceIsNotTallyPlace: where a spokesman spoke is not where
// the attack happened.
func TestSpeakerPlaceIsNotTallyPlace(t *testing.T) {
	for _, body := range []string{
		"A military spokesman in Kyiv said 40 drones were launched overnight.",
		"The minister told reporters in Brussels that 40 drones were launched overnight.",
	} {
		for _, a := range Brief(Article{Body: body}).Attacks {
			if a.Place == "Kyiv" || a.Place == "Brussels" {
				t.Errorf("%q: place %q", body, a.Place)
			}
		}
	}
	b := Brief(Article{Body: "Russia launched 40 drones at targets in Kyiv overnight, the air force said."})
	if len(b.Attacks) != 1 || b.Attacks[0].Place != "Kyiv" {
		t.Errorf("attacks = %+v, want one in Kyiv", b.Attacks)
	}
}

// TestHitByWeapons: "X was hit by N drones and M guided bombs" launches
// those weapons at X; "hit by" without a weapon count is nothing.
func TestHitByWeapons(t *testing.T) {
	b := Brief(Article{Body: "Kharkiv was hit by 12 drones and two guided bombs overnight, the mayor said."})
	if len(b.Attacks) != 1 {
		t.Fatalf("attacks = %+v, want one", b.Attacks)
	}
	a := b.Attacks[0]
	if a.Place != "Kharkiv" || a.Launched[Drones] != 12 || a.Launched[GuidedBombs] != 2 {
		t.Errorf("attack = %+v, want 12 drones and 2 guided bombs launched at Kharkiv", a)
	}
	b = Brief(Article{Body: "The economy was hit by 12 percent inflation last year, the central bank said."})
	if len(b.Attacks) != 0 {
		t.Errorf("attacks = %+v, want none", b.Attacks)
	}
}
