package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is a paragraph kept for analysis: a byte span of the body. Spans
// always index the original body, so every fact's text is an exact substring.
type para struct {
	s, e int
	// headline marks short lines without final punctuation (crossheads,
	// stray headlines): they are segmented but never yield facts.
	headline bool
}

// relatedMarkers open a block of related-story headline lines.
var relatedMarkers = []string{"read more", "related", "also read", "more", "see also",
	"related articles", "related stories", "recommended", "most read", "you might also like",
	"read also", "further reading", "more on this story", "top stories", "latest",
	"related coverage", "related content", "related links", "related reading", "more stories",
	"more news", "editor's picks", "editor’s picks", "trending", "popular", "most popular",
	"most viewed", "you may also like", "don't miss", "don’t miss", "in other news"}

// boilerPrefixes start a line that is never article content.
var boilerPrefixes = []string{"read more:", "read more ", "related:", "also read:", "read also:",
	"watch:", "listen:", "sign up", "subscribe", "follow our", "follow us", "follow the",
	"share this", "share on", "share article", "click here", "image:", "image source",
	"photo:", "photograph:", "file photo", "picture:", "pictured:", "caption:", "advertisement",
	"comments", "updated:", "created:", "published:", "last updated", "reporting by",
	"(reporting by", "additional reporting", "editing by", "writing by", "compiled by",
	"copyright", "©", "all rights reserved", "this story has been", "this article was",
	"getty images", "more:", "see also:", "[", "newsletter", "download our app", "join our"}

// boilerSentence marks sentences that are agency disclaimers, not facts.
var boilerSentence = []string{"could not independently verify", "could not immediately verify",
	"not able to independently verify", "could not be independently verified",
	"unable to independently verify", "cannot independently verify",
	"could not independently confirm", "could not immediately confirm the",
	"has not been independently verified", "did not immediately respond to a request",
	"did not immediately reply to a request"}

// creditSuffixes end a paragraph with an agency credit.
var creditSuffixes = []string{"agencies", "reuters", "afp", "ap", "associated press", "pa",
	"bloomberg", "dpa", "tass", "ria novosti", "interfax", "efe", "ansa", "ukrinform",
	"al jazeera", "staff", "guardian staff", "agence france-presse", "pa media", "reuters/ap"}

// agencies appear in datelines: "KYIV, April 25 (Reuters) -".
var agencies = []string{"(reuters)", "(ap)", "(afp)", "(bloomberg)", "(dpa)", "(tass)", "(upi)",
	"(efe)", "(ansa)", "(kyodo)", "(xinhua)", "(al jazeera)", "(cnn)", "(ukrinform)", "(interfax)"}

// cleanParas splits body into paragraphs and drops boilerplate.
func cleanParas(body, title string) []para {
	low, full := lowerText(body)
	return cleanParasLow(body, low, full, title)
}

// lowerText returns s lowered rune by rune, and true, when lowering keeps
// every rune's length (invalid bytes are copied as they are); otherwise
// it returns s with only ASCII letters lowered, and false.
func lowerText(s string) (string, bool) {
	if isASCII(s) {
		return asciiLower(s), true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && sz == 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != sz {
			return asciiLower(s), false
		}
		b.WriteRune(l)
		i += sz
	}
	return b.String(), true
}

// lowerSpan returns strings.ToLower(body[s:e]). lowBody and full come from
// lowerText(body): an ASCII span, or with full a valid UTF-8 one, is a
// slice of lowBody, so most spans do not allocate.
func lowerSpan(body, lowBody string, full bool, s, e int) string {
	if seg := body[s:e]; isASCII(seg) || full && utf8.ValidString(seg) {
		return lowBody[s:e]
	}
	return strings.ToLower(body[s:e])
}

// cleanParasLow is cleanParas with lowerText(body) already computed.
func cleanParasLow(body, lowBody string, full bool, title string) []para {
	var lines []para
	for i := 0; i < len(body); {
		j := strings.IndexByte(body[i:], '\n')
		end := len(body)
		if j >= 0 {
			end = i + j
		}
		s, e := trimSpan(body, i, end)
		if s < e {
			lines = append(lines, para{s: s, e: e})
		} else {
			lines = append(lines, para{s: -1})
		}
		i = end + 1
	}
	out := make([]para, 0, len(lines))
	inRelated := false
	first := true
	for k, p := range lines {
		if p.s < 0 { // blank line ends a related block
			inRelated = false
			continue
		}
		line := body[p.s:p.e]
		low := lowerSpan(body, lowBody, full, p.s, p.s+min(len(line), 160)) // prefixes and short lines only
		if len(line) < 40 && isRelatedMarker(low) {
			inRelated = true
			continue
		}
		if inRelated {
			if isHeadlineLine(line) {
				continue
			}
			inRelated = false
		}
		if isBoilerLine(low, line) {
			continue
		}
		if first && title != "" && strings.TrimSpace(line) == strings.TrimSpace(title) {
			continue
		}
		if isDatelineOnly(line) {
			continue
		}
		p.s = stripDateline(body, lowBody, full, p.s, p.e)
		p.e = stripCredit(body, p.s, p.e)
		p.s, p.e = trimSpan(body, p.s, p.e)
		if p.s >= p.e {
			continue
		}
		// A hard-wrapped paragraph: the previous line has no final punctuation
		// and this one starts in lower case.
		if n := len(out); n > 0 && !out[n-1].headline && k > 0 && lines[k-1].s >= 0 &&
			!endsSentence(body[out[n-1].s:out[n-1].e]) && startsLower(body[p.s:p.e]) {
			out[n-1].e = p.e
			continue
		}
		p.headline = isHeadlineLine(body[p.s:p.e]) && !endsSentence(body[p.s:p.e])
		out = append(out, p)
		first = false
	}
	// A wrapped paragraph may have been flagged as a headline before it was
	// joined: recompute.
	introduced := false // the last non-item paragraph ends with a colon
	for i := range out {
		t := body[out[i].s:out[i].e]
		out[i].headline = !endsSentence(t) && wordCount(t) < 14
		// "- 120 Shahed drones;" under "… 135 air attack means:": a list
		// item, not a headline
		if isBullet(t) {
			if introduced {
				out[i].headline = false
			}
		} else {
			// a real sentence introduces a list, not a "Related coverage:" label
			introduced = strings.HasSuffix(strings.TrimRight(t, " "), ":") && wordCount(t) >= 5 && !out[i].headline
		}
	}
	return out
}

func trimSpan(s string, i, j int) (int, int) {
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:j])
		if !unicode.IsSpace(r) && r != '\ufeff' {
			break
		}
		i += n
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !unicode.IsSpace(r) {
			break
		}
		j -= n
	}
	return i, j
}

func isRelatedMarker(low string) bool {
	low = strings.TrimRight(strings.TrimSpace(low), ":.-–— ")
	for _, m := range relatedMarkers {
		if low == m {
			return true
		}
	}
	return false
}

func isBoilerLine(low, line string) bool {
	for _, p := range boilerPrefixes {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	if strings.Contains(low, "photograph:") || strings.Contains(low, "(photo:") ||
		strings.Contains(low, "/getty") || strings.Contains(low, "via getty") {
		return true
	}
	// Bylines: "By Jane Doe" or "By Jane Doe and John Roe".
	if strings.HasPrefix(line, "By ") && len(line) < 120 && wordCount(line) <= 9 && !endsSentence(line) {
		return true
	}
	// A lone credit line: "– Agencies", "(Reuters)".
	if len(line) < 40 {
		t := strings.Trim(low, " -–—()")
		for _, c := range creditSuffixes {
			if t == c {
				return true
			}
		}
	}
	// Live-blog time stamps: "09.12 BST", "1h ago".
	if len(line) < 40 && wordCount(line) <= 3 && (strings.Contains(low, " ago") || strings.HasSuffix(low, "bst") ||
		strings.HasSuffix(low, "gmt") || strings.HasSuffix(low, "cet") || strings.HasSuffix(low, "et")) &&
		strings.IndexAny(low, "0123456789") >= 0 {
		return true
	}
	return false
}

// isHeadlineLine reports whether a line looks like a headline: short and
// without a final full stop.
func isHeadlineLine(line string) bool {
	if wordCount(line) > 22 {
		return false
	}
	return !endsWithStop(line)
}

// endsWithStop reports a final full stop (possibly before closing marks).
func endsWithStop(s string) bool {
	s = strings.TrimRight(s, " ”\"’')]»")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, ":")
}

// endsSentence reports final sentence punctuation, possibly before closing
// quotation marks or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ”\"’')]»")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…' || r == ':' || r == ','
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// wordCount counts space-separated words without allocating.
func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// isDatelineOnly reports a line holding only a dateline place ("ISTANBUL").
func isDatelineOnly(line string) bool {
	if len(line) > 40 || endsSentence(line) {
		return false
	}
	hasLetter := false
	for _, r := range line {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	return hasLetter
}

// stripDateline cuts a leading dateline ("KYIV, April 25 (Reuters) -",
// "MOSCOW (AP) —", "KYIV –") and returns the new start.
func stripDateline(body, lowBody string, full bool, s, e int) int {
	line := body[s:e]
	limit := min(len(line), 90)
	low := lowerSpan(body, lowBody, full, s, s+limit)
	for _, a := range agencies {
		if k := strings.Index(low, a); k >= 0 {
			rest := k + len(a)
			rest = skipDash(line, rest)
			if rest > k+len(a) && upperish(line[:k]) {
				return s + rest
			}
		}
	}
	// "KYIV, Ukraine —", "MOSCOW -": upper-case words then a dash.
	for _, d := range []string{"—", "–", " - ", "--"} {
		k := strings.Index(line[:limit], d)
		if k <= 0 {
			continue
		}
		head := line[:k]
		if allCapsWords(head) {
			j := k + len(d)
			for j < len(line) && line[j] == ' ' {
				j++
			}
			return s + j
		}
	}
	return s
}

func skipDash(line string, i int) int {
	j := i
	for j < len(line) && line[j] == ' ' {
		j++
	}
	for _, d := range []string{"—", "–", "-", "--"} {
		if strings.HasPrefix(line[j:], d) {
			j += len(d)
			for j < len(line) && line[j] == ' ' {
				j++
			}
			return j
		}
	}
	return i
}

// upperish reports that a dateline head starts with an upper-case place.
func upperish(h string) bool {
	f := strings.Fields(h)
	if len(f) == 0 {
		return true
	}
	w := strings.TrimRight(f[0], ",")
	return len(w) >= 2 && strings.ToUpper(w) == w
}

func allCapsWords(h string) bool {
	first := strings.SplitN(h, ",", 2)[0]
	letters := 0
	for _, r := range first {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3 && len(h) < 60
}

// stripCredit cuts a trailing agency credit ("– Agencies", "(Reuters)").
func stripCredit(body string, s, e int) int {
	line := body[s:e]
	if len(line) == 0 {
		return e
	}
	last := line[len(line)-1]
	for _, suf := range creditTails {
		// When both end in ASCII, their last runes must fold together.
		if l := suf[len(suf)-1]; last < 0x80 && l < 0x80 && asciiFold(last) != asciiFold(l) {
			continue
		}
		if len(line) >= len(suf) && strings.EqualFold(line[len(line)-len(suf):], suf) {
			return s + len(line) - len(suf)
		}
	}
	return e
}

// asciiFold lowers an ASCII letter.
func asciiFold(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// creditTails are the trailing credits stripCredit cuts, built once.
var creditTails = func() []string {
	var out []string
	for _, c := range creditSuffixes {
		out = append(out, " – "+c, " — "+c, " - "+c, " ("+c+")")
	}
	return out
}()

// isBullet reports a line opening with a list mark ("- ", "• ", "– ").
func isBullet(s string) bool {
	return strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "• ") || strings.HasPrefix(s, "– ") || strings.HasPrefix(s, "* ")
}
