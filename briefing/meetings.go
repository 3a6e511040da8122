package briefing

import (
	"sort"
	"strings"
)

// meetVerbs take the other party as object ("X met Y", "X hosted Y").
var meetVerbs = set(`met meets meet meeting hosted hosts host hosting received receives receive
welcomed welcomes welcome greeted greets phoned telephoned call phone telephone`)

// baseForms are verbs whose form shows a future or hypothetical meeting.
var baseForms = set(`meet host receive welcome hold greet speak talk sit have call phone telephone`)

// meetNouns take the other party after "with" or "between".
var meetNouns = set(`meeting meetings talks call conversation summit phone talk call talks
videoconference video-call`)

// lightVerbs carry a meeting noun ("held talks with", "had a call with").
var lightVerbs = set(`held holds hold holding had has have having sat sits spoke speaks speak
talked talks talk shook spoke hosted hosts host hosting`)

// accompVerbs introduce people who merely accompany.
var accompVerbs = set(`accompanied joined flanked`)

// meetingDraft is a meeting before merging.
type meetingDraft struct {
	parts  []int
	accomp []int
	place  string
	when   string
	status string
	sent   int
}

// findMeetings reads meetings sentence by sentence.
func (d *doc) findMeetings() []Meeting {
	var drafts []meetingDraft
	for si, s := range d.sents {
		if s.skip || d.isPunct(s.t1-1, "?") {
			continue // a question asks about a meeting, it does not report one
		}
		for i := s.t0; i < s.t1; i++ {
			if !d.free(i) || d.toks[i].k != tWord {
				continue
			}
			w := d.lw(i)
			var subj, objs []int
			trigger := i
			callWord := w == "call" || w == "phone" || w == "telephone"
			verbCall := callWord && (d.lw(i-1) == "would" || d.lw(i-1) == "will" || d.lw(i-1) == "to") && d.refAt(i+1) >= 0
			// "Trump called Putin on Tuesday" (not "called on", "called him a liar")
			if (w == "called" || w == "phoned" || w == "rang") && d.refAt(i+1) >= 0 {
				if nx := d.lw(d.refs[d.refAt(i+1)].t1); nx == "on" || nx == "by" || nx == "late" || nx == "earlier" || nx == "to" && d.lw(d.refs[d.refAt(i+1)].t1+1) == "discuss" || nx == "." || nx == "," && !d.isPunct(d.refs[d.refAt(i+1)].t1+1, "“") {
					verbCall = true
				}
			}
			// "after meeting Putin", "while meeting Xi in Beijing"
			if w == "meeting" && d.refAt(i+1) >= 0 && !d.refs[d.refAt(i+1)].poss {
				verbCall = true
			}
			whom := false
			if w == "whom" && d.lw(i-1) == "with" && d.isPunct(i-2, ",") {
				// "X thanked Y, with whom he spoke by phone": Y and the
				// relative clause's subject
				a, sj, v := d.withWhom(i, s)
				if a < 0 || sj < 0 {
					continue
				}
				objs, subj, whom, trigger = []int{a}, []int{sj}, true, v
			}
			switch {
			case whom:
			case verbCall:
				objs = d.refList(i+1, s)
				subj = d.subjects(i, s)
			case callWord && d.lw(i+1) != "with" && d.lw(i+1) != "between":
				continue // "call on partners"
			case meetVerbs.has(w) && !callWord && !(w == "meeting" && d.lw(i-1) != "is" && d.lw(i-1) != "was" && d.lw(i-1) != "be"):
				if d.lw(i+1) == "by" {
					objs = d.refList(i+2, s) // "he was greeted by Donald Trump"
				} else if w == "received" || w == "receives" || w == "receive" || strings.HasPrefix(w, "welcom") || strings.HasPrefix(w, "greet") {
					objs = d.refList(i+1, s)
				} else {
					k := i + 1
					if d.lw(k) == "with" {
						k++
					} else if j := d.withAfter(k, s); j >= 0 && strings.HasPrefix(w, "meet") || j >= 0 && w == "met" {
						k = j + 1 // "met in Beijing on Thursday with Wang"
					}
					objs = d.refList(k, s)
				}
				subj = d.subjects(i, s)
			case (w == "spoke" || w == "spoken" || w == "speaks" || w == "speak" || w == "speaking" || w == "talked" || w == "talking" || w == "sat" || w == "shook"):
				k := i + 1
				for k < s.t1 && k-i < 5 && d.lw(k) != "with" && d.lw(k) != "to" {
					k++
				}
				if k >= s.t1 || k-i >= 5 {
					if j := d.withAfter(i+1, s); j >= 0 {
						k = j // "spoke by phone on Friday for an hour with"
					}
				}
				if k >= s.t1 || k-i >= 5 && d.lw(k) != "with" {
					// "X and Y spoke by phone", "X and Y shook hands"
					if w == "shook" && d.lw(i+1) == "hands" || w != "sat" && w != "shook" && (d.lw(i+1) == "by" && (d.lw(i+2) == "phone" || d.lw(i+2) == "telephone" || d.lw(i+2) == "video")) {
						if subj = d.subjects(i, s); len(subj) >= 2 {
							break
						}
					}
					continue
				}
				if w != "sat" && w != "shook" {
					if d.lw(k) == "to" && !d.sentHas(s, "phone", "call", "telephone", "video") {
						continue
					}
				}
				objs = d.refList(k+1, s)
				subj = d.subjects(i, s)
			case w == "spent" || w == "spends" || w == "spend" || w == "spending":
				// "spent more than an hour with Mr Safadi"
				j := d.withAfter(i+1, s)
				if j < 0 || !d.durationIn(i+1, j) {
					continue
				}
				objs = d.refList(j+1, s)
				subj = d.subjects(i, s)
			case w == "discussed" || w == "discusses" || w == "discuss" || w == "invited" || w == "invites":
				// "X discussed trade with Y", "X invited Y to visit"
				k := i + 1
				if strings.HasPrefix(w, "invit") {
					if d.refAt(k) < 0 {
						continue
					}
					// "invited Y to visit / for talks", not "to join the coalition"
					e := d.refs[d.refAt(k)].t1
					if !(d.lw(e) == "to" && (d.lw(e+1) == "visit" || d.lw(e+1) == "meet" || d.lw(e+1) == "talks" || d.lw(e+1) == "the" && (d.isCap(e+2))) || d.lw(e) == "for" && (d.lw(e+1) == "talks" || d.in(e+2, meetNouns))) {
						continue
					}
				} else {
					for k < s.t1 && k-i < 10 && d.lw(k) != "with" && d.free(k) && !d.isPunct(k, ",") {
						k++
					}
					if d.lw(k) != "with" {
						continue
					}
					k++
				}
				objs = d.refList(k, s)
				subj = d.subjects(i, s)
			case meetNouns.has(w):
				k := i + 1
				// "talks in New York with", "talks on Tuesday with"
				if w := d.lw(k); w != "with" && w != "between" {
					if j := d.withAfter(k, s); j >= 0 {
						k = j
					}
				}
				if d.lw(k) == "with" {
					objs = d.refList(k+1, s)
				} else if d.lw(k) == "between" {
					objs = d.refList(k+1, s)
					if len(objs) < 2 {
						continue
					}
				} else if v := d.lightBefore(i, s); v >= 0 {
					// "X and Y held talks in Riyadh"
					subj = d.subjects(v, s)
					trigger = v
					if len(subj) < 2 {
						continue
					}
				} else {
					continue
				}
				if len(subj) == 0 {
					subj = d.nounSubject(i, s)
				}
				if len(subj) == 0 {
					// "held talks with": the light verb's subject
					for v := i - 1; v >= s.t0 && i-v <= 7; v-- {
						if w := d.lw(v); w == "of" && durationNouns.has(d.lw(v-1)) {
							continue // "held five hours of talks with"
						}
						if w := d.lw(v); w == "for" || w == "of" || w == "about" || w == "on" || w == "no" || w == "to" {
							break // "had no plans for a meeting"
						}
						if d.in(v, lightVerbs) {
							subj = d.subjects(v, s)
							trigger = v
							break
						}
					}
				}
				if len(subj) == 0 && len(objs) >= 1 {
					// "X is counting on a meeting with Y", "X has requested
					// talks with Y": the wish verb's subject (planned)
					for v := i - 1; v >= s.t0 && i-v <= 4; v-- {
						if d.toks[v].ref >= 0 || d.isPunct(v, ",") {
							break
						}
						if d.in(v, wishVerbs) {
							subj = d.subjects(v, s)
							break
						}
					}
				}
				if len(subj) == 0 && len(objs) == 1 && d.framedNoun(i, s) {
					// "X said during a meeting with Y", "X is in Moscow for talks with Y"
					if r := d.clauseSubject(i, s); r >= 0 && d.refs[r].ent >= 0 {
						subj = []int{d.refs[r].ent}
					}
				}
			default:
				continue
			}
			parts := uniqueEnts(append(append(subj, objs...), d.hostsIn(s)...))
			if len(parts) < 2 || d.negated(trigger, s) || d.in(i, meetNouns) && d.nounNegated(i, trigger == i, s) {
				continue
			}
			if (d.sentHas(s, "separately") || d.separateCalls(i, s)) && len(subj) == 1 && len(objs) > 1 {
				// "spoke with X and, separately, with Y": two calls
				for _, o := range uniqueEnts(objs) {
					if o == subj[0] {
						continue
					}
					md := meetingDraft{parts: []int{subj[0], o}, status: StatusHeld, sent: si}
					if d.planned(trigger, s) || i != trigger && d.nounPlanned(i, s) {
						md.status = StatusPlanned
					}
					md.when = d.whenIn(s)
					drafts = append(drafts, md)
				}
				break
			}
			md := meetingDraft{parts: parts, status: StatusHeld, sent: si}
			if d.planned(trigger, s) || i != trigger && d.nounPlanned(i, s) {
				md.status = StatusPlanned
			}
			md.place = d.placeAfter(i, s)
			md.when = d.whenIn(s)
			md.accomp = d.accompIn(s)
			drafts = append(drafts, md)
			break
		}
		// "Macron joined the talks by video link": a participant of the
		// meeting of this or the last two sentences
		for i := s.t0; i < s.t1; i++ {
			if !d.joinedMeeting(i) {
				continue
			}
			subj := d.subjects(i, s)
			if len(subj) == 0 || len(drafts) == 0 || drafts[len(drafts)-1].sent < si-2 {
				continue
			}
			md := &drafts[len(drafts)-1]
			md.parts = uniqueEnts(append(md.parts, subj...))
		}
		// "Mr Putin was accompanied by A and B": attach to the last meeting
		// involving the subject.
		for i := s.t0; i < s.t1; i++ {
			if !d.in(i, accompVerbs) || d.lw(i+1) != "by" || !d.free(i) {
				continue
			}
			subj := d.subjects(i, s)
			people := d.refList(i+2, s)
			if len(subj) == 0 || len(people) == 0 {
				continue
			}
			for m := len(drafts) - 1; m >= 0; m-- {
				if containsInt(drafts[m].parts, subj[0]) {
					drafts[m].accomp = uniqueEnts(append(drafts[m].accomp, people...))
					break
				}
			}
		}
	}
	return d.mergeMeetings(drafts)
}

// joinedMeeting reports "X joined the talks (by video link)" or "X joined
// by video link" at token i: X takes part in the meeting just reported.
func (d *doc) joinedMeeting(i int) bool {
	if w := d.lw(i); w != "joined" && w != "joins" || !d.free(i) {
		return false
	}
	if d.lw(i+1) == "the" && d.in(i+2, meetNouns) {
		return true
	}
	return d.lw(i+1) == "by" && (d.lw(i+2) == "video" || d.lw(i+2) == "videolink" || d.lw(i+2) == "phone")
}

// futureNoun words before a meeting noun make it planned or hypothetical
// ("ahead of talks", "open to talks", "called for a meeting").
var futureNoun = set(`ahead upcoming planned proposed possible potential open ready future next
new further seek seeking wants want offered offer propose push pushing urged called demanded
invitation invited expected prepare preparing hold floated floating mooted suggested
hosting host arrange arranging organise organize organising organizing requested request
requests requesting sought seeks counting hopes hoping pressing`)

// wishVerbs seek a meeting that has not happened yet.
var wishVerbs = smallSet(`counting hopes hoped hoping requested request requests requesting sought seeks seeking
wants wanted`)

// travelVerbs take a trip framed as future by a marker before them ("is
// set to visit Moscow for talks", "will travel to Riyadh for a summit").
var travelVerbs = smallSet(`visit travel go fly head come return`)

// framedNoun reports a meeting noun introduced by a preposition of
// circumstance ("during a meeting with", "for talks with", "after talks
// with"), whose subject is the clause's subject.
func (d *doc) framedNoun(n int, s sentence) bool {
	for k := n - 1; k >= s.t0 && n-k <= 4; k-- {
		switch d.lw(k) {
		case "during", "for", "at", "after", "following", "in", "before":
			return true
		case "a", "an", "the", "their", "his", "her", "face-to-face", "bilateral", "phone", "video", "brief", "lengthy", "two-hour", "closed-door":
			continue
		}
		if d.toks[k].k != tWord {
			return false
		}
	}
	return false
}

// lightBefore finds a light verb up to three words before a meeting noun
// ("will hold a preparatory meeting"), or -1.
func (d *doc) lightBefore(n int, s sentence) int {
	for v := n - 1; v > s.t0 && n-v <= 4; v-- {
		if d.in(v, lightVerbs) {
			return v
		}
		if d.toks[v].k != tWord || d.toks[v].ref >= 0 {
			return -1
		}
	}
	return -1
}

// accompIn returns people introduced by "accompanied by" inside sentence s
// that are attached to the meeting of the same sentence.
func (d *doc) accompIn(s sentence) []int {
	var out []int
	for i := s.t0; i < s.t1; i++ {
		if d.lw(i) == "alongside" || (d.in(i, accompVerbs) && d.lw(i+1) == "by" && d.isPunct(i-1, ",")) {
			k := i + 1
			if d.lw(k) == "by" {
				k++
			}
			out = append(out, d.refList(k, s)...)
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func uniqueEnts(xs []int) []int {
	out := xs[:0:0]
	for _, x := range xs {
		if x >= 0 && !containsInt(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// subjects returns the person(s) doing verb v: "X met", "X and Y met".
func (d *doc) subjects(v int, s sentence) []int {
	r := d.subjectOf(v, s)
	if r < 0 {
		return d.groupSubject(v, s)
	}
	out := []int{d.refs[r].ent}
	// "X and Y met": a coordinated subject
	k := d.refs[r].t0 - 1
	for k > s.t0 && (d.lw(k) == "and" || d.isPunct(k, ",")) {
		if r2 := d.toks[k-1].ref; r2 >= 0 && d.refs[r2].t1 == k && !d.refs[r2].poss {
			out = append(out, d.refs[r2].ent)
			k = d.refs[r2].t0 - 1
			continue
		}
		break
	}
	return out
}

// nounSubject finds the possessor of a meeting noun ("Mr Witkoff’s meeting
// with"): a possessive reference up to three words before it.
func (d *doc) nounSubject(n int, s sentence) []int {
	for k := n - 1; k >= s.t0 && n-k <= 4; k-- {
		if r := d.toks[k].ref; r >= 0 {
			if d.refs[r].poss && d.refs[r].ent >= 0 {
				return []int{d.refs[r].ent}
			}
			return nil
		}
		if d.toks[k].k != tWord {
			return nil
		}
	}
	return nil
}

// refList reads a coordinated list of people starting at token k ("Y",
// "Y and Z", "his adviser Y and envoy Z").
func (d *doc) refList(k int, s sentence) []int {
	var out []int
	for k < s.t1 {
		w := d.lw(k)
		if g, next := d.groupAt(k, s); len(g) == 2 {
			// "a meeting between the two leaders", "host both men"
			out = append(out, g...)
			k = next
			if d.lw(k) == "and" {
				k++
				continue
			}
			break
		}
		if w == "his" || w == "her" || w == "their" || w == "its" || w == "both" {
			k++
			continue
		}
		r := d.refAt(k)
		if (r < 0 || d.refs[r].ent < 0) && w == "the" {
			// "the Minister for Foreign Affairs of Japan Takeshi Iwaya"
			for j := k + 1; j < s.t1 && j-k <= 8 && d.free(j) && (d.isCap(j) || d.lw(j) == "of" || d.lw(j) == "for"); j++ {
				if rj := d.refAt(j); rj >= 0 && d.refs[rj].kind == rPerson {
					r = rj
					break
				}
			}
		}
		if r < 0 || d.refs[r].ent < 0 || d.refs[r].poss {
			break
		}
		out = append(out, d.refs[r].ent)
		k = d.refs[r].t1
		if d.isPunct(k, ",") {
			k++
		}
		if d.lw(k) == "and" {
			k++
			for d.isPunct(k, ",") || d.lw(k) == "separately" || d.lw(k) == "with" || d.lw(k) == "also" || d.lw(k) == "later" {
				k++
			}
			continue
		}
		if d.refAt(k) < 0 {
			break
		}
	}
	return out
}

// negated reports "did not meet", "refused to meet".
func (d *doc) negated(v int, s sentence) bool {
	for k := v - 1; k >= s.t0 && v-k <= 4; k-- {
		if d.in(k, negators) {
			return true
		}
		if d.toks[k].ref >= 0 {
			break
		}
	}
	return false
}

// planned reports a future or hypothetical meeting.
func (d *doc) planned(v int, s sentence) bool {
	if d.in(v, baseForms) || strings.HasPrefix(d.lw(v), "invit") {
		return true
	}
	for k := v - 1; k >= s.t0 && v-k <= 4; k-- {
		w := d.lw(k)
		if d.toks[k].ref >= 0 || d.isPunct(k, ",") {
			break // "X, … channel to Moscow, held talks": not "to meet"
		}
		if plannedMarkers.has(w) || w == "ahead" {
			return true
		}
	}
	return d.nounPlanned(v, s)
}

// nounPlanned reports a meeting noun at v framed as future or hypothetical:
// "ahead of talks", "floated hosting a meeting", "a meeting … could take
// place".
func (d *doc) nounPlanned(v int, s sentence) bool {
	if d.in(v, meetNouns) {
		for k := v - 1; k >= s.t0 && v-k <= 6; k-- {
			if w := d.lw(k); futureNoun.has(w) {
				return true
			}
		}
		for k := v - 1; k > s.t0 && v-k <= 9; k-- {
			if d.toks[k].ref >= 0 || d.toks[k].mark != 0 || d.isPunct(k, ",") {
				break
			}
			if d.in(k, travelVerbs) {
				if w := d.lw(k - 1); w == "will" || w == "would" || w == "shall" || w == "may" || w == "might" || w == "could" ||
					w == "to" && k >= 2 && d.in(k-2, plannedMarkers) {
					return true
				}
			}
		}
		// "a meeting between X and Y could take place once …": the noun
		// phrase's own verb is a modal
		k := v + 1
		if w := d.lw(k); w == "between" || w == "with" {
			k++
			for k < s.t1 && k-v < 16 && (d.toks[k].ref >= 0 || d.lw(k) == "and" || d.isCap(k) ||
				d.lw(k) == "the" || d.lw(k) == "two" || d.lw(k) == "both" || d.in(k, groupNouns)) {
				k++
			}
		}
		for k < s.t1 && (d.lw(k) == "still" || d.lw(k) == "only" || d.lw(k) == "also" || d.toks[k].mark == 1) {
			k++
		}
		switch d.lw(k) {
		case "would", "could", "will", "may", "might", "should", "can", "must":
			return true
		}
	}
	return false
}

func (d *doc) sentHas(s sentence, words ...string) bool {
	for k := s.t0; k < s.t1; k++ {
		for _, w := range words {
			if d.lw(k) == w {
				return true
			}
		}
	}
	return false
}

// placeAfter finds "in X" / "at X" after token v ("in Moscow", "at the
// Kremlin", "in the Saudi city of Jeddah").
func (d *doc) placeAfter(v int, s sentence) string {
	for k := v + 1; k < s.t1; k++ {
		if !d.free(k) {
			continue
		}
		w := d.lw(k)
		if w != "in" && w != "at" {
			continue
		}
		if p := d.placePhrase(k+1, s); p != "" {
			return p
		}
	}
	return ""
}

// placePhrase reads a capitalised place at k, skipping "the", adjectives
// and "city of".
func (d *doc) placePhrase(k int, s sentence) string {
	if d.lw(k) == "the" {
		k++
	}
	// "the Saudi city of Jeddah", "the Black Sea port city of Odesa"
	for j := k; j < s.t1 && j-k < 6; j++ {
		if d.lw(j) == "of" && (d.lw(j-1) == "city" || d.lw(j-1) == "town" || d.lw(j-1) == "village" || d.lw(j-1) == "capital" || d.lw(j-1) == "port" || d.lw(j-1) == "region") {
			k = j + 1
			break
		}
	}
	// "the Saudi capital, Riyadh", "the port city, Odesa": the name after
	// the comma
	for j := k; j < s.t1 && j-k < 3; j++ {
		if w := d.lw(j); (w == "capital" || w == "city" || w == "town" || w == "port") && d.isPunct(j+1, ",") && d.isCap(j+2) {
			k = j + 2
			break
		}
		if d.toks[j].k != tWord {
			break
		}
	}
	if _, ok := countryOf[stripPoss(d.lw(k))]; ok && isPossessive(d.tx(k)) && d.isCap(k+1) {
		k++ // "Russia's Belgorod region", "Ukraine's Sumy region"
	}
	if !d.isCap(k) || d.toks[k].ref >= 0 && d.refs[d.toks[k].ref].kind == rPerson {
		return ""
	}
	w := d.lw(k)
	if days.has(w) || months.has(w) || stopCaps.has(w) && !places.has(w) {
		return ""
	}
	j := k
	for j < s.t1 && d.countable(j) && (d.isCap(j) || d.lw(j) == "region" || d.lw(j) == "oblast") && !d.in(j, days) && !d.in(j, months) {
		j++
		if isPossessive(d.tx(j - 1)) {
			return ""
		}
	}
	if j == k {
		return ""
	}
	return d.text[d.toks[k].s:d.toks[j-1].e]
}

// whenIn finds the time phrase of sentence s, preferring one not tied to a
// speech verb ("said on Friday").
func (d *doc) whenIn(s sentence) string {
	fallback := ""
	for k := s.t0; k < s.t1; k++ {
		if !d.free(k) {
			continue
		}
		w := d.lw(k)
		ph := ""
		switch {
		case (w == "on" || w == "late" || w == "early") && k+1 < s.t1 && (d.in(k+1, days) || d.in(k+1, months)):
			ph = d.timeRun(k + 1)
		case (w == "last" || w == "next" || w == "this") && k+1 < s.t1 && (d.lw(k+1) == "week" || d.lw(k+1) == "month" || d.lw(k+1) == "year" || d.lw(k+1) == "weekend" || d.in(k+1, days)):
			ph = d.text[d.toks[k].s:d.toks[k+1].e]
			if (d.lw(k-1) == "later" || d.lw(k-1) == "earlier") && w == "this" {
				ph = d.text[d.toks[k-1].s:d.toks[k+1].e]
			}
		case w == "yesterday" || w == "today" || w == "tomorrow" || w == "overnight" || w == "tonight":
			ph = d.tx(k)
		case days.has(w) && d.lw(k-1) != "on" && (d.lw(k+1) == "evening" || d.lw(k+1) == "morning" || d.lw(k+1) == "night" || d.lw(k+1) == "afternoon"):
			ph = d.timeRun(k)
		}
		if ph == "" {
			continue
		}
		j := k - 1
		for j >= s.t0 && d.in(j, auxAdv) && !d.in(j, days) {
			j--
		}
		if j >= s.t0 && d.in(j, speechVerbs) || d.lw(k-1) == "said" || d.lw(k-1) == "told" {
			if fallback == "" {
				fallback = ph
			}
			continue
		}
		return ph
	}
	return ""
}

// timeRun reads "Friday", "Thursday evening", "April 25".
func (d *doc) timeRun(k int) string {
	j := k + 1
	if j < len(d.toks) && d.toks[j].para == d.toks[k].para {
		w := d.lw(j)
		if w == "evening" || w == "morning" || w == "night" || w == "afternoon" || d.toks[j].k == tNum {
			j++
		}
	}
	return d.text[d.toks[k].s:d.toks[j-1].e]
}

// mergeMeetings merges repeated mentions of one encounter and converts to
// output form.
func (d *doc) mergeMeetings(drafts []meetingDraft) []Meeting {
	out := make([]Meeting, 0, len(drafts))
	keys := make([]string, 0, len(drafts))
	for _, md := range drafts {
		ids := append([]int(nil), md.parts...)
		sort.Ints(ids)
		var kb strings.Builder
		for _, id := range ids {
			kb.WriteString(d.ents[id].surKey)
			kb.WriteByte('|')
		}
		kb.WriteString(md.status)
		key := kb.String()
		found := -1
		for i, k := range keys {
			if k == key {
				found = i
			}
		}
		var acc []string
		for _, a := range md.accomp {
			if !containsInt(md.parts, a) {
				acc = append(acc, d.ents[a].name)
			}
		}
		if found >= 0 {
			m := &out[found]
			if m.Place == "" {
				m.Place = md.place
			}
			if m.When == "" {
				m.When = md.when
			}
			for _, a := range acc {
				if !containsStr(m.AccompaniedBy, a) {
					m.AccompaniedBy = append(m.AccompaniedBy, a)
				}
			}
			continue
		}
		m := Meeting{Place: md.place, When: md.when, Status: md.status, Evidence: d.sentText(md.sent)}
		for _, p := range md.parts {
			m.Participants = append(m.Participants, d.ents[p].name)
		}
		m.AccompaniedBy = acc
		out = append(out, m)
		keys = append(keys, key)
	}
	return out
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// groupNouns head a group reference to people named before ("the two
// leaders", "both presidents").
var groupNouns = set(`leaders presidents ministers men women premiers chancellors envoys
diplomats negotiators heads`)

// groupSubject resolves "the two leaders" / "both presidents" before verb v
// to the two people most recently named before it (within three
// sentences), or nil.
func (d *doc) groupSubject(v int, s sentence) []int {
	j := v - 1
	for j > s.t0 && (d.in(j, auxAdv) || d.lw(j) == "last") && d.toks[j].ref < 0 {
		j--
	}
	if (d.lw(j) == "two" || d.lw(j) == "three") && d.lw(j-1) == "the" && j-1 >= s.t0 && d.free(j) {
		// "the two met in 2019", "the three will meet X": a bare group
		// directly before its (auxiliary and) verb
		n := 2
		if d.lw(j) == "three" {
			n = 3
		}
		if g := d.groupBeforeN(j-1, d.toks[v].sent, false, n); d.soleGroupIn(g, d.toks[v].sent-1) {
			return g
		}
		return nil
	}
	if !d.in(j, groupNouns) || !d.free(j) {
		return nil
	}
	start := -1
	switch {
	case d.lw(j-1) == "two" && d.lw(j-2) == "the":
		start = j - 2
	case d.lw(j-1) == "three" && d.lw(j-2) == "the":
		return d.groupBeforeN(j-2, d.toks[v].sent, false, 3)
	case d.lw(j-1) == "both":
		start = j - 1
	case d.lw(j-2) == "and" && d.lw(j-4) == "the":
		// "the Russian and Chinese leaders"
		return d.nationalPair(j, s)
	default:
		return nil
	}
	return d.groupBefore(start, d.toks[v].sent, false)
}

// nationalPair resolves "the Russian and Chinese leaders" (group noun at
// j): for each nationality the one person named earlier with it (and, if
// several, the one whose role fits the group noun); nil when either is
// missing or ambiguous.
func (d *doc) nationalPair(j int, s sentence) []int {
	var out []int
	for _, a := range [2]int{j - 3, j - 1} {
		c, ok := countryOf[d.lw(a)]
		if !ok || c == "" {
			return nil
		}
		var cands []int
		for e := range d.ents {
			en := &d.ents[e]
			if en.first < 0 || d.ments[en.first].t0 >= s.t0 {
				continue
			}
			if en.country == c || roleCountry(en.role) == c {
				cands = append(cands, e)
			}
		}
		if len(cands) > 1 {
			fit := cands[:0:0]
			for _, e := range cands {
				if groupFits(d.lw(j), roleHeadOf(d.ents[e].role), d.ents[e].role) {
					fit = append(fit, e)
				}
			}
			cands = fit
		}
		if len(cands) != 1 || containsInt(out, cands[0]) {
			return nil
		}
		out = append(out, cands[0])
	}
	return out
}

// groupFits reports a role head that a group noun can stand for.
func groupFits(group, head, role string) bool {
	switch group {
	case "leaders", "heads":
		return leaderHeads.has(head) || head == "minister" && strings.Contains(strings.ToLower(role), "prime")
	case "presidents":
		return head == "president"
	case "ministers":
		return head == "minister"
	case "chancellors":
		return head == "chancellor"
	case "premiers":
		return head == "premier" || head == "minister" && strings.Contains(strings.ToLower(role), "prime")
	}
	return false
}

// groupAt reads a group object at k ("the two leaders", "both men") and
// returns the two people it refers to, named in earlier sentences, and the
// token after it.
func (d *doc) groupAt(k int, s sentence) ([]int, int) {
	j := k
	switch {
	case d.lw(k) == "the" && d.lw(k+1) == "two":
		j = k + 2
	case d.lw(k) == "both":
		j = k + 1
	default:
		return nil, k
	}
	if !d.in(j, groupNouns) || !d.free(j) {
		return nil, k
	}
	return d.groupBefore(k, d.toks[k].sent, true), j + 1
}

// soleGroupIn reports that sentence si names exactly the people of g and
// no one else, so a bare "the two" after it can only mean them.
func (d *doc) soleGroupIn(g []int, si int) bool {
	if len(g) == 0 || si < 0 {
		return false
	}
	var seen []int
	for k := d.sents[si].t0; k < d.sents[si].t1; k++ {
		if x := d.toks[k].ref; x >= 0 && d.refs[x].t0 == k && d.refs[x].ent >= 0 && !containsInt(seen, d.refs[x].ent) {
			seen = append(seen, d.refs[x].ent)
		}
	}
	if len(seen) != len(g) {
		return false
	}
	for _, e := range g {
		if !containsInt(seen, e) {
			return false
		}
	}
	return true
}

// groupBefore returns the two people most recently named before token
// start within three sentences (only in earlier sentences when prior is
// set), or nil.
func (d *doc) groupBefore(start, si int, prior bool) []int {
	return d.groupBeforeN(start, si, prior, 2)
}

// groupBeforeN is groupBefore for a group of n people.
func (d *doc) groupBeforeN(start, si int, prior bool, n int) []int {
	var out []int
	for k := start - 1; k >= 0 && start-k <= 300; k-- {
		x := d.toks[k].ref
		if d.toks[k].sent < si-3 {
			break
		}
		if prior && d.toks[k].sent == si {
			continue
		}
		if x < 0 || d.refs[x].t0 != k {
			continue
		}
		r := d.refs[x]
		if r.ent < 0 || r.kind == rPronoun {
			continue
		}
		if !containsInt(out, r.ent) {
			out = append(out, r.ent)
			if len(out) == n {
				return out
			}
		}
	}
	return nil
}

// hostsIn returns people who hosted or mediated the meeting of sentence s
// ("in talks hosted by A and B", "mediated by Qatar's emir").
func (d *doc) hostsIn(s sentence) []int {
	var out []int
	for i := s.t0; i+1 < s.t1; i++ {
		if w := d.lw(i); (w == "hosted" || w == "mediated" || w == "brokered" || w == "chaired" || w == "attended") && d.lw(i+1) == "by" && d.free(i) {
			out = append(out, d.refList(i+2, s)...)
		}
	}
	return out
}

// separateCalls reports one subject's calls with several people: "spoke
// with A and with B", "spoke by phone with both A and B".
func (d *doc) separateCalls(v int, s sentence) bool {
	w := d.lw(v)
	if !(strings.HasPrefix(w, "spo") || strings.HasPrefix(w, "talk") || strings.HasPrefix(w, "call") || strings.HasPrefix(w, "phone") || w == "conversation" || w == "conversations") {
		return false
	}
	for k := v + 1; k+1 < s.t1 && k-v < 20; k++ {
		if d.lw(k) == "with" && d.lw(k+1) == "both" || d.lw(k) == "and" && d.lw(k+1) == "with" || d.isPunct(k, ",") && d.lw(k+1) == "with" {
			return true
		}
	}
	return false
}

// adverbials may stand between a meeting verb or noun and "with": time,
// place, duration and channel ("held talks in Moscow on Thursday with",
// "spoke by phone for the first time since May with", "spent more than an
// hour with").
var adverbials = smallSet(`in on at by for via over during late early earlier again also briefly
separately last this the a an first time since more than nearly about almost around some
hour hours minute minutes day days night week weekend morning afternoon evening phone telephone
video link videolink videoconference lengthy long half two three four five six seven eight
nine ten several year years ago later once`)

// withAfter returns the index of "with" reached from k over at most ten
// adverbial tokens (words of adverbials, numbers, capitalised place or
// time words that are not people), or -1.
func (d *doc) withAfter(k int, s sentence) int {
	for j := k; j < s.t1 && j-k < 10; j++ {
		if d.lw(j) == "with" {
			return j
		}
		if d.toks[j].ref >= 0 || d.toks[j].mark != 0 {
			return -1
		}
		switch d.toks[j].k {
		case tNum:
			continue
		case tWord:
			if d.in(j, adverbials) || d.in(j, days) || d.in(j, months) || d.isCap(j) && j > k {
				continue
			}
		}
		return -1
	}
	return -1
}

// durationNouns measure time spent together.
var durationNouns = smallSet(`hour hours minute minutes day days evening morning afternoon rounds round weeks`)

// durationIn reports a duration noun among tokens [a, b).
func (d *doc) durationIn(a, b int) bool {
	for k := a; k < b; k++ {
		if d.in(k, durationNouns) {
			return true
		}
	}
	return false
}

// cancelWords after a form of "be" or "have" call a meeting off: "was
// cancelled", "has been postponed", "is not on the agenda".
var cancelWords = smallSet(`not never cancelled canceled postponed scrapped shelved delayed called put
off n't n’t`)

// clauseOpeners end a meeting noun's own phrase.
var clauseOpeners = smallSet(`after before while when as because since which that who where although but`)

// beForms are the auxiliaries a meeting noun's predicate opens with.
var beForms = smallSet(`was were is are has have had been be will would`)

// nounNegated reports a meeting noun at n that is denied or called off:
// "no plans for a new meeting between X and Y" (a negator a few words
// before it) or "talks between X and Y in Rome were postponed" (its
// predicate, read up to the first comma, clause or auxiliary, cancels
// it; only when the noun is not the object of a light verb).
func (d *doc) nounNegated(n int, subject bool, s sentence) bool {
	for k := n - 1; k >= s.t0 && n-k <= 7; k-- {
		if d.toks[k].ref >= 0 || d.toks[k].mark != 0 || d.isPunct(k, ",") {
			break
		}
		if w := d.lw(k); w == "no" || w == "ruled" || w == "cancelled" || w == "canceled" || w == "scrapped" ||
			w == "postponed" || w == "shelved" || w == "off" && d.lw(k-1) == "called" {
			return true
		}
	}
	for j := n + 1; subject && j < s.t1 && j-n <= 20; j++ {
		if d.toks[j].mark != 0 || d.isPunct(j, ",") || d.isPunct(j, ";") || d.in(j, meetNouns) || clauseOpeners.has(d.lw(j)) {
			return false
		}
		if !d.in(j, beForms) || d.toks[j].ref >= 0 {
			continue
		}
		k := j + 1
		for k < s.t1 && k-j <= 2 && (d.lw(k) == "been" || d.lw(k) == "now" || d.lw(k) == "also" || d.lw(k) == "since" || d.lw(k) == "later") {
			k++
		}
		if (d.lw(k) == "not" || d.lw(k) == "never") && d.in(k+1, determiners) {
			return false // "were not the first"
		}
		return d.in(k, cancelWords) && !(d.lw(k) == "called" && d.lw(k+1) != "off") && !(d.lw(k) == "put" && d.lw(k+1) != "off")
	}
	return false
}

// withWhom reads "Y, with whom he spoke" at "whom" (token i): the person
// Y ending before the comma and the subject of a meeting verb right after
// "whom", and that verb; -1s when the clause is not a meeting.
func (d *doc) withWhom(i int, s sentence) (int, int, int) {
	if i-3 < s.t0 || i+1 >= s.t1 {
		return -1, -1, -1
	}
	r := d.toks[i-3].ref
	if r < 0 || d.refs[r].t1 != i-2 || d.refs[r].kind != rPerson || d.refs[r].ent < 0 {
		return -1, -1, -1
	}
	sr := d.toks[i+1].ref
	if sr < 0 || d.refs[sr].t0 != i+1 || d.refs[sr].ent < 0 {
		return -1, -1, -1
	}
	v := d.refs[sr].t1
	for v < s.t1 && d.in(v, auxAdv) {
		v++
	}
	switch d.lw(v) {
	case "spoke", "met", "talked", "held", "had", "meet", "speak", "talk", "hold":
		if (d.lw(v) == "held" || d.lw(v) == "had" || d.lw(v) == "hold") && !d.in(v+1, meetNouns) && !d.in(v+2, meetNouns) {
			return -1, -1, -1
		}
		return d.refs[r].ent, d.refs[sr].ent, v
	}
	return -1, -1, -1
}
