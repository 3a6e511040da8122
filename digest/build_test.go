package digest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/briefing"
)

var kyiv = mustLoad("Europe/Kyiv")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a time on 2026-11-24 (a Tuesday) in Kyiv.
func at(hh, mm int) time.Time { return time.Date(2026, 11, 24, hh, mm, 0, 0, kyiv) }

func src(n int) Source {
	return Source{Title: fmt.Sprintf("Article %d", n), URL: fmt.Sprintf("https://news.example/%d", n), Source: "Example"}
}

func entry(n int, ingested time.Time, b briefing.Briefing) Entry {
	b.Published = ingested
	return Entry{Source: src(n), Briefing: b, Ingested: ingested}
}

// threeReports are three differently worded articles about the same night's
// attack, written the way the engine reports them.
func threeReports() []Entry {
	return []Entry{
		// "Russia launched 103 drones overnight; air defence downed 90 of
		// them. One person was killed in Kharkiv, the Air Force said."
		entry(1, at(7, 30), briefing.Briefing{
			Title: "Russia launches 103 drones at Ukraine overnight",
			Attacks: []briefing.Attack{{
				Place: "Ukraine", When: "overnight", ReportedBy: "Air Force",
				Launched: map[string]int{briefing.Drones: 103},
				Downed:   map[string]int{briefing.Drones: 90},
				Killed:   1,
				Evidence: "Russia launched 103 drones overnight, the Air Force said.",
			}},
		}),
		// "In the night of Monday to Tuesday the enemy attacked with 103
		// Shahed-type drones and 5 missiles ..."
		entry(2, at(10, 5), briefing.Briefing{
			Title: "Massive combined strike: drones and missiles",
			Attacks: []briefing.Attack{{
				Place: "ukraine", When: "in the night of Monday to Tuesday",
				Launched: map[string]int{briefing.Drones: 103, briefing.Missiles: 5},
				Downed:   map[string]int{briefing.Drones: 90, briefing.Missiles: 3},
				Evidence: "In the night of Monday to Tuesday the enemy attacked with 103 Shahed-type drones and 5 missiles.",
			}},
		}),
		// "More than 100 drones were launched last night; the death toll
		// has risen to 3, including a child; 12 injured."
		entry(3, at(16, 45), briefing.Briefing{
			Title: "Death toll from night attack rises to three",
			Attacks: []briefing.Attack{{
				When:           "last night",
				Launched:       map[string]int{briefing.Drones: 100},
				Approximate:    true,
				Killed:         3,
				ChildrenKilled: 1,
				Injured:        12,
				Regions:        []string{"Kharkiv Oblast"},
				Evidence:       "More than 100 drones were launched last night; the death toll has risen to three.",
			}},
		}),
	}
}

func TestBuildThreeArticlesOneTally(t *testing.T) {
	d := Build("2026-11-24", at(0, 0), at(23, 0), threeReports(), Options{Location: kyiv})
	if len(d.Attacks) != 1 {
		t.Fatalf("got %d attack lines, want 1:\n%s", len(d.Attacks), js(d.Attacks))
	}
	got := d.Attacks[0]
	want := Attack{
		Attack: briefing.Attack{
			Place: "Ukraine", When: "overnight", ReportedBy: "Air Force",
			Launched:       map[string]int{briefing.Drones: 103, briefing.Missiles: 5},
			Downed:         map[string]int{briefing.Drones: 90, briefing.Missiles: 3},
			Killed:         3,
			Injured:        12,
			ChildrenKilled: 1,
			// The largest toll came from an approximate report ("more than").
			Approximate: true,
			Regions:     []string{"Kharkiv Oblast"},
			Evidence:    "Russia launched 103 drones overnight, the Air Force said.",
		},
		Day:     "2026-11-24",
		Sources: []Source{src(1), src(2), src(3)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("merged tally mismatch (-want +got):\n%s", diff)
	}
	if len(d.Articles) != 3 {
		t.Errorf("Articles = %d, want 3", len(d.Articles))
	}
}

func TestBuildOrderIndependent(t *testing.T) {
	es := append(threeReports(), meetingEntries()...)
	want := Build("2026-11-24", time.Time{}, time.Time{}, es, Options{Location: kyiv})
	for i := range 5 {
		shuffled := slices.Clone(es)
		// deterministic permutations
		for j := range shuffled {
			k := (j*7 + i*3) % len(shuffled)
			shuffled[j], shuffled[k] = shuffled[k], shuffled[j]
		}
		got := Build("2026-11-24", time.Time{}, time.Time{}, shuffled, Options{Location: kyiv})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("permutation %d changed the digest:\n%s", i, diff)
		}
	}
}

func TestBuildAttacks(t *testing.T) {
	drones := func(n int) map[string]int { return map[string]int{briefing.Drones: n} }
	tests := []struct {
		name    string
		entries []Entry
		want    []string // "day place launched-drones sources" per line
	}{
		{
			name: "different nights stay apart",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "yesterday", Launched: drones(103)}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1]", "2026-11-23 Ukraine 103 [2]"},
		},
		{
			name: "conflicting counts stay apart",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(88)}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1]", "2026-11-24 Ukraine 88 [2]"},
		},
		{
			name: "regional breakdown is its own line",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{
					{Place: "Ukraine", When: "overnight", Launched: drones(103)},
					{Place: "Kharkiv Oblast", When: "overnight", Launched: drones(20)},
				}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Kharkiv oblast", When: "last night", Launched: drones(20)}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1]", "2026-11-24 Kharkiv Oblast 20 [1 2]"},
		},
		{
			name: "approximate above exact is a different figure",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(120), Approximate: true}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1]", "2026-11-24 Ukraine 120 [2]"},
		},
		{
			name: "approximate first, exact later wins",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(100), Approximate: true}}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1 2]"},
		},
		{
			name: "explicit date and weekday night agree",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Odesa", When: "on Monday night", Launched: drones(30)}}}),
				entry(2, at(9, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Odesa", When: "on 24 November", Launched: drones(30)}}}),
			},
			want: []string{"2026-11-24 Odesa 30 [1 2]"},
		},
		{
			name: "same article syndicated twice is one source",
			entries: []Entry{
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
				entry(1, at(8, 0), briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: drones(103)}}}),
			},
			want: []string{"2026-11-24 Ukraine 103 [1]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Build("2026-11-24", time.Time{}, time.Time{}, tt.entries, Options{Location: kyiv})
			var got []string
			for _, a := range d.Attacks {
				var ids []string
				for _, s := range a.Sources {
					ids = append(ids, s.URL[len("https://news.example/"):])
				}
				got = append(got, fmt.Sprintf("%s %s %d %v", a.Day, a.Place, a.Launched[briefing.Drones], ids))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("attack lines (-want +got):\n%s", diff)
			}
		})
	}
}

func meetingEntries() []Entry {
	return []Entry{
		entry(4, at(11, 0), briefing.Briefing{Meetings: []briefing.Meeting{{
			Participants: []string{"Zelensky", "Trump"}, Status: briefing.StatusPlanned, When: "today",
			Evidence: "Zelensky is to meet Trump today.",
		}}}),
		entry(5, at(18, 0), briefing.Briefing{Meetings: []briefing.Meeting{{
			Participants: []string{"Donald Trump", "Volodymyr Zelensky"}, Status: briefing.StatusHeld, Place: "the White House",
			AccompaniedBy: []string{"Andrii Yermak"}, Evidence: "Volodymyr Zelensky met Donald Trump at the White House.",
		}}}),
		entry(6, at(19, 0), briefing.Briefing{Meetings: []briefing.Meeting{
			{Participants: []string{"Zelensky", "Trump"}, Status: briefing.StatusHeld, When: "yesterday", Evidence: "Zelensky spoke with Trump by phone yesterday."},
			{Participants: []string{"Macron", "Starmer"}, Status: briefing.StatusHeld, Evidence: "Macron met Starmer."},
		}}),
	}
}

func TestBuildMeetings(t *testing.T) {
	d := Build("2026-11-24", time.Time{}, time.Time{}, meetingEntries(), Options{Location: kyiv})
	type line struct {
		Day, Status, Place string
		Participants       []string
		Accompanied        []string
		Sources            int
	}
	var got []line
	for _, m := range d.Meetings {
		got = append(got, line{m.Day, m.Status, m.Place, m.Participants, m.AccompaniedBy, len(m.Sources)})
	}
	want := []line{
		{"2026-11-24", briefing.StatusHeld, "the White House", []string{"Volodymyr Zelensky", "Donald Trump"}, []string{"Andrii Yermak"}, 2},
		{"2026-11-23", briefing.StatusHeld, "", []string{"Zelensky", "Trump"}, nil, 1},
		{"2026-11-24", briefing.StatusHeld, "", []string{"Macron", "Starmer"}, nil, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("meetings (-want +got):\n%s", diff)
	}
}

func TestBuildQuotes(t *testing.T) {
	q := func(speaker, text string) briefing.Quote { return briefing.Quote{Speaker: speaker, Text: text} }
	long := "We will not accept any agreement that rewards the aggressor, and our partners know it very well."
	es := []Entry{
		entry(1, at(8, 0), briefing.Briefing{Quotes: []briefing.Quote{
			q("Volodymyr Zelensky", "Thank you."),
			q("Volodymyr Zelensky", long),
			q("Andrii Sybiha", "Russia must be stopped now, before it attacks again and again."),
		}}),
		entry(2, at(9, 0), briefing.Briefing{Quotes: []briefing.Quote{
			q("Zelensky", long), // the same words, a second source
			q("", "Unknown speakers come last, however long their words are."),
			q("Kaja Kallas", "Europe must step up its support for Ukraine this winter."),
		}}),
		entry(3, at(10, 0), briefing.Briefing{Quotes: []briefing.Quote{
			q("Andrii Sybiha", "Air defence is the priority for every partner we speak to."),
			q("Mark Rutte", "NATO stands with Ukraine and will continue to do so."),
			q("Kaja Kallas", "Sanctions work."),
		}}),
	}
	tests := []struct {
		name string
		max  int
		want []string // "surname: first words | sources"
	}{
		{name: "default five, one per speaker first", max: 0, want: []string{
			"Zelensky: We will | 2",
			"Sybiha: Russia must | 1",
			"Kallas: Europe must | 1",
			"Rutte: NATO stands | 1",
			"Sybiha: Air defence | 1",
		}},
		{name: "two", max: 2, want: []string{"Zelensky: We will | 2", "Sybiha: Russia must | 1"}},
		{name: "none", max: -1, want: nil},
		{name: "all", max: 20, want: []string{
			"Zelensky: We will | 2",
			"Sybiha: Russia must | 1",
			"Kallas: Europe must | 1",
			"Rutte: NATO stands | 1",
			"Sybiha: Air defence | 1",
			"Kallas: Sanctions work. | 1",
			"Zelensky: Thank you. | 1",
			": Unknown speakers | 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Build("2026-11-24", time.Time{}, time.Time{}, es, Options{MaxQuotes: tt.max})
			var got []string
			for _, q := range d.Quotes {
				words := q.Text
				if i := nthSpace(words, 2); i > 0 {
					words = words[:i]
				}
				got = append(got, fmt.Sprintf("%s: %s | %d", surname(q.Speaker), words, len(q.Sources)))
			}
			// surname() is folded; compare case-insensitively via the test's own form.
			for i := range got {
				got[i] = titleFirst(got[i])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("quotes (-want +got):\n%s", diff)
			}
		})
	}
}

func nthSpace(s string, n int) int {
	for i, r := range s {
		if r == ' ' {
			n--
			if n == 0 {
				return i
			}
		}
	}
	return -1
}

func titleFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func TestSurnameVariants(t *testing.T) {
	same := [][]string{
		{"Volodymyr Zelensky", "Zelenskiy", "Volodymyr Zelenskyy", "ZELENSKYI"},
		{"Andrii Sybiha", "sybiha"},
		{"Dmitry Peskov", "Peskov"},
	}
	for _, group := range same {
		for _, name := range group[1:] {
			if surname(name) != surname(group[0]) {
				t.Errorf("surname(%q) = %q, surname(%q) = %q: want equal", name, surname(name), group[0], surname(group[0]))
			}
		}
	}
	if surname("Zelensky") == surname("Zelenska") {
		t.Errorf("Zelensky and Zelenska must stay different people")
	}
	if surname("Trump") == surname("Starmer") || surname("") != "" {
		t.Errorf("different surnames compare equal")
	}
}

func TestBuildPeriod(t *testing.T) {
	b := briefing.Briefing{Attacks: []briefing.Attack{{Place: "Ukraine", When: "overnight", Launched: map[string]int{briefing.Drones: 1}}}}
	es := []Entry{
		entry(1, at(6, 0), b),  // at from: excluded (the previous digest had it)
		entry(2, at(6, 1), b),  // inside
		entry(3, at(22, 0), b), // at to: included
		entry(4, at(22, 1), b), // after: excluded
		{Source: src(5), Briefing: b},
	}
	d := Build("2026-11-24", at(6, 0), at(22, 0), es, Options{Location: kyiv})
	var got []string
	for _, a := range d.Articles {
		got = append(got, a.Title)
	}
	want := []string{"Article 5", "Article 2", "Article 3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if d.Date != "2026-11-24" || !d.From.Equal(at(6, 0)) || !d.To.Equal(at(22, 0)) {
		t.Errorf("header = %s %v %v", d.Date, d.From, d.To)
	}
	empty := Build("2026-11-24", at(6, 0), at(22, 0), nil, Options{})
	if !empty.Empty() {
		t.Errorf("digest of nothing is not Empty: %+v", empty)
	}
	// Empty digests still encode lists, not null, for renderers and the API.
	if got := js(empty); got != `{"date":"2026-11-24","from":"2026-11-24T06:00:00+02:00","to":"2026-11-24T22:00:00+02:00","articles":[],"meetings":[],"quotes":[],"attacks":[]}` {
		t.Errorf("empty digest JSON = %s", got)
	}
}

func TestEventDay(t *testing.T) {
	tue := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) // a Tuesday
	jan1 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		when    string
		article time.Time
		want    string
	}{
		{"", tue, "2026-11-24"},
		{"overnight", tue, "2026-11-24"},
		{"last night", tue, "2026-11-24"},
		{"this morning", tue, "2026-11-24"},
		{"yesterday evening", tue, "2026-11-23"},
		{"on Monday", tue, "2026-11-23"},
		{"on Monday night", tue, "2026-11-24"},
		{"overnight on Tuesday", tue, "2026-11-24"},
		{"in the night of Monday to Tuesday", tue, "2026-11-24"},
		{"on Wednesday", tue, "2026-11-18"},
		{"on 22 November", tue, "2026-11-22"},
		{"on November 22nd", tue, "2026-11-22"},
		{"2026-11-20", tue, "2026-11-20"},
		{"on 31 December", jan1, "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			if got := eventDay(tt.when, tt.article).Format(time.DateOnly); got != tt.want {
				t.Errorf("eventDay(%q, %s) = %s, want %s", tt.when, tt.article.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func BenchmarkBuild(b *testing.B) {
	var es []Entry
	for i := range 200 {
		for _, e := range threeReports() {
			e.Source = src(i*3 + len(es)%3)
			es = append(es, e)
		}
	}
	es = append(es, meetingEntries()...)
	b.ResetTimer()
	for b.Loop() {
		Build("2026-11-24", time.Time{}, time.Time{}, es, Options{Location: kyiv})
	}
}
