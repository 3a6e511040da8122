package briefing

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// compareGolden compares got with testdata/golden/name, rewriting it with
// -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// fixedBriefing is a hand-made briefing so renderer goldens do not move
// when the engine improves; it exercises escaping too.
func fixedBriefing() Briefing {
	return Briefing{
		Title:  "Envoy meets <Putin> & *allies* in [Moscow]",
		URL:    "https://example.com/a_(b)",
		Lead:   "Steve Witkoff met Vladimir Putin in Moscow on Friday.",
		People: []Person{{Name: "Steve Witkoff", Role: "envoy"}, {Name: "Vladimir Putin", Role: "Russian president"}},
		Meetings: []Meeting{
			{Participants: []string{"Steve Witkoff", "Vladimir Putin"}, AccompaniedBy: []string{"Yuri Ushakov"}, Place: "Moscow", When: "Friday", Status: StatusHeld},
			{Participants: []string{"Donald Trump", "Vladimir Putin"}, When: "next week", Status: StatusPlanned},
		},
		Quotes: []Quote{
			{Speaker: "Donald Trump", Text: "Vladimir,\nSTOP!"},
			{Speaker: "", Text: "We _will_ see # <script>"},
			{Speaker: "Ukraine’s air force", Text: "locationally lost"},
		},
		Attacks: []Attack{
			{Place: "Ukraine", When: "overnight", ReportedBy: "Ukraine’s air force", Launched: map[string]int{Drones: 103, Missiles: 2, BallisticMissiles: 2}, Downed: map[string]int{Drones: 41}, Suppressed: map[string]int{Drones: 40}, Regions: []string{"Kharkiv", "Sumy"}},
			{Place: "Kyiv", Killed: 12, ChildrenKilled: 1, Injured: 30, Approximate: true},
			{Killed: 1},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		b    Briefing
	}{
		{"fixed", fixedBriefing()},
		{"empty", Brief(Article{Title: "Nothing happened"})},
		{"seed", Brief(loadSeed(t))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			compareGolden(t, tc.name+".txt", RenderText(tc.b))
			compareGolden(t, tc.name+".md", RenderMarkdown(tc.b))
		})
	}
}

func TestRenderShape(t *testing.T) {
	txt := RenderText(fixedBriefing())
	lines := strings.Split(strings.TrimRight(txt, "\n"), "\n")
	if lines[0] != "Envoy meets <Putin> & *allies* in [Moscow]" {
		t.Errorf("first line = %q, want the title", lines[0])
	}
	for _, sec := range []string{"Met", "Said", "Attacks"} {
		found := false
		for _, l := range lines {
			if l == sec {
				found = true
			}
		}
		if !found {
			t.Errorf("section %q missing in\n%s", sec, txt)
		}
	}
	// one fact per line: a quote with a newline stays on one line
	if strings.Contains(txt, "Vladimir,\nSTOP!") {
		t.Errorf("a fact spans two lines:\n%s", txt)
	}
	md := RenderMarkdown(fixedBriefing())
	for _, bad := range []string{"<script>", "*allies*", "_will_"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown keeps unescaped %q:\n%s", bad, md)
		}
	}
	if got := RenderText(Briefing{Lead: "Only a lead."}); got != "Only a lead.\n" {
		t.Errorf("no title: %q", got)
	}
}
