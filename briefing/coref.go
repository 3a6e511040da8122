package briefing

import (
	"sort"
	"strings"
)

// softMods are role modifiers that do not have to match for a role phrase to
// refer back to a named person ("the regional governor").
var softMods = set(`regional local top senior veteran key city`)

// buildRefs collects speaker/participant phrases sentence by sentence and
// resolves pronouns and role phrases to people.
func (d *doc) buildRefs() {
	d.sentSubj = make([]int, len(d.sents))
	// About one reference per mention plus one per sentence: one
	// allocation instead of a run of doublings.
	d.refs = make([]ref, 0, len(d.ments)+len(d.sents)+8)
	mi := 0
	for si := range d.sents {
		d.sentSubj[si] = -1
		s := d.sents[si]
		for i := s.t0; i < s.t1; i++ {
			for mi < len(d.ments) && d.ments[mi].t0 < i {
				mi++
			}
			if mi < len(d.ments) && d.ments[mi].x0 <= i && d.ments[mi].t0 >= i {
				m := d.ments[mi]
				if m.poss && m.x1 < s.t1 && bodyHeads.has(d.lw(m.x1)) && d.free(m.x1) {
					// "Zelenskiy's office", "Trump's administration": a body
					d.finishBody(m.x0, m.x1+1, si, d.lw(m.x1))
					i = m.x1
					mi++
					continue
				}
				d.addRef(ref{t0: m.x0, t1: m.x1, kind: rPerson, ent: m.ent, body: -1, poss: m.poss, sent: si})
				i = m.x1 - 1
				mi++
				continue
			}
			if s.skip || !d.free(i) || d.toks[i].k != tWord {
				continue
			}
			w := d.lw(i)
			if pronouns.has(w) && !d.midName(i, s) {
				d.addRef(ref{t0: i, t1: i + 1, kind: rPronoun, ent: -1, body: -1, head: w, sent: si})
				continue
			}
			if end, ok := d.anonSource(i, s.t1, si); ok {
				i = end - 1
			} else if end, ok := d.nounPhrase(i, s.t1, si); ok {
				i = end - 1
			} else if end, ok := d.orgBody(i, s.t1, si); ok {
				i = end - 1
			}
		}
		if !s.skip {
			d.resolveSentence(si)
		}
	}
}

func (d *doc) addRef(r ref) {
	d.refs = append(d.refs, r)
	ri := len(d.refs) - 1
	for k := r.t0; k < r.t1 && k < len(d.toks); k++ {
		d.toks[k].ref = ri
	}
}

// nounPhrase reads a role phrase ("the US president") or a body ("Ukraine’s
// air force", "the Kremlin", "police") starting at i.
func (d *doc) nounPhrase(i, end, si int) (int, bool) {
	w := d.lw(i)
	start := i
	poss := false
	k := i
	if determiners.has(w) {
		k++
	} else if c, ok := countryOf[w]; ok && (isPossessive(d.tx(i)) || c != "") {
		// "Ukraine’s air force", "Russian defence ministry"
	} else if d.isCap(i) && (d.possCap(i) || d.possCap(i+1) && d.isCap(i+1)) && d.toks[i].ref < 0 {
		// "South Africa's president, Cyril Ramaphosa"
	} else if !bodyWords.has(w) && !bodyHeads.has(w) || bodyHeads.has(w) && !bodyWords.has(w) && d.isCap(i) && i != d.sents[si].t0 {
		return 0, false // "Downing Street" is a place, "police" a body
	}
	// "chief of staff", "head of the ministry": the complement of a role,
	// not a body that speaks
	if o := start - 1; d.lw(o) == "of" && roleHeads.has(stripPoss(d.lw(o-1))) {
		return 0, false
	}
	if w == "the" {
		if _, ok := ageOf(d.lw(i + 1)); ok && d.free(i+1) {
			// "the 47-year-old (teacher) said": a back-reference like a
			// pronoun
			t1 := i + 2
			if nx := d.lw(t1); d.free(t1) && (personNouns.has(nx) || personRoles.has(nx) || roleHeads.has(nx)) {
				t1++
			}
			if !isPossessive(d.tx(t1 - 1)) {
				d.addRef(ref{t0: i, t1: t1, kind: rPronoun, ent: -1, body: -1, head: "age", sent: si})
				return t1, true
			}
		}
	}
	var mods []string
	country := ""
	for ; k < end && k-start < 7 && d.free(k) && d.toks[k].k == tWord; k++ {
		lw := d.lw(k)
		if c, ok := countryOf[lw]; ok {
			country = c
			if bodyWords.has(lw) && !(k+1 < end && (d.in(k+1, roleHeads) || d.in(k+1, bodyHeads) || d.in(k+1, roleMods))) {
				return d.finishBody(start, k+1, si, lw)
			}
			continue
		}
		if (roleHeads.has(stripPoss(lw)) || personRoles.has(lw) && k > start) && !(k+1 < end && (d.in(k+1, roleHeads) || d.in(k+1, bodyHeads)) && d.free(k+1)) {
			if k+1 < end && d.isCap(k+1) && d.toks[k+1].ref < 0 {
				return 0, false // a role before a name the mention pass rejected
			}
			if isPossessive(d.tx(k)) {
				poss = true
			}
			head := stripPoss(lw)
			if d.lw(k+1) == "of" && d.isCap(k+2) {
				if c, ok := countryOf[d.lw(k+2)]; ok {
					country = c
				}
			}
			if w := d.lw(k + 1); w == "of" || w == "for" {
				// "the President of Ukraine Volodymyr Zelenskyy", "the
				// Minister for Foreign Affairs of Japan Takeshi Iwaya": the
				// title of the name that follows, not a reference
				for j := k + 2; j < end && j-k <= 9 && d.free(j) && (d.isCap(j) || d.lw(j) == "of" || d.lw(j) == "for" || d.lw(j) == "the"); j++ {
					lo := sort.Search(len(d.ments), func(x int) bool { return d.ments[x].t0 >= j })
					if lo < len(d.ments) && d.ments[lo].t0 == j {
						return j, true
					}
				}
			}
			r := ref{t0: start, t1: k + 1, kind: rRole, ent: -1, body: -1, poss: poss, head: head, country: country, mods: mods, sent: si}
			// "the Ukrainian president, Mr Zelenskiy": the role names the
			// person that follows.
			c := k + 1
			if d.lw(c) == "of" {
				// "the head of Russia's nuclear corporation Rosatom, Alexei Likhachev"
				for c = k + 2; c < end && c-k < 10 && d.toks[c].k == tWord; c++ {
				}
			}
			if d.isPunct(c, ",") && c+1 < end {
				lo := sort.Search(len(d.ments), func(x int) bool { return d.ments[x].x0 >= c+1 })
				for mi := lo; mi < len(d.ments) && d.ments[mi].x0 == c+1; mi++ {
					{
						if e := d.ments[mi].ent; e >= 0 && d.ents[e].role == "" {
							d.ents[e].role = d.text[d.toks[start+b2i(determiners.has(w))].s:d.toks[k].e]
						}
						d.ments[mi].x0 = start
						return c, true
					}
				}
			}
			d.addRef(r)
			return k + 1, true
		}
		if lw == "force" && d.lw(k-1) != "air" {
			break // "task force", "use of force": not a speaker
		}
		if bodyHeads.has(lw) || bodyWords.has(lw) {
			// extend over a following head ("defence ministry", "air force")
			for k+1 < end && d.free(k+1) && d.in(k+1, bodyHeads) {
				k++
			}
			if d.in(k+1, anonNouns) || d.lw(k) == "officials" {
				// "a Downing Street source", "Kremlin insiders", "U.S.
				// officials": vague sources stay anonymous
				return 0, false
			}
			return d.finishBody(start, k+1, si, d.lw(k))
		}
		if roleMods.has(lw) || d.isCap(k) && !stopCaps.has(lw) {
			mods = append(mods, lw)
			continue
		}
		if k > start && d.possCap(k-1) && !roleStop.has(lw) && !speechVerbs.has(lw) {
			// "the UN's human rights monitoring mission": look ahead for a body head
			for j := k; j < end && j-k < 4 && d.free(j) && d.toks[j].k == tWord && !roleStop.has(d.lw(j)); j++ {
				if bodyHeads.has(d.lw(j)) {
					return d.finishBody(start, j+1, si, d.lw(j))
				}
			}
		}
		break
	}
	return 0, false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// finishBody records a body reference and its canonical name: the fullest
// earlier mention with the same head.
func (d *doc) finishBody(t0, t1, si int, head string) (int, bool) {
	text := d.text[d.toks[t0].s:d.toks[t1-1].e]
	if strings.HasPrefix(text, "The ") {
		text = "the " + text[4:]
	}
	head = stripPoss(head)
	bi := -1
	for b := len(d.bodies) - 1; b >= 0; b-- {
		if lastWord(d.bodies[b]) == head {
			bi = b
			break
		}
	}
	generic := strings.HasPrefix(text, "the ") && strings.Count(text, " ") == 1 ||
		strings.HasPrefix(text, "the ") && bi >= 0 && strings.Count(text, " ") <= strings.Count(d.bodies[bi], " ")
	if bi < 0 || !generic {
		d.bodies = append(d.bodies, text)
		bi = len(d.bodies) - 1
	}
	d.addRef(ref{t0: t0, t1: t1, kind: rBody, ent: -1, body: bi, head: head, sent: si})
	return t1, true
}

func lastWord(s string) string {
	if k := strings.LastIndexByte(s, ' '); k >= 0 {
		s = s[k+1:]
	}
	return strings.ToLower(stripPoss(s))
}

// resolveSentence resolves the pronouns and role phrases of sentence si and
// records its subject.
func (d *doc) resolveSentence(si int) {
	firstPerson := -1
	start := len(d.refs)
	for start > 0 && d.refs[start-1].sent == si {
		start--
	}
	for ri := start; ri < len(d.refs); ri++ {
		r := &d.refs[ri]
		switch r.kind {
		case rPronoun:
			if r.head == "it" || r.head == "they" {
				r.body = d.recentBody(ri, si)
				break
			}
			g := byte('m')
			if r.head == "she" {
				g = 'f'
			} else if r.head == "age" {
				g = 0 // "the 47-year-old": either gender
			}
			if fp := d.firstAnyPerson(start, ri); fp >= 0 && d.genderOK(fp, g) && d.refs[start].t0 == d.sents[si].t0 {
				// the sentence opens with its subject ("Mr Trump’s remarks
				// come as he…", "Mr Trump told reporters … he wants")
				r.ent = fp
			} else if firstPerson >= 0 && d.genderOK(firstPerson, g) {
				r.ent = firstPerson
			} else {
				r.ent = d.prevSubject(si, g)
			}
			if r.head == "age" && r.ent >= 0 && !d.soleRecentPerson(start, r.ent) {
				r.ent = -1 // "the 47-year-old" after two people: unknown
			}
		case rRole:
			r.ent = d.resolveRole(r, si)
		}
		if r.ent >= 0 {
			d.ents[r.ent].lastTok = r.t0
			if firstPerson < 0 && !r.poss {
				firstPerson = r.ent
			}
			if d.sentSubj[si] < 0 && !r.poss && !d.in(r.t0-1, objPreps) {
				d.sentSubj[si] = r.ent
			}
		}
	}
	if d.sentSubj[si] < 0 {
		d.sentSubj[si] = d.topicPerson(start)
	}
}

// topicPerson returns the person a sentence without a plain subject is
// about: a possessor in subject position ("Blinken's trip follows …"), or
// the source of "according to", a fronted "For X, …"; a person named only as the object of a
// preposition ("a visit by Austin", "planned with Austin") is not its
// topic, so a later "he said" looks further back. It returns -1 if none.
func (d *doc) topicPerson(start int) int {
	for ri := start; ri < len(d.refs); ri++ {
		r := &d.refs[ri]
		if r.ent < 0 {
			continue
		}
		if d.lw(r.t0-1) == "to" && d.lw(r.t0-2) == "according" {
			return r.ent
		}
		if r.poss && !d.in(r.t0-1, objPreps) {
			return r.ent
		}
		if d.in(r.t0-1, objPreps) && r.t0-1 == d.sents[r.sent].t0 {
			return r.ent // a fronted topic: "For Petro, the engineer, …"
		}
	}
	return -1
}

// firstAnyPerson returns the first resolved person among refs [from, to),
// possessives included ("Zelenskiy's speech came after he…").
func (d *doc) firstAnyPerson(from, to int) int {
	for k := from; k < to; k++ {
		if d.refs[k].ent >= 0 {
			return d.refs[k].ent
		}
	}
	return -1
}

func (d *doc) genderOK(e int, g byte) bool {
	return g == 0 || d.ents[e].gender == 0 || d.ents[e].gender == g
}

// prevSubject returns the subject of the nearest earlier sentence (up to
// three back, within two paragraphs) that agrees in gender.
func (d *doc) prevSubject(si int, g byte) int {
	for k := si - 1; k >= 0 && k >= si-3; k-- {
		if d.sents[si].para-d.sents[k].para > 2 {
			break
		}
		if e := d.sentSubj[k]; e >= 0 {
			if d.genderOK(e, g) {
				return e
			}
			return -1
		}
	}
	return -1
}

// recentBody returns the body most recently referred to in this or the two
// previous sentences.
func (d *doc) recentBody(ri, si int) int {
	for k := ri - 1; k >= 0; k-- {
		r := d.refs[k]
		if r.sent < si-2 {
			break
		}
		if r.kind == rBody {
			return r.body
		}
	}
	return -1
}

// resolveRole finds the person a role phrase refers to: the latest person
// whose stated role is compatible, else (for a country's leader) the
// subject of a recent sentence with no conflicting role.
func (d *doc) resolveRole(r *ref, si int) int {
	if w := d.lw(r.t0); w == "a" || w == "an" || r.anon {
		return -1 // "an official said": an anonymous source stays anonymous
	}
	best, bestTok := -1, -1
	bare, bareTok := -1, -1
	for e := range d.ents {
		en := &d.ents[e]
		if en.lastTok > r.t0 && en.first >= 0 && d.ments[en.first].t0 > r.t0 {
			continue
		}
		ok := roleCompatible(en.role, r)
		for _, a := range en.aliases {
			ok = ok || roleCompatible(a, r)
		}
		if ok && en.lastTok >= bestTok && d.ments[en.first].t0 < r.t0 {
			best, bestTok = e, en.lastTok
		}
		if ok && en.lastTok >= bareTok && d.ments[en.first].t0 < r.t0 && en.country == "" && roleCountry(en.role) == "" {
			bare, bareTok = e, en.lastTok
		}
	}
	if best >= 0 && bare >= 0 && best != bare && r.country == "" && (d.ents[best].country != "" || roleCountry(d.ents[best].role) != "") &&
		d.sentSubj[si] != best && (si == 0 || d.sentSubj[si-1] != best) {
		// "the prime minister" with no country: the office holder named
		// without one ("Prime Minister Keir Starmer"), not a foreign one
		// mentioned in passing ("after Indian Prime Minister X visited"),
		// unless that one is the subject of this or the last sentence
		best = bare
	}
	if best >= 0 && r.head == "official" && roleHeadOf(d.ents[best].role) != "official" {
		// "the official" as a back-reference to a named office holder: only
		// to one named in the last two sentences, and not after an
		// anonymous official ("a senior official, who asked not to be named")
		if d.toks[d.ents[best].lastTok].sent < si-2 {
			return -1
		}
		for x := len(d.refs) - 1; x >= 0 && x >= len(d.refs)-60 && d.refs[x].sent >= si-3; x-- {
			if rf := d.refs[x]; rf.kind == rRole && rf.head == "official" && rf.t0 < r.t0 && (d.lw(rf.t0) == "a" || d.lw(rf.t0) == "an" || rf.anon) {
				return -1
			}
		}
	}
	if best >= 0 {
		return best
	}
	leader := r.head == "president" || r.head == "leader" || r.head == "chancellor" || r.head == "premier" ||
		r.head == "minister" && containsStr(r.mods, "prime")
	if !leader || r.country == "" && !determiners.has(d.lw(r.t0)) {
		return -1
	}
	// A country's leader named only by role: the salient person of this or
	// the last sentences whose known roles do not conflict.
	ri := len(d.refs) // r is being resolved and not yet appended, or is last
	for k := si; k >= 0 && k >= si-3; k-- {
		var cands []int
		if k < si && d.sentSubj[k] >= 0 {
			cands = append(cands, d.sentSubj[k])
		}
		for x := ri - 1; x >= 0 && d.refs[x].sent >= k && r.country != ""; x-- {
			rf := d.refs[x]
			if rf.sent != k || rf.ent < 0 || rf.t0 >= r.t0 || rf.poss || d.in(rf.t0-1, objPreps) {
				continue
			}
			if k == si {
				// only the subject of the current sentence: the first person
				cands = cands[:0]
				cands = append(cands, rf.ent)
			} else if rf.kind == rPerson {
				cands = append(cands, rf.ent)
			}
		}
		for _, e := range cands {
			if d.roleConflict(e, r) {
				continue
			}
			en := &d.ents[e]
			en.aliases = append(en.aliases, d.text[d.toks[r.t0].s:d.toks[r.t1-1].e])
			return e
		}
	}
	return -1
}

// roleConflict reports a person whose stated role or earlier role phrases
// name another country or a non-leader office.
func (d *doc) roleConflict(e int, r *ref) bool {
	en := &d.ents[e]
	if en.country != "" && r.country != "" && en.country != r.country {
		return true // "Germany's Friedrich Merz" is not "the Kremlin leader"
	}
	check := func(role string) bool {
		if c := roleCountry(role); c != "" && c != r.country {
			return true
		}
		if r.country != "" && partyRole(role) {
			return true // "CDU leader", "opposition leader", "former president"
		}
		if h := roleHeadOf(role); h != "" {
			// the role's head: a leader's office is compatible
			return !leaderHeads.has(h) && h != "minister"
		}
		return false
	}
	if en.role != "" && check(en.role) {
		return true
	}
	for _, a := range en.aliases {
		if check(a) {
			return true
		}
	}
	return false
}

// officeHeads are role heads of public offices that "the official" can
// refer back to.
var officeHeads = set(`president minister envoy adviser advisor aide mayor governor spokesman
spokeswoman spokesperson secretary ambassador official head director negotiator
commissioner administrator deputy diplomat chief prosecutor representative emissary
chancellor premier`)

// roleHeadOf returns the head of a role text: its last role head before a
// preposition ("Ukraine's chief negotiator" → negotiator, "head of the
// agency" → head, "governor for the region" → governor).
func roleHeadOf(role string) string {
	return roleHeadOfFields(strings.Fields(strings.ToLower(role)))
}

// roleHeadOfFields is roleHeadOf over the lower-case words of a role.
func roleHeadOfFields(f []string) string {
	head := ""
	for _, w := range f {
		h := stripPoss(strings.Trim(w, ","))
		if h == "of" || h == "for" || h == "to" || h == "at" || h == "in" || h == "on" || h == "and" {
			break
		}
		if roleHeads.has(h) && !(h == "chief" && head == "") || roleHeads.has(h) && head == "" {
			head = h
		}
	}
	return head
}

// roleCountry returns the country a role phrase names, if any.
func roleCountry(role string) string {
	for _, w := range strings.Fields(strings.ToLower(role)) {
		if c, ok := countryOf[w]; ok {
			return c
		}
		if c, ok := countryOf[stripPoss(w)]; ok {
			return c
		}
	}
	return ""
}

// roleCompatible reports whether a person's role text matches role phrase r.
func roleCompatible(role string, r *ref) bool {
	if role == "" {
		return false
	}
	f := strings.Fields(strings.ToLower(role))
	head := roleHeadOfFields(f)
	if head == "" {
		return false
	}
	if r.head == "official" && officeHeads.has(head) && len(r.mods) == 0 {
		// "the official": the latest person holding a public office
		return true
	}
	if r.head == "diplomat" && (head == "ambassador" || head == "envoy" || head == "emissary" ||
		head == "minister" && containsStr(f, "foreign") || head == "secretary" && containsStr(f, "state")) {
		// "the Russian diplomat", "the top diplomat": a foreign minister,
		// ambassador or envoy
		return countryMatch(role, r)
	}
	if head != r.head && !(leaderHeads.has(head) && leaderHeads.has(r.head)) &&
		!(r.head == "premier" && head == "minister" && containsStr(f, "prime")) {
		return false
	}
	if r.country != "" {
		if c := roleCountry(role); c != r.country {
			return false
		}
	}
	for _, m := range r.mods {
		if softMods.has(m) {
			continue
		}
		if _, ok := countryOf[m]; ok {
			continue
		}
		found := false
		for _, w := range f {
			if stripPoss(w) == m {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// speakerOf returns the display name of a reference: a person's full name,
// a body's canonical name, or "" when unresolved.
func (d *doc) speakerOf(ri int) (name, role string) {
	if ri < 0 {
		return "", ""
	}
	r := d.refs[ri]
	if r.ent >= 0 {
		return d.ents[r.ent].name, d.ents[r.ent].role
	}
	if r.body >= 0 {
		return d.bodies[r.body], ""
	}
	return "", ""
}

// countryMatch reports a role text compatible with the country of role
// phrase r (or r names none).
func countryMatch(role string, r *ref) bool {
	return r.country == "" || roleCountry(role) == r.country
}

// soleRecentPerson reports that e is the only person referred to in the
// refs just before index from (up to 40, within the last two sentences).
func (d *doc) soleRecentPerson(from, e int) bool {
	if from == 0 {
		return true
	}
	si := d.refs[from-1].sent
	for x := from - 1; x >= 0 && from-x <= 40 && d.refs[x].sent >= si-1; x-- {
		if en := d.refs[x].ent; en >= 0 && en != e {
			return false
		}
	}
	return true
}

// orgHeads are words that make a capitalised name an organisation.
var orgHeads = set(`institute office watch agency organisation organization committee
foundation centre center council diwan commission service bureau court fund network
union federation association coalition alliance command directorate secretariat
observatory monitor monitors mission programme program tribunal see`)

// orgBody reads a named organisation that speaks: "the Institute for the
// Study of War said", "Human Rights Watch said", "the Holy See press office
// said". The name must hold an organisation word and be followed by a
// verb of speech (or be the object of "statement from").
func (d *doc) orgBody(i, end, si int) (int, bool) {
	k := i
	if d.lw(k) == "the" {
		k++
	}
	if !d.isCap(k) || d.toks[k].ref >= 0 || k > i && d.toks[i].ref >= 0 {
		return 0, false
	}
	if p := i - 1; p >= 0 && d.isCap(p) && d.toks[p].para == d.toks[i].para && d.sents[si].t0 != i {
		return 0, false // inside a longer capitalised run
	}
	j, org, last := k, false, ""
	for j < end && j-k < 9 && d.free(j) && d.toks[j].ref < 0 {
		w := d.lw(j)
		if d.in(j, days) || d.in(j, months) {
			break
		}
		if d.isCap(j) || (w == "press" || w == "office" || w == "monitoring" || w == "mission") && j > k {
			if d.in(j, orgHeads) {
				org, last = true, w
			}
			j++
			continue
		}
		if (w == "of" || w == "for" || w == "the" || w == "and" || w == "on") && (d.isCap(j+1) || d.lw(j+1) == "the" && d.isCap(j+2)) {
			j++
			continue
		}
		break
	}
	for j > k && !d.isCap(j-1) {
		j-- // a trailing connector ("the Amiri Diwan on Sunday")
	}
	if !org || j == k || isPossessive(d.tx(j-1)) {
		return 0, false
	}
	v := j
	if d.isPunct(v, ",") {
		// "the Institute for the Study of War, a Washington-based thinktank, said"
		c := v + 1
		for c < end && c-v < 10 && d.free(c) && !d.isPunct(c, ",") && !d.isPunct(c, ".") {
			c++
		}
		if d.isPunct(c, ",") {
			v = c + 1
		}
	}
	for v < end && d.in(v, auxAdv) && !d.isCap(v) {
		v++
	}
	from := d.lw(i-1) == "from" && d.in(i-2, speechNouns)
	if !from && !(v < end && d.in(v, speechVerbs) && !strings.HasSuffix(d.lw(v), "ing")) {
		return 0, false
	}
	return d.finishBody(i, j, si, last)
}

// partyRole reports a role that is not a country's office even with a
// leader's head: a party's or opposition leader, a former holder.
func partyRole(role string) bool {
	for _, w := range strings.Fields(role) {
		lw := strings.ToLower(stripPoss(w))
		switch lw {
		case "party", "opposition", "faction", "movement", "bloc", "former", "ex-president", "late":
			return true
		}
		if len(w) >= 2 && len(w) <= 5 && allUpper(w) && w != "US" && w != "UK" && w != "EU" && w != "UN" && w != "U.S." && w != "U.K." {
			if _, ok := countryOf[lw]; !ok {
				return true // "CDU leader", "AfD co-leader"
			}
		}
	}
	return false
}

// anonNouns after an institution's name make a vague source ("a Downing
// Street source", "Kremlin insiders"), which stays anonymous.
var anonNouns = smallSet(`source sources insider insiders official officials figure figures aide aides`)

// anonHeads end a vague source: "one diplomat", "U.S. officials", "a
// Downing Street source", "two people familiar with the talks".
var anonHeads = smallSet(`source sources insider insiders official officials figure figures aide aides
diplomat diplomats officer officers`)

// anonMods may stand inside a vague source phrase.
var anonMods = smallSet(`senior top western european american former military government security
intelligence diplomatic administration defence defense ministry police local regional
high-ranking white house downing street foreign ranking retired serving`)

// anonSource records a vague source as a role reference that resolves to
// no one, so its quotes keep an empty speaker and never continue the
// previous speaker's: "one diplomat said", "a Downing Street source said",
// "U.S. officials said". It starts at a determiner or number word, or at a
// capitalised or national word that opens the sentence or follows a comma,
// a quote or "according to".
func (d *doc) anonSource(i, end, si int) (int, bool) {
	w := d.lw(i)
	k := i
	switch {
	case w == "a" || w == "an" || w == "one" || w == "two" || w == "three" || w == "several" || w == "some" ||
		w == "other" || w == "another" || w == "many":
		k++
	case d.isCap(i) || d.in(i, countryWords) || w == "officials" || w == "sources" || w == "insiders" || w == "diplomats":
		if p := i - 1; p >= d.sents[si].t0 && !(d.isPunct(p, ",") || d.toks[p].mark == 2 || d.lw(p) == "to" && d.lw(p-1) == "according") {
			return 0, false
		}
	default:
		return 0, false
	}
	for ; k < end && k-i < 6 && d.free(k) && d.toks[k].k == tWord && d.toks[k].ref < 0; k++ {
		lw := d.lw(k)
		if anonHeads.has(lw) {
			if d.lw(k+1) == "of" || isPossessive(d.tx(k)) {
				return 0, false // "one official of the ministry", "a source's account"
			}
			head := lw
			if head != "aides" && head != "sources" && head != "insiders" && head != "figures" {
				head = strings.TrimSuffix(head, "s")
			}
			d.addRef(ref{t0: i, t1: k + 1, kind: rRole, ent: -1, body: -1, head: head, sent: si, anon: true})
			return k + 1, true
		}
		if !(anonMods.has(lw) || d.isCap(k) || countryOf[lw] != "") || k > i && d.in(k, roleHeads) && !anonHeads.has(lw) {
			return 0, false
		}
	}
	return 0, false
}
