package briefing

import "strings"

// regionalPlace reads "over the Kursk region" right after a count.
func (d *doc) regionalPlace(k int, s sentence) (string, bool) {
	if d.lw(k) == "of" && (d.lw(k+1) == "them" || d.lw(k+1) == "which" || d.lw(k+1) == "those") {
		k += 2 // "44 of them over the Rostov region"
	}
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
		if !d.countable(k) {
			continue
		}
		w := d.lw(k)
		switch {
		case (w == "attack" || w == "attacks" || w == "strike" || w == "strikes" || w == "shelling" || w == "assault" || w == "raid") &&
			(d.lw(k+1) == "on" || d.lw(k+1) == "in" || d.lw(k+1) == "against" || d.lw(k+1) == "targeting") ||
			(w == "shelling" || w == "bombardment" || w == "bombing") && d.lw(k+1) == "of":
			if p := d.placePhrase(k+2, s); p != "" {
				return p
			}
		case (w == "city" || w == "town" || w == "village" || w == "port" || w == "settlement") && d.lw(k+1) == "of" && d.isCap(k+2):
			if p := d.placePhrase(k+2, s); p != "" {
				return p
			}
		case w == "struck" || w == "hit" || w == "attacked" || w == "targeting" || w == "targeted" || w == "pounded" || w == "shelled":
			if (d.lw(k-1) == "was" || d.lw(k-1) == "were") && d.lw(k+1) == "by" && k-2 >= s.t0 {
				// "Kharkiv was hit by 12 drones": the passive subject
				if p := d.placePhrase(s.t0, s); p != "" && strings.HasSuffix(d.text[d.toks[s.t0].s:d.toks[k-2].e], p) &&
					(d.isPlace(p) || d.unknownPlace(k-2)) {
					return p
				}
			}
			if p := d.placePhrase(k+1, s); p != "" {
				return p
			}
		case w == "in" || w == "at" || w == "over" || w == "on" || w == "across" || w == "throughout":
			if best != "" {
				continue
			}
			if d.lw(k+1) == "the" && d.lw(k+2) == "region" {
				best = d.regionBefore(k)
				continue
			}
			if w == "in" && d.speakerBefore(k) {
				continue // "a military spokesman in Kyiv said": where he spoke
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
		if _, _, ok := d.numAt(j); ok || d.toks[j].k == tNum {
			return true // "31 over the Belgorod region", "eight over the Voronezh region"
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

// speakerBefore reports a speaker or speech word right before "in" at k:
// "a spokesman in Kyiv", "told reporters in Brussels", "speaking in Kyiv".
func (d *doc) speakerBefore(k int) bool {
	w := d.lw(k - 1)
	return d.in(k-1, roleHeads) || d.in(k-1, speechVerbs) || w == "reporters" || w == "journalists" ||
		w == "briefing" || w == "speaking" || w == "conference" || w == "officials" || w == "spokesperson"
}
