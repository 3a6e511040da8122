package briefing

import "strings"

// numAt reads a count at token i: digits ("1,200"), number words ("three",
// "twenty-five", "a dozen") or "a"/"an" before a person noun ("a child").
// It returns the value, the token after the number and whether it is one.
func (d *doc) numAt(i int) (val, end int, ok bool) {
	if i < 0 || i >= len(d.toks) || !d.countable(i) {
		return 0, 0, false
	}
	tk := d.toks[i]
	switch tk.k {
	case tNum:
		s := d.tx(i)
		if i > 0 && d.toks[i-1].e == tk.s && d.toks[i-1].k == tPunct && strings.Contains("/-,.:", d.tx(i-1)) {
			return 0, 0, false // "Kh-59/69", glued digits ("A,2", "08:30")
		}
		if strings.ContainsRune(s, '.') || len(s) > 1 && s[0] == '0' {
			return 0, 0, false // decimals, times, codes ("09", "3.5")
		}
		v := 0
		for k := 0; k < len(s); k++ {
			if s[k] == ',' {
				continue
			}
			v = v*10 + int(s[k]-'0')
			if v > 10_000_000 {
				return 0, 0, false
			}
		}
		return v, i + 1, true
	case tWord:
		if tk.bits&numberish.bit == 0 && strings.IndexByte(tk.low, '-') < 0 {
			return 0, 0, false
		}
		w := tk.low
		if w == "one" && (d.lw(i-1) == "no" || d.lw(i+1) == "another") {
			return 0, 0, false // "no one was hurt", "one another"
		}
		if w == "a" || w == "an" || w == "one" {
			if d.lw(i+1) == "dozen" {
				return 12, i + 2, true
			}
			if w != "one" {
				nx := d.lw(i + 1)
				if strings.HasSuffix(nx, "-year-old") && (d.in(i+2, personNouns) || d.toks[min(i+2, len(d.toks)-1)].k == tPunct || d.lw(i+2) == "and" || d.lw(i+2) == "was" || d.lw(i+2) == "were" || d.lw(i+2) == "when") {
					return 1, i + 1, true // "a 14-year-old boy", "including a 9-year-old,"
				}
				if personNouns.has(nx) && nx != "more" && !strings.HasSuffix(nx, "s") || nx == "person" {
					return 1, i + 1, true
				}
				// "a Kh-59/69 guided missile", "a ballistic missile"
				for k := i + 1; k < len(d.toks) && k <= i+5 && d.toks[k].para == tk.para; k++ {
					if w := d.lw(k); w == "missile" || w == "drone" || w == "rocket" || w == "bomb" || w == "uav" {
						return 1, i + 1, true
					}
					if d.toks[k].k == tPunct && d.tx(k) != "/" && d.tx(k) != "-" {
						break
					}
				}
				return 0, 0, false
			}
		}
		if v, ok := numberWords[w]; ok {
			if w == "dozen" || w == "hundred" {
				return 0, 0, false // only after "a"/a number
			}
			if d.lw(i+1) == "dozen" {
				return v * 12, i + 2, true
			}
			if d.lw(i+1) == "hundred" {
				return v * 100, i + 2, true
			}
			return v, i + 1, true
		}
		// "twenty-five"
		if k := strings.IndexByte(w, '-'); k > 0 {
			a, ok1 := numberWords[w[:k]]
			b, ok2 := numberWords[w[k+1:]]
			if ok1 && ok2 && a >= 20 && a%10 == 0 && b < 10 {
				return a + b, i + 1, true
			}
		}
	}
	return 0, 0, false
}

// approxBefore reports "at least", "more than", "about" before token i.
func (d *doc) approxBefore(i int) bool {
	w1, w2 := d.lw(i-1), d.lw(i-2)
	switch {
	case w1 == "least" && w2 == "at":
		return true
	case w1 == "than" && (w2 == "more" || w2 == "over"):
		return true
	case w1 == "about" || w1 == "around" || w1 == "nearly" || w1 == "almost" || w1 == "roughly" ||
		w1 == "approximately" || w1 == "some" || w1 == "over" || w1 == "estimated":
		return true
	case w1 == "to" && w2 == "up":
		return true
	}
	return false
}

// numberish holds the words numAt can read, for a quick pre-check.
var numberish = set(`a an one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
sixty seventy eighty ninety dozen hundred`)

// countable reports a token whose numbers may count: outside quotes, or
// inside a quoted report of casualties by a named speaker (markTallyQuotes).
func (d *doc) countable(i int) bool {
	t := d.toks[i]
	return t.mark == 0 && (t.q < 0 || t.q < len(d.qTally) && d.qTally[t.q])
}

// markTallyQuotes marks direct quotes that report casualties as a whole
// clause from an attributed speaker: a governor quoted saying “Two people
// were killed and 11 injured.” Hypotheticals and short fragments are not.
func (d *doc) markTallyQuotes() {
	d.qTally = make([]bool, len(d.quotes))
	for qi, q := range d.quotes {
		if q.close < 0 || q.close-q.open < 6 || d.sents[d.toks[q.open].sent].skip {
			continue
		}
		cas, num := false, false
		for k := q.open + 1; k < q.close; k++ {
			w := d.lw(k)
			switch {
			case w == "if" || w == "would" || w == "could" || w == "might" || w == "since" || w == "every" || w == "year" || w == "years":
				cas = false
				k = q.close
				continue
			case d.toks[k].k == tNum && len(d.tx(k)) == 4 && (strings.HasPrefix(d.tx(k), "19") || strings.HasPrefix(d.tx(k), "20")):
				cas = false // a year: a past event's toll ("In 2022, 40 people were killed here")
				k = q.close
				continue
			case casWord(d, k) != slotNone:
				cas = true
			case d.toks[k].k == tNum || numberish.has(w):
				num = true
			}
		}
		if !cas || !num {
			continue
		}
		if r := d.attribute(qi); r >= 0 && (d.refs[r].ent >= 0 || d.refs[r].body >= 0 || d.refs[r].kind == rRole) {
			d.qTally[qi] = true
		}
	}
}
