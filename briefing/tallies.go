package briefing

import "strings"

// tally slots
const (
	slotAmbiguous = iota - 1
	slotNone
	slotLaunched
	slotDowned
	slotSuppressed
	slotKilled
	slotInjured
)

var suppressedVerbs = set(`redirected suppressed jammed lost locationally electronic
diverted disappeared vanished`)

var launchedVerbs = set(`launched fired launching firing used sent deployed attacked
launch fire targeted struck dropped dropping tracked detected hit`)

// fact is one number read from a sentence.
type fact struct {
	slot     int
	kind     string
	val      int
	approx   bool
	more     bool
	child    bool
	subCount bool
	place    string // regional breakdown place
	regional bool
	toll     bool // "the death toll rose to N"
	tok      int
}

// entryDraft is an attack entry being built.
type entryDraft struct {
	a        Attack
	para     int
	sent     int
	lastSlot int
}

// findAttacks reads tallies sentence by sentence and groups them into
// entries by place.
func (d *doc) findAttacks() []Attack {
	var entries []entryDraft
	cur := -1
	written := d.writtenNumbers()
	for si, s := range d.sents {
		if !s.skip && d.attackContext(s) {
			d.attackDoc = true
			_ = si
			break
		}
	}
	ctxKind := ""
	ctxPara := -1
	prevPlace := ""
	heading, headingPara := "", -1
	for si, s := range d.sents {
		if h := d.regionHeading(si); h != "" {
			// a roundup's region heading ("Donetsk region.", "Kharkiv
			// Oblast") places the tallies of the paragraphs under it
			heading, headingPara = h, s.para
			continue
		}
		if s.skip {
			heading = "" // a crosshead ends the heading's section
			continue
		}
		if s.para-ctxPara > 2 {
			ctxKind = ""
		}
		facts := d.sentFacts(s, &ctxKind)
		ctxPara = s.para
		place := d.sentPlace(s)
		if heading != "" && s.para-headingPara <= 3 && !isRegionName(place) {
			place = heading // a town under the heading: the heading's region
		}
		if place == "" && si > 0 && d.sents[si-1].para == s.para {
			place = prevPlace // the paragraph's earlier sentence named it
		}
		prevPlace = place
		regions := d.regionList(s)
		if len(facts) == 0 {
			if len(regions) > 0 && cur >= 0 && s.para-entries[cur].para <= 1 {
				entries[cur].a.Regions = appendUniq(entries[cur].a.Regions, regions...)
			}
			continue
		}
		by := d.reporter(s)
		if in := d.listIntro(s); by == "" && in >= 0 {
			by = d.reporter(d.sents[in])
		}
		when := d.attackWhen(s)
		last := -1
		// "Earlier, officials had put the toll at 11": an older figure
		// never replaces a newer one
		stale := d.sentHas(s, "earlier", "initially", "previously", "originally") && d.sentHas(s, "had")
		for _, f := range facts {
			if stale && cur >= 0 && f.slot >= slotKilled && !f.subCount && entries[cur].a.get(f) > 0 {
				continue
			}
			if f.regional {
				e := entryDraft{a: Attack{Place: f.place, When: when, ReportedBy: by, Evidence: d.sentText(si)}, para: s.para, sent: si}
				e.a.add(f, written)
				entries = append(entries, e)
				continue
			}
			p := place
			if f.place != "" {
				p = f.place
			}
			if cur >= 0 && s.para-entries[cur].para <= 3 && d.canMerge(&entries[cur].a, p, f, s) &&
				!(p == "" && f.slot < slotKilled && by != "" && entries[cur].a.ReportedBy != "" && by != entries[cur].a.ReportedBy && d.reporterCountry(s, by) != "") {
				// (a military reporter's national weapons count is its own
				// entry, not part of a governor's report before it)
				e := &entries[cur]
				if e.a.Place == "" {
					e.a.Place = p
				}
				if e.a.ReportedBy == "" {
					e.a.ReportedBy = by
				}
				if e.a.When == "" {
					e.a.When = when
				}
				if f.more && e.lastSlot != f.slot && f.slot >= slotKilled {
					f.more = false // "another 61 were hurt" after a death toll
				}
				e.a.add(f, written)
				e.lastSlot = f.slot
				e.para = s.para
				last = cur
				continue
			}
			if f.toll {
				// a rising toll updates the latest entry of that place
				if k := latestAt(entries, p); k >= 0 {
					entries[k].a.add(f, written)
					continue
				}
			}
			near := 3
			if f.slot < slotKilled {
				near = 1
			}
			if p == "" && cur >= 0 && entries[cur].a.Approximate && !f.approx && entries[cur].a.get(f) != 0 && !f.more {
				entries[cur].a.add(f, written) // "more than 400 drones", later "458 drones"
				continue
			}
			if p == "" && cur >= 0 && s.para-entries[cur].para <= near && entries[cur].a.get(f) != 0 {
				continue // a detail of the figure already given ("Eleven were hospitalised")
			}
			e := entryDraft{a: Attack{Place: p, When: when, ReportedBy: by, Evidence: d.sentText(si)}, para: s.para, sent: si, lastSlot: f.slot}
			e.a.add(f, written)
			entries = append(entries, e)
			cur = len(entries) - 1
			last = cur
		}
		if len(regions) > 0 && last >= 0 {
			entries[last].a.Regions = appendUniq(entries[last].a.Regions, regions...)
		}
	}
	out := make([]Attack, 0, len(entries))
	for _, e := range entries {
		e.a.finish()
		if e.a.Place == "" && (len(e.a.Launched) > 0 || len(e.a.Downed) > 0 || len(e.a.Suppressed) > 0) {
			e.a.Place = d.targetCountry(d.sents[e.sent], e.a.ReportedBy)
		}
		out = append(out, e.a)
	}
	return out
}

// targetCountry names the country a national weapons tally is about when
// the sentence does not say it in so many words: "Ukrainian drones" were
// downed over Russia, "Russia launched" drones at Ukraine. It returns a
// word of the input or "".
func (d *doc) targetCountry(s sentence, by string) string {
	if c := d.reporterCountry(s, by); c != "" {
		return c
	}
	for k := s.t0; k < s.t1; k++ {
		if !d.free(k) {
			continue
		}
		w := d.lw(k)
		nextWeapon := d.weaponAt(k+1) != "" || d.weaponAt(k+2) != ""
		switch {
		case w == "ukrainian" && nextWeapon:
			return d.wordIn("Russia")
		case w == "russian" && nextWeapon, (w == "russia" || w == "moscow") && verbSlot(d, k+1) == slotLaunched:
			return d.wordIn("Ukraine")
		}
	}
	return ""
}

// wordIn returns w when the input contains it as a word, else "".
func (d *doc) wordIn(w string) string {
	if v, ok := d.wordSeen[w]; ok {
		return v
	}
	v := ""
	for k := range d.toks {
		if d.tx(k) == w || stripPoss(d.tx(k)) == w {
			v = w
			break
		}
	}
	if d.wordSeen == nil {
		d.wordSeen = map[string]string{}
	}
	d.wordSeen[w] = v
	return v
}

// writtenNumbers collects every count the article writes.
func (d *doc) writtenNumbers() map[int]bool {
	m := map[int]bool{}
	for i := range d.toks {
		if d.toks[i].k == tNum || d.toks[i].bits&numberish.bit != 0 {
			if v, _, ok := d.numAt(i); ok {
				m[v] = true
			}
		}
	}
	return m
}

// latestAt returns the latest entry at place p (any entry when p is empty)
// that has a casualty figure, or -1.
func latestAt(entries []entryDraft, p string) int {
	for k := len(entries) - 1; k >= 0; k-- {
		a := &entries[k].a
		if (p == "" || samePlace(p, a.Place)) && (a.Killed > 0 || a.Injured > 0) {
			return k
		}
	}
	return -1
}

func appendUniq(xs []string, ys ...string) []string {
	for _, y := range ys {
		if !containsStr(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

// canMerge reports whether fact f (with place p) belongs to entry a.
func (d *doc) canMerge(a *Attack, p string, f fact, s sentence) bool {
	if p != "" && !samePlace(p, a.Place) {
		return false
	}
	if f.more || f.subCount {
		return true
	}
	if v := a.get(f); v == 0 || v == f.val && p != "" {
		return true // new, or the same figure restated ("a dozen" … “Twelve”)
	}
	// a rising toll updates the same entry
	return (p == "" || samePlace(p, a.Place)) && (d.sentHas(s, "toll", "rose", "risen", "climbed", "increased", "now", "bringing", "total", "number", "confirmed", "updated", "latest"))
}

func samePlace(a, b string) bool {
	return strings.EqualFold(strings.TrimPrefix(a, "the "), strings.TrimPrefix(b, "the "))
}

func (a *Attack) slotMap(slot int) *map[string]int {
	switch slot {
	case slotLaunched:
		return &a.Launched
	case slotDowned:
		return &a.Downed
	case slotSuppressed:
		return &a.Suppressed
	}
	return nil
}

func (a *Attack) get(f fact) int {
	if m := a.slotMap(f.slot); m != nil {
		return (*m)[f.kind]
	}
	switch {
	case f.slot == slotKilled && f.child && f.subCount:
		return a.ChildrenKilled
	case f.slot == slotInjured && f.child && f.subCount:
		return a.ChildrenInjured
	case f.slot == slotKilled:
		return a.Killed
	case f.slot == slotInjured:
		return a.Injured
	}
	return 0
}

// add records a fact; "another N"/"N more" add to the count, a repeated
// figure replaces it (a rising toll: the latest figure wins).
func (a *Attack) add(f fact, written map[int]bool) {
	if f.approx {
		defer func() { a.Approximate = true }()
	}
	set := func(p *int, v int) {
		if f.more && *p > 0 {
			// "another three": the sum, but only when the article writes
			// it, so no number is ever computed
			if written[*p+v] {
				*p += v
			}
		} else {
			if *p > 0 && !f.subCount {
				a.Approximate = f.approx // a newer figure replaces the old one
			}
			*p = v
		}
	}
	if m := a.slotMap(f.slot); m != nil {
		if *m == nil {
			*m = map[string]int{}
		}
		v := (*m)[f.kind]
		set(&v, f.val)
		(*m)[f.kind] = v
		return
	}
	switch f.slot {
	case slotKilled:
		if !f.subCount {
			set(&a.Killed, f.val)
		}
		if f.child {
			set(&a.ChildrenKilled, f.val)
		}
	case slotInjured:
		if !f.subCount {
			set(&a.Injured, f.val)
		}
		if f.child {
			set(&a.ChildrenInjured, f.val)
		}
	}
}

// finish records the missile total when all missiles are of one type.
func (a *Attack) finish() {
	for _, m := range []map[string]int{a.Launched, a.Downed, a.Suppressed} {
		if m == nil {
			continue
		}
		if _, ok := m[Missiles]; ok {
			continue
		}
		b, c := m[BallisticMissiles], m[CruiseMissiles]
		if b > 0 && c == 0 {
			m[Missiles] = b
		} else if c > 0 && b == 0 {
			m[Missiles] = c
		}
	}
}

// reporterCountry names the country of a national tally from its
// reporter: Ukraine's air force counts what was launched at Ukraine, the
// Russian defence ministry what it downed over Russia. Only a military
// reporter qualifies (not a governor or a mayor).
func (d *doc) reporterCountry(s sentence, by string) string {
	lb := strings.ToLower(by)
	if !(strings.Contains(lb, "air force") || strings.Contains(lb, "ministry") || strings.Contains(lb, "general staff") || strings.Contains(lb, "military")) {
		return ""
	}
	switch {
	case strings.Contains(lb, "ukrain"):
		return "Ukraine"
	case strings.Contains(lb, "russia"):
		return "Russia"
	}
	return ""
}

// regionHeading returns the region a one-line heading names: a paragraph
// that is only "<Name> region", "<Name> Oblast" or "<Name> province",
// with at most a final full stop or colon. Otherwise "".
func (d *doc) regionHeading(si int) string {
	s := d.sents[si]
	p := d.paras[s.para]
	if d.text[s.s:s.e] != strings.TrimSpace(d.text[p.s:p.e]) {
		return ""
	}
	end := s.t1
	if d.isPunct(end-1, ".") || d.isPunct(end-1, ":") {
		end--
	}
	if end-s.t0 < 2 || end-s.t0 > 4 {
		return ""
	}
	for k := s.t0; k < end-1; k++ {
		if !d.isCap(k) {
			return ""
		}
	}
	if w := d.lw(end - 1); w != "region" && w != "oblast" && w != "province" {
		return ""
	}
	return d.text[d.toks[s.t0].s:d.toks[end-1].e]
}

// isRegionName reports a place ending in "region", "oblast" or "province"
// (any case).
func isRegionName(p string) bool {
	for _, suf := range []string{"region", "oblast", "province"} {
		if len(p) >= len(suf) && strings.EqualFold(p[len(p)-len(suf):], suf) {
			return true
		}
	}
	return false
}
