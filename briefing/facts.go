package briefing

import "strings"

// category verbs for weapons
var downedVerbs = set(`shot downed destroyed intercepted neutralised neutralized repelled
eliminated downing intercepting destroying shooting destroy intercept neutralise neutralize
down`)

// nounModifierUse: a weapon noun followed by these is a modifier, not a count
// ("1,000 drone attacks").
var nounModifierUse = set(`attack attacks strike strikes operators operator units unit production
factory factories plant warfare debris wreckage fragments alert alerts pilots manufacturer
makers programme program base bases sites site`)

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
	periodCas := false
	for k := s.t0; k+1 < s.t1; k++ {
		if d.lw(k) == "since" && (d.toks[k+1].k == tNum || d.in(k+1, months) && d.toks[min(k+2, s.t1-1)].k == tNum) {
			cumulative = true
		}
		// "In February, air defences destroyed 35,000 drones", "last
		// month", "so far this year": a period's total, not one attack
		if d.lw(k) == "in" && d.in(k+1, months) && d.toks[min(k+2, s.t1-1)].k != tNum && !d.isPunct(k+2, ".") ||
			(d.lw(k) == "last" || d.lw(k) == "this" || d.lw(k) == "past") && (d.lw(k+1) == "month" || d.lw(k+1) == "week") ||
			d.lw(k) == "far" && d.lw(k+1) == "this" ||
			d.lw(k) == "per" && (d.lw(k+1) == "month" || d.lw(k+1) == "week" || d.lw(k+1) == "day") {
			cumulative = true
		}
		// "over the past week", "in the last two weeks", "so far this
		// year": casualties of a period, not of one attack
		if (d.lw(k) == "over" || d.lw(k) == "in" || d.lw(k) == "during") && d.lw(k+1) == "the" && (d.lw(k+2) == "past" || d.lw(k+2) == "last") &&
			periodNouns.has(d.lw(k+3)) || periodNouns.has(d.lw(k+4)) && (d.lw(k+2) == "past" || d.lw(k+2) == "last") && d.lw(k+1) == "the" && (d.lw(k) == "over" || d.lw(k) == "in" || d.lw(k) == "during") ||
			d.lw(k) == "so" && d.lw(k+1) == "far" && d.lw(k+2) == "this" {
			periodCas = true
		}
	}
	kept := out[:0]
	var casSeen [slotInjured + 1]bool
	for _, f := range out {
		if tollSlot != slotNone && f.slot == tollSlot && !f.toll && !f.subCount {
			continue
		}
		if periodCas && (f.slot >= slotKilled || f.kind != "") {
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
	if in := d.listIntro(s); in >= 0 {
		// a list item inherits the verb of its introduction ("detected and
		// tracked 135 air attack means:")
		is := d.sents[in]
		for k := is.t0; k < is.t1; k++ {
			if sl := verbSlot(d, k); sl != slotNone {
				lastSlot = sl
			}
		}
	}
	lastCas := slotNone
	for i := s.t0; i < s.t1; i++ {
		v, j, ok := d.numAt(i)
		if !ok {
			if k := d.weaponAt(i); k != "" && d.free(i) && !d.in(i+1, nounModifierUse) {
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
		if d.lw(i-1) == "and" && d.includingList(i, s) {
			f.subCount = true // "including three women and five children"
		}
		// "Two of the injured were children"
		if d.lw(j) == "of" && d.lw(j+1) == "the" && casWord(d, j+2) != slotNone && (d.lw(j+3) == "were" || d.lw(j+3) == "are" || d.lw(j+3) == "was" || d.lw(j+3) == "is") {
			k := j + 4
			if d.lw(k) == "a" || d.lw(k) == "an" {
				k++
			}
			if a, ok := ageOf(d.lw(k)); ok && a < 18 || childNouns.has(d.lw(k)) {
				f.subCount, f.child, f.slot = true, true, casWord(d, j+2)
				out = append(out, f)
				i = k
				continue
			}
		}
		// "12 people, four of them children", "nine injured, one of them a
		// 14-year-old girl": a child subset of the last casualty count
		if lastCas != slotNone && d.lw(j) == "of" && (d.lw(j+1) == "them" || d.lw(j+1) == "whom") {
			k := j + 2
			if d.lw(k) == "a" || d.lw(k) == "an" {
				k++
			}
			child := false
			for ; k < s.t1 && k-j < 6 && d.toks[k].k == tWord; k++ {
				if a, ok := ageOf(d.lw(k)); ok {
					child = a < 18
					continue
				}
				if childNouns.has(d.lw(k)) {
					child = true
				}
				break
			}
			if child {
				f.subCount, f.child, f.slot = true, true, lastCas
				out = append(out, f)
				i = k
				continue
			}
		}
		if d.lw(i-2) == "among" && d.lw(i-1) == "them" || (d.lw(i-1) == "were" || d.lw(i-1) == "are") && d.lw(i-4) == "among" {
			f.subCount = true
		}
		// "downed 50 of 75 drones": 50 downed (by the verb), 75 launched
		if d.lw(j) == "of" {
			of := j + 1
			if d.lw(of) == "the" {
				of++ // "downed 73 of the 90 drones"
			}
			if m, j2, ok2 := d.numAt(of); ok2 {
				if kind := d.weaponAt(j2); kind != "" || d.weaponAt(j2+1) != "" {
					if kind == "" {
						kind = d.weaponAt(j2 + 1)
					}
					if sl := d.weaponSlot(i, i, s, slotNone); sl == slotDowned || sl == slotSuppressed {
						out = append(out, fact{val: v, tok: i, kind: kind, slot: sl}, fact{val: m, tok: of, kind: kind, slot: slotLaunched})
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
		for n < s.t1 && n-j < 5 && !(d.lw(n) == "of" && (d.lw(n+1) == "them" || d.lw(n+1) == "those" || d.lw(n+1) == "these" || d.lw(n+1) == "which" || d.lw(n+1) == "whom")) && (d.toks[n].k == tWord || d.attachedPart(n) || d.gluedHyphen(n)) && d.weaponAt(n) == "" && !d.in(n, personNouns) && !d.stopNoun(n) {
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
		if kind != "" && (d.lw(n+1) == "and" || d.lw(n+1) == "or") && d.weaponAt(n+2) != "" && d.weaponAt(n+2) != kind {
			continue // "21 drones and missiles": a combined count of no one kind
		}
		if kind != "" && f.subCount && len(out) > 0 && out[len(out)-1].slot != slotNone && !out[len(out)-1].subCount &&
			out[len(out)-1].kind == kind && !d.typedMissiles(j, n) {
			continue // "31 missiles of various types, including 9 Kinzhal": a subset
		}
		if kind != "" && n < s.t1 && !d.in(n+1, nounModifierUse) {
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
		ageOnly := false // "including a 9-year-old,"
		if n > j && n-j <= 2 && !personNouns.has(w) {
			_, ageOnly = ageOf(d.lw(n - 1))
		}
		if personNouns.has(w) && n-j <= 2 || ageOnly {
			if childNouns.has(w) || d.childAge(j, n+1) {
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
			f.toll = d.lw(i-1) == "to" && d.sentHas(s, "toll", "number") || d.lw(i-2) == "to" && d.in(i-1, approxMarkers) ||
				d.tollVerbBefore(i, s)
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
		if d.in(k, attackWords) {
			return true
		}
	}
	return false
}

// weaponSlot classifies a weapon count at i (noun at n) by the nearest
// category verb before or after it in the same clause.
func (d *doc) weaponSlot(i, n int, s sentence, last int) int {
	bestSlot, bestDist := slotNone, 1000
	if d.lw(i-1) == "of" {
		switch d.lw(i - 2) {
		case "wave", "swarm", "barrage", "salvo", "volley", "waves", "swarms":
			return slotLaunched // "a wave of eleven drones"
		}
	}
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
	for k := n + 1; k < s.t1 && k-n <= 16; k++ {
		if d.isPunct(k, ",") && d.weaponListAt(k+1) {
			continue // "Eighteen drones, two cruise missiles and one … were shot down"
		}
		if d.isPunct(k, ";") || d.isPunct(k, ",") || d.isPunct(k, ".") || k-n > 10 {
			break
		}
		if _, _, ok := d.numAt(k); ok {
			// "474 drones and 29 missiles were shot down": share the verb
			if d.lw(k-1) == "and" && (d.weaponAt(k+1) != "" || d.weaponAt(k+2) != "") || d.isPunct(k-1, ",") && d.weaponListAt(k) {
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
	for j >= s.t0 && (d.in(j, approxMarkers) || d.lw(j) == "at" || d.lw(j) == "another" || d.lw(j) == "a" ||
		d.lw(j) == "his" || d.lw(j) == "her" || d.lw(j) == "their") {
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
		case tollVerbs.has(w) && d.lw(j+1) != "to":
			// "the death toll reached 21", "the number of dead hit 30"
			for k := j - 1; k >= s.t0 && j-k <= 5; k-- {
				if d.isPunct(k, ",") || d.isPunct(k, ";") {
					break
				}
				if d.lw(k) == "toll" {
					if d.lw(k-1) == "injury" {
						return slotInjured
					}
					return slotKilled
				}
				if d.lw(k) == "number" && d.lw(k+1) == "of" {
					return casWord(d, k+2)
				}
			}
		case w == "to" || w == "of":
			for k := j - 1; k >= s.t0 && j-k <= 10; k-- {
				if d.isPunct(k, ",") || d.isPunct(k, ";") || j-k > 4 && d.lw(j-1) != "risen" && d.lw(j-1) != "rose" && d.lw(j-1) != "climbed" && d.lw(j-1) != "increased" {
					break // "the death toll from the strike on X has risen to 12"
				}
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
	if d.lw(k) == "of" && (d.lw(k+1) == "them" || d.lw(k+1) == "whom" || d.lw(k+1) == "those") {
		k += 2
	}
	if d.lw(k) == "more" || d.lw(k) == "others" {
		k++
	}
	for k < s.t1 && (d.lw(k) == "were" || d.lw(k) == "was" || d.lw(k) == "have" || d.lw(k) == "had" || d.lw(k) == "been" || d.lw(k) == "are" || d.lw(k) == "also" || d.lw(k) == "reportedly" || d.lw(k) == "confirmed" || d.lw(k) == "now") {
		k++
	}
	return casWord(d, k) != slotNone
}

// bareWeaponSlot: "41 were shot down", "shot down 97 of them".
func (d *doc) bareWeaponSlot(i, j int, s sentence) int {
	k := j
	if d.lw(k) == "of" && (d.lw(k+1) == "them" || d.lw(k+1) == "those" || d.lw(k+1) == "these" || d.lw(k+1) == "which") {
		k += 2
	}
	if d.lw(k) == "more" {
		k++
	}
	for k < s.t1 && (d.lw(k) == "were" || d.lw(k) == "was" || d.lw(k) == "have" || d.lw(k) == "had" || d.lw(k) == "been" || d.lw(k) == "are" || d.lw(k) == "also" || d.lw(k) == "where") {
		k++
	}
	if sl := verbSlot(d, k); sl != slotNone && (k > j || d.lw(k) == "disappeared" || d.lw(k) == "vanished") {
		return sl
	}
	if k < s.t1 && d.toks[k].mark == 1 && d.toks[k].q < 0 {
		k++
	}
	if k < s.t1 && d.toks[k].mark == 1 {
		k++
	}
	if sl := verbSlot(d, k); sl != slotNone && (k > j || d.lw(k) == "disappeared" || d.lw(k) == "vanished") {
		return sl
	}
	if d.toks[i].k == tNum || k > j {
		b := i - 1
		for b >= s.t0 && d.in(b, approxMarkers) || d.lw(b) == "at" {
			b--
		}
		if sl := verbSlot(d, b); sl != slotNone && (d.lw(j) == "of" || d.isPunct(j, ",") || d.isPunct(j, ".")) {
			return sl
		}
	}
	return slotNone
}

// ageOf reads an age word ("9-year-old", "14-year-old").
func ageOf(w string) (int, bool) {
	num, ok := strings.CutSuffix(w, "-year-old")
	if !ok || num == "" || len(num) > 3 {
		return 0, false
	}
	v := 0
	for k := 0; k < len(num); k++ {
		if num[k] < '0' || num[k] > '9' {
			if a, ok := numberWords[num]; ok {
				return a, true
			}
			return 0, false
		}
		v = v*10 + int(num[k]-'0')
	}
	return v, true
}

// childAge reports an age under 18 among tokens [a, b), or "aged N" right
// after them ("a 9-year-old boy", "a man aged 16").
func (d *doc) childAge(a, b int) bool {
	for k := a; k < b && k < len(d.toks); k++ {
		if v, ok := ageOf(d.lw(k)); ok {
			return v < 18
		}
	}
	if d.lw(b) == "aged" {
		if v, _, ok := d.numAt(b + 1); ok {
			return v < 18
		}
	}
	return false
}

// includingList reports a count that continues an "including" list with
// "and": "including three women and five children".
func (d *doc) includingList(i int, s sentence) bool {
	for k := i - 2; k >= s.t0 && i-k <= 8; k-- {
		w := d.lw(k)
		if w == "including" {
			return true
		}
		if d.toks[k].k != tWord && d.toks[k].k != tNum {
			return false
		}
		if _, _, ok := d.numAt(k); ok || personNouns.has(w) || w == "and" || w == "elderly" || w == "young" {
			continue
		}
		if _, ok := ageOf(w); ok {
			continue
		}
		return false
	}
	return false
}

// weaponListAt reports a list item "N <weapon>" at k (up to three words
// between the number and the noun: "two Kh-101 cruise missiles").
func (d *doc) weaponListAt(k int) bool {
	_, j, ok := d.numAt(k)
	if !ok {
		return false
	}
	for n := j; n < j+4 && n < len(d.toks); n++ {
		if d.weaponAt(n) != "" {
			return true
		}
		if d.toks[n].k != tWord {
			return false
		}
	}
	return false
}

// typedMissiles reports a missile type word ("ballistic", "cruise") among
// tokens [a, b).
func (d *doc) typedMissiles(a, b int) bool {
	for k := a; k < b; k++ {
		if missileTypes[d.lw(k)] != "" {
			return true
		}
	}
	return false
}

// listIntro returns the sentence that introduces the list item s (the
// nearest earlier sentence that is not an item, when it ends with a
// colon), or -1.
func (d *doc) listIntro(s sentence) int {
	if !isBullet(d.text[s.s:s.e]) {
		return -1
	}
	cur := d.toks[s.t0].sent
	for si := cur - 1; si >= 0 && cur-si <= 30 && s.para-d.sents[si].para < 12; si-- {
		t := d.text[d.sents[si].s:d.sents[si].e]
		if isBullet(t) {
			continue
		}
		if strings.HasSuffix(strings.TrimRight(t, " "), ":") {
			return si
		}
		return -1
	}
	return -1
}

// gluedHyphen reports a hyphen inside a compound ("U.S.-made").
func (d *doc) gluedHyphen(n int) bool {
	return n > 0 && n+1 < len(d.toks) && d.isPunct(n, "-") && d.toks[n-1].e == d.toks[n].s && d.toks[n].e == d.toks[n+1].s
}

// tollVerbs take a toll's new value directly ("the toll reached 21").
var tollVerbs = smallSet(`reached reaches hit hits stood stands topped tops`)

// tollVerbBefore reports a toll verb right before the count at i, past
// approximation words ("the death toll reached at least 21").
func (d *doc) tollVerbBefore(i int, s sentence) bool {
	j := i - 1
	for j > s.t0 && (d.in(j, approxMarkers) || d.lw(j) == "at") {
		j--
	}
	return d.in(j, tollVerbs) && d.sentHas(s, "toll", "number")
}

// periodNouns end a period phrase ("over the past week", "in the last
// two weeks"); "the past 24 hours" is one daily report, so hours and days
// are not among them.
var periodNouns = smallSet(`week weeks month months year years fortnight`)
