package topic

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsbrief/briefing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		terms   []string
		want    []string // canonical terms
		wantErr string   // substring of the error; "" = success
	}{
		{name: "nil", terms: nil, want: []string{}},
		{name: "blank terms ignored", terms: []string{"", "  "}, want: []string{}},
		{name: "words lower-cased", terms: []string{"Drones", "KYIV"}, want: []string{"drones", "kyiv"}},
		{name: "duplicates once", terms: []string{"kyiv", "Kyiv"}, want: []string{"kyiv"}},
		{name: "exclusion", terms: []string{"-Sport"}, want: []string{"-sport"}},
		{name: "phrase", terms: []string{"Joe  Biden"}, want: []string{"joe biden"}},
		{name: "hyphenated word is a phrase", terms: []string{"al-Assad"}, want: []string{"al assad"}},
		{name: "regex kept verbatim", terms: []string{"/drone[s]?/"}, want: []string{"/drone[s]?/"}},
		{name: "excluded regex", terms: []string{"-/foot(ball)?/"}, want: []string{"-/foot(ball)?/"}},
		{name: "cyrillic", terms: []string{"Київ"}, want: []string{"київ"}},
		{name: "bad regex names term", terms: []string{"ok", "/a(b/"}, wantErr: `"/a(b/"`},
		{name: "empty regex", terms: []string{"//"}, wantErr: "empty regular expression"},
		{name: "symbols only", terms: []string{"+++"}, wantErr: `"+++"`},
		{name: "lone minus", terms: []string{"-"}, wantErr: `"-"`},
		{name: "too long", terms: []string{"/" + strings.Repeat("a", MaxTermLen) + "/"}, wantErr: "longer than"},
		{name: "invalid utf8", terms: []string{"a\xffb"}, wantErr: "UTF-8"},
		{name: "too many terms", terms: manyTerms(MaxTerms + 1), wantErr: "more than"},
		{name: "max terms ok", terms: manyTerms(MaxTerms), want: manyTermsCanon(MaxTerms)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.terms)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %v, want error containing %q", tt.terms, f, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v does not wrap ErrInvalid", err)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.terms, err)
			}
			if diff := cmp.Diff(tt.want, f.Terms()); diff != "" {
				t.Errorf("Terms() mismatch (-want +got):\n%s", diff)
			}
			if got, want := f.String(), strings.Join(tt.want, " "); got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
		})
	}
}

func manyTerms(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "w" + strings.Repeat("x", i)
	}
	return out
}

func manyTermsCanon(n int) []string { return manyTerms(n) }

func TestMatch(t *testing.T) {
	brief := briefing.Briefing{
		People:   []briefing.Person{{Name: "Volodymyr Zelensky", Role: "President"}},
		Meetings: []briefing.Meeting{{Participants: []string{"Volodymyr Zelensky", "Keir Starmer"}, Place: "London"}},
		Quotes:   []briefing.Quote{{Speaker: "Andrii Sybiha", Text: "We need air defence."}},
		Attacks:  []briefing.Attack{{Place: "Ukraine", Regions: []string{"Kharkiv Oblast"}}},
	}
	const title = "Overnight attack: 103 drones launched"
	const body = "Air defence downed most of them. The drone-makers' plant in the city was hit; Kyiv-based analysts said…"
	tests := []struct {
		name  string
		terms []string
		title string
		body  string
		b     briefing.Briefing
		want  bool
	}{
		{name: "empty filter matches", terms: nil, title: title, body: body, want: true},
		{name: "empty filter matches empty text", terms: nil, want: true},
		{name: "word in title", terms: []string{"drones"}, title: title, body: body, want: true},
		{name: "case-insensitive", terms: []string{"DRONES"}, title: title, body: body, want: true},
		{name: "whole words only", terms: []string{"drone"}, title: title, body: "dronesxyz", want: false},
		{name: "hyphen splits words", terms: []string{"drone"}, title: "", body: body, want: true},
		{name: "word followed by suffix", terms: []string{"kyiv"}, title: "", body: body, want: true},
		{name: "prefix is not a word", terms: []string{"air"}, title: "airport news", want: false},
		{name: "any term matches", terms: []string{"missiles", "drones"}, title: title, want: true},
		{name: "no term matches", terms: []string{"missiles", "tanks"}, title: title, body: body, want: false},
		{name: "exclusion wins", terms: []string{"drones", "-downed"}, title: title, body: body, want: false},
		{name: "exclusion only", terms: []string{"-sport"}, title: title, body: body, want: true},
		{name: "exclusion only excluded", terms: []string{"-attack"}, title: title, body: body, want: false},
		{name: "phrase in order", terms: []string{"air defence"}, body: body, want: true},
		{name: "phrase out of order", terms: []string{"defence air"}, body: body, want: false},
		{name: "briefing person name", terms: []string{"zelensky"}, b: brief, want: true},
		{name: "briefing meeting place", terms: []string{"london"}, b: brief, want: true},
		{name: "briefing quote speaker", terms: []string{"sybiha"}, b: brief, want: true},
		{name: "briefing attack region", terms: []string{"kharkiv"}, b: brief, want: true},
		{name: "quote text is not a name", terms: []string{"need"}, b: brief, want: false},
		{name: "parts do not run together", terms: []string{"ukrainekharkiv"}, b: brief, want: false},
		{name: "regex", terms: []string{`/\d+ drones/`}, title: title, want: true},
		{name: "regex case-insensitive", terms: []string{`/OVERNIGHT/`}, title: title, want: true},
		{name: "regex can opt out of case folding", terms: []string{`/(?-i)OVERNIGHT/`}, title: title, want: false},
		{name: "excluded regex", terms: []string{"drones", `-/\bdowned\b/`}, title: title, body: body, want: false},
		{name: "cyrillic word", terms: []string{"київ"}, body: "Атака на Київ вночі", want: true},
		{name: "cyrillic whole word", terms: []string{"київ"}, body: "Київщина", want: false},
		{name: "greek final sigma folds", terms: []string{"ΟΔΟΣ"}, body: "οδος", want: true},
		{name: "kelvin sign folds", terms: []string{"kyiv"}, body: "\u212Ayiv", want: true},
		{name: "digits are words", terms: []string{"103"}, title: title, want: true},
		{name: "combining accent stays in word", terms: []string{"cafe\u0301"}, body: "at the cafe\u0301 today", want: true},
		{name: "combining accent differs", terms: []string{"cafe"}, body: "at the cafe\u0301 today", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.terms)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.terms, err)
			}
			if got := f.Match(tt.title, tt.body, tt.b); got != tt.want {
				t.Errorf("Parse(%q).Match(%q, %q) = %v, want %v", tt.terms, tt.title, tt.body, got, tt.want)
			}
			if got := f.MatchText(NewText(tt.title, tt.body, tt.b)); got != tt.want {
				t.Errorf("MatchText = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestZeroFilterMatchesEverything(t *testing.T) {
	var f Filter
	if !f.Empty() || !f.Match("x", "y", briefing.Briefing{}) || f.String() != "" {
		t.Fatalf("zero Filter: Empty=%v Match=%v String=%q", f.Empty(), f.Match("x", "y", briefing.Briefing{}), f.String())
	}
}

func FuzzParseMatch(f *testing.F) {
	f.Add("drones", "-sport", "Overnight 103 drones hit Kyiv")
	f.Add("/d[r]one/", "al-Assad", "al Assad met drones")
	f.Add("Київ", "-/x{2,}/", "Атака на Київ")
	f.Add("/(?-i)A/", "-", "a")
	f.Fuzz(func(t *testing.T, t1, t2, text string) {
		fl, err := Parse([]string{t1, t2})
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		got := fl.Match(text, "", briefing.Briefing{})
		// The canonical terms parse to an equivalent filter.
		again, err := Parse(fl.Terms())
		if err != nil {
			t.Fatalf("Parse(Terms()=%q): %v", fl.Terms(), err)
		}
		if diff := cmp.Diff(fl.Terms(), again.Terms()); diff != "" {
			t.Fatalf("round trip changed terms:\n%s", diff)
		}
		if again.Match(text, "", briefing.Briefing{}) != got {
			t.Fatalf("round trip changed the verdict on %q", text)
		}
		// A single word term always matches a text that is that word.
		if w, err := Parse([]string{t1}); err == nil && len(w.terms) == 1 && w.terms[0].re == nil && !w.terms[0].exclude {
			if !w.Match(t1, "", briefing.Briefing{}) {
				t.Fatalf("term %q does not match itself", t1)
			}
		}
	})
}

func BenchmarkMatchText(b *testing.B) {
	f, err := Parse([]string{"drones", "missiles", "-sport", `/\bshahed\b/`})
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("Air defence downed 90 of the 103 drones launched overnight. ", 50)
	txt := NewText("Attack", body, briefing.Briefing{})
	b.ResetTimer()
	for b.Loop() {
		f.MatchText(txt)
	}
}
