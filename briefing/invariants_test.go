package briefing

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// corpusBodies returns the seed and every corpus article (title, body); the
// corpus is optional so these tests run before it exists.
func corpusBodies(t testing.TB) []Article {
	t.Helper()
	arts := []Article{loadSeed(t)}
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	sort.Strings(files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		title, body, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
		arts = append(arts, Article{Title: title, Body: strings.TrimPrefix(body, "\n")})
	}
	return arts
}

var numberWordOf = func() map[int][]string {
	m := map[int][]string{}
	for w, v := range numberWords {
		m[v] = append(m[v], w)
	}
	return m
}()

// numberInInput reports whether n is written in text as digits (with or
// without thousands separators) or as a number word that yields it.
func numberInInput(text, low string, n int) bool {
	plain := strconv.Itoa(n)
	re := regexp.MustCompile(`(^|[^0-9,.])` + regexp.QuoteMeta(plain) + `($|[^0-9])`)
	if re.MatchString(text) {
		return true
	}
	if n >= 1000 {
		s := plain
		var parts []string
		for len(s) > 3 {
			parts = append([]string{s[len(s)-3:]}, parts...)
			s = s[:len(s)-3]
		}
		parts = append([]string{s}, parts...)
		if strings.Contains(text, strings.Join(parts, ",")) {
			return true
		}
	}
	for _, w := range numberWordOf[n] {
		if strings.Contains(low, w) && regexp.MustCompile(`\b`+w+`\b`).MatchString(low) {
			return true
		}
	}
	if n == 12 && strings.Contains(low, "dozen") {
		return true
	}
	if n == 1 && regexp.MustCompile(`\b(a|an|one)\b`).MatchString(low) {
		return true
	}
	// compound number words ("twenty-five") and "two dozen"
	for w, v := range numberWords {
		for u, x := range numberWords {
			if v >= 20 && v%10 == 0 && x < 10 && v+x == n && strings.Contains(low, w+"-"+u) {
				return true
			}
			if u == "dozen" && v*12 == n && strings.Contains(low, w+" dozen") {
				return true
			}
		}
	}
	return false
}

// checkInvariants asserts the package invariants on one briefing.
func checkInvariants(t testing.TB, a Article, b Briefing) {
	t.Helper()
	text := a.Body
	low := strings.ToLower(text)
	if b.People == nil || b.Meetings == nil || b.Quotes == nil || b.Attacks == nil {
		t.Errorf("nil slice in output: %+v", b)
	}
	if b.Lead != "" && !strings.Contains(text, b.Lead) {
		t.Errorf("lead %q is not in the input", b.Lead)
	}
	// On huge inputs a sample keeps the check itself cheap.
	limit := 200
	if len(text) > 1<<20 {
		limit = 10
	}
	if len(b.Quotes) > limit {
		b.Quotes = b.Quotes[:limit]
	}
	if len(b.Meetings) > limit {
		b.Meetings = b.Meetings[:limit]
	}
	if len(b.Attacks) > limit {
		b.Attacks = b.Attacks[:limit]
	}
	for _, q := range b.Quotes {
		if q.Text == "" || !strings.Contains(text, q.Text) {
			t.Errorf("quote text %q is not an exact span of the input", q.Text)
		}
		if !strings.Contains(text, q.Evidence) {
			t.Errorf("quote evidence %q is not in the input", q.Evidence)
		}
	}
	for _, m := range b.Meetings {
		if len(m.Participants) < 2 {
			t.Errorf("meeting with fewer than two participants: %+v", m)
		}
		if m.Status != StatusHeld && m.Status != StatusPlanned {
			t.Errorf("meeting status %q", m.Status)
		}
		if !strings.Contains(text, m.Evidence) {
			t.Errorf("meeting evidence %q is not in the input", m.Evidence)
		}
	}
	for _, at := range b.Attacks {
		var nums []int
		for _, m := range []map[string]int{at.Launched, at.Downed, at.Suppressed} {
			for _, v := range m {
				nums = append(nums, v)
			}
		}
		nums = append(nums, at.Killed, at.Injured, at.ChildrenKilled, at.ChildrenInjured)
		for _, n := range nums {
			if n != 0 && !numberInInput(text, low, n) {
				t.Errorf("number %d in %+v does not appear in the input", n, at)
			}
		}
		if !strings.Contains(text, at.Evidence) {
			t.Errorf("attack evidence %q is not in the input", at.Evidence)
		}
	}
	if _, err := json.Marshal(b); err != nil {
		t.Errorf("marshal: %v", err)
	}
}

func TestInvariantsOnCorpus(t *testing.T) {
	for _, a := range corpusBodies(t) {
		checkInvariants(t, a, Brief(a))
	}
}

func TestEmptyOutputIsArrays(t *testing.T) {
	raw, err := json.Marshal(Brief(Article{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"people":[]`, `"meetings":[]`, `"quotes":[]`, `"attacks":[]`} {
		if !strings.Contains(string(raw), k) {
			t.Errorf("%s missing in %s", k, raw)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := loadSeed(t)
	first, _ := json.Marshal(Brief(a))
	for i := 0; i < 5; i++ {
		again, _ := json.Marshal(Brief(a))
		if string(again) != string(first) {
			t.Fatalf("run %d differs", i)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	arts := corpusBodies(t)
	want := make([]string, len(arts))
	for i, a := range arts {
		raw, _ := json.Marshal(Brief(a))
		want[i] = string(raw)
	}
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i, a := range arts {
				raw, _ := json.Marshal(Brief(a))
				if string(raw) != want[i] {
					done <- os.ErrInvalid
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal("concurrent Brief gave a different result")
		}
	}
}

// TestHostileInputs: no panic, invariants hold.
func TestHostileInputs(t *testing.T) {
	seed := loadSeed(t).Body
	big := strings.Repeat(seed+"\n", 5<<20/len(seed)+1)
	tests := map[string]string{
		"5MB":            big[:5<<20],
		"invalid utf8":   "Mr \xff\xfe Trump said \"\xc3\x28 we\" \x80 killed 3 people\n\xed\xa0\x80",
		"no punctuation": strings.Repeat("the envoy met the president and three people were killed ", 2000),
		"10000 quotes":   strings.Repeat("\"", 10000),
		"10000 curly":    strings.Repeat("“ ”", 5000) + strings.Repeat("‘", 10000),
		"only newlines":  strings.Repeat("\n", 10000),
		"long word":      strings.Repeat("a", 100000),
		"numbers":        strings.Repeat("1,000,000,000,000 99999999999999999999 drones ", 1000),
		"nested marks":   strings.Repeat("« “ ‘ „ ", 3000),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			a := Article{Title: "t", Body: body}
			b := Brief(a)
			if len(body) > 1<<20 {
				// keep the check cheap: spans of a sample of facts
				if b.Quotes == nil || b.Attacks == nil || len(b.Quotes) == 0 {
					t.Fatalf("5 MB of articles gave no quotes")
				}
				for _, q := range b.Quotes[:min(10, len(b.Quotes))] {
					if !strings.Contains(body, q.Text) {
						t.Errorf("quote %q not in input", q.Text)
					}
				}
				return
			}
			checkInvariants(t, a, b)
			_ = RenderText(b)
			_ = RenderMarkdown(b)
		})
	}
}

// allocBytes measures the bytes Brief allocates for one article.
func allocBytes(a Article) (bytes, allocs uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Brief(a)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// TestLinearGrowth checks that memory and allocation counts (a proxy for
// work; wall-clock time is not used) grow linearly with the input: eight
// times the text must cost at most about eight times as much.
func TestLinearGrowth(t *testing.T) {
	seed := loadSeed(t).Body
	inputs := map[string]string{
		"article": seed + "\n",
		"quotes":  strings.Repeat("“A quote,” he said. \"Another\" ‘x’ « y » ", 50) + "\n",
		"marks":   strings.Repeat("\"“", 400),
		"numbers": strings.Repeat("Russia launched 12 drones and 3 missiles; 4 people were killed. ", 40) + "\n",
	}
	for name, unit := range inputs {
		t.Run(name, func(t *testing.T) {
			small := Article{Body: strings.Repeat(unit, 4)}
			large := Article{Body: strings.Repeat(unit, 32)}
			Brief(small) // warm up
			sb, sa := allocBytes(small)
			lb, la := allocBytes(large)
			if sb == 0 || sa == 0 {
				t.Skip("no allocations measured")
			}
			rb, ra := float64(lb)/float64(sb), float64(la)/float64(sa)
			t.Logf("x8 input: bytes x%.1f, allocs x%.1f", rb, ra)
			if rb > 12 || ra > 12 {
				t.Errorf("growth is superlinear: bytes x%.1f, allocs x%.1f for x8 input", rb, ra)
			}
		})
	}
}

func FuzzBrief(f *testing.F) {
	for _, a := range corpusBodies(f) {
		f.Add(a.Title, a.Body)
	}
	f.Add("", "“unclosed quote\n“continued")
	f.Add("", "\xff\xfe\"")
	f.Fuzz(func(t *testing.T, title, body string) {
		if len(body) > 1<<16 {
			return
		}
		a := Article{Title: title, Body: body}
		done := make(chan Briefing, 1)
		go func() { done <- Brief(a) }()
		var b Briefing
		select {
		case b = <-done:
		case <-time.After(3 * time.Second):
			t.Fatalf("Brief took over 3s on a %d-byte input", len(body))
		}
		checkInvariants(t, a, b)
		if utf8.ValidString(body) {
			_ = RenderText(b)
			_ = RenderMarkdown(b)
		}
	})
}

func BenchmarkBrief(b *testing.B) {
	arts := corpusBodies(b)
	size := 0
	for _, a := range arts {
		size += len(a.Body)
	}
	b.SetBytes(int64(size / len(arts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Brief(arts[i%len(arts)])
	}
	b.ReportMetric(float64(size)/float64(len(arts)), "bytes/article")
}

// BenchmarkBrief5KB measures one 5 KB article (the speed goal).
func BenchmarkBrief5KB(b *testing.B) {
	seed := loadSeed(b).Body
	body := seed
	for len(body) < 5000 {
		body += "\n" + seed
	}
	a := Article{Body: body[:5000]}
	b.SetBytes(int64(len(a.Body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Brief(a)
	}
}
