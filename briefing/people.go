package briefing

import (
	"strings"
)

// mention is one occurrence of a person's name outside quotes.
type mention struct {
	t0, t1  int // name tokens
	x0, x1  int // extended span: role before, honorific, appositive after
	hon     string
	role    string
	poss    bool
	ent     int
	intro   bool   // a lone first name presented as a new person
	country string // nationality written before the name ("Germany's", "German")
}

// entity is one person of the article; mentions and variants are merged.
type entity struct {
	name     string
	ntoks    int
	surKey   string
	givenKey string
	role     string
	aliases  []string // role phrases resolved to this person ("us president")
	gender   byte     // 'm', 'f' or 0
	lastTok  int
	first    int
	count    int    // mentions
	country  string // nationality written before a mention
}

type refKind uint8

const (
	rPerson refKind = iota + 1
	rPronoun
	rRole
	rBody
)

// ref is a phrase that can be a speaker or a participant: a name, a
// pronoun, a role phrase ("the US president") or a body ("the air force").
type ref struct {
	t0, t1  int
	kind    refKind
	ent     int // resolved person, or -1
	body    int // canonical body index, or -1
	poss    bool
	head    string
	country string
	mods    []string
	sent    int
	anon    bool // a vague source ("one diplomat", "U.S. officials")
}

// pureHon are honorifics that are never a role.
var pureHon = set(`mr mrs ms miss dr mr. mrs. ms. dr. sir dame prof`)

// dotHon may be written with a full stop ("Gen. Smith").
var dotHon = set(`mr mrs ms dr gen lt col maj capt sgt adm sen rep gov prof st`)

// nameKey folds case, possessive and common transliteration variants
// (Zelenskiy/Zelenskyy/Zelensky, Sergei/Sergey, Dmitri/Dmitry, Yuri/Yury).
func nameKey(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "’"), "'")
	k := w
	if strings.IndexAny(w, "-'") >= 0 {
		var b strings.Builder
		b.Grow(len(w))
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c == '-' || c == '\'' {
				continue
			}
			b.WriteByte(c)
		}
		k = b.String()
	}
	switch {
	case strings.HasSuffix(k, "yy"):
		k = k[:len(k)-1]
	case strings.HasSuffix(k, "iy"):
		k = k[:len(k)-2] + "y"
	case strings.HasSuffix(k, "ei"):
		k = k[:len(k)-2] + "ey"
	case strings.HasSuffix(k, "i") && len(k) > 3:
		k = k[:len(k)-1] + "y"
	}
	return k
}

func isPossessive(s string) bool {
	return strings.HasSuffix(s, "’s") || strings.HasSuffix(s, "'s")
}

func stripPoss(s string) string {
	return strings.TrimSuffix(strings.TrimSuffix(s, "’s"), "'s")
}

// midName reports "He" inside a sentence before another capitalised word:
// a name ("He Lifeng"), not the pronoun.
func (d *doc) midName(k int, s sentence) bool {
	return d.lw(k) == "he" && k > s.t0 && d.isCap(k) && d.isCap(k+1) && d.toks[k-1].mark == 0 && !d.isPunct(k-1, ":")
}

// maleKin and femaleKin before a name give its gender ("his sister Kim
// Yo Jong").
var maleKin = smallSet(`brother husband son father uncle nephew grandson grandfather king prince`)
var femaleKin = smallSet(`sister wife daughter mother aunt niece granddaughter grandmother queen princess widow`)

// placeNouns name kinds of places around a proper name.
var placeNouns = set(`city town village district districts region regions oblast oblasts port
settlement community communities province provinces county area suburb neighbourhood
neighborhood street square`)

// isTitle reports a title or office word, hyphenated ones included
// ("Secretary-General", "Vice-President", "Chancellor-designate").
func isTitle(w string) bool {
	w = stripPoss(w)
	if honorifics.has(w) || roleHeads.has(w) {
		return true
	}
	if strings.IndexByte(w, '-') < 0 {
		return false
	}
	for _, p := range strings.Split(w, "-") {
		if honorifics.has(p) || roleHeads.has(p) && p != "general" {
			return true
		}
	}
	return false
}

// ambiguousName reports a capitalised word that is a country, place or
// month and also a personal name ("Israel", "May", "Georgia").
func (d *doc) ambiguousName(k int) bool {
	return d.isCap(k) && (d.in(k, months) || d.in(k, countryWords) || d.in(k, places)) &&
		!d.in(k, orgWords) && !d.in(k, days) && !d.in(k, stopCaps) && !d.in(k, bodyWords) && !isPossessive(d.tx(k))
}

// apposRole reports ", the defence minister," right after token j-1: an
// appositive role that marks the run before it as a person.
func (d *doc) apposRole(j int, s sentence) bool {
	if !d.isPunct(j, ",") || !d.in(j+1, determiners) {
		return false
	}
	for k := j + 2; k < s.t1 && k-j <= 6; k++ {
		if d.isPunct(k, ",") || !d.free(k) {
			return false
		}
		if d.in(k, roleHeads) && d.lw(k+1) != "of" {
			return d.isPunct(k+1, ",")
		}
	}
	return false
}

// nonNameTok is nonName for token k, from its lexicon mask.
func (d *doc) nonNameTok(k int) bool {
	mask := places.bit | orgWords.bit | days.bit | months.bit | stopCaps.bit | bodyWords.bit | countryWords.bit
	return k >= 0 && k < len(d.toks) && d.toks[k].bits&mask != 0
}

// nonName reports words that can never be part of a person's name.
func nonName(low string) bool {
	low = stripPoss(low)
	if places.has(low) || orgWords.has(low) || days.has(low) || months.has(low) || stopCaps.has(low) || bodyWords.has(low) {
		return true
	}
	_, ok := countryOf[low]
	return ok
}

// findMentions finds person names sentence by sentence and merges them into
// entities.
func (d *doc) findMentions() {
	// Pass 1 learns the surnames of full names anywhere in the article, so
	// a bare "Trump" before "Donald Trump" is still a person. Pass 2 keeps
	// the mentions.
	d.ments = make([]mention, 0, len(d.sents)+8)
	d.scanMentions()
	d.fullSurnames = make(map[string]bool, len(d.ents))
	for _, e := range d.ents {
		if e.ntoks >= 2 {
			d.fullSurnames[e.surKey] = true
		}
	}
	d.ments = d.ments[:0]
	d.ents = d.ents[:0]
	d.scanMentions()
}

func (d *doc) scanMentions() {
	for si := range d.sents {
		s := d.sents[si]
		if s.skip {
			continue
		}
		for i := s.t0; i < s.t1; i++ {
			if !d.free(i) || !d.isCap(i) {
				continue
			}
			j := d.capRun(i, s.t1)
			if d.mentionFrom(i, j, s) {
				i = d.ments[len(d.ments)-1].t1 - 1
				continue
			}
			i = j - 1
		}
	}
}

// free reports a token outside quotes.
func (d *doc) free(i int) bool { return d.toks[i].q < 0 && d.toks[i].mark == 0 }

// capRun returns the end of a run of capitalised words starting at i.
func (d *doc) capRun(i, end int) int {
	j := i
	for j < end && d.free(j) {
		if d.isCap(j) || j > i && arabicArticle(d.tx(j)) {
			if isPossessive(d.tx(j)) {
				return j + 1
			}
			// "Gen. Smith", "Mr. Jones", "John F. Kennedy"
			if j+2 < end && d.isPunct(j+1, ".") && d.isCap(j+2) &&
				(d.in(j, dotHon) || len(d.tx(j)) == 1) {
				j += 2
				continue
			}
			j++
			continue
		}
		if d.toks[j].k == tWord && d.in(j, nameParticles) && j > i {
			k := j
			for k < end && d.toks[k].k == tWord && d.in(k, nameParticles) && k-j < 3 {
				k++
			}
			if k < end && d.isCap(k) {
				j = k
				continue
			}
		}
		break
	}
	return j
}

// mentionFrom inspects the capitalised run [i,j) and records a person
// mention when it holds a name.
func (d *doc) mentionFrom(i, j int, s sentence) bool {
	// peel titles, nationalities, places and sentence openers
	n0 := i
	hon := ""
	// a role before the run or in an appositive after it makes a two-word
	// run whose first or last word is also a country, place or month a
	// name: "Defence Minister Israel Katz", "former prime minister Theresa
	// May", "Israel Katz, the defence minister,"
	roleCtx := d.free(max(i-1, 0)) && d.in(i-1, roleHeads) || d.apposRole(j, s)
	for n0 < j {
		w := d.lw(n0)
		if d.isPunct(n0, ".") {
			n0++
			continue
		}
		if honorifics.has(w) || pureHon.has(w) || isTitle(w) {
			hon = w
			n0++
			roleCtx = true
			continue
		}
		if roleCtx && j-n0 == 2 && d.ambiguousName(n0) && d.isCap(n0+1) && !d.nonNameTok(n0+1) && !isPossessive(d.tx(n0)) {
			break
		}
		if (d.nonNameTok(n0) || d.in(n0, roleMods) || d.in(n0, roleHeads)) && !d.midName(n0, s) {
			if isPossessive(d.tx(n0)) {
				return false
			}
			hon = ""
			n0++
			continue
		}
		break
	}
	for k := j - 1; k > n0; k-- {
		w := stripPoss(d.lw(k))
		if d.isPunct(k, ".") || nameParticles.has(w) {
			continue
		}
		if isTitle(w) {
			hon = w
			n0 = k + 1
			break
		}
	}
	if n0 >= j || d.isPunct(n0, ".") {
		return false
	}
	// "MR MILLER:", "QUESTION:": a transcript's speaker label
	if d.isPunct(j, ":") && allUpper(d.tx(j-1)) && len(d.tx(j-1)) > 2 {
		return false
	}
	// name tokens [n0, t1)
	t1 := j
	poss := isPossessive(d.tx(t1 - 1))
	words := 0
	for k := n0; k < t1; k++ {
		if d.toks[k].k != tWord {
			continue
		}
		w := d.lw(k)
		if nameParticles.has(w) {
			continue
		}
		if roleCtx && t1-n0 == 2 && d.ambiguousName(k) && !d.nonNameTok(n0+t1-1-k) && d.isCap(n0+t1-1-k) {
			words++ // "Israel Katz", "Theresa May" after a role
			continue
		}
		if (d.nonNameTok(k) || d.in(k, honorifics) && k > n0) && !d.midName(k, s) && !(d.in(k, acronyms) && d.tx(k) != strings.ToUpper(d.tx(k))) {
			return false
		}
		words++
	}
	if words == 0 || words > 4 {
		return false
	}
	// a lower-case role head right before ("envoy Witkoff") acts as a title
	k := n0 - 1
	for k >= s.t0 && (d.in(k, pureHon) || d.isPunct(k, ".")) {
		k--
	}
	roleBefore := k >= s.t0 && d.free(k) && (d.in(k, roleHeads) || d.in(k, honorifics) && !d.in(k, pureHon))
	roleEnd := k
	// "Secretary of State Marco Rubio", "minister of defence X"
	if !roleBefore && k-2 >= s.t0 && d.lw(k-1) == "of" && d.free(k-2) && (d.in(k-2, roleHeads) || d.in(k-2, honorifics) && !d.in(k-2, pureHon)) {
		roleBefore = true
		k -= 2
	}
	sur := nameKey(d.tx(t1 - 1))
	given := ""
	if words >= 2 {
		given = nameKey(d.tx(n0))
	}
	known := d.findEntity(sur, given) >= 0 || (words == 1 && d.findGiven(sur, 0) >= 0) || words == 1 && d.fullSurnames[sur]
	if hon == "" && !roleBefore && !poss && n0 == i {
		// "in Bila Tserkva", "near Velyka Pysarivka": a place
		if w := d.lw(n0 - 1); (w == "in" || w == "near" || w == "outside" || w == "at") && d.findEntity(sur, given) < 0 {
			return false
		}
		// "the village of Velyka Pysarivka", "the Bila Tserkva and Fastiv districts"
		if d.lw(n0-1) == "of" && d.in(n0-2, placeNouns) || d.in(t1, placeNouns) ||
			d.lw(t1) == "and" && d.isCap(t1+1) && d.in(t1+2, placeNouns) {
			return false
		}
	}
	intro := words == 1 && hon == "" && !roleBefore && d.singleNamePerson(n0, t1, s)
	if hon == "" && !roleBefore && words < 2 && !known && !intro && !d.speaksNext(t1, s) {
		return false
	}
	m := mention{t0: n0, t1: t1, x0: n0, x1: t1, hon: hon, poss: poss, ent: -1, intro: intro && d.findEntity(sur, "") < 0}
	for c := max(i-1, s.t0); c < n0; c++ {
		if cc, ok := countryOf[stripPoss(d.lw(c))]; ok && cc != "" {
			m.country = cc // "Germany's Friedrich Merz", "German Chancellor X"
		}
	}
	// honorific span
	h := n0 - 1
	for h >= s.t0 && (d.in(h, pureHon) || d.isPunct(h, ".") && h-1 >= s.t0 && d.in(h-1, dotHon)) {
		m.x0 = h
		h--
	}
	// role before the name
	if roleBefore {
		r0 := k
		for r := k - 1; r >= s.t0 && k-r < 7 && d.free(r); r-- {
			w := d.lw(r)
			if d.toks[r].k != tWord || roleStop.has(w) || stopCaps.has(w) && !d.possCap(r) {
				break
			}
			_, isCountry := countryOf[w]
			if roleMods.has(w) || roleHeads.has(w) || isCountry || d.isCap(r) {
				r0 = r
				continue
			}
			break
		}
		// drop leading determiners / sentence openers
		for r0 < k && (d.in(r0, stopCaps) && !d.possCap(r0)) {
			r0++
		}
		m.role = d.text[d.toks[r0].s:d.toks[roleEnd].e]
		m.x0 = r0
	}
	// age: "Tetiana, 71," / "Tetiana Kovalenko (68)"
	if !poss && d.isPunct(t1, ",") && t1+2 < s.t1 && d.toks[t1+1].k == tNum && (d.isPunct(t1+2, ",") || d.isPunct(t1+2, ".")) {
		m.x1 = t1 + 2
	} else if !poss && d.isPunct(t1, "(") && t1+2 < s.t1 && d.toks[t1+1].k == tNum && d.isPunct(t1+2, ")") {
		m.x1 = t1 + 3
	} else if !poss && t1 < s.t1 && d.isPunct(t1, ",") {
		// appositive after the name: ", governor of the X region,"
		if role, end, ok := d.appositive(t1+1, s.t1); ok {
			if m.role == "" {
				m.role = role
			}
			m.x1 = end
		}
	}
	d.ments = append(d.ments, m)
	d.linkMention(len(d.ments) - 1)
	return true
}

// singleNamePerson accepts a lone first name when the text presents it as
// a person: "Serhiy, a 34-year-old sergeant", "Tetiana, 71,", "Olha, a
// nurse", "an engineer named Petro".
func (d *doc) singleNamePerson(n0, t1 int, s sentence) bool {
	if d.lw(n0-1) == "named" || d.lw(n0-1) == "called" && d.lw(n0-2) != "was" {
		return true
	}
	// "gave her name only as Lyudmila", "identified only as Omar"
	if d.lw(n0-1) == "as" && (d.lw(n0-2) == "only" || d.lw(n0-2) == "name" || d.lw(n0-2) == "identified") {
		return true
	}
	if d.isPunct(t1, "(") && d.toks[min(t1+1, len(d.toks)-1)].k == tNum {
		return true
	}
	if !d.isPunct(t1, ",") || t1+1 >= s.t1 {
		return false
	}
	if d.toks[t1+1].k == tNum && (d.isPunct(t1+2, ",") || d.isPunct(t1+2, ".")) {
		return true
	}
	if w := d.lw(t1 + 1); w != "a" && w != "an" && w != "the" {
		return false
	}
	for k := t1 + 2; k < s.t1 && k-t1 < 8; k++ {
		w := d.lw(k)
		if d.isPunct(k, ",") || d.isPunct(k, ".") {
			break
		}
		if strings.HasSuffix(w, "-year-old") || roleHeads.has(w) || personRoles.has(w) {
			return true
		}
	}
	return false
}

// speaksNext reports a lone name followed by a speech verb right after a
// quote ("…,’ Halyna says").
func (d *doc) speaksNext(t1 int, s sentence) bool {
	if t1 >= s.t1 {
		return false
	}
	n0 := t1 - 1
	if d.in(t1, speechVerbs) && d.lw(t1) != "quoted" && n0 > s.t0 && (d.toks[n0-1].mark == 2 || d.isPunct(n0-1, ",") && n0 >= 2 && d.toks[n0-2].mark == 2) {
		return true
	}
	return d.surnameSubject(n0, s) || d.surnameObject(n0, s)
}

// surnameObject reports a lone capitalised word that is the object of a
// meeting verb: "met Erdogan", "spoke with Merz", "talks with Orban".
func (d *doc) surnameObject(n0 int, s sentence) bool {
	if n0-1 < s.t0 || !d.plainSurname(n0) {
		return false
	}
	p := n0 - 1
	switch d.lw(p) {
	case "met", "meets", "meet", "hosted", "hosts", "host", "received", "receives", "receive", "welcomed", "welcomes", "welcome", "phoned", "called":
	case "with", "to":
		switch d.lw(p - 1) {
		case "spoke", "speaks", "talked", "talks", "met", "meets", "meet", "meeting", "call", "phone", "conversation", "down":
		default:
			return false
		}
		if d.lw(p) == "to" && !strings.HasPrefix(d.lw(p-1), "sp") && d.lw(p-1) != "talked" {
			return false
		}
	case "and":
		// "Trump and Putin met": the second of two lone names before a verb
		return d.plainSurname(p-1) && d.meetVerbAfter(n0+1, s)
	default:
		return false
	}
	// the name ends its noun phrase: "met Trump on Monday", not "met
	// Republican senators"
	nx := n0 + 1
	return nx >= s.t1 || d.toks[nx].k == tPunct || d.in(nx, roleStop) || d.in(nx, auxAdv) || d.in(nx, days)
}

// plainSurname reports a capitalised word that can be a surname on its
// own: not an acronym, a code, a common noun or a known non-name.
func (d *doc) plainSurname(n0 int) bool {
	if !d.isCap(n0) || d.in(n0, commonSpeakers) || isPossessive(d.tx(n0)) || d.nonNameTok(n0) {
		return false
	}
	w := d.tx(n0)
	if len(w) < 3 || allUpper(w) || strings.ContainsAny(w, "0123456789") {
		return false // acronyms and codes are bodies ("NATO", "KCNA")
	}
	lw := d.lw(n0)
	sg := strings.TrimSuffix(lw, "s")
	return !(roleHeads.has(sg) || personRoles.has(sg) || personNouns.has(lw) || roleHeads.has(lw) || honorifics.has(lw))
}

// commonSpeakers are capitalised sentence openers that speak but are not
// names ("Witnesses said", "Both said").
var commonSpeakers = set(`witnesses critics analysts observers diplomats doctors investigators
lawmakers protesters survivors relatives neighbours neighbors locals experts economists
everyone nobody someone others both many few all either neither each one another
ukrainians russians americans europeans israelis palestinians officials sources residents
authorities police rescuers medics prosecutors organisers organizers supporters opponents
amnesty greenpeace unicef unesco iaea frontex europol interpol xinhua kcna yonhap tass
interfax ria ukrinform belta irna wafa reuters bloomberg politico axios
conservatives liberals socialists democrats republicans nationalists separatists rebels
militants insurgents demonstrators hardliners insiders senators voters citizens refugees
troops villagers farmers families volunteers mourners worshippers pilgrims`)

// surnameSubject reports a lone capitalised word that is the subject of a
// speech verb, as late-wire copy names people by surname only:
// "Zelenskiy said", "Trump, asked about the plan, said", "Merz later told".
func (d *doc) surnameSubject(n0 int, s sentence) bool {
	if n0 < s.t0 || !d.plainSurname(n0) {
		return false
	}
	// opens a clause: sentence start, after a comma, a conjunction or a
	// closing quote
	if p := n0 - 1; p >= s.t0 && !(d.isPunct(p, ",") || d.lw(p) == "and" || d.lw(p) == "but" || d.toks[p].mark == 2 || d.isPunct(p, ":")) {
		return false
	}
	k := n0 + 1
	if d.lw(k) == "and" && d.plainSurname(k+1) && !d.isCap(k+2) {
		// "Trump and Putin met"
		return d.meetVerbAfter(k+2, s)
	}
	if d.meetVerbAfter(k, s) {
		return true // "Zelenskiy met Trump", "Erdogan hosted …"
	}
	if d.isPunct(k, ",") {
		// "Trump, asked about the request, said"
		a := d.lw(k + 1)
		if !(strings.HasSuffix(a, "ing") || strings.HasSuffix(a, "ed") || a == "who" || a == "when") {
			return false
		}
		c := k + 2
		for c < s.t1 && c-k < 14 && d.free(c) && !d.isPunct(c, ",") && !d.isPunct(c, ";") {
			c++
		}
		if !d.isPunct(c, ",") {
			return false
		}
		k = c + 1
	}
	for k < s.t1 && d.in(k, auxAdv) && d.toks[k].k == tWord && !d.isCap(k) {
		k++
	}
	if k >= s.t1 || !d.in(k, speechVerbs) || d.isCap(k) {
		return false
	}
	v := d.lw(k)
	return !strings.HasSuffix(v, "ing") && v != "called" && v != "quoted" && v != "reported" && v != "described"
}

// arabicArticle reports "al-Burhan", "el-Sisi": a name part in lower case.
func arabicArticle(w string) bool {
	for _, p := range []string{"al-", "el-", "ad-", "as-", "ash-", "ar-", "az-"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) && w[len(p)] >= 'A' && w[len(p)] <= 'Z' {
			return true
		}
	}
	return false
}

// possCap reports a capitalised possessive ("Trump’s").
func (d *doc) possCap(i int) bool { return d.isCap(i) && isPossessive(d.tx(i)) }

// appositive reads a role phrase after a comma, up to the next comma or the
// sentence end. It returns the role, the token after the phrase (and its
// closing comma) and whether a role was found.
func (d *doc) appositive(a, end int) (string, int, bool) {
	if a >= end || !d.free(a) {
		return "", 0, false
	}
	first := d.lw(a)
	if d.toks[a].k != tWord || (roleStop.has(first) && !determiners.has(first)) || speechVerbs.has(first) {
		return "", 0, false
	}
	possSoon := d.isCap(a) && (d.possCap(a) || d.possCap(a+1) || d.isCap(a+1) && d.possCap(a+2))
	if _, c := countryOf[stripPoss(first)]; !determiners.has(first) && !roleHeads.has(first) && !roleMods.has(first) &&
		!personRoles.has(first) && !c && !possSoon {
		return "", 0, false
	}
	head := false
	k := a
	for ; k < end && k-a < 14 && d.free(k); k++ {
		if d.isPunct(k, ",") || d.isPunct(k, ".") || d.isPunct(k, ";") {
			break
		}
		w := d.lw(k)
		if speechVerbs.has(w) || w == "who" || w == "which" || !d.isCap(k) && strings.HasSuffix(w, "ed") && !roleMods.has(w) {
			return "", 0, false
		}
		if roleHeads.has(w) || roleHeads.has(stripPoss(w)) {
			head = true
		}
	}
	if !head || k == a {
		return "", 0, false
	}
	r0 := a
	if d.in(r0, determiners) {
		r0++
	}
	if r0 >= k {
		return "", 0, false
	}
	role := d.text[d.toks[r0].s:d.toks[k-1].e]
	next := k
	if k < end && d.isPunct(k, ",") {
		next = k + 1
	}
	return role, next, true
}

// findEntity returns the most recent entity with the given surname key and a
// compatible given-name key, or -1.
// A lone surname goes to the person mentioned most often (the story's
// Trump, not his grandfather Friedrich Trump), the latest on a tie.
func (d *doc) findEntity(sur, given string) int {
	best := -1
	for e := len(d.ents) - 1; e >= 0; e-- {
		en := &d.ents[e]
		if en.surKey == sur && (given == "" || en.givenKey == "" || en.givenKey == given) {
			if given != "" {
				return e
			}
			if best < 0 || en.count > d.ents[best].count {
				best = e
			}
		}
	}
	return best
}

// findGiven matches a lone word against full names' given names only when
// nothing else matches (rare: "Vladimir" alone).
// Several people sharing the word (Kim Jong Un, Kim Dae-jung): the one
// mentioned most, the first introduced on a tie (the story's subject).
//
// An honorific's gender g ('m', 'f' or 0) rules out people of the other
// gender ("Mr. Kim" is not Kim Yo Jong once she is known as a sister).
func (d *doc) findGiven(k string, g byte) int {
	best := -1
	for e := range d.ents {
		if g != 0 && d.ents[e].gender != 0 && d.ents[e].gender != g {
			continue
		}
		if d.ents[e].givenKey == k && d.ents[e].ntoks >= 2 && (best < 0 || d.ents[e].count > d.ents[best].count) {
			best = e
		}
	}
	return best
}

// linkMention assigns a mention to an entity, creating one for a new name
// and upgrading a surname-only entity when the full name appears.
func (d *doc) linkMention(mi int) {
	{
		m := &d.ments[mi]
		words := 0
		for k := m.t0; k < m.t1; k++ {
			if d.toks[k].k == tWord && !d.in(k, nameParticles) {
				words++
			}
		}
		sur := nameKey(d.tx(m.t1 - 1))
		given := ""
		if words >= 2 {
			given = nameKey(d.tx(m.t0))
		}
		e := d.findEntity(sur, given)
		if e < 0 && words == 1 && !m.intro {
			g := byte(0)
			if maleHon.has(m.hon) {
				g = 'm'
			} else if femaleHon.has(m.hon) {
				g = 'f'
			}
			e = d.findGiven(sur, g)
		}
		name := stripPoss(d.text[d.toks[m.t0].s:d.toks[m.t1-1].e])
		if e < 0 {
			d.ents = append(d.ents, entity{name: name, ntoks: words, surKey: sur, givenKey: given, first: mi})
			e = len(d.ents) - 1
		}
		en := &d.ents[e]
		if words > en.ntoks && en.ntoks == 1 && en.surKey == sur {
			en.name, en.ntoks, en.givenKey = name, words, given
		}
		if en.role == "" && m.role != "" {
			en.role = m.role
		}
		if en.country == "" {
			en.country = m.country
		}
		if en.gender == 0 {
			if maleHon.has(m.hon) || d.in(m.x0-1, maleKin) {
				en.gender = 'm'
			} else if femaleHon.has(m.hon) || d.in(m.x0-1, femaleKin) {
				en.gender = 'f'
			}
		}
		en.count++
		m.ent = e
	}
}

// subjectMeetVerbs are verbs of meeting, calling or travelling whose
// subject a lone surname can be ("Zelenskiy met", "Erdogan hosted").
var subjectMeetVerbs = set(`met meets hosted hosts welcomed welcomes received receives spoke speaks
talked held holds sat had called phoned visited visits travelled traveled flew arrived
meet host welcome receive speak talk hold visit travel`)

// meetVerbAfter reports a meeting verb at k past auxiliaries ("will meet",
// "is due to meet", "met").
func (d *doc) meetVerbAfter(k int, s sentence) bool {
	if w := d.lw(k); w == "had" || w == "has" || w == "held" || w == "holds" {
		// "Zelensky had a phone call with …"
		for j := k + 1; j < s.t1 && j-k <= 4 && d.toks[j].k == tWord; j++ {
			if d.in(j, meetNouns) {
				return true
			}
		}
	}
	for k < s.t1 && d.toks[k].k == tWord && d.in(k, auxAdv) && !d.isCap(k) {
		k++
	}
	if k >= s.t1 || !d.in(k, subjectMeetVerbs) || d.isCap(k) {
		return false
	}
	// a bare form needs an auxiliary before it ("will meet", not "Meet")
	if w := d.lw(k); d.in(k, baseForms) && !d.in(k-1, auxAdv) {
		_ = w
		return false
	}
	return true
}

// allUpper reports a word with no lower-case ASCII letter ("NATO",
// "MILLER"), without allocating.
func allUpper(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			return false
		}
	}
	return true
}
