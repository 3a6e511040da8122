package discord

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/digest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// longBriefing is a deterministic briefing of about 20,000 characters.
func longBriefing() briefing.Briefing {
	b := briefing.Briefing{
		Title:     "Envoy meets president as talks on the war continue",
		URL:       "https://news.example/world/envoy-meets-president",
		Source:    "Example News",
		Published: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		Lead:      "The envoy met the president in the capital on Friday.",
	}
	for i := range 40 {
		b.Meetings = append(b.Meetings, briefing.Meeting{
			Participants:  []string{fmt.Sprintf("Envoy Number%d", i), fmt.Sprintf("President Number%d", i)},
			AccompaniedBy: []string{"Adviser One", "Adviser Two"},
			Place:         "Moscow", When: "on Friday", Status: briefing.StatusHeld,
		})
	}
	for i := range 60 {
		b.Quotes = append(b.Quotes, briefing.Quote{
			Speaker: fmt.Sprintf("Speaker %d", i), Role: "foreign minister",
			Text: fmt.Sprintf("Quote %d: %s", i, strings.Repeat("we are moving in the right direction, ", 5)),
		})
	}
	for i := range 30 {
		b.Attacks = append(b.Attacks, briefing.Attack{
			Place: fmt.Sprintf("Region %d", i), When: "overnight", ReportedBy: "the air force",
			Launched: map[string]int{briefing.Drones: 100 + i, briefing.BallisticMissiles: 5},
			Downed:   map[string]int{briefing.Drones: 80 + i},
			Killed:   i, Injured: 2 * i, ChildrenKilled: i % 3, Approximate: i%2 == 0,
		})
	}
	// One fact longer than any description can hold: the only kind that may
	// be split.
	b.Quotes = append(b.Quotes, briefing.Quote{Speaker: "Long Talker", Text: strings.Repeat("word ", 1000)})
	return b
}

func TestRenderGoldenLong(t *testing.T) {
	b := longBriefing()
	msgs := render(bot.Message{Kind: bot.KindBriefing, Briefing: &b})
	total := 0
	for _, m := range msgs {
		for _, e := range m.Embeds {
			total += ulen(e.Title) + ulen(e.Description)
		}
	}
	if total < 20000 {
		t.Fatalf("fixture renders only %d characters, want >= 20000", total)
	}
	if len(msgs) < 4 {
		t.Errorf("got %d messages, want the briefing split over at least 4", len(msgs))
	}
	for i, m := range msgs {
		if err := checkLimits(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	out, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "long_briefing.golden.json", out)
}

func TestRenderSeedLike(t *testing.T) {
	b := briefing.Briefing{
		Title: "Trump envoy Witkoff meets Putin for talks in Moscow", URL: "https://example.com/a",
		Source: "The Irish Times", Published: time.Date(2025, 4, 25, 12, 0, 0, 0, time.UTC),
		Lead:   "Donald Trump’s envoy Steve Witkoff met Russian president Vladimir Putin in Moscow on Friday.",
		People: []briefing.Person{{Name: "Steve Witkoff", Role: "envoy"}, {Name: "Vladimir Putin", Role: "Russian president"}},
		Meetings: []briefing.Meeting{{
			Participants: []string{"Steve Witkoff", "Vladimir Putin"}, AccompaniedBy: []string{"Yuri Ushakov", "Kirill Dmitriev"},
			Place: "Moscow", When: "Friday", Status: briefing.StatusHeld,
		}},
		Quotes: []briefing.Quote{{Speaker: "Donald Trump", Role: "US president", Text: "Vladimir, STOP!"},
			{Speaker: "", Text: "a *bold* claim_with_underscores and `code` | > [link](x)"}},
		Attacks: []briefing.Attack{{Place: "Kyiv", Killed: 12, Approximate: true,
			Launched: map[string]int{briefing.Missiles: 70, briefing.Drones: 145}}},
	}
	msgs := render(bot.Message{Kind: bot.KindBriefing, Briefing: &b})
	out, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seedlike_briefing.golden.json", out)
	if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
		t.Fatalf("short briefing: got %d messages, want 1 with 1 embed", len(msgs))
	}
	e := msgs[0].Embeds[0]
	for _, want := range []string{"**Steve Witkoff** ↔ **Vladimir Putin** · Moscow", "“Vladimir, STOP!”",
		`a \*bold\* claim\_with\_underscores and \` + "`code\\` \\| \\> \\[link\\](x)", "at least 12 killed", "launched 145 drones, 70 missiles"} {
		if !strings.Contains(e.Description, want) {
			t.Errorf("description lacks %q:\n%s", want, e.Description)
		}
	}
	if e.URL != b.URL || e.Title != b.Title || e.Footer == nil || !strings.Contains(e.Footer.Text, "The Irish Times") {
		t.Errorf("title/url/footer wrong: %+v", e)
	}
}

func TestRenderDigestGolden(t *testing.T) {
	src := digest.Source{Title: "Talks in Moscow", URL: "https://example.com/a", Source: "Example"}
	d := digest.Digest{
		Date: "2026-11-25", From: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		Articles: []digest.Source{src, {Title: "Attack on Kyiv", Source: "Other"}},
		Meetings: []digest.Meeting{{Meeting: briefing.Meeting{Participants: []string{"A", "B"}, Status: briefing.StatusPlanned}, Sources: []digest.Source{src}}},
		Quotes:   []digest.Quote{{Quote: briefing.Quote{Speaker: "C", Text: "hello"}, Sources: []digest.Source{src, src, src, src}}},
		Attacks:  []digest.Attack{{Attack: briefing.Attack{Place: "Kyiv", Injured: 3}, Sources: []digest.Source{src}}},
	}
	msgs := render(bot.Message{Kind: bot.KindDigest, Digest: &d})
	for i, m := range msgs {
		if err := checkLimits(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	out, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "digest.golden.json", out)
}

func TestRenderText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		wantN int
	}{
		{"empty", "  ", 0},
		{"short", "hello @everyone", 1},
		{"lines", strings.Repeat(strings.Repeat("x", 99)+"\n", 50), 3},
		{"one long word", strings.Repeat("y", 4500), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := render(bot.Message{Kind: bot.KindText, Text: tt.in})
			if len(msgs) != tt.wantN {
				t.Fatalf("got %d messages, want %d", len(msgs), tt.wantN)
			}
			for i, m := range msgs {
				if err := checkLimits(m); err != nil {
					t.Errorf("message %d: %v", i, err)
				}
			}
		})
	}
}

// randomText returns n words from a mix of ASCII, markdown metacharacters,
// accented letters and astral emoji (two UTF-16 units each).
func randomText(r *rand.Rand, n int) string {
	words := []string{"Kyiv", "drone", "said", "*", "_", "\\", "`", "Zelenskiy", "Čeština", "😀", "@everyone",
		"<@123>", "|", "#", "[x](y)", "missile", "at", "the", "talks", "ﬁ", "🇺🇦"}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(50) == 0 {
			b.WriteString(strings.Repeat("z", r.IntN(300)))
			continue
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

func randomBriefing(r *rand.Rand) briefing.Briefing {
	b := briefing.Briefing{
		Title: randomText(r, r.IntN(80)), URL: "https://example.com/x", Source: randomText(r, r.IntN(5)),
		Lead: randomText(r, r.IntN(200)),
	}
	if r.IntN(3) == 0 {
		b.Published = time.Unix(r.Int64N(2e9), 0)
	}
	for range r.IntN(30) {
		b.Meetings = append(b.Meetings, briefing.Meeting{Participants: []string{randomText(r, 2), randomText(r, 3)},
			Place: randomText(r, r.IntN(3)), Status: briefing.StatusHeld})
	}
	for range r.IntN(80) {
		n := r.IntN(120)
		if r.IntN(40) == 0 {
			n = 500 + r.IntN(1500) // occasionally a giant quote
		}
		b.Quotes = append(b.Quotes, briefing.Quote{Speaker: randomText(r, r.IntN(3)), Text: randomText(r, n)})
	}
	for range r.IntN(20) {
		b.Attacks = append(b.Attacks, briefing.Attack{Place: randomText(r, 2), Killed: r.IntN(50),
			Launched: map[string]int{briefing.Drones: r.IntN(500)}})
	}
	return b
}

// TestRenderProperties checks, over random briefings, that every message
// keeps every Discord limit and that every fact that can fit an embed
// appears whole, once, in order.
func TestRenderProperties(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		b := randomBriefing(r)
		msgs := render(bot.Message{Kind: bot.KindBriefing, Briefing: &b})
		if len(msgs) == 0 {
			t.Fatalf("seed %d: no messages", seed)
		}
		var lines []string
		for i, m := range msgs {
			if err := checkLimits(m); err != nil {
				t.Fatalf("seed %d message %d: %v", seed, i, err)
			}
			for _, e := range m.Embeds {
				lines = append(lines, strings.Split(e.Description, "\n")...)
			}
		}
		d := briefingDoc(b)
		var facts []string
		if d.lead != "" {
			facts = append(facts, d.lead)
		}
		for _, s := range d.sections {
			facts = append(facts, s.facts...)
		}
		pos := 0
		for _, f := range facts {
			if ulen(f) > maxDescription-20 {
				continue // the only facts allowed to be split
			}
			found := false
			for pos < len(lines) {
				pos++
				if lines[pos-1] == f {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("seed %d: fact missing, split or out of order: %.80q", seed, f)
			}
		}
	}
}

// TestRenderDigestProperties checks the limits over random digests.
func TestRenderDigestProperties(t *testing.T) {
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 11))
		b := randomBriefing(r)
		src := []digest.Source{{Title: randomText(r, 8), URL: "https://example.com/" + randomText(r, 1), Source: randomText(r, 2)}}
		d := digest.Digest{Date: "2026-11-25"}
		for range r.IntN(300) {
			d.Articles = append(d.Articles, src[0])
		}
		for _, m := range b.Meetings {
			d.Meetings = append(d.Meetings, digest.Meeting{Meeting: m, Sources: src})
		}
		for _, q := range b.Quotes {
			d.Quotes = append(d.Quotes, digest.Quote{Quote: q, Sources: append(src, src...)})
		}
		for _, a := range b.Attacks {
			d.Attacks = append(d.Attacks, digest.Attack{Attack: a, Sources: src})
		}
		for i, m := range render(bot.Message{Kind: bot.KindDigest, Digest: &d}) {
			if err := checkLimits(m); err != nil {
				t.Fatalf("seed %d message %d: %v", seed, i, err)
			}
		}
	}
}

// FuzzRenderText checks the plain-text splitter never breaks a limit.
func FuzzRenderText(f *testing.F) {
	f.Add("hello @everyone")
	f.Add(strings.Repeat("😀", 3000))
	f.Fuzz(func(t *testing.T, s string) {
		for i, m := range renderText(s) {
			if err := checkLimits(m); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
		}
	})
}

func BenchmarkRenderLong(b *testing.B) {
	br := longBriefing()
	m := bot.Message{Kind: bot.KindBriefing, Briefing: &br}
	for b.Loop() {
		render(m)
	}
}
