package digest

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"newsbrief/briefing"
)

// DefaultMaxQuotes is the number of quotes a digest carries when
// Options.MaxQuotes is zero.
const DefaultMaxQuotes = 5

// Options tune Build. The zero value is usable.
type Options struct {
	// MaxQuotes caps the quotes (0 = DefaultMaxQuotes, negative = none).
	MaxQuotes int
	// Location is the subscriber's time zone: it decides which calendar day
	// an article, a meeting or an attack belongs to. nil means UTC.
	Location *time.Location
}

// Build makes the digest of entries ingested in (from, to] (a zero from or
// to leaves that side open; an entry with a zero Ingested time is always
// included). It is pure and deterministic: the same input gives the same
// digest whatever the order of entries.
//
// Meetings: one line per set of participants and day, whatever the number
// of articles reporting it, with every source. Participants are compared by
// surname, case-insensitively ("Zelensky" and "Volodymyr Zelensky" are one
// person); the longest spelling is shown. A meeting is "held" if any report
// says so.
//
// Quotes: at most MaxQuotes. The same words reported by several articles
// are one quote with several sources. Selection goes one quote per speaker
// first, speakers ordered by how many articles quote them, then by first
// appearance; each speaker's best quote is the one closest to a readable
// length (40–300 characters). Remaining slots go to further quotes by the
// same measure; quotes with no known speaker come last.
//
// Attacks: tallies are merged per day and place. Two tallies are the same
// attack, and become one line listing both sources, when
//   - their day is the same (the day is taken from When relative to the
//     article's publication day in Location: "overnight", "last night" and
//     "this morning" are the publication day — a night belongs to the
//     morning it ends; "yesterday" the day before; a weekday the latest such
//     day on or before publication, plus one for "<weekday> night"; an
//     explicit "24 November"/"November 24"/"2026-11-24" that date);
//   - their places are equal ignoring case and punctuation, or one has none;
//   - their weapon counts are compatible: for each of Launched, Downed and
//     Suppressed, the weapon kinds of one are a subset of the other's and
//     every kind both report has the same count — except that an
//     approximate tally ("more than 100") agrees with a larger exact one.
//
// A merged tally has the union of weapon counts (the exact figure wins over
// an approximate one), the largest Killed, Injured, ChildrenKilled and
// ChildrenInjured any report gives (tolls rise during the day; the newest,
// larger figure is kept), the union of Regions, and the first non-empty
// Place, When, ReportedBy and Evidence in ingestion order. Tallies that
// conflict stay separate lines.
func Build(date string, from, to time.Time, entries []Entry, opts Options) Digest {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	maxQuotes := opts.MaxQuotes
	if maxQuotes == 0 {
		maxQuotes = DefaultMaxQuotes
	}

	es := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if !e.Ingested.IsZero() {
			if !from.IsZero() && !e.Ingested.After(from) {
				continue
			}
			if !to.IsZero() && e.Ingested.After(to) {
				continue
			}
		}
		es = append(es, e)
	}
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := a.Ingested.Compare(b.Ingested); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Source.URL, b.Source.URL); c != 0 {
			return c
		}
		return cmp.Compare(a.Source.Title, b.Source.Title)
	})

	d := Digest{
		Date:     date,
		From:     from,
		To:       to,
		Articles: []Source{},
		Meetings: []Meeting{},
		Quotes:   []Quote{},
		Attacks:  []Attack{},
	}
	seenArticle := map[string]bool{}
	for _, e := range es {
		k := sourceKey(e.Source)
		if !seenArticle[k] {
			seenArticle[k] = true
			d.Articles = append(d.Articles, e.Source)
		}
	}
	d.Meetings = mergeMeetings(es, loc)
	d.Quotes = pickQuotes(es, maxQuotes)
	d.Attacks = mergeAttacks(es, loc)
	return d
}

func sourceKey(s Source) string {
	if s.URL != "" {
		return "u:" + s.URL
	}
	return "t:" + s.Source + "\x00" + s.Title
}

// addSource appends s to list unless seen (the keys of list) has it.
func addSource(list []Source, seen map[string]bool, s Source) []Source {
	k := sourceKey(s)
	if seen[k] {
		return list
	}
	seen[k] = true
	return append(list, s)
}

// dayCache memoises eventDay: many reports share a When phrase and day.
type dayCache map[string]time.Time

func (c dayCache) get(when string, article time.Time) time.Time {
	k := article.Format(time.DateOnly) + "|" + when
	if d, ok := c[k]; ok {
		return d
	}
	d := eventDay(when, article)
	c[k] = d
	return d
}

// articleDay is the local calendar day an entry was published (or, lacking
// that, ingested).
func articleDay(e Entry, loc *time.Location) time.Time {
	t := e.Briefing.Published
	if t.IsZero() {
		t = e.Ingested
	}
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var (
	reISODate  = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reDayMonth = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b`)
	reMonthDay = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b`)
	months     = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
	weekdays   = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
)

// eventDay resolves a When phrase against the article's day (a date at
// midnight UTC standing for a local calendar day). See Build for the rule.
func eventDay(when string, article time.Time) time.Time {
	w := strings.ToLower(when)
	if m := reISODate.FindStringSubmatch(w); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		dd, _ := strconv.Atoi(m[3])
		if mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 {
			return time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC)
		}
	}
	if m := reDayMonth.FindStringSubmatch(w); m != nil {
		dd, _ := strconv.Atoi(m[1])
		return nearDate(article, months[strings.ToLower(m[2])[:3]], dd)
	}
	if m := reMonthDay.FindStringSubmatch(w); m != nil {
		dd, _ := strconv.Atoi(m[2])
		return nearDate(article, months[strings.ToLower(m[1])[:3]], dd)
	}
	if strings.Contains(w, "yesterday") {
		return article.AddDate(0, 0, -1)
	}
	// The last weekday named: "the night of Monday to Tuesday" is Tuesday.
	last, lastAt := -1, -1
	for i, name := range weekdays {
		if at := strings.LastIndex(w, name); at > lastAt {
			last, lastAt = i, at
		}
	}
	if last >= 0 {
		back := (int(article.Weekday()) - last + 7) % 7
		day := article.AddDate(0, 0, -back)
		if strings.Contains(w, name(last)+" night") && !strings.Contains(w, "to "+name(last)) && !strings.Contains(w, "into "+name(last)) {
			day = day.AddDate(0, 0, 1)
		}
		return day
	}
	return article
}

func name(weekday int) string { return weekdays[weekday] }

// nearDate is day/month in the year that puts it closest to the article day
// (a 31 December attack reported on 1 January is last year's).
func nearDate(article time.Time, m time.Month, d int) time.Time {
	if m == 0 || d < 1 || d > 31 {
		return article
	}
	best := time.Time{}
	for _, y := range []int{article.Year() - 1, article.Year(), article.Year() + 1} {
		c := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if best.IsZero() || absDur(c.Sub(article)) < absDur(best.Sub(article)) {
			best = c
		}
	}
	return best
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// norm folds case and drops everything but letters and digits, so "Kyiv
// Oblast" and "kyiv-oblast" compare equal.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// surname is the comparison key of a person's name: its last word, folded,
// with the common transliteration variants of a final -y collapsed
// (Zelensky, Zelenskiy, Zelenskyy and Zelenskyi are one person).
func surname(s string) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if len(f) == 0 {
		return ""
	}
	k := norm(f[len(f)-1])
	for _, suf := range []string{"yy", "iy", "yi", "ij"} {
		if len(k) > len(suf)+2 && strings.HasSuffix(k, suf) {
			return k[:len(k)-len(suf)] + "y"
		}
	}
	return k
}

// ---- meetings ----

func mergeMeetings(es []Entry, loc *time.Location) []Meeting {
	out := []Meeting{}
	var seen []map[string]bool // source keys of out[i]
	days := dayCache{}
	index := map[string]int{}
	for _, e := range es {
		aday := articleDay(e, loc)
		for _, m := range e.Briefing.Meetings {
			keys := make([]string, 0, len(m.Participants))
			for _, p := range m.Participants {
				if k := surname(p); k != "" {
					keys = append(keys, k)
				}
			}
			if len(keys) == 0 {
				continue
			}
			slices.Sort(keys)
			keys = slices.Compact(keys)
			day := days.get(m.When, aday)
			key := day.Format(time.DateOnly) + "|" + strings.Join(keys, ",")
			i, ok := index[key]
			if !ok {
				cp := m
				cp.Participants = slices.Clone(m.Participants)
				cp.AccompaniedBy = slices.Clone(m.AccompaniedBy)
				index[key] = len(out)
				out = append(out, Meeting{Meeting: cp, Day: day.Format(time.DateOnly), Sources: []Source{e.Source}})
				seen = append(seen, map[string]bool{sourceKey(e.Source): true})
				continue
			}
			mm := &out[i]
			mm.Sources = addSource(mm.Sources, seen[i], e.Source)
			mm.Participants = longestNames(mm.Participants, m.Participants)
			mm.AccompaniedBy = unionNames(mm.AccompaniedBy, m.AccompaniedBy)
			if m.Status == briefing.StatusHeld {
				mm.Status = briefing.StatusHeld
			}
			if mm.Place == "" {
				mm.Place = m.Place
			}
			if mm.When == "" {
				mm.When = m.When
			}
			if mm.Evidence == "" {
				mm.Evidence = m.Evidence
			}
		}
	}
	return out
}

// longestNames replaces each name in have by the longest spelling of the
// same person found in more.
func longestNames(have, more []string) []string {
	for _, m := range more {
		k := surname(m)
		for i, h := range have {
			if surname(h) == k && len(m) > len(h) {
				have[i] = m
			}
		}
	}
	return have
}

func unionNames(have, more []string) []string {
	for _, m := range more {
		found := false
		for i, h := range have {
			if surname(h) == surname(m) {
				found = true
				if len(m) > len(h) {
					have[i] = m
				}
			}
		}
		if !found {
			have = append(have, m)
		}
	}
	return have
}

// ---- quotes ----

type quoteCand struct {
	q       Quote
	seen    map[string]bool // source keys of q.Sources
	speaker string          // surname key; "" unknown
	order   int
}

func quoteScore(text string) int {
	n := len([]rune(text))
	switch {
	case n < 40:
		return n
	case n <= 300:
		return 300
	default:
		return 300 - (n-300)/4
	}
}

func pickQuotes(es []Entry, limit int) []Quote {
	out := []Quote{}
	if limit < 0 {
		return out
	}
	var cands []*quoteCand
	byText := map[string]*quoteCand{}
	articles := map[string]map[string]bool{} // speaker -> article keys
	firstSeen := map[string]int{}
	for _, e := range es {
		for _, q := range e.Briefing.Quotes {
			if strings.TrimSpace(q.Text) == "" {
				continue
			}
			sp := surname(q.Speaker)
			tk := norm(q.Text)
			if c, ok := byText[tk]; ok {
				c.q.Sources = addSource(c.q.Sources, c.seen, e.Source)
				if c.speaker == "" && sp != "" {
					c.speaker, c.q.Speaker, c.q.Role = sp, q.Speaker, q.Role
				}
			} else {
				c := &quoteCand{q: Quote{Quote: q, Sources: []Source{e.Source}}, seen: map[string]bool{sourceKey(e.Source): true}, speaker: sp, order: len(cands)}
				byText[tk] = c
				cands = append(cands, c)
			}
			if sp != "" {
				if articles[sp] == nil {
					articles[sp] = map[string]bool{}
				}
				articles[sp][sourceKey(e.Source)] = true
				if _, ok := firstSeen[sp]; !ok {
					firstSeen[sp] = len(firstSeen)
				}
			}
		}
	}
	// Best first: known speaker, then more articles quoting the speaker,
	// then readable length, then first appearance.
	slices.SortStableFunc(cands, func(a, b *quoteCand) int {
		if (a.speaker == "") != (b.speaker == "") {
			if a.speaker == "" {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(len(articles[b.speaker]), len(articles[a.speaker])); c != 0 {
			return c
		}
		if a.speaker != b.speaker {
			return cmp.Compare(firstSeen[a.speaker], firstSeen[b.speaker])
		}
		if c := cmp.Compare(quoteScore(b.q.Text), quoteScore(a.q.Text)); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	taken := make([]bool, len(cands))
	spoke := map[string]bool{}
	for i, c := range cands {
		if len(out) == limit {
			break
		}
		if c.speaker == "" || spoke[c.speaker] {
			continue
		}
		spoke[c.speaker] = true
		taken[i] = true
		out = append(out, c.q)
	}
	// Second pass: the rest by readable length, unknown speakers last.
	var rest []*quoteCand
	for i, c := range cands {
		if !taken[i] {
			rest = append(rest, c)
		}
	}
	slices.SortStableFunc(rest, func(a, b *quoteCand) int {
		if (a.speaker == "") != (b.speaker == "") {
			if a.speaker == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(quoteScore(b.q.Text), quoteScore(a.q.Text))
	})
	for _, c := range rest {
		if len(out) == limit {
			break
		}
		out = append(out, c.q)
	}
	return out
}

// ---- attacks ----

type tally struct {
	a    Attack
	seen map[string]bool // source keys of a.Sources
	day  time.Time
	// approxCounts: the weapon counts came from an approximate report.
	approxCounts bool
	// approxToll: the casualty maximum came from an approximate report.
	approxToll bool
}

func mergeAttacks(es []Entry, loc *time.Location) []Attack {
	var ts []*tally
	days := dayCache{}
	for _, e := range es {
		aday := articleDay(e, loc)
		for _, a := range e.Briefing.Attacks {
			day := days.get(a.When, aday)
			merged := false
			for _, t := range ts {
				if t.day.Equal(day) && samePlace(t.a.Place, a.Place) && compatible(t, a) {
					t.merge(a, e.Source)
					merged = true
					break
				}
			}
			if merged {
				continue
			}
			cp := a
			cp.Launched = maps(a.Launched)
			cp.Downed = maps(a.Downed)
			cp.Suppressed = maps(a.Suppressed)
			cp.Regions = slices.Clone(a.Regions)
			ts = append(ts, &tally{
				a:            Attack{Attack: cp, Day: day.Format(time.DateOnly), Sources: []Source{e.Source}},
				seen:         map[string]bool{sourceKey(e.Source): true},
				day:          day,
				approxCounts: a.Approximate,
				approxToll:   a.Approximate,
			})
		}
	}
	out := make([]Attack, 0, len(ts))
	for _, t := range ts {
		t.a.Approximate = t.approxCounts || t.approxToll
		out = append(out, t.a)
	}
	return out
}

func maps(m map[string]int) map[string]int {
	if m == nil {
		return nil
	}
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func samePlace(a, b string) bool {
	return a == "" || b == "" || norm(a) == norm(b)
}

// compatible reports whether report a can be the same tally as t.
func compatible(t *tally, a briefing.Attack) bool {
	for _, pair := range [][2]map[string]int{
		{t.a.Launched, a.Launched}, {t.a.Downed, a.Downed}, {t.a.Suppressed, a.Suppressed},
	} {
		if !countsAgree(pair[0], t.approxCounts, pair[1], a.Approximate) {
			return false
		}
	}
	return true
}

// countsAgree: one key set is a subset of the other and shared kinds have
// the same count, or an approximate count is at most the exact one.
func countsAgree(x map[string]int, xApprox bool, y map[string]int, yApprox bool) bool {
	xSubY, ySubX := true, true
	for k := range x {
		if _, ok := y[k]; !ok {
			xSubY = false
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			ySubX = false
		}
	}
	if !xSubY && !ySubX {
		return false
	}
	for k, xv := range x {
		yv, ok := y[k]
		if !ok || xv == yv {
			continue
		}
		switch {
		case xApprox && !yApprox && xv <= yv:
		case yApprox && !xApprox && yv <= xv:
		default:
			return false
		}
	}
	return true
}

func (t *tally) merge(a briefing.Attack, src Source) {
	ta := &t.a
	ta.Sources = addSource(ta.Sources, t.seen, src)
	// Weapon counts: union; an exact figure replaces an approximate one.
	exactWins := t.approxCounts && !a.Approximate
	mergeCounts(&ta.Launched, a.Launched, exactWins)
	mergeCounts(&ta.Downed, a.Downed, exactWins)
	mergeCounts(&ta.Suppressed, a.Suppressed, exactWins)
	if exactWins && (len(a.Launched)+len(a.Downed)+len(a.Suppressed)) > 0 {
		t.approxCounts = false
	}
	// Tolls only rise: keep the largest.
	raised := false
	for _, p := range []struct {
		dst *int
		v   int
	}{
		{&ta.Killed, a.Killed}, {&ta.Injured, a.Injured},
		{&ta.ChildrenKilled, a.ChildrenKilled}, {&ta.ChildrenInjured, a.ChildrenInjured},
	} {
		if p.v > *p.dst {
			*p.dst = p.v
			raised = true
		}
	}
	if raised {
		t.approxToll = a.Approximate
	}
	for _, r := range a.Regions {
		if !slices.ContainsFunc(ta.Regions, func(x string) bool { return norm(x) == norm(r) }) {
			ta.Regions = append(ta.Regions, r)
		}
	}
	if ta.Place == "" {
		ta.Place = a.Place
	}
	if ta.When == "" {
		ta.When = a.When
	}
	if ta.ReportedBy == "" {
		ta.ReportedBy = a.ReportedBy
	}
	if ta.Evidence == "" {
		ta.Evidence = a.Evidence
	}
}

func mergeCounts(dst *map[string]int, src map[string]int, overwrite bool) {
	if len(src) == 0 {
		return
	}
	if *dst == nil {
		*dst = make(map[string]int, len(src))
	}
	for k, v := range src {
		if _, ok := (*dst)[k]; !ok || overwrite {
			(*dst)[k] = v
		}
	}
}
