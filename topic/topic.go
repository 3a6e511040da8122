// Package topic parses and applies subscription topic filters.
//
// A filter is a list of terms:
//
//   - a word or phrase ("drones", "Zelensky", "al-Assad") matches whole
//     words, case-insensitively, in any script (Unicode letters and digits
//     form words; everything else separates them). A term of several words
//     matches them in sequence;
//   - "-word" excludes: an article containing it never matches;
//   - "/regex/" is a Go RE2 expression (linear time, so safe to accept from
//     users), matched case-insensitively unless it says (?-i); "-/regex/"
//     excludes.
//
// An article matches when no exclusion matches and either there are no
// inclusive terms or at least one of them matches. The empty filter matches
// everything. Terms are matched against the title, the body and the names
// and places of the article's briefing.
//
// The package is pure: no I/O, no global mutable state.
package topic

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbrief/briefing"
)

// Limits on user input.
const (
	// MaxTerms is the most terms one filter may hold.
	MaxTerms = 50
	// MaxTermLen is the longest term in bytes, a regex's slashes included.
	MaxTermLen = 200
)

// ErrInvalid is wrapped by every error Parse returns; the message names the
// offending term.
var ErrInvalid = errors.New("invalid topic")

// Filter is a parsed topic filter. The zero value matches everything.
// A Filter is immutable and safe for concurrent use.
type Filter struct {
	terms []term
}

type term struct {
	raw     string         // canonical form, as String prints it
	exclude bool           // "-" prefix
	words   []string       // folded words of a word/phrase term
	re      *regexp.Regexp // regex term
}

// Parse builds a Filter from terms. Empty and blank terms are ignored;
// duplicates are kept once. Errors wrap ErrInvalid and name the bad term.
func Parse(terms []string) (Filter, error) {
	var f Filter
	seen := map[string]bool{}
	for _, raw := range terms {
		t, ok, err := parseTerm(raw)
		if err != nil {
			return Filter{}, err
		}
		if !ok || seen[t.raw] {
			continue
		}
		seen[t.raw] = true
		if len(f.terms) == MaxTerms {
			return Filter{}, fmt.Errorf("%w: more than %d terms", ErrInvalid, MaxTerms)
		}
		f.terms = append(f.terms, t)
	}
	return f, nil
}

func parseTerm(raw string) (term, bool, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return term{}, false, nil
	}
	if !utf8.ValidString(s) {
		return term{}, false, fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalid, raw)
	}
	if len(s) > MaxTermLen {
		return term{}, false, fmt.Errorf("%w: %q is longer than %d bytes", ErrInvalid, shorten(s), MaxTermLen)
	}
	var t term
	body := s
	if strings.HasPrefix(body, "-") {
		t.exclude = true
		body = body[1:]
	}
	if len(body) >= 2 && strings.HasPrefix(body, "/") && strings.HasSuffix(body, "/") {
		expr := body[1 : len(body)-1]
		if strings.TrimSpace(expr) == "" {
			return term{}, false, fmt.Errorf("%w: %q is an empty regular expression", ErrInvalid, raw)
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return term{}, false, fmt.Errorf("%w: %q is not a valid regular expression: %w", ErrInvalid, raw, err)
		}
		t.re = re
		t.raw = sign(t.exclude) + "/" + expr + "/"
		return t, true, nil
	}
	t.words = words(body, nil)
	if len(t.words) == 0 {
		return term{}, false, fmt.Errorf("%w: %q has no letters or digits (use /regex/ for symbols)", ErrInvalid, raw)
	}
	t.raw = sign(t.exclude) + strings.Join(splitWords(body, unicode.ToLower, nil), " ")
	return t, true, nil
}

func sign(exclude bool) string {
	if exclude {
		return "-"
	}
	return ""
}

func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	i := 40
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Empty reports whether the filter has no terms (and so matches everything).
func (f Filter) Empty() bool { return len(f.terms) == 0 }

// Terms returns the canonical terms; Parse(f.Terms()) is equivalent to f.
func (f Filter) Terms() []string {
	out := make([]string, len(f.terms))
	for i, t := range f.terms {
		out[i] = t.raw
	}
	return out
}

// String returns the canonical terms separated by spaces ("" for the empty
// filter). Word terms are lower-cased; a phrase prints as its words, so use
// Terms for a lossless round trip.
func (f Filter) String() string { return strings.Join(f.Terms(), " ") }

// Match reports whether an article with this title, body and briefing passes
// the filter. To test one article against many filters, build a Text once
// with NewText and call MatchText.
func (f Filter) Match(title, body string, b briefing.Briefing) bool {
	if f.Empty() {
		return true
	}
	return f.MatchText(NewText(title, body, b))
}

// MatchText reports whether t passes the filter.
func (f Filter) MatchText(t Text) bool {
	any, hasInclude := false, false
	for _, tm := range f.terms {
		if !tm.exclude {
			hasInclude = true
			if any {
				continue // an include already matched; only exclusions matter now
			}
		}
		if t.has(tm) {
			if tm.exclude {
				return false
			}
			any = true
		}
	}
	return any || !hasInclude
}

// Text is an article prepared for matching: its words and raw text.
type Text struct {
	raw   string
	words []string
	set   map[string]struct{}
}

// NewText prepares the title, body and the briefing's names and places
// (people, meeting participants and places, quote speakers, attack places
// and regions) for matching.
func NewText(title, body string, b briefing.Briefing) Text {
	parts := []string{title, body}
	for _, p := range b.People {
		parts = append(parts, p.Name)
	}
	for _, m := range b.Meetings {
		parts = append(parts, m.Participants...)
		parts = append(parts, m.AccompaniedBy...)
		parts = append(parts, m.Place)
	}
	for _, q := range b.Quotes {
		parts = append(parts, q.Speaker)
	}
	for _, a := range b.Attacks {
		parts = append(parts, a.Place)
		parts = append(parts, a.Regions...)
	}
	// A separator that is not a word character keeps the parts from
	// running together into one word.
	raw := strings.Join(parts, "\n")
	ws := words(raw, nil)
	set := make(map[string]struct{}, len(ws))
	for _, w := range ws {
		set[w] = struct{}{}
	}
	return Text{raw: raw, words: ws, set: set}
}

func (t Text) has(tm term) bool {
	if tm.re != nil {
		return tm.re.MatchString(t.raw)
	}
	for _, w := range tm.words {
		if _, ok := t.set[w]; !ok {
			return false
		}
	}
	if len(tm.words) == 1 {
		return true
	}
	n := len(tm.words)
outer:
	for i := 0; i+n <= len(t.words); i++ {
		for j := range n {
			if t.words[i+j] != tm.words[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

// isWordRune reports whether r is part of a word: letters, digits and
// combining marks (so accented letters written with combining characters
// stay one word).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// words appends the case-folded words of s to dst.
func words(s string, dst []string) []string { return splitWords(s, fold, dst) }

// splitWords appends the words of s, each rune mapped by m, to dst.
func splitWords(s string, m func(rune) rune, dst []string) []string {
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			dst = append(dst, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		if !isWordRune(r) {
			flush()
			continue
		}
		b.WriteRune(m(r))
	}
	flush()
	return dst
}

// fold maps r to a canonical member of its Unicode simple case-folding
// orbit (the smallest code point in it), so words compare case-insensitively
// the way strings.EqualFold does: k, K and the Kelvin sign are one letter,
// and so are σ, ς and Σ.
func fold(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < least {
			least = f
		}
	}
	return least
}
