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

// category verbs for weapons
var downedVerbs = set(`shot downed destroyed intercepted neutralised neutralized repelled
eliminated downing intercepting destroying shooting destroy intercept neutralise neutralize
down`)
var suppressedVerbs = set(`redirected suppressed jammed lost locationally electronic
diverted`)
var launchedVerbs = set(`launched fired launching firing used sent deployed attacked
launch fire targeted struck dropped dropping`)

// nounModifierUse: a weapon noun followed by these is a modifier, not a count
// ("1,000 drone attacks").
var nounModifierUse = set(`attack attacks strike strikes operators operator units unit production
factory factories plant warfare debris wreckage fragments alert alerts pilots manufacturer
makers programme program base bases sites site`)

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
	for si, s := range d.sents {
		if s.skip {
			continue
		}
		if s.para-ctxPara > 2 {
			ctxKind = ""
		}
		facts := d.sentFacts(s, &ctxKind)
		ctxPara = s.para
		place := d.sentPlace(s)
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
		when := d.attackWhen(s)
		last := -1
		for _, f := range facts {
			if f.regional {
				e := entryDraft{a: Attack{Place: f.place, When: when, ReportedBy: by, Evidence: d.sentText(si)}, para: s.para, sent: si}
				e.a.add(f)
				entries = append(entries, e)
				continue
			}
			p := place
			if f.place != "" {
				p = f.place
			}
			if cur >= 0 && s.para-entries[cur].para <= 3 && d.canMerge(&entries[cur].a, p, f, s) {
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
				e.a.add(f)
				e.lastSlot = f.slot
				e.para = s.para
				last = cur
				continue
			}
			if f.toll {
				// a rising toll updates the latest entry of that place
				if k := latestAt(entries, p); k >= 0 {
					entries[k].a.add(f)
					continue
				}
			}
			near := 3
			if f.slot < slotKilled {
				near = 1
			}
			if p == "" && cur >= 0 && s.para-entries[cur].para <= near && entries[cur].a.get(f) != 0 {
				continue // a detail of the figure already given ("Eleven were hospitalised")
			}
			e := entryDraft{a: Attack{Place: p, When: when, ReportedBy: by, Evidence: d.sentText(si)}, para: s.para, sent: si, lastSlot: f.slot}
			e.a.add(f)
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
		out = append(out, e.a)
	}
	return out
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
	if a.get(f) == 0 {
		return true
	}
	// a rising toll updates the same entry
	return (p == "" || samePlace(p, a.Place)) && (d.sentHas(s, "toll", "rose", "risen", "climbed", "increased", "now", "bringing", "total", "number"))
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
func (a *Attack) add(f fact) {
	if f.approx {
		defer func() { a.Approximate = true }()
	}
	set := func(p *int, v int) {
		if f.more && *p > 0 {
			*p += v
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

// sentFacts reads every tally number of sentence s. ctxKind carries the
// last weapon kind for bare numbers ("41 were shot down").
func (d *doc) sentFacts(s sentence, ctxKind *string) []fact {
	out := d.rawFacts(s, ctxKind)
	// a toll sentence ("the death toll rose to four after a woman died")
	// gives only the toll
	tollSlot := slotNone
	for _, f := range out {
		if f.toll {
			tollSlot = f.slot
		}
	}
	// a finer kind listed twice would need a sum ("20 Kh-101 cruise
	// missiles, 14 Kalibr cruise missiles"): drop it
	seen := map[[2]string]int{}
	for _, f := range out {
		if f.kind == BallisticMissiles || f.kind == CruiseMissiles {
			seen[[2]string{string(rune('0' + f.slot)), f.kind}]++
		}
	}
	cumulative := false // "since 2022, Russia has fired 12,000 missiles"
	for k := s.t0; k+1 < s.t1; k++ {
		if d.lw(k) == "since" && (d.toks[k+1].k == tNum || months.has(d.lw(k+1)) && d.toks[min(k+2, s.t1-1)].k == tNum) {
			cumulative = true
		}
	}
	kept := out[:0]
	var casSeen [slotInjured + 1]bool
	for _, f := range out {
		if tollSlot != slotNone && f.slot == tollSlot && !f.toll && !f.subCount {
			continue
		}
		if f.slot >= slotKilled && !f.subCount && !f.more {
			// "killed two people … after a woman died": the first figure
			if casSeen[f.slot] {
				continue
			}
			casSeen[f.slot] = true
		}
		if f.kind != "" && (seen[[2]string{string(rune('0' + f.slot)), f.kind}] > 1 || cumulative) {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// rawFacts reads every number of sentence s that counts weapons or victims.
func (d *doc) rawFacts(s sentence, ctxKind *string) []fact {
	var out []fact
	attackCtx := d.attackDoc
	lastSlot := slotNone
	lastCas := slotNone
	for i := s.t0; i < s.t1; i++ {
		v, j, ok := d.numAt(i)
		if !ok {
			if k := d.weaponAt(i); k != "" && d.free(i) && !nounModifierUse.has(d.lw(i+1)) {
				*ctxKind = k // "Of the drones, 402 were shot down"
			}
			continue
		}
		f := fact{val: v, tok: i, approx: d.approxBefore(i)}
		if d.lw(i-1) == "another" || d.lw(j) == "more" || d.lw(j) == "other" {
			f.more = true
		}
		if d.lw(i-1) == "including" || d.lw(i-2) == "including" || d.lw(i-1) == "among" && d.lw(i-2) == "them" {
			f.subCount = true
			if n := len(out); n > 0 && out[n-1].subCount && out[n-1].child {
				continue // "three children, including a 2-year-old boy"
			}
		}
		if d.lw(i-2) == "among" && d.lw(i-1) == "them" || (d.lw(i-1) == "were" || d.lw(i-1) == "are") && d.lw(i-4) == "among" {
			f.subCount = true
		}
		// "downed 50 of 75 drones": 50 downed (by the verb), 75 launched
		if d.lw(j) == "of" {
			if m, j2, ok2 := d.numAt(j + 1); ok2 {
				if kind := d.weaponAt(j2); kind != "" || d.weaponAt(j2+1) != "" {
					if kind == "" {
						kind = d.weaponAt(j2 + 1)
					}
					if sl := d.weaponSlot(i, i, s, slotNone); sl == slotDowned || sl == slotSuppressed {
						out = append(out, fact{val: v, tok: i, kind: kind, slot: sl}, fact{val: m, tok: j + 1, kind: kind, slot: slotLaunched})
						*ctxKind = kind
						lastSlot = sl
						i = j2
						continue
					}
				}
			}
		}
		// the noun after the number
		n := j
		for n < s.t1 && n-j < 5 && !(d.lw(n) == "of" && (d.lw(n+1) == "them" || d.lw(n+1) == "those" || d.lw(n+1) == "these")) && (d.toks[n].k == tWord || d.attachedPart(n)) && d.weaponAt(n) == "" && !personNouns.has(d.lw(n)) && !d.stopNoun(n) {
			n++
		}
		w := d.lw(n)
		kind := d.weaponAt(n)
		if w == "more" || w == "other" {
			kind = ""
		}
		// "Shahed-type attack drones and decoy drones": the last noun
		for kind != "" && n+1 < s.t1 {
			if d.weaponAt(n+1) != "" {
				n++
				continue
			}
			if x := d.lw(n + 1); (x == "attack" || x == "decoy" || x == "kamikaze" || x == "strike" || x == "combat" || x == "glide" || x == "guided" || x == "aerial" || x == "cruise" || x == "ballistic") && d.weaponAt(n+2) != "" {
				n += 2
				continue
			}
			break
		}
		if kind != "" && d.toks[i].k == tWord && (d.lw(i) == "a" || d.lw(i) == "an") && d.lw(i-1) != "and" && verbSlot(d, i-1) == slotNone {
			continue // "a drone struck the building": a description, not a tally
		}
		if kind != "" && n < s.t1 && !nounModifierUse.has(d.lw(n+1)) {
			if kind == Missiles {
				for k := j; k < n; k++ {
					if sub := missileTypes[d.lw(k)]; sub != "" {
						kind = sub
					}
				}
			}
			f.kind = kind
			if kind == Drones || kind == Missiles || kind == GuidedBombs {
				*ctxKind = kind
			} else {
				*ctxKind = Missiles
			}
			f.slot = d.weaponSlot(i, n, s, lastSlot)
			if f.slot == slotAmbiguous {
				lastSlot = slotAmbiguous
				i = n
				continue
			}
			if f.slot == slotNone {
				continue
			}
			f.place, f.regional = d.regionalPlace(n+1, s)
			lastSlot = f.slot
			out = append(out, f)
			i = n
			continue
		}
		if (d.lw(n+1) == "were" || d.lw(n+1) == "was") && d.lw(n+2) == "among" && d.lw(n+3) == "the" {
			f.subCount = true // "Six children were among the dead"
		}
		if personNouns.has(w) && n-j <= 2 {
			if childNouns.has(w) {
				f.child = true
			}
			f.slot = d.casualtySlot(i, n+1, s)
			if f.slot == slotNone && f.subCount {
				f.slot = lastCas
			}
			if f.slot == slotNone || !attackCtx || f.subCount && !f.child {
				continue
			}
			lastCas = f.slot
			out = append(out, f)
			i = n
			continue
		}
		if n != j && !(n < s.t1 && d.lw(n) == "more") {
			continue
		}
		// a bare number: "41 were shot down", "nine were injured",
		// "38 over the Bryansk region", "12 dead"
		if slot := d.casualtySlot(i, j, s); slot != slotNone && attackCtx && (d.bareCasualty(j, s) || d.casualtyLeft(i, s) != slotNone) {
			f.slot = slot
			f.toll = d.lw(i-1) == "to" && d.sentHas(s, "toll", "number") || d.lw(i-2) == "to" && approxMarkers.has(d.lw(i-1))
			lastCas = slot
			out = append(out, f)
			continue
		}
		if *ctxKind != "" {
			if pl, reg := d.regionalPlace(j, s); reg && lastSlot != slotNone {
				f.kind, f.slot, f.place, f.regional = *ctxKind, lastSlot, pl, true
				out = append(out, f)
				continue
			}
			if slot := d.bareWeaponSlot(i, j, s); slot != slotNone {
				f.kind, f.slot = *ctxKind, slot
				lastSlot = slot
				out = append(out, f)
			}
		}
	}
	return out
}

// weaponAt returns the weapon kind named by token k: a lexicon noun, a
// model name ("Shahed-136", "Kh-101", "Iskander-M") or "unmanned aerial
// vehicles".
func (d *doc) weaponAt(k int) string {
	w := d.lw(k)
	if kd := weaponKind[w]; kd != "" {
		return kd
	}
	switch {
	case w == "vehicles" && d.lw(k-1) == "aerial":
		return Drones
	case strings.HasPrefix(w, "shahed") || strings.HasPrefix(w, "geran") || strings.HasPrefix(w, "gerbera") || strings.HasPrefix(w, "lancet"):
		return Drones
	case strings.HasPrefix(w, "kh-") || strings.HasPrefix(w, "iskander") || strings.HasPrefix(w, "kalibr") ||
		strings.HasPrefix(w, "kinzhal") || strings.HasPrefix(w, "zircon") || strings.HasPrefix(w, "kn-") || w == "s-300" || w == "s-400":
		// a model name counts as a missile only when no noun follows
		for j := k + 1; j <= k+4 && j < len(d.toks); j++ {
			if d.weaponNoun(j) {
				return ""
			}
		}
		return Missiles
	}
	return ""
}

func (d *doc) weaponNoun(k int) bool {
	w := d.lw(k)
	if weaponKind[w] != "" {
		return true
	}
	if w == "cruise" || w == "ballistic" || w == "hypersonic" || w == "aeroballistic" || w == "anti-ship" {
		return d.weaponNoun(k + 1)
	}
	return false
}

// attachedPart reports "/" or a number glued to a model name ("Kh-59/69").
func (d *doc) attachedPart(n int) bool {
	return n > 0 && d.toks[n-1].e == d.toks[n].s && (d.isPunct(n, "/") || d.toks[n].k == tNum && d.isPunct(n-1, "/"))
}

// stopNoun ends the scan for the counted noun.
func (d *doc) stopNoun(n int) bool {
	w := d.lw(n)
	return roleStop.has(w) && w != "of" && w != "the" || w == "across" || w == "near" || w == "throughout" || w == "inside" ||
		w == "outside" || w == "around" || speechVerbs.has(w) || killedWords.has(w) || injuredWords.has(w) ||
		downedVerbs.has(w) || suppressedVerbs.has(w) || launchedVerbs.has(w)
}

// attackContext reports a sentence about an attack (or the one before it).
func (d *doc) attackContext(s sentence) bool {
	from := s.t0
	if si := d.toks[s.t0].sent; si > 0 && d.sents[si-1].para >= s.para-1 {
		from = d.sents[si-1].t0
	}
	for k := from; k < s.t1; k++ {
		if attackWords.has(d.lw(k)) {
			return true
		}
	}
	return false
}

// weaponSlot classifies a weapon count at i (noun at n) by the nearest
// category verb before or after it in the same clause.
func (d *doc) weaponSlot(i, n int, s sentence, last int) int {
	bestSlot, bestDist := slotNone, 1000
	for k := i - 1; k >= s.t0 && i-k <= 8; k-- {
		if d.isPunct(k, ";") || d.isPunct(k, ",") && i-k > 1 || d.toks[k].k == tNum {
			break
		}
		if sl := verbSlot(d, k); sl != slotNone {
			bestSlot, bestDist = sl, i-k
			// "shot down or suppressed 557 drones": no single category
			for b := k - 1; b >= s.t0 && k-b <= 3; b-- {
				if d.lw(b) == "or" {
					return slotAmbiguous
				}
			}
			break
		}
	}
	for k := n + 1; k < s.t1 && k-n <= 10; k++ {
		if d.isPunct(k, ";") || d.isPunct(k, ",") || d.isPunct(k, ".") {
			break
		}
		if _, _, ok := d.numAt(k); ok {
			// "474 drones and 29 missiles were shot down": share the verb
			if d.lw(k-1) == "and" && (d.weaponAt(k+1) != "" || d.weaponAt(k+2) != "") {
				continue
			}
			break
		}
		if sl := verbSlot(d, k); sl != slotNone {
			if k-n < bestDist {
				bestSlot = sl
			}
			break
		}
	}
	if bestSlot == slotNone {
		if last != slotNone {
			return last
		}
		if d.lw(i-1) == "included" || d.lw(i-1) == "including" {
			return slotLaunched
		}
	}
	return bestSlot
}

// verbSlot classifies token k as a weapon category verb.
func verbSlot(d *doc, k int) int {
	w := d.lw(k)
	switch {
	case suppressedVerbs.has(w):
		if w == "lost" && d.lw(k+1) == "their" {
			return slotNone
		}
		return slotSuppressed
	case w == "reach" && (d.lw(k-1) == "not" || d.lw(k-2) == "not" || d.lw(k-1) == "failed" || d.lw(k-2) == "failed"):
		return slotSuppressed
	case downedVerbs.has(w):
		if w == "down" && d.lw(k-1) != "shot" && d.lw(k-1) != "brought" && d.lw(k-1) != "taken" && d.lw(k-1) != "shooting" {
			return slotNone
		}
		if w == "shot" && d.lw(k+1) == "at" {
			return slotNone
		}
		if w == "destroyed" && d.lw(k+1) == "by" {
			return slotNone
		}
		return slotDowned
	case launchedVerbs.has(w):
		return slotLaunched
	}
	return slotNone
}

// casualtySlot classifies a casualty count at i (its noun phrase ends
// before k): a casualty verb after it in the same clause (skipping an
// "including …" aside) or right before it ("killed at least 12 people").
func (d *doc) casualtySlot(i, k int, s sentence) int {
	if sl := d.casualtyLeft(i, s); sl != slotNone {
		return sl
	}
	for j := k; j < s.t1 && j-k <= 10; j++ {
		w := d.lw(j)
		if d.isPunct(j, ",") && (d.lw(j+1) == "including" || d.lw(j+1) == "among") {
			j++
			for j < s.t1 && !d.isPunct(j, ",") {
				j++
			}
			continue
		}
		if d.isPunct(j, ";") || d.isPunct(j, ".") || w == "and" || w == "but" || w == "while" {
			break
		}
		if _, _, ok := d.numAt(j); ok && j > k && !(d.isPunct(j-1, ",") && d.isPunct(j+1, ",")) {
			break
		}
		if sl := casWord(d, j); sl != slotNone {
			return sl
		}
	}
	return slotNone
}

// casualtyLeft classifies a count by the verb right before it ("killed at
// least 12 people", "injuring another eight", "the toll rose to 12",
// "among the injured were two children").
func (d *doc) casualtyLeft(i int, s sentence) int {
	j := i - 1
	for j >= s.t0 && (approxMarkers.has(d.lw(j)) || d.lw(j) == "at" || d.lw(j) == "another" || d.lw(j) == "a") {
		j--
	}
	if d.lw(j) == "were" || d.lw(j) == "are" {
		if sl := casWord(d, j-1); sl != slotNone && d.lw(j-2) == "the" && (d.lw(j-3) == "among") {
			return sl
		}
	}
	if j >= s.t0 {
		w := d.lw(j)
		switch {
		case w == "killing" || w == "killed" || w == "kill":
			return slotKilled
		case w == "injuring" || w == "wounding" || w == "injured" || w == "wounded":
			return slotInjured
		case w == "to" || w == "of":
			for k := j - 1; k >= s.t0 && j-k <= 4; k-- {
				if d.lw(k) == "toll" {
					if d.lw(k-1) == "injury" {
						return slotInjured
					}
					return slotKilled
				}
			}
			if w == "to" {
				// "bringing the number of injured (in the capital) to 20"
				for k := j - 1; k >= s.t0 && j-k <= 8; k-- {
					if d.lw(k) == "number" && d.lw(k+1) == "of" {
						if sl := casWord(d, k+2); sl != slotNone {
							return sl
						}
					}
				}
			}
		}
	}
	return slotNone
}

// casWord classifies a casualty word at j.
func casWord(d *doc, j int) int {
	w := d.lw(j)
	switch {
	case w == "lost" && d.lw(j+1) == "their" && d.lw(j+2) == "lives":
		return slotKilled
	case killedWords.has(w) && w != "lost" && w != "toll" && w != "death":
		return slotKilled
	case injuredWords.has(w):
		if w == "hospital" && d.lw(j-1) != "to" && d.lw(j-2) != "to" && d.lw(j-1) != "in" {
			return slotNone
		}
		return slotInjured
	}
	return slotNone
}

// bareCasualty: a number without a noun must be followed directly by a
// verb ("nine were injured", "12 dead", "eight more were wounded").
func (d *doc) bareCasualty(j int, s sentence) bool {
	k := j
	if d.lw(k) == "more" || d.lw(k) == "others" {
		k++
	}
	for k < s.t1 && (d.lw(k) == "were" || d.lw(k) == "was" || d.lw(k) == "have" || d.lw(k) == "had" || d.lw(k) == "been" || d.lw(k) == "are" || d.lw(k) == "also" || d.lw(k) == "reportedly") {
		k++
	}
	return casWord(d, k) != slotNone
}

// bareWeaponSlot: "41 were shot down", "shot down 97 of them".
func (d *doc) bareWeaponSlot(i, j int, s sentence) int {
	k := j
	if d.lw(k) == "of" && (d.lw(k+1) == "them" || d.lw(k+1) == "those" || d.lw(k+1) == "these") {
		k += 2
	}
	if d.lw(k) == "more" {
		k++
	}
	for k < s.t1 && (d.lw(k) == "were" || d.lw(k) == "was" || d.lw(k) == "have" || d.lw(k) == "had" || d.lw(k) == "been" || d.lw(k) == "are" || d.lw(k) == "also" || d.lw(k) == "where") {
		k++
	}
	if sl := verbSlot(d, k); sl != slotNone && k > j {
		return sl
	}
	if k < s.t1 && d.toks[k].mark == 1 && d.toks[k].q < 0 {
		k++
	}
	if k < s.t1 && d.toks[k].mark == 1 {
		k++
	}
	if sl := verbSlot(d, k); sl != slotNone && k > j {
		return sl
	}
	if d.toks[i].k == tNum || k > j {
		b := i - 1
		for b >= s.t0 && approxMarkers.has(d.lw(b)) || d.lw(b) == "at" {
			b--
		}
		if sl := verbSlot(d, b); sl != slotNone && (d.lw(j) == "of" || d.isPunct(j, ",") || d.isPunct(j, ".")) {
			return sl
		}
	}
	return slotNone
}

// regionalPlace reads "over the Kursk region" right after a count.
func (d *doc) regionalPlace(k int, s sentence) (string, bool) {
	for k < s.t1 && (d.lw(k) == "were" || d.lw(k) == "was" || d.lw(k) == "where" || d.lw(k) == "been" || d.lw(k) == "had" || verbSlot(d, k) != slotNone || d.lw(k) == "down") {
		k++
	}
	w := d.lw(k)
	if w != "over" && w != "above" && w != "in" {
		return "", false
	}
	k++
	if d.lw(k) == "the" && d.lw(k+1) == "region" {
		return d.regionBefore(k), true
	}
	p := d.placePhrase(k, s)
	if p == "" {
		return "", false
	}
	low := strings.ToLower(p)
	if w == "in" && !strings.HasSuffix(low, "region") && !strings.HasSuffix(low, "oblast") {
		return p, false
	}
	return p, true
}

// regionBefore resolves "the region" to the latest "X region" before k.
func (d *doc) regionBefore(k int) string {
	for j := k - 1; j > 0 && k-j < 400; j-- {
		if (d.lw(j) == "region" || d.lw(j) == "oblast") && d.isCap(j-1) && d.toks[j].q < 0 {
			return d.text[d.toks[j-1].s:d.toks[j].e]
		}
	}
	return ""
}

// sentPlace finds where the sentence's attack happened.
func (d *doc) sentPlace(s sentence) string {
	// "Donetsk Oblast: Russian attacks killed…" (a label opening the line)
	for k := s.t0; k < s.t1 && k-s.t0 < 5; k++ {
		if d.isPunct(k, ":") {
			if k > s.t0 {
				if w := d.lw(k - 1); (w == "oblast" || w == "region" || w == "province") && d.isCap(s.t0) || k-s.t0 <= 2 && d.isPlace(d.text[d.toks[s.t0].s:d.toks[k-1].e]) {
					return d.text[d.toks[s.t0].s:d.toks[k-1].e]
				}
			}
			break
		}
		if !d.isCap(k) {
			break
		}
	}
	best := ""
	for k := s.t0; k < s.t1; k++ {
		if !d.free(k) {
			continue
		}
		w := d.lw(k)
		switch {
		case (w == "attack" || w == "attacks" || w == "strike" || w == "strikes" || w == "shelling" || w == "assault" || w == "raid") &&
			(d.lw(k+1) == "on" || d.lw(k+1) == "in" || d.lw(k+1) == "against" || d.lw(k+1) == "targeting"):
			if p := d.placePhrase(k+2, s); p != "" {
				return p
			}
		case (w == "city" || w == "town" || w == "village" || w == "port" || w == "settlement") && d.lw(k+1) == "of" && d.isCap(k+2):
			if p := d.placePhrase(k+2, s); p != "" {
				return p
			}
		case w == "struck" || w == "hit" || w == "attacked" || w == "targeting" || w == "targeted" || w == "pounded" || w == "shelled":
			if p := d.placePhrase(k+1, s); p != "" {
				return p
			}
		case w == "in" || w == "at" || w == "over" || w == "on":
			if best != "" {
				continue
			}
			if d.lw(k+1) == "the" && d.lw(k+2) == "region" {
				best = d.regionBefore(k)
				continue
			}
			if p := d.placePhrase(k+1, s); p != "" && (d.isPlace(p) || w == "in" && d.unknownPlace(k+1)) && !(w == "over" && d.afterCount(k)) {
				best = p
			}
		}
	}
	return best
}

// afterCount reports "N over the X region" (a regional breakdown, not the
// sentence's place).
func (d *doc) afterCount(k int) bool {
	for j := k - 1; j >= 0 && k-j <= 3; j-- {
		if d.toks[j].k == tNum {
			return true
		}
		if d.weaponAt(j) == "" {
			break
		}
	}
	return false
}

// unknownPlace accepts a capitalised word after "in" that the lexicons do
// not know as anything else ("in Kostiantynivka").
func (d *doc) unknownPlace(k int) bool {
	if d.lw(k) == "the" {
		return false
	}
	w := d.lw(k)
	if _, c := countryOf[w]; c || orgWords.has(w) || stopCaps.has(w) || days.has(w) || months.has(w) || bodyWords.has(w) {
		return false
	}
	return d.isCap(k) && d.toks[k].ref < 0 && !d.isCap(k+1)
}

// isPlace reports a known place or an "X region".
func (d *doc) isPlace(p string) bool {
	low := strings.ToLower(p)
	if strings.HasSuffix(low, " region") || strings.HasSuffix(low, " oblast") || strings.HasSuffix(low, " province") {
		return true
	}
	return places.has(low) || places.has(lastWord(low))
}

// regionList reads "the Kharkiv, Sumy and Donetsk regions".
func (d *doc) regionList(s sentence) []string {
	var out []string
	for k := s.t0; k < s.t1; k++ {
		w := d.lw(k)
		if w != "regions" && w != "oblasts" && w != "provinces" {
			continue
		}
		var names []string
		j := k - 1
		for j >= s.t0 {
			if d.isCap(j) {
				names = append(names, d.tx(j))
				j--
				continue
			}
			if d.isPunct(j, ",") || d.lw(j) == "and" {
				j--
				continue
			}
			break
		}
		for a, b := 0, len(names)-1; a < b; a, b = a+1, b-1 {
			names[a], names[b] = names[b], names[a]
		}
		if len(names) >= 1 {
			out = append(out, names...)
		}
	}
	return out
}

// reporter returns who gives the figures of sentence s.
func (d *doc) reporter(s sentence) string {
	r := d.frameSpeaker(s)
	if r < 0 {
		for k := s.t0; k+2 < s.t1; k++ {
			if d.lw(k) == "according" && d.lw(k+1) == "to" {
				r = d.accordingTo(k + 2)
				break
			}
		}
	}
	if r < 0 {
		for v := s.t0; v < s.t1; v++ {
			if w := d.lw(v); d.free(v) && (w == "said" || w == "says" || w == "reported" || w == "announced" || w == "told" || w == "wrote") {
				if r = d.subjectOf(v, s); r >= 0 {
					break
				}
			}
		}
	}
	name, _ := d.speakerOf(r)
	if name == "" && r >= 0 && d.refs[r].kind == rRole {
		name = d.text[d.toks[d.refs[r].t0].s:d.toks[d.refs[r].t1-1].e]
	}
	return name
}

// attackWhen prefers "overnight" to the reporting day.
func (d *doc) attackWhen(s sentence) string {
	for k := s.t0; k < s.t1; k++ {
		if d.free(k) && d.lw(k) == "overnight" {
			return d.tx(k)
		}
	}
	return d.whenIn(s)
}
