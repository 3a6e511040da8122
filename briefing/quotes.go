package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// subjectOf finds the speaker/agent phrase of the verb at token v inside
// sentence s: the reference right before it (past auxiliaries and adverbs),
// or for a coordinated or participle verb the subject of the clause it
// hangs from. It returns a reference index or -1.
func (d *doc) subjectOf(v int, s sentence) int {
	j := v - 1
	for j >= s.t0 && d.toks[j].k == tWord && d.in(j, auxAdv) && d.toks[j].ref < 0 {
		j--
	}
	// skip a relative or participle clause: "X, who hosted the
	// delegations, met Y", "X, speaking to reporters, said"
	if j > s.t0 && d.isPunct(j, ",") {
		for c := j - 1; c > s.t0 && j-c < 20; c-- {
			if d.isPunct(c, ",") {
				if w := d.lw(c + 1); w == "who" || w == "which" || w == "whose" || strings.HasSuffix(w, "ing") ||
					strings.HasSuffix(w, "ed") || w == "in" || w == "on" || w == "at" || w == "after" || w == "when" ||
					w == "whom" || w == "according" || w == "known" || w == "also" || w == "a" || w == "an" || w == "the" ||
					w == "for" && d.lw(c+3) == "part" || isTitle(w) && d.toks[c+1].ref < 0 && d.toks[c-1].ref >= 0 && d.refs[d.toks[c-1].ref].kind == rPerson && d.refs[d.toks[c-1].ref].t1 == c || w == "however" || w == "meanwhile" || w == "too" || w == "though" || w == "by" && d.lw(c+2) == "contrast" {
					j = c - 1
				}
				break
			}
		}
	}
	// "Orban — who has blocked the package — said": skip a dashed aside
	if j > s.t0 && d.isDash(j) {
		for c := j - 1; c > s.t0 && j-c < 20; c-- {
			if d.isDash(c) {
				j = c - 1
				break
			}
			if !d.free(c) || d.isPunct(c, ";") || d.isPunct(c, ".") {
				break
			}
		}
	}
	// "The German foreign minister, Johann Wadephul, said"
	if j > s.t0 && d.isPunct(j, ",") {
		if r := d.toks[j-1].ref; r >= 0 && d.refs[r].t1 == j && d.refs[r].kind == rPerson &&
			(d.refSpanHasComma(r) || d.isPunct(d.refs[r].t0-1, ",")) {
			return r
		}
	}
	if j >= s.t0 {
		if r := d.toks[j].ref; r >= 0 && d.refs[r].t1 == j+1 && !d.refs[r].poss {
			return r
		}
	}
	// "X, who is due to meet Y": the antecedent of "who"
	if j > s.t0 && d.lw(j) == "who" {
		k := j - 1
		if d.isPunct(k, ",") {
			k--
		}
		if k >= s.t0 {
			if r := d.toks[k].ref; r >= 0 && d.refs[r].t1 == k+1 && d.refs[r].kind == rPerson {
				return r
			}
		}
	}
	coord := j >= s.t0 && (d.lw(j) == "and" || d.lw(j) == "but")
	participle := strings.HasSuffix(d.lw(v), "ing") && j >= s.t0 && (d.isPunct(j, ",") || d.lw(j) == "and" ||
		d.lw(j) == "after" || d.lw(j) == "before" || d.lw(j) == "while" || d.lw(j) == "when" || j == s.t0 && d.lw(j) == "after")
	if strings.HasSuffix(d.lw(v), "ing") && (j < s.t0 || j == s.t0 && d.isCap(v)) {
		participle = true // "Speaking in Pretoria, he said"
	}
	if j >= s.t0 && d.lw(v-1) == "to" {
		coord = true // "travel to Moscow to meet Putin"
	}
	if !coord && !participle {
		return -1
	}
	return d.clauseSubject(v, s)
}

// clauseSubject returns the subject of the main clause before token v: the
// sentence-initial reference when it is followed by a verb, else the
// nearest reference before v followed by a verb.
func (d *doc) clauseSubject(v int, s sentence) int {
	first := -1
	for i := s.t0; i < v; i++ {
		if d.toks[i].q >= 0 || d.toks[i].mark != 0 {
			continue
		}
		if r := d.toks[i].ref; r >= 0 {
			first = r
		}
		break
	}
	if first >= 0 && !d.refs[first].poss && d.verbAfter(d.skipComma(first), v) {
		return first
	}
	for j := v - 1; j >= s.t0; j-- {
		r := d.toks[j].ref
		if r < 0 || d.refs[r].t1 != j+1 {
			continue
		}
		rf := d.refs[r]
		if rf.poss || d.in(rf.t0-1, objPreps) {
			continue
		}
		if d.verbAfter(d.skipComma(r), v) {
			return r
		}
	}
	return -1
}

func (d *doc) refSpanHasComma(r int) bool {
	for k := d.refs[r].t0; k < d.refs[r].t1; k++ {
		if d.isPunct(k, ",") {
			return true
		}
	}
	return false
}

// skipComma returns the token after reference r, past the comma closing an
// appositive ("Trump's envoy, Steve Witkoff, is").
func (d *doc) skipComma(r int) int {
	k := d.refs[r].t1
	if d.isPunct(k, ",") && (d.isPunct(d.refs[r].t0-1, ",") || d.refSpanHasComma(r)) {
		return k + 1
	}
	return k
}

// verbAfter reports whether token k (before limit) looks like a finite verb,
// past auxiliaries and adverbs.
func (d *doc) verbAfter(k, limit int) bool {
	for k < limit && d.toks[k].k == tWord && d.in(k, auxAdv) {
		if w := d.lw(k); w == "has" || w == "had" || w == "was" || w == "is" || w == "will" || w == "would" || w == "were" || w == "are" {
			return true
		}
		k++
	}
	if k >= limit || d.toks[k].k != tWord {
		return false
	}
	w := d.lw(k)
	if roleStop.has(w) && !speechVerbs.has(w) && w != "met" || d.isCap(k) {
		return false
	}
	return true
}

// refAt returns the reference starting exactly at token k, or -1.
func (d *doc) refAt(k int) int {
	if k < 0 || k >= len(d.toks) {
		return -1
	}
	if r := d.toks[k].ref; r >= 0 && d.refs[r].t0 == k {
		return r
	}
	return -1
}

// attribute finds the speaker reference of quote qi, or -1.
func (d *doc) attribute(qi int) int {
	q := d.quotes[qi]
	s := d.sents[d.toks[q.open].sent]
	// after the quote: “…,” Mr Trump said / “…,” said Mr Trump
	if q.close >= 0 {
		k := q.close + 1
		for k < s.t1 && d.toks[k].k == tPunct && d.toks[k].mark == 0 && strings.Contains(",—–-", d.tx(k)) {
			k++
		}
		if k < s.t1 && d.free(k) {
			// "…," Belta quoted President Lukashenko as saying
			for j := k; j < s.t1 && j-k < 8 && d.free(j); j++ {
				if d.lw(j) == "quoted" {
					if r := d.refAt(j + 1); r >= 0 && d.lw(d.refs[r].t1) == "as" {
						return r
					}
					break
				}
			}
			if r := d.refAt(k); r >= 0 {
				j := d.refs[r].t1
				if d.refs[r].kind == rPerson && (d.isPunct(j, ",") || d.isDash(j)) {
					// "…," Maria Holm, the group's researcher, said
					j = d.skipAside(j, s.t1)
				}
				for j < s.t1 && d.in(j, auxAdv) {
					j++
				}
				if j < s.t1 && d.in(j, speechVerbs) {
					return r
				}
			}
			j := k
			for j < s.t1 && d.in(j, auxAdv) {
				j++
			}
			if j < s.t1 && d.in(j, speechVerbs) {
				if r := d.refAt(j + 1); r >= 0 {
					return r
				}
			}
			if d.lw(k) == "according" && d.lw(k+1) == "to" {
				if r := d.accordingTo(k + 2); r >= 0 {
					return r
				}
			}
			// "…," the statement quoted Sybiha as saying
			for j := k; j < s.t1 && j-k < 6 && d.free(j); j++ {
				if d.lw(j) == "quoted" {
					if r := d.refAt(j + 1); r >= 0 && d.lw(d.refs[r].t1) == "as" {
						return r
					}
					break
				}
			}
		}
	}
	// before the quote: Mr Trump told reporters: “…” / said Crimea “will…”
	p0 := s.t0
	for k := q.open - 1; k >= s.t0; k-- {
		if d.toks[k].mark == 2 {
			p0 = k + 1
			break
		}
	}
	inner := -1
	for v := q.open - 1; v >= p0 && q.open-v <= 30; v-- {
		if !d.free(v) || !d.in(v, speechVerbs) && !d.in(v, evalVerbs) {
			continue
		}
		if d.in(v, innerVerbs) && q.open-v <= 12 || d.in(v, evalVerbs) {
			// "Fidan said Turkey believes “…”", "Peskov said Moscow
			// welcomed “…”": a reporting verb before an inner verb of
			// belief, agreement or judgement names the speaker
			if r := d.subjectOf(v, s); r >= 0 && inner < 0 {
				inner = r
			}
			continue
		}
		// "Interfax quoted Peskov as saying: “…”"
		if d.lw(v) == "quoted" {
			if r := d.refAt(v + 1); r >= 0 && d.lw(d.refs[r].t1) == "as" {
				return r
			}
		}
		if d.lw(v-1) == "as" && d.lw(v) == "saying" {
			// "was quoted by X as saying": the subject precedes "quoted"
			continue
		}
		if r := d.subjectOf(v, s); r >= 0 {
			return r
		}
		if r := d.refAt(v + 1); r >= 0 && d.refs[r].kind != rPronoun {
			return r // "said Mr Trump: “…”"
		}
		break
	}
	if inner >= 0 {
		return inner
	}
	// "Governor X gave an updated toll: “…”", "The statement read in
	// full: “…”": a colon introduces the quote of the clause's subject
	if d.isPunct(q.open-1, ":") && q.open-1 > s.t0 {
		if r := d.clauseSubject(q.open-1, s); r >= 0 && d.refs[r].kind != rPronoun || r >= 0 && (d.refs[r].ent >= 0 || d.refs[r].body >= 0) {
			return r
		}
	}
	for k := p0; k+2 < q.open; k++ {
		if d.lw(k) == "according" && d.lw(k+1) == "to" {
			if r := d.accordingTo(k + 2); r >= 0 {
				return r
			}
		}
	}
	// the sentence frame: “…” …, Mr Klitschko said, although …
	return d.frameSpeaker(s)
}

// accordingTo reads the source after "according to": a reference, or one
// behind "a statement from" ("according to a statement from the ministry").
func (d *doc) accordingTo(k int) int {
	if r := d.refAt(k); r >= 0 {
		return r
	}
	j := k
	if d.in(j, determiners) {
		j++
	}
	for j < len(d.toks) && j-k < 4 && d.toks[j].k == tWord && !d.in(j, speechNouns) {
		j++
	}
	if d.in(j, speechNouns) && (d.lw(j+1) == "from" || d.lw(j+1) == "by") {
		return d.refAt(j + 2)
	}
	return -1
}

// frameSpeaker finds a reporting clause anywhere in the sentence outside
// quotes: ", R said" or ", said R" or "R said that".
func (d *doc) frameSpeaker(s sentence) int {
	for v := s.t0; v < s.t1; v++ {
		if !d.free(v) || !d.in(v, speechVerbs) || strings.HasSuffix(d.lw(v), "ing") {
			continue
		}
		j := v - 1
		for j >= s.t0 && d.in(j, auxAdv) && d.toks[j].ref < 0 {
			j--
		}
		if j >= s.t0 {
			if r := d.toks[j].ref; r >= 0 && d.refs[r].t1 == j+1 && !d.refs[r].poss {
				rf := d.refs[r]
				if rf.t0 == s.t0 || d.isPunct(rf.t0-1, ",") || d.toks[rf.t0-1].mark == 2 {
					return r
				}
			}
		}
		if (d.isPunct(v-1, ",") || v-1 >= s.t0 && d.toks[v-1].mark == 2) && d.refAt(v+1) >= 0 {
			return d.refAt(v + 1)
		}
	}
	return -1
}

// extractQuotes turns quote spans into Quote facts.
func (d *doc) extractQuotes() []Quote {
	out := make([]Quote, 0, len(d.quotes))
	speakers := make([]int, len(d.quotes))
	keep := make([]bool, len(d.quotes))
	for qi := range d.quotes {
		speakers[qi] = -1
		q := d.quotes[qi]
		si := d.toks[q.open].sent
		if d.sents[si].skip {
			continue
		}
		ts, te := trimSpace(d.text, q.ts, q.te)
		if ts >= te {
			continue
		}
		r := d.attribute(qi)
		cont := false
		if r < 0 || d.refs[r].kind == rPronoun && d.refs[r].ent < 0 && d.refs[r].body < 0 {
			// continuation: “…,” he said. “…” (an explicit anonymous source,
			// "a resident said", stays anonymous)
			if q.prev >= 0 {
				r = speakers[q.prev]
			} else if qi > 0 && d.quotes[qi-1].para == q.para && keep[qi-1] && !d.personBetween(d.quotes[qi-1], q, speakers[qi-1]) {
				r = speakers[qi-1]
				cont = true
			} else if r < 0 {
				r = -1
			}
		}
		if r < 0 && q.prev < 0 && !cont && d.firstTokInPara(q.open) {
			// a paragraph that is a bare quote continues the speaker of the
			// previous paragraph's speech
			r = d.prevParaSpeaker(q.para, qi, speakers)
			cont = r >= 0
		}
		if r < 0 && q.prev < 0 && !cont {
			r = d.nextSentSpeaker(q, si)
		}
		speakers[qi] = r
		if r < 0 && q.prev < 0 && !cont && !d.hasSpeechVerb(si) && wordCount(d.text[ts:te]) < 6 {
			continue // scare quotes, titles, slogans
		}
		if wordCount(d.text[ts:te]) <= 4 && d.termBefore(q.open) {
			continue // "what Moscow calls a “special military operation”"
		}
		keep[qi] = true
	}
	// a run-on quote takes the speaker named at the end of its chain
	for qi := len(d.quotes) - 1; qi >= 0; qi-- {
		if p := d.quotes[qi].prev; p >= 0 && speakers[p] < 0 {
			speakers[p] = speakers[qi]
		}
	}
	for qi, q := range d.quotes {
		if !keep[qi] {
			continue
		}
		ts, te := trimSpace(d.text, q.ts, q.te)
		name, role := d.speakerOf(speakers[qi])
		out = append(out, Quote{Speaker: name, Role: role, Text: d.text[ts:te], Evidence: d.sentText(d.toks[q.open].sent)})
	}
	return out
}

func (d *doc) firstTokInPara(k int) bool {
	return k == 0 || d.toks[k-1].para != d.toks[k].para
}

// prevParaSpeaker returns who spoke last in paragraph para-1: the speaker
// of its last quote, or the subject of its last speech verb.
func (d *doc) prevParaSpeaker(para, qi int, speakers []int) int {
	if qi > 0 && d.quotes[qi-1].para == para-1 && speakers[qi-1] >= 0 {
		// only when nothing but that quote's sentence follows it
		last := d.lastSentOfPara(para - 1)
		if last >= 0 && d.toks[d.quotes[qi-1].open].sent == last {
			return speakers[qi-1]
		}
	}
	last := d.lastSentOfPara(para - 1)
	if last < 0 {
		return -1
	}
	s := d.sents[last]
	if d.isPunct(s.t1-1, ":") && s.t1-s.t0 <= 10 {
		// a short header line "Quote from President X:" or "Mr X on the
		// talks:" introduces the quote paragraph after it
		for k := s.t0; k < s.t1; k++ {
			if r := d.toks[k].ref; r >= 0 && d.refs[r].t0 == k && !d.refs[r].poss && (d.refs[r].ent >= 0 || d.refs[r].body >= 0) {
				return r
			}
		}
	}
	for v := s.t1 - 1; v >= s.t0; v-- {
		if d.free(v) && d.in(v, speechVerbs) {
			if r := d.subjectOf(v, s); r >= 0 && (d.refs[r].ent >= 0 || d.refs[r].body >= 0) {
				return r
			}
		}
	}
	return -1
}

func (d *doc) lastSentOfPara(p int) int {
	if p < 0 {
		return -1
	}
	// sentences are in order; binary search would do, paragraphs are short
	lo, hi := 0, len(d.sents)
	for lo < hi {
		m := (lo + hi) / 2
		if d.sents[m].para <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo > 0 && d.sents[lo-1].para == p {
		return lo - 1
	}
	return -1
}

// personBetween reports a person named between two quotes outside quotes.
func (d *doc) personBetween(a, b quote, prevSpeaker int) bool {
	from := a.close
	if from < 0 {
		return false
	}
	pe := -1
	if prevSpeaker >= 0 {
		pe = d.refs[prevSpeaker].ent
	}
	for k := from + 1; k < b.open; k++ {
		if r := d.toks[k].ref; r >= 0 && d.refs[r].kind == rPerson && d.toks[k].q < 0 && d.refs[r].ent != pe {
			return true
		}
	}
	return false
}

// termBefore reports a term being named, not quoted: "so-called",
// "calls it", "dubbed", "known as".
func (d *doc) termBefore(open int) bool {
	if d.lw(open-1) == "as" {
		// "refers to the annexed areas as “new regions”"
		for k := open - 2; k >= 0 && open-k <= 8 && d.toks[k].k == tWord && d.toks[k].ref < 0; k-- {
			if w := d.lw(k); w == "refers" || w == "referred" || w == "refer" || w == "referring" {
				return true
			}
		}
	}
	if d.lw(open-1) == "to" && d.lw(open-2) == "reference" {
		return true // "a reference to “the old regime”"
	}
	for k := open - 1; k >= 0 && open-k <= 6; k-- {
		// "what Moscow calls the war, a “special military operation”"
		if w := d.lw(k); (w == "calls" || w == "called" || w == "call") && (d.lw(k-1) == "what" || d.lw(k-2) == "what") {
			return !d.evalWhat(k)
		}
		if d.toks[k].k != tWord && !d.isPunct(k, ",") {
			break
		}
	}
	for k := open - 1; k >= 0 && open-k <= 3; k-- {
		switch d.lw(k) {
		case "so-called", "dubbed", "termed", "known", "branded", "labelled", "labeled", "nicknamed":
			return true
		case "calls", "call":
			// "what it calls its “special military operation”" names a term
			return open-k >= 2 && !d.isPunct(k+1, ":")
		case "called":
			// "Rutte called the deal “a quantum leap”" quotes him; "what
			// Moscow called a “special operation”" names a term
			return (d.lw(k-1) == "what" || d.lw(k-2) == "what") && !d.evalWhat(k)
		}
		if d.toks[k].k != tWord || d.toks[k].ref >= 0 {
			return false
		}
	}
	return false
}

func (d *doc) hasSpeechVerb(si int) bool {
	s := d.sents[si]
	for k := s.t0; k < s.t1; k++ {
		if d.free(k) && d.in(k, speechVerbs) {
			return true
		}
	}
	return false
}

func trimSpace(t string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(t[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(t[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// isDash reports a dash token used as an aside mark ("—", "–", " - ").
func (d *doc) isDash(k int) bool {
	return d.isPunct(k, "—") || d.isPunct(k, "–") || d.isPunct(k, "-") && k > 0 && d.toks[k-1].e < d.toks[k].s
}

// skipAside returns the token after an appositive that opens at k with a
// comma or dash and closes with the same mark within a few words, with no
// quote or verb of speech inside; else k.
func (d *doc) skipAside(k, end int) int {
	comma := d.isPunct(k, ",")
	for c := k + 1; c < end && c-k <= 10; c++ {
		if !d.free(c) || d.isPunct(c, ";") || d.isPunct(c, ".") || d.in(c, speechVerbs) {
			return k
		}
		if comma && d.isPunct(c, ",") || !comma && d.isDash(c) {
			if c == k+1 {
				return k
			}
			return c + 1
		}
	}
	return k
}

// nextSentSpeaker attributes a quote that is a sentence on its own (“All
// is well!”) to the speaker the next sentence of its paragraph names: "The
// message came from X", "X wrote on Telegram." It returns -1 otherwise.
func (d *doc) nextSentSpeaker(q quote, si int) int {
	s := d.sents[si]
	if q.open != s.t0 || q.close < 0 || q.close < s.t1-2 || si+1 >= len(d.sents) {
		return -1
	}
	n := d.sents[si+1]
	if n.para != s.para || n.skip {
		return -1
	}
	for k := n.t0; k+1 < n.t1 && k-n.t0 < 12; k++ {
		if d.lw(k) == "from" && (d.lw(k-1) == "came" || d.lw(k-1) == "comes") {
			if r := d.refAt(k + 1); r >= 0 && (d.refs[r].ent >= 0 || d.refs[r].body >= 0) {
				return r
			}
		}
	}
	// "X wrote on Telegram.": the next sentence opens with the speaker and
	// its verb, and quotes nothing itself
	if r := d.refAt(n.t0); r >= 0 && d.refs[r].kind == rPerson && d.refs[r].ent >= 0 {
		j := d.refs[r].t1
		for j < n.t1 && d.in(j, auxAdv) {
			j++
		}
		if nx := d.lw(j + 1); d.in(j, speechVerbs) && (nx == "on" || nx == "in" || nx == "late" || nx == "earlier" || nx == "later" || d.isPunct(j+1, ".") || d.isPunct(j+1, ",")) {
			for k := n.t0; k < n.t1; k++ {
				if d.toks[k].mark != 0 {
					return -1
				}
			}
			return r
		}
	}
	return -1
}

// evalVerbs judge what someone said or did and quote their words: "the
// spokesman denounced “…”", "Merz welcomed the deal as “…”".
var evalVerbs = smallSet(`denounced denounces decried decries slammed slams welcomed welcomes
blasted lambasted castigated derided deplored deplores`)

// innerVerbs report a belief or agreement inside reported speech ("said
// Turkey believes “…”", "said the sides agreed to “…”"); the reporting
// verb before them names the speaker.
var innerVerbs = smallSet(`believes believe believed agreed agrees thinks think hopes hoped feels`)

// evalWhat reports "condemned what he called “…”" at the verb k: a speech
// or judging verb, "what", a personal pronoun and "called" quote the
// subject's own words rather than name a term.
func (d *doc) evalWhat(k int) bool {
	return d.lw(k) == "called" && d.lw(k-2) == "what" && d.in(k-1, pronouns) && d.lw(k-1) != "it" &&
		(d.in(k-3, speechVerbs) || d.in(k-3, evalVerbs))
}
