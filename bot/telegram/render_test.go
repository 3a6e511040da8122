package telegram_test

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"newsbrief/bot"
	"newsbrief/bot/telegram"
	"newsbrief/briefing"
	"newsbrief/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/render")

// golden compares got with testdata/render/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "render", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// sampleBriefing carries hostile text in every field the renderer prints.
func sampleBriefing() briefing.Briefing {
	return briefing.Briefing{
		Title:  `Witkoff meets Putin <script>alert("x")</script> & more`,
		URL:    "https://news.example/a?x=1&y=<2>",
		Source: "Agencies & Co",
		Lead:   "Donald Trump’s envoy Steve Witkoff met Russian president Vladimir Putin in Moscow on Friday.",
		Meetings: []briefing.Meeting{{
			Participants:  []string{"Steve Witkoff", "Vladimir Putin"},
			AccompaniedBy: []string{"Yuri Ushakov", "Kirill Dmitriev"},
			Place:         "Moscow", When: "Friday", Status: briefing.StatusHeld,
		}, {
			Participants: []string{"Donald Trump", "Volodymyr Zelenskiy"},
			Place:        "Rome <b>", Status: briefing.StatusPlanned,
		}},
		Quotes: []briefing.Quote{{
			Speaker: "Mr Lavrov", Role: "Russian foreign minister",
			Text: "We continue our contacts with the American side & <i>others</i>",
		}, {
			Text: "Vladimir,\nSTOP!",
		}},
		Attacks: []briefing.Attack{{
			Place: "Ukraine", When: "overnight", ReportedBy: "Ukraine’s air force",
			Launched:   map[string]int{briefing.Drones: 103},
			Downed:     map[string]int{briefing.Drones: 41},
			Suppressed: map[string]int{briefing.Drones: 40},
			Regions:    []string{"Kharkiv", "Sumy"},
		}, {
			Place: "Pavlohrad", Killed: 3, ChildrenKilled: 1, Injured: 8, Approximate: true,
		}},
	}
}

func sampleDigest() digest.Digest {
	b := sampleBriefing()
	src := []digest.Source{{Title: "Witkoff meets Putin", URL: "https://news.example/a", Source: "Agencies"},
		{Title: "Second <source>", URL: "javascript:alert(1)", Source: ""}}
	d := digest.Digest{
		Date: "2026-11-25",
		From: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		Articles: src,
	}
	d.Meetings = append(d.Meetings, digest.Meeting{Meeting: b.Meetings[0], Sources: src[:1]})
	d.Quotes = append(d.Quotes, digest.Quote{Quote: b.Quotes[0], Sources: src})
	d.Attacks = append(d.Attacks, digest.Attack{Attack: b.Attacks[0], Sources: src})
	return d
}

// longBriefing is about 10,000 characters of facts.
func longBriefing() briefing.Briefing {
	b := briefing.Briefing{Title: "A long day & night", Lead: "Many things happened.", URL: "https://news.example/long"}
	for i := 0; len(briefing.Briefing{Quotes: b.Quotes}.Quotes)*120 < 10000; i++ {
		b.Quotes = append(b.Quotes, briefing.Quote{
			Speaker: fmt.Sprintf("Speaker %d", i), Role: "official",
			Text: fmt.Sprintf("Statement number %d says <nothing> & everything, at length, to fill the message.", i),
		})
	}
	return b
}

const chunkSep = "\n-----8<-----\n"

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  bot.Message
	}{
		{"briefing", bot.Message{Kind: bot.KindBriefing, Briefing: ptr(sampleBriefing())}},
		{"briefing-minimal", bot.Message{Kind: bot.KindBriefing, Briefing: &briefing.Briefing{Title: "Only a title"}}},
		{"digest", bot.Message{Kind: bot.KindDigest, Digest: ptr(sampleDigest()), NoPreview: true}},
		{"text", bot.Message{Kind: bot.KindText, Text: "Use /subscribe <words> & enjoy."}},
		{"briefing-long", bot.Message{Kind: bot.KindBriefing, Briefing: ptr(longBriefing())}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parts := telegram.Render(tc.msg)
			for i, p := range parts {
				checkMessage(t, fmt.Sprintf("part %d", i), p)
			}
			golden(t, tc.name, strings.Join(parts, chunkSep)+"\n")
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestEscapeHostileText(t *testing.T) {
	out := telegram.RenderBriefing(sampleBriefing())
	for _, bad := range []string{"<script>", "<i>others", "<b>\n", "& more", "&Co", "javascript:"} {
		if strings.Contains(out, bad) {
			t.Errorf("rendered HTML contains %q unescaped:\n%s", bad, out)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&amp; more", `href="https://news.example/a?x=1&amp;y=&lt;2&gt;"`} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered HTML lacks %q:\n%s", want, out)
		}
	}
	if d := telegram.RenderDigest(sampleDigest()); strings.Contains(d, "javascript:") {
		t.Errorf("digest links a javascript: URL:\n%s", d)
	}
}

func TestSplitLongBriefing(t *testing.T) {
	src := telegram.RenderBriefing(longBriefing())
	if n := len([]rune(src)); n < 10000 {
		t.Fatalf("long briefing is only %d characters", n)
	}
	parts := telegram.Split(src, telegram.MaxMessageLen)
	if len(parts) < 3 {
		t.Fatalf("got %d parts, want at least 3", len(parts))
	}
	for i, p := range parts {
		checkMessage(t, fmt.Sprintf("part %d", i), p)
		if i < len(parts)-1 && !strings.HasPrefix(src[strings.Index(src, p)+len(p):], "\n") {
			t.Errorf("part %d does not end at a line break", i)
		}
	}
	if got, want := textOf(strings.Join(parts, "\n")), textOf(src); squash(got) != squash(want) {
		t.Error("split lost or changed text")
	}
}

func TestSplitCases(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"Fits", "<b>a</b> b", 20, []string{"<b>a</b> b"}},
		{"Paragraphs", "aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"Lines", "aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"InsideTag", "<b>aaaa bbbb cccc</b>", 15, []string{"<b>aaaa</b>", "<b>bbbb</b>", "<b>cccc</b>"}},
		{"Entity", "a &amp;&amp;&amp;&amp;", 10, []string{"a &amp;", "&amp;&amp;", "&amp;"}},
		{"Nested", `<a href="u"><b>xx yy</b></a>`, 27, []string{`<a href="u"><b>xx</b></a>`, `<a href="u"><b>yy</b></a>`}},
		{"Astral", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"Empty", " \n\n ", 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := telegram.Split(tc.in, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
			}
		})
	}
}

// FuzzSplit checks the invariants on arbitrary escaped text.
func FuzzSplit(f *testing.F) {
	f.Add("hello <world> & friends\n\nsecond paragraph", 30)
	f.Add(strings.Repeat("word ", 50), 17)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 40 || limit > 5000 {
			return
		}
		var b strings.Builder
		for i, para := range strings.Split(text, "\n\n") {
			if i%2 == 0 {
				b.WriteString(`<b>` + telegram.Escape(strings.ReplaceAll(para, "\n", " ")) + "</b>\n\n")
			} else {
				b.WriteString(`<a href="https://x.example/">` + telegram.Escape(para) + "</a>\n\n")
			}
		}
		src := b.String()
		parts := telegram.Split(src, limit)
		for i, p := range parts {
			if utf16Len(p) > limit {
				t.Fatalf("part %d is %d long, limit %d", i, utf16Len(p), limit)
			}
			if err := balanced(p); err != nil {
				t.Fatalf("part %d %q: %v", i, p, err)
			}
		}
		// A word longer than a message is cut without a space: compare
		// the text with all white space removed.
		if nospace(textOf(strings.Join(parts, ""))) != nospace(textOf(src)) {
			t.Fatal("text changed")
		}
	})
}

// checkMessage asserts a message is within Telegram's limits and valid HTML
// of the tags Telegram accepts.
func checkMessage(t *testing.T, name, m string) {
	t.Helper()
	if n := utf16Len(m); n > telegram.MaxMessageLen || n == 0 {
		t.Errorf("%s: length %d, want 1..%d", name, n, telegram.MaxMessageLen)
	}
	if err := balanced(m); err != nil {
		t.Errorf("%s: %v\n%s", name, err, m)
	}
}

var (
	tagRE    = regexp.MustCompile(`^</?(b|i|a)( href="[^"<>]*")?>`)
	entityRE = regexp.MustCompile(`^&(amp|lt|gt|quot|#[0-9]+);`)
)

// balanced reports whether s uses only <b>, <i> and <a href> tags, properly
// nested and closed, and only Telegram's entities.
func balanced(s string) error {
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagRE.FindStringSubmatch(s[i:])
			if m == nil {
				return fmt.Errorf("bad tag at %d: %.20q", i, s[i:])
			}
			if strings.HasPrefix(m[0], "</") {
				if len(stack) == 0 || stack[len(stack)-1] != m[1] {
					return fmt.Errorf("unexpected %s at %d", m[0], i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, m[1])
			}
			i += len(m[0])
		case '&':
			m := entityRE.FindString(s[i:])
			if m == "" {
				return fmt.Errorf("bad entity at %d: %.10q", i, s[i:])
			}
			i += len(m)
		case '>':
			return fmt.Errorf("bare > at %d", i)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %v", stack)
	}
	return nil
}

var anyTag = regexp.MustCompile(`<[^>]*>`)

func textOf(s string) string { return html.UnescapeString(anyTag.ReplaceAllString(s, "")) }

func nospace(s string) string { return strings.Join(strings.Fields(s), "") }

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
