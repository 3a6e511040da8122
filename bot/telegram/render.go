package telegram

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/digest"
)

// MaxMessageLen is the longest text Telegram accepts in one message, in
// UTF-16 code units. Split measures the HTML source, which is never shorter
// than the text Telegram counts after parsing it.
//
// Specs: https://core.telegram.org/bots/api#sendmessage
const MaxMessageLen = 4096

// Render turns a bot message into Telegram HTML messages (parse_mode HTML),
// each at most MaxMessageLen long, split on paragraph boundaries.
func Render(m bot.Message) []string {
	switch {
	case m.Kind == bot.KindBriefing && m.Briefing != nil:
		return Split(RenderBriefing(*m.Briefing), MaxMessageLen)
	case m.Kind == bot.KindDigest && m.Digest != nil:
		return Split(RenderDigest(*m.Digest), MaxMessageLen)
	default:
		return Split(Escape(m.Text), MaxMessageLen)
	}
}

// Escape makes article text safe as Telegram HTML text: <, > and & become
// entities. Telegram supports only &lt; &gt; &amp; &quot; and numeric ones.
//
// Specs: https://core.telegram.org/bots/api#html-style
func Escape(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	return textEscaper.Replace(s)
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// link renders an <a> to an http(s) URL; other schemes (javascript:, data:)
// render as the escaped label alone.
func link(href, label string) string {
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Escape(label)
	}
	return `<a href="` + attrEscaper.Replace(href) + `">` + Escape(label) + "</a>"
}

// oneLine folds line breaks so that one fact stays on one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// RenderBriefing renders a briefing as one Telegram HTML document: the
// headline in bold, the lead, then "Met", "Said" and "Attacks" sections
// with one fact per line, then the source link. Paragraphs are separated
// by blank lines and no tag spans a line break, so Split can cut anywhere
// between lines.
func RenderBriefing(b briefing.Briefing) string {
	var paras []string
	head := ""
	if t := oneLine(b.Title); t != "" {
		head = "<b>" + Escape(t) + "</b>"
	}
	if l := oneLine(b.Lead); l != "" {
		if head != "" {
			head += "\n"
		}
		head += Escape(l)
	}
	if head != "" {
		paras = append(paras, head)
	}
	if len(b.Meetings) > 0 {
		lines := []string{"<b>Met</b>"}
		for _, m := range b.Meetings {
			lines = append(lines, "• "+meetingLine(m))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if len(b.Quotes) > 0 {
		lines := []string{"<b>Said</b>"}
		for _, q := range b.Quotes {
			lines = append(lines, "• "+quoteLine(q))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if len(b.Attacks) > 0 {
		lines := []string{"<b>Attacks</b>"}
		for _, a := range b.Attacks {
			lines = append(lines, "• "+attackLine(a))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if src := sourceLine(b.URL, b.Source); src != "" {
		paras = append(paras, src)
	}
	return strings.Join(paras, "\n\n")
}

func sourceLine(u, name string) string {
	switch {
	case u != "":
		label := oneLine(name)
		if label == "" {
			label = host(u)
		}
		return "Source: " + link(u, label)
	case oneLine(name) != "":
		return "Source: " + Escape(oneLine(name))
	}
	return ""
}

func host(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "source"
	}
	return strings.TrimPrefix(p.Host, "www.")
}

func meetingLine(m briefing.Meeting) string {
	var b strings.Builder
	b.WriteString(Escape(joinNames(m.Participants)))
	if m.Status == briefing.StatusPlanned {
		b.WriteString(" will meet")
	} else {
		b.WriteString(" met")
	}
	if p := oneLine(m.Place); p != "" {
		b.WriteString(" in ")
		b.WriteString(Escape(p))
	}
	if w := oneLine(m.When); w != "" {
		b.WriteString(" (")
		b.WriteString(Escape(w))
		b.WriteString(")")
	}
	if len(m.AccompaniedBy) > 0 {
		b.WriteString(", with ")
		b.WriteString(Escape(joinNames(m.AccompaniedBy)))
	}
	return b.String()
}

func joinNames(names []string) string {
	clean := make([]string, 0, len(names))
	for _, n := range names {
		if n = oneLine(n); n != "" {
			clean = append(clean, n)
		}
	}
	switch len(clean) {
	case 0:
		return "Someone"
	case 1:
		return clean[0]
	default:
		return strings.Join(clean[:len(clean)-1], ", ") + " and " + clean[len(clean)-1]
	}
}

func quoteLine(q briefing.Quote) string {
	var b strings.Builder
	speaker := oneLine(q.Speaker)
	if speaker == "" {
		speaker = "Unattributed"
	}
	b.WriteString("<b>")
	b.WriteString(Escape(speaker))
	b.WriteString("</b>")
	if r := oneLine(q.Role); r != "" {
		b.WriteString(" (")
		b.WriteString(Escape(r))
		b.WriteString(")")
	}
	b.WriteString(": “")
	b.WriteString(Escape(oneLine(q.Text)))
	b.WriteString("”")
	return b.String()
}

// weaponOrder lists the known weapon kinds first, in a fixed order.
var weaponOrder = []string{briefing.Drones, briefing.Missiles, briefing.BallisticMissiles, briefing.CruiseMissiles, briefing.GuidedBombs}

func weapons(m map[string]int, verb string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	seen := map[string]bool{}
	for _, k := range weaponOrder {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(keys, rest...)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], strings.ReplaceAll(k, "_", " ")))
	}
	return strings.Join(parts, ", ") + " " + verb
}

func attackLine(a briefing.Attack) string {
	var where []string
	if p := oneLine(a.Place); p != "" {
		where = append(where, p)
	}
	if w := oneLine(a.When); w != "" {
		where = append(where, w)
	}
	var facts []string
	for _, f := range []string{
		weapons(a.Launched, "launched"),
		weapons(a.Downed, "downed"),
		weapons(a.Suppressed, "suppressed by electronic warfare"),
	} {
		if f != "" {
			facts = append(facts, f)
		}
	}
	if a.Killed > 0 || a.ChildrenKilled > 0 {
		s := fmt.Sprintf("%d killed", a.Killed)
		if a.ChildrenKilled > 0 {
			s += " (" + children(a.ChildrenKilled) + ")"
		}
		facts = append(facts, s)
	}
	if a.Injured > 0 || a.ChildrenInjured > 0 {
		s := fmt.Sprintf("%d injured", a.Injured)
		if a.ChildrenInjured > 0 {
			s += " (" + children(a.ChildrenInjured) + ")"
		}
		facts = append(facts, s)
	}
	if len(facts) == 0 {
		facts = append(facts, "attack reported")
	}
	var b strings.Builder
	if len(where) > 0 {
		b.WriteString(Escape(strings.Join(where, ", ")))
		b.WriteString(": ")
	}
	b.WriteString(Escape(strings.Join(facts, "; ")))
	if a.Approximate {
		b.WriteString(" (approximate)")
	}
	if len(a.Regions) > 0 {
		b.WriteString(" — regions: ")
		b.WriteString(Escape(oneLine(strings.Join(a.Regions, ", "))))
	}
	if r := oneLine(a.ReportedBy); r != "" {
		b.WriteString(" — per ")
		b.WriteString(Escape(r))
	}
	return b.String()
}

func children(n int) string {
	if n == 1 {
		return "1 child"
	}
	return fmt.Sprintf("%d children", n)
}

func sourcesSuffix(srcs []digest.Source) string {
	var links []string
	for _, s := range srcs {
		label := oneLine(s.Source)
		if label == "" {
			label = oneLine(s.Title)
		}
		if label == "" && s.URL != "" {
			label = host(s.URL)
		}
		if label == "" {
			continue
		}
		if s.URL != "" {
			links = append(links, link(s.URL, label))
		} else {
			links = append(links, Escape(label))
		}
	}
	if len(links) == 0 {
		return ""
	}
	return " — " + strings.Join(links, ", ")
}

// RenderDigest renders a digest as one Telegram HTML document: a heading,
// then "Met", "Said", "Attacks" and "Articles" sections, one fact per line
// with its source links.
func RenderDigest(d digest.Digest) string {
	var paras []string
	n := len(d.Articles)
	noun := "articles"
	if n == 1 {
		noun = "article"
	}
	paras = append(paras, fmt.Sprintf("<b>Digest for %s</b>\n%d %s", Escape(d.Date), n, noun))
	if len(d.Meetings) > 0 {
		lines := []string{"<b>Met</b>"}
		for _, m := range d.Meetings {
			lines = append(lines, "• "+meetingLine(m.Meeting)+sourcesSuffix(m.Sources))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if len(d.Quotes) > 0 {
		lines := []string{"<b>Said</b>"}
		for _, q := range d.Quotes {
			lines = append(lines, "• "+quoteLine(q.Quote)+sourcesSuffix(q.Sources))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if len(d.Attacks) > 0 {
		lines := []string{"<b>Attacks</b>"}
		for _, a := range d.Attacks {
			lines = append(lines, "• "+attackLine(a.Attack)+sourcesSuffix(a.Sources))
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	if len(d.Articles) > 0 {
		lines := []string{"<b>Articles</b>"}
		for _, a := range d.Articles {
			title := oneLine(a.Title)
			if title == "" {
				title = host(a.URL)
			}
			line := "• "
			if a.URL != "" {
				line += link(a.URL, title)
			} else {
				line += Escape(title)
			}
			if s := oneLine(a.Source); s != "" {
				line += " (" + Escape(s) + ")"
			}
			lines = append(lines, line)
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	return strings.Join(paras, "\n\n")
}

// Split cuts Telegram HTML into messages of at most limit UTF-16 code units.
// It cuts at the last paragraph break (blank line) that fits, else the last
// line break, else the last space, else between two characters; never
// inside a tag or an entity. Tags open at a cut are closed at the end of
// one message and reopened at the start of the next, so every message is
// valid HTML on its own. Messages are trimmed and never empty.
func Split(html string, limit int) []string {
	html = strings.TrimSpace(html)
	var out []string
	for html != "" {
		if utf16Len(html) <= limit {
			out = append(out, html)
			break
		}
		chunk, rest := cut(html, limit)
		out = append(out, chunk)
		html = rest
	}
	return out
}

type openTag struct{ name, raw string }

// cut returns the first message of html and the remainder (with reopened
// tags). It always makes progress.
func cut(s string, limit int) (chunk, rest string) {
	const (
		levelAny = iota
		levelSpace
		levelLine
		levelPara
		levels
	)
	type cand struct {
		pos   int
		stack []openTag
		ok    bool
	}
	var best [levels]cand
	var stack []openTag
	closersLen := 0 // UTF-16 length of the closing tags for stack
	n := 0          // UTF-16 length of s[:i]
	textSeen := false
	record := func(level, i int) {
		if !textSeen || n+closersLen > limit {
			return
		}
		best[level] = cand{pos: i, stack: append([]openTag(nil), stack...), ok: true}
	}
	i := 0
	for i < len(s) && n <= limit {
		c := s[i]
		switch {
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				end = len(s) - i - 1
			}
			tag := s[i : i+end+1]
			if strings.HasPrefix(tag, "</") {
				if len(stack) > 0 {
					closersLen -= utf16Len("</" + stack[len(stack)-1].name + ">")
					stack = stack[:len(stack)-1]
				}
			} else if !strings.HasSuffix(tag, "/>") {
				name := strings.TrimPrefix(tag, "<")
				name = strings.TrimSuffix(name, ">")
				if k := strings.IndexAny(name, " \t\n"); k >= 0 {
					name = name[:k]
				}
				stack = append(stack, openTag{name: name, raw: tag})
				closersLen += utf16Len("</" + name + ">")
			}
			n += utf16Len(tag)
			i += len(tag)
			if strings.HasPrefix(tag, "</") {
				// Cutting right after an opening tag would leave it empty.
				record(levelAny, i)
			}
			continue
		case c == '&':
			end := strings.IndexByte(s[i:], ';')
			if end > 0 && end < 12 {
				n += end + 1
				i += end + 1
				textSeen = true
				record(levelAny, i)
				continue
			}
		}
		if c == '\n' && strings.HasPrefix(s[i:], "\n\n") {
			record(levelPara, i)
		} else if c == '\n' {
			record(levelLine, i)
		} else if c == ' ' {
			record(levelSpace, i)
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += utf16RuneLen(r)
		i += size
		if c != '\n' && c != ' ' {
			textSeen = true
		}
		record(levelAny, i)
	}
	// Prefer the coarsest boundary that still fills a quarter of the message.
	var pick cand
	for level := levelPara; level >= levelAny; level-- {
		if b := best[level]; b.ok && (utf16Len(s[:b.pos]) >= limit/4 || level == levelAny) {
			pick = b
			break
		}
	}
	if !pick.ok {
		// Nothing fits (limit smaller than one tag): emit the first rune.
		_, size := utf8.DecodeRuneInString(s)
		return s[:size], strings.TrimSpace(s[size:])
	}
	var head strings.Builder
	head.WriteString(strings.TrimRight(s[:pick.pos], " \n"))
	for k := len(pick.stack) - 1; k >= 0; k-- {
		head.WriteString("</" + pick.stack[k].name + ">")
	}
	var tail strings.Builder
	for _, t := range pick.stack {
		tail.WriteString(t.raw)
	}
	tail.WriteString(strings.TrimLeft(s[pick.pos:], " \n"))
	return head.String(), strings.TrimSpace(tail.String())
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16RuneLen(r)
	}
	return n
}

func utf16RuneLen(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
