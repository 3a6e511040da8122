package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tkind uint8

const (
	tWord tkind = iota
	tNum
	tPunct
)

// token is a word, number or punctuation mark, as a byte span of the body.
type token struct {
	s, e int
	para int
	sent int
	q    int // index of the quote whose text holds the token, or -1
	ref  int // index of the reference (person, body…) covering it, or -1
	low  string
	bits uint64 // lexicon sets holding low (or low without a possessive)
	k    tkind
	mark int8 // 1: opening mark of a quote, 2: closing mark
}

// quote is a span of quoted text inside one paragraph.
type quote struct {
	open, close int // token indices of the marks; close is -1 when the quote runs on
	ts, te      int // byte span of the text between the marks
	para        int
	prev        int // quote this one continues (multi-paragraph), or -1
	sent        int
}

// sentence is a byte span with its token range.
type sentence struct {
	s, e   int
	t0, t1 int
	para   int
	skip   bool // boilerplate or headline: never yields facts
}

// doc is the shared document model every pass reads and annotates.
type doc struct {
	text   string
	paras  []para
	toks   []token
	quotes []quote
	sents  []sentence
	ments  []mention
	ents   []entity
	refs   []ref
	bodies []string // canonical body names
	// sentSubj is the resolved person subject of each sentence, or -1.
	sentSubj []int
	// attackDoc is set when the article reports an attack.
	attackDoc bool
	// qTally marks quotes whose tallies count ("two people were killed
	// and 11 injured," the governor said).
	qTally []bool
	// fullSurnames holds the surname keys of names given in full.
	fullSurnames map[string]bool
	// low and lowFull are lowerText(text), or "" until Brief sets them.
	low     string
	lowFull bool
	// wordSeen caches wordIn look-ups.
	wordSeen map[string]string
}

// in reports whether token k is a word of set s.
func (d *doc) in(k int, s wordSet) bool {
	if s.bit == 0 {
		return k >= 0 && k < len(d.toks) && s.has(d.toks[k].low)
	}
	return k >= 0 && k < len(d.toks) && d.toks[k].bits&s.bit != 0
}

func (d *doc) tx(i int) string { return d.text[d.toks[i].s:d.toks[i].e] }

// lw returns the lower-case text of token i, or "" out of range.
func (d *doc) lw(i int) string {
	if i < 0 || i >= len(d.toks) {
		return ""
	}
	return d.toks[i].low
}

func (d *doc) isCap(i int) bool {
	if i < 0 || i >= len(d.toks) || d.toks[i].k != tWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(d.tx(i))
	return unicode.IsUpper(r)
}

func (d *doc) isPunct(i int, p string) bool {
	return i >= 0 && i < len(d.toks) && d.toks[i].k == tPunct && d.tx(i) == p
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenize splits the kept paragraphs into tokens.
func (d *doc) tokenize() {
	est := 0
	for _, p := range d.paras {
		est += (p.e - p.s) / 5
	}
	d.toks = make([]token, 0, est+8)
	t := d.text
	// lowText is t with ASCII letters lowered: an ASCII word's lower case
	// is a slice of it, so only words with other runes allocate.
	lowText, full := d.low, d.lowFull
	if len(lowText) != len(t) {
		lowText, full = lowerText(t)
	}
	for pi, p := range d.paras {
		for i := p.s; i < p.e; {
			r, sz := utf8.DecodeRuneInString(t[i:p.e])
			if unicode.IsSpace(r) {
				i += sz
				continue
			}
			if isWordRune(r) {
				j, digits := scanWord(t, i, p.e)
				k := tWord
				if digits {
					k = tNum
				}
				low := lowerSpan(t, lowText, full, i, j)
				bits := lexBits[low]
				if sp := stripPoss(low); len(sp) != len(low) {
					bits |= lexBits[sp]
				}
				d.toks = append(d.toks, token{s: i, e: j, k: k, para: pi, q: -1, ref: -1, low: low, bits: bits})
				i = j
				continue
			}
			d.toks = append(d.toks, token{s: i, e: i + sz, k: tPunct, para: pi, q: -1, ref: -1, low: t[i : i+sz]})
			i += sz
		}
	}
}

// asciiLower returns s with ASCII upper-case letters lowered (other bytes
// unchanged), without allocating when there are none.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lower returns s in lower case without allocating when it already is.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// scanWord returns the end of the word starting at i and whether it is a
// plain number (digits with thousands separators).
func scanWord(t string, i, end int) (int, bool) {
	start := i
	digits := true
	seg := 0 // runes since the last '.' (for U.S., a.m.)
	dotted := false
	for i < end {
		r, sz := utf8.DecodeRuneInString(t[i:end])
		if isWordRune(r) || unicode.Is(unicode.Mn, r) {
			if !unicode.IsDigit(r) {
				digits = false
			}
			i += sz
			seg++
			continue
		}
		if i+sz >= end {
			if r == '.' && dotted && seg == 1 {
				i += sz
			}
			break
		}
		r2, sz2 := utf8.DecodeRuneInString(t[i+sz : end])
		switch r {
		case '-', '‐', '‑':
			if isWordRune(r2) {
				i += sz
				digits = false
				seg = 0
				continue
			}
		case '\'', '’':
			if unicode.IsLetter(r2) && i > start {
				i += sz
				digits = false
				continue
			}
		case '.':
			if digits && unicode.IsDigit(r2) {
				i += sz
				continue
			}
			if seg == 1 && unicode.IsLetter(r2) && !digits {
				// U.S., a.m.: single letters separated by dots.
				if k := i + sz + sz2; k < end && t[k] == '.' {
					i += sz
					seg = 0
					dotted = true
					continue
				}
			}
			if dotted && seg == 1 {
				i += sz
			}
		case ',':
			if digits && i+4 <= end && isDigits(t[i+1:i+4]) && (i+4 == end || !isDigitByte(t[i+4])) {
				i += sz
				continue
			}
		}
		break
	}
	return i, digits && i > start
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// quote mark classes.
const (
	qNone = iota
	qDouble
	qLow9
	qGuillemet
	qSingle
	qStraight
	qStraightSingle
)

// findQuotes marks quote spans paragraph by paragraph.
func (d *doc) findQuotes() {
	n := len(d.toks)
	i := 0
	pendingPrev := -1 // a quote of the previous paragraph that runs on
	for i < n {
		p := d.toks[i].para
		j := i
		for j < n && d.toks[j].para == p {
			j++
		}
		nextOpens := j < n && d.toks[j].k == tPunct && isOpeningMark(d.tx(j))
		pendingPrev = d.quotesIn(i, j, pendingPrev, nextOpens)
		i = j
	}
}

// quotesIn finds quotes among tokens [a,b) of one paragraph. prev is a
// quote of the previous paragraph left open; it returns the open quote of
// this paragraph, if any.
func (d *doc) quotesIn(a, b, prev int, nextOpens bool) int {
	open, kind := -1, qNone
	for i := a; i < b; i++ {
		tk := &d.toks[i]
		if tk.k != tPunct {
			continue
		}
		m := d.tx(i)
		switch m {
		case "“":
			if open >= 0 && kind == qLow9 {
				d.addQuote(open, i, prev, a)
				open, kind = -1, qNone
			} else if open < 0 || kind == qDouble {
				open, kind = i, qDouble
			}
		case "”":
			if open >= 0 && (kind == qDouble || kind == qLow9) {
				d.addQuote(open, i, prev, a)
				open, kind = -1, qNone
			} else if open < 0 && d.leftOpen(i) && d.rightTight(i) {
				open, kind = i, qDouble
			}
		case "„":
			if open < 0 {
				open, kind = i, qLow9
			}
		case "«":
			if open < 0 {
				open, kind = i, qGuillemet
			}
		case "»":
			if open >= 0 && kind == qGuillemet {
				d.addQuote(open, i, prev, a)
				open, kind = -1, qNone
			}
		case "\"":
			if open >= 0 && kind == qStraight {
				d.addQuote(open, i, prev, a)
				open, kind = -1, qNone
			} else if open < 0 {
				open, kind = i, qStraight
			}
		case "‘":
			if open < 0 && d.leftOpen(i) && d.rightTight(i) {
				open, kind = i, qSingle
			}
		case "’", "'":
			if open >= 0 && (kind == qSingle || kind == qStraightSingle) && d.rightLoose(i) {
				d.addQuote(open, i, prev, a)
				open, kind = -1, qNone
			} else if open < 0 && m == "'" && d.leftOpen(i) && d.rightTight(i) {
				open, kind = i, qStraightSingle
			}
		}
	}
	if open >= 0 && nextOpens && (kind == qDouble || kind == qGuillemet || kind == qStraight || kind == qLow9) {
		// A paragraph opened by a mark and not closed runs on into the next
		// one if that opens with a mark too; the caller checks.
		te := d.toks[b-1].e
		q := quote{open: open, close: -1, ts: d.toks[open].e, te: te, para: d.toks[open].para, prev: -1}
		if open == a {
			q.prev = prev
		}
		d.quotes = append(d.quotes, q)
		qi := len(d.quotes) - 1
		d.toks[open].mark = 1
		for k := open + 1; k < b; k++ {
			d.toks[k].q = qi
		}
		return qi
	}
	return -1
}

func (d *doc) addQuote(open, close, prev, first int) {
	if close == open+1 {
		return // empty
	}
	q := quote{open: open, close: close, ts: d.toks[open].e, te: d.toks[close].s, para: d.toks[open].para, prev: -1}
	if prev >= 0 && open == first {
		q.prev = prev
	}
	d.quotes = append(d.quotes, q)
	qi := len(d.quotes) - 1
	d.toks[open].mark = 1
	d.toks[close].mark = 2
	for k := open + 1; k < close; k++ {
		d.toks[k].q = qi
	}
}

func isOpeningMark(m string) bool {
	return m == "“" || m == "\"" || m == "«" || m == "„" || m == "”"
}

// leftOpen: the mark follows the paragraph start, a space or an opening
// bracket or dash.
func (d *doc) leftOpen(i int) bool {
	s := d.toks[i].s
	if i == 0 || d.toks[i-1].para != d.toks[i].para {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(d.text[:s])
	return unicode.IsSpace(r) || strings.ContainsRune("([{—–-:", r)
}

// rightTight: the mark is followed directly by a word or number.
func (d *doc) rightTight(i int) bool {
	e := d.toks[i].e
	if e >= len(d.text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(d.text[e:])
	return isWordRune(r)
}

// rightLoose: the mark is not followed by a letter.
func (d *doc) rightLoose(i int) bool {
	e := d.toks[i].e
	if e >= len(d.text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(d.text[e:])
	return !unicode.IsLetter(r)
}

// abbrevs never end a sentence when followed by a full stop.
var abbrevs = set(`mr mrs ms dr st gen lt col maj capt sgt sen rep gov prof rev no nos vs jan feb
mar apr jun jul aug sep sept oct nov dec jr sr inc corp ltd co mt ft adm brig gens approx est al
fig ave blvd cmdr cpl pvt messrs mme mlle`)

// splitSentences splits every paragraph into sentences. Sentence ends inside
// quotes are not boundaries, so a quote and its attribution stay together.
func (d *doc) splitSentences() {
	n := len(d.toks)
	start := 0
	for i := 0; i < n; i++ {
		last := i+1 == n || d.toks[i+1].para != d.toks[i].para
		if last || d.boundaryAfter(i) {
			d.addSentence(start, i+1)
			start = i + 1
		}
	}
}

func (d *doc) addSentence(t0, t1 int) {
	if t0 >= t1 {
		return
	}
	s := sentence{s: d.toks[t0].s, e: d.toks[t1-1].e, t0: t0, t1: t1, para: d.toks[t0].para}
	p := d.paras[s.para]
	s.skip = p.headline
	if t := d.text[s.s:s.e]; strings.Contains(t, "verif") || strings.Contains(t, "respond") || strings.Contains(t, "reply") || strings.Contains(t, "confirm") {
		low := strings.ToLower(t)
		for _, b := range boilerSentence {
			if strings.Contains(low, b) {
				s.skip = true
			}
		}
	}
	si := len(d.sents)
	d.sents = append(d.sents, s)
	for k := t0; k < t1; k++ {
		d.toks[k].sent = si
	}
}

func (d *doc) boundaryAfter(i int) bool {
	tk := d.toks[i]
	if tk.k != tPunct {
		return false
	}
	m := d.tx(i)
	if tk.mark == 2 || (tk.mark == 0 && (m == "”" || m == "\"" || m == "’" || m == "»" || m == ")")) {
		// closing mark: boundary when the quote ended with . ! ?
		if i == 0 || !isStop(d.tx(i-1)) {
			return false
		}
		return d.startsSentence(i + 1)
	}
	if !isStop(m) || tk.q >= 0 {
		return false
	}
	if i+1 < len(d.toks) && d.toks[i+1].para == tk.para && d.toks[i+1].mark == 2 {
		return false
	}
	if m == "." && i > 0 && d.toks[i-1].e == tk.s && d.toks[i-1].k == tWord {
		w := d.toks[i-1].low
		if abbrevs.has(w) || (utf8.RuneCountInString(w) == 1 && d.isCap(i-1)) {
			return false
		}
	}
	return d.startsSentence(i + 1)
}

func isStop(m string) bool { return m == "." || m == "!" || m == "?" || m == "…" }

// startsSentence reports whether token i can open a sentence.
func (d *doc) startsSentence(i int) bool {
	if i >= len(d.toks) {
		return true
	}
	tk := d.toks[i]
	switch tk.k {
	case tNum:
		return true
	case tWord:
		return d.isCap(i)
	}
	m := d.tx(i)
	return tk.mark == 1 || m == "(" || m == "“" || m == "\"" || m == "«" || m == "‘" || m == "—" || m == "–" || m == "-"
}

// sentText returns the text of sentence si.
func (d *doc) sentText(si int) string { return d.text[d.sents[si].s:d.sents[si].e] }
