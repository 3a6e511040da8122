package briefing_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"newsbrief/briefing"
)

// The held-out set in testdata/holdout measures how the engine generalises
// to copy its rules were not written against: other outlets, years, layouts
// (wire updates, ministry tallies, Q&A interviews, live pages, long analysis).
//
// It is for REPORTING ONLY. Do not read its misses to add rules or lexicon
// entries, and do not raise these floors: once the engine is tuned on it, it
// stops measuring anything. Add a new, unseen set instead.
const (
	holdoutDir = "testdata/holdout"
	// holdoutMinSize is the number of articles the held-out set holds.
	holdoutMinSize = 30
	// holdoutFloor is the F1 floor of every category: 0, the set only reports.
	holdoutFloor = 0.0
)

// scoreSet scores briefing.Brief on items with the corpus rules (see
// TestCorpus) and returns the table rows; with -v it logs each file's misses.
func scoreSet(t *testing.T, items []corpusItem) []struct {
	name string
	s    score
} {
	t.Helper()
	var meet, meetStatus, qText, qFull, tal, talPlace score
	speakerRight := 0
	for _, it := range items {
		got := safeBrief(t, it.name, it.article)

		ms, mss, mMiss, mExtra, mPart := match(meetingPairs(it.want.Meetings), meetingPairs(got.Meetings),
			func(w, g pair) bool { return w.matches(g) },
			func(w, g pair) bool { return w.matches(g) && w.status == g.status })
		meet.add(ms)
		meetStatus.add(mss)

		qs, qfs, qMiss, qExtra, qPart := match(it.want.Quotes, got.Quotes,
			func(w, g briefing.Quote) bool { return normQuote(w.Text) == normQuote(g.Text) },
			func(w, g briefing.Quote) bool {
				return normQuote(w.Text) == normQuote(g.Text) && speakerOK(w.Speaker, g.Speaker)
			})
		qText.add(qs)
		qFull.add(qfs)
		speakerRight += qfs.tp

		ts, tps, tMiss, tExtra, tPart := match(tallies(it.want.Attacks), tallies(got.Attacks),
			func(w, g tally) bool { return w.key == g.key && w.value == g.value },
			func(w, g tally) bool { return w.key == g.key && w.value == g.value && samePlace(w.place, g.place) })
		tal.add(ts)
		talPlace.add(tps)

		if !testing.Verbose() {
			continue
		}
		var lines []string
		for _, p := range mMiss {
			lines = append(lines, "  meeting missed: "+p.String())
		}
		for _, p := range mExtra {
			lines = append(lines, "  meeting extra:  "+p.String())
		}
		for _, p := range mPart {
			lines = append(lines, fmt.Sprintf("  meeting status: want %s, got %s", p[0].status, p[1].status))
		}
		for _, q := range qMiss {
			lines = append(lines, fmt.Sprintf("  quote missed:   %q (%s)", short(q.Text), q.Speaker))
		}
		for _, q := range qExtra {
			lines = append(lines, fmt.Sprintf("  quote extra:    %q (%s)", short(q.Text), q.Speaker))
		}
		for _, q := range qPart {
			lines = append(lines, fmt.Sprintf("  quote speaker:  %q want %q, got %q", short(q[0].Text), q[0].Speaker, q[1].Speaker))
		}
		for _, f := range tMiss {
			lines = append(lines, "  tally missed:   "+f.String())
		}
		for _, f := range tExtra {
			lines = append(lines, "  tally extra:    "+f.String())
		}
		for _, f := range tPart {
			lines = append(lines, fmt.Sprintf("  tally place:    %s=%d want %q, got %q", f[0].key, f[0].value, f[0].place, f[1].place))
		}
		if len(lines) > 0 {
			t.Logf("%s: meetings %d/%d (+%d extra), quotes %d/%d with speaker (+%d extra), tallies %d/%d (+%d extra)\n%s",
				it.name, ms.tp, ms.tp+ms.fn, ms.fp, qfs.tp, qfs.tp+qfs.fn, qs.fp, ts.tp, ts.tp+ts.fn, ts.fp,
				strings.Join(lines, "\n"))
		}
	}
	t.Logf("quotes found: %d of %d expected; speaker correct on %d of those found",
		qText.tp, qText.tp+qText.fn, speakerRight)
	return []struct {
		name string
		s    score
	}{
		{"meetings (pairs)", meet},
		{"meetings (pairs+status)", meetStatus},
		{"quotes (text)", qText},
		{"quotes (text+speaker)", qFull},
		{"tallies (field=value)", tal},
		{"tallies (+place)", talPlace},
	}
}

// TestHoldout scores the engine on the held-out set and prints the same
// table as TestCorpus. Its floors are 0: the set measures generalisation and
// must not be used to tune rules (only to report).
func TestHoldout(t *testing.T) {
	reportSet(t, "holdout", loadSet(t, holdoutDir), holdoutFloor)
}

// reportSet scores items, logs the table and fails a category whose F1 is
// below floor.
func reportSet(t *testing.T, label string, items []corpusItem, floor float64) {
	t.Helper()
	rows := scoreSet(t, items)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d articles\n", label, len(items))
	fmt.Fprintf(&sb, "%-24s %5s %5s %5s %6s %6s %6s %6s\n", "category", "TP", "FP", "FN", "P", "R", "F1", "floor")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-24s %5d %5d %5d %6.3f %6.3f %6.3f %6.2f\n",
			r.name, r.s.tp, r.s.fp, r.s.fn, r.s.p(), r.s.r(), r.s.f1(), floor)
	}
	t.Log("\n" + sb.String())
	for _, r := range rows {
		if r.s.f1() < floor {
			t.Errorf("%s: F1 %.3f below floor %.2f", r.name, r.s.f1(), floor)
		}
	}
}

// holdoutNumberWords adds the compound number words the held-out copy uses
// ("twenty-three", "sixty-one") to the forms numberInText knows.
func holdoutNumberWords(n int) []string {
	units := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	tens := map[int]string{2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
	if n >= 20 && n < 100 {
		if n%10 == 0 {
			return []string{tens[n/10]}
		}
		return []string{tens[n/10] + "-" + units[n%10], tens[n/10] + " " + units[n%10]}
	}
	return nil
}

func holdoutNumberInText(text string, n int) bool {
	if numberInText(text, n) {
		return true
	}
	for _, f := range holdoutNumberWords(n) {
		re := regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])` + regexp.QuoteMeta(f) + `($|[^\p{L}\p{N}])`)
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

// TestHoldoutValid checks the set's annotations against their articles.
func TestHoldoutValid(t *testing.T) {
	validateSet(t, loadSet(t, holdoutDir), validSet{
		minSize: holdoutMinSize, minWords: 280, maxWords: 1100,
		nameRe: regexp.MustCompile(`^\d\d-[a-z0-9-]+$`),
	})
}
