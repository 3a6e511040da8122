package discord

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/digest"
)

// Discord's message and embed limits.
// Specs: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	maxTitle       = 256
	maxDescription = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFields      = 25
	maxFooter      = 2048
	maxAuthorName  = 256
	maxEmbedChars  = 6000 // per message, summed over all its embeds
	maxEmbeds      = 10   // per message
	maxContent     = 2000 // message content
	maxThreadName  = 100  // forum post title
)

// embedColor is the accent bar of every embed newsbrief posts.
const embedColor = 0x3B82F6

// contSuffix marks the title of every message after the first.
const contSuffix = " (cont.)"

// outMessage is one Discord message to post: plain content or embeds.
type outMessage struct {
	Content string
	Embeds  []*discordgo.MessageEmbed
}

// section is a titled list of facts ("Met", "Said", "Attacks"…).
type section struct {
	name  string
	facts []string
}

// doc is a rendering-neutral view of a briefing or digest: what pack lays
// out into embeds.
type doc struct {
	title     string
	url       string
	footer    string
	timestamp string
	lead      string
	sections  []section
	empty     string // description when there is nothing else
}

// render turns a bot message into Discord messages, each within every
// Discord limit. It is pure.
func render(m bot.Message) []outMessage {
	switch m.Kind {
	case bot.KindBriefing:
		if m.Briefing != nil {
			return pack(briefingDoc(*m.Briefing))
		}
	case bot.KindDigest:
		if m.Digest != nil {
			return pack(digestDoc(*m.Digest))
		}
	}
	return renderText(m.Text)
}

// ulen is the length Discord measures: UTF-16 code units, which is never
// less than the number of code points, so staying under it is safe either way.
func ulen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// mdEscaper escapes Discord markdown so article text is shown as written:
// a "*" or "_" in a quote must not turn the rest of the line bold.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`,
	`>`, `\>`, `[`, `\[`, `]`, `\]`, `#`, `\#`,
)

// clean collapses all whitespace (newlines included) to single spaces and
// escapes markdown.
func clean(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

// plain collapses whitespace without escaping (titles are not markdown).
func plain(s string) string { return strings.Join(strings.Fields(s), " ") }

// cut shortens s to at most n units at a word boundary, adding "…". Only
// for titles and labels: facts are never cut (see pack).
func cut(s string, n int) string {
	if ulen(s) <= n {
		return s
	}
	var b strings.Builder
	used := 0
	lastSpace := -1
	for _, r := range s {
		if used+utf16.RuneLen(r)+1 > n { // +1 for the ellipsis
			break
		}
		if r == ' ' {
			lastSpace = b.Len()
		}
		b.WriteRune(r)
		used += utf16.RuneLen(r)
	}
	out := b.String()
	if lastSpace > 0 && lastSpace > len(out)/2 {
		out = out[:lastSpace]
	}
	return strings.TrimRight(out, " ") + "…"
}

func httpURL(u string) string {
	if (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && len(u) <= 2048 && !strings.ContainsAny(u, " \n") {
		return u
	}
	return ""
}

// briefingDoc lays out one briefing: the lead, then Met, Said, Attacks and
// People, one fact per line.
func briefingDoc(b briefing.Briefing) doc {
	d := doc{
		title:  plain(b.Title),
		url:    httpURL(b.URL),
		footer: footerText(b.Source, b.Published),
		lead:   clean(b.Lead),
		empty:  "No meetings, quotes or attack tallies found in this article.",
	}
	if d.title == "" {
		d.title = "Briefing"
	}
	if !b.Published.IsZero() {
		d.timestamp = b.Published.UTC().Format(time.RFC3339)
	}
	var met, said, attacks, people []string
	for _, m := range b.Meetings {
		met = append(met, meetingLine(m))
	}
	for _, q := range b.Quotes {
		said = append(said, quoteLine(q))
	}
	for _, a := range b.Attacks {
		attacks = append(attacks, attackLine(a))
	}
	for _, p := range b.People {
		line := "**" + clean(p.Name) + "**"
		if p.Role != "" {
			line += ", " + clean(p.Role)
		}
		people = append(people, "• "+line)
	}
	d.sections = nonEmpty(
		section{"Met", met}, section{"Said", said},
		section{"Attacks", attacks}, section{"People", people})
	return d
}

// digestDoc lays out a digest: Met, Said, Attacks with their sources, then
// the articles it covers.
func digestDoc(dg digest.Digest) doc {
	d := doc{
		title:  "Digest " + dg.Date,
		footer: fmt.Sprintf("newsbrief digest · %d articles", len(dg.Articles)),
		empty:  "Nothing new in this period.",
	}
	if !dg.To.IsZero() {
		d.timestamp = dg.To.UTC().Format(time.RFC3339)
	}
	var met, said, attacks, arts []string
	for _, m := range dg.Meetings {
		met = append(met, meetingLine(m.Meeting)+sourcesSuffix(m.Sources))
	}
	for _, q := range dg.Quotes {
		said = append(said, quoteLine(q.Quote)+sourcesSuffix(q.Sources))
	}
	for _, a := range dg.Attacks {
		attacks = append(attacks, attackLine(a.Attack)+sourcesSuffix(a.Sources))
	}
	for _, s := range dg.Articles {
		arts = append(arts, "• "+sourceLink(s, true))
	}
	d.sections = nonEmpty(
		section{"Met", met}, section{"Said", said},
		section{"Attacks", attacks}, section{"Articles", arts})
	return d
}

func nonEmpty(ss ...section) []section {
	return slices.DeleteFunc(ss, func(s section) bool { return len(s.facts) == 0 })
}

func footerText(source string, published time.Time) string {
	var parts []string
	if s := plain(source); s != "" {
		parts = append(parts, s)
	}
	if !published.IsZero() {
		parts = append(parts, published.UTC().Format("2 Jan 2006 15:04 MST"))
	}
	if len(parts) == 0 {
		return "newsbrief"
	}
	return cut(strings.Join(parts, " · "), 200)
}

func meetingLine(m briefing.Meeting) string {
	names := make([]string, len(m.Participants))
	for i, p := range m.Participants {
		names[i] = "**" + clean(p) + "**"
	}
	line := "• " + strings.Join(names, " ↔ ")
	if m.Place != "" {
		line += " · " + clean(m.Place)
	}
	if m.When != "" {
		line += " · " + clean(m.When)
	}
	if len(m.AccompaniedBy) > 0 {
		acc := make([]string, len(m.AccompaniedBy))
		for i, p := range m.AccompaniedBy {
			acc[i] = clean(p)
		}
		line += " (with " + strings.Join(acc, ", ") + ")"
	}
	if m.Status == briefing.StatusPlanned {
		line += " — planned"
	}
	return line
}

func quoteLine(q briefing.Quote) string {
	who := "Unattributed"
	if q.Speaker != "" {
		who = "**" + clean(q.Speaker) + "**"
	}
	if q.Role != "" {
		who += " (" + clean(q.Role) + ")"
	}
	// The quote is shown exactly, less the comma that joined it to "he said".
	return "• " + who + ": “" + clean(strings.TrimRight(strings.TrimSpace(q.Text), ",")) + "”"
}

// weaponOrder fixes the order weapon kinds are listed in (maps have none).
var weaponOrder = []string{
	briefing.Drones, briefing.Missiles, briefing.BallisticMissiles,
	briefing.CruiseMissiles, briefing.GuidedBombs,
}

func weapons(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(weaponOrder, a), slices.Index(weaponOrder, b)
		if ia < 0 {
			ia = len(weaponOrder)
		}
		if ib < 0 {
			ib = len(weaponOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, strconv.Itoa(m[k])+" "+clean(strings.ReplaceAll(k, "_", " ")))
	}
	return strings.Join(parts, ", ")
}

func children(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return " (1 child)"
	}
	return " (" + strconv.Itoa(n) + " children)"
}

func attackLine(a briefing.Attack) string {
	var head []string
	if a.Place != "" {
		head = append(head, "**"+clean(a.Place)+"**")
	}
	if a.When != "" {
		head = append(head, clean(a.When))
	}
	var facts []string
	if len(a.Launched) > 0 {
		facts = append(facts, "launched "+weapons(a.Launched))
	}
	if len(a.Downed) > 0 {
		facts = append(facts, "downed "+weapons(a.Downed))
	}
	if len(a.Suppressed) > 0 {
		facts = append(facts, "suppressed "+weapons(a.Suppressed))
	}
	approx := ""
	if a.Approximate {
		approx = "at least "
	}
	if a.Killed > 0 || a.ChildrenKilled > 0 {
		facts = append(facts, approx+strconv.Itoa(a.Killed)+" killed"+children(a.ChildrenKilled))
	}
	if a.Injured > 0 || a.ChildrenInjured > 0 {
		facts = append(facts, approx+strconv.Itoa(a.Injured)+" injured"+children(a.ChildrenInjured))
	}
	if len(a.Regions) > 0 {
		rs := make([]string, len(a.Regions))
		for i, r := range a.Regions {
			rs[i] = clean(r)
		}
		facts = append(facts, "regions: "+strings.Join(rs, ", "))
	}
	line := "• "
	if len(head) > 0 {
		line += strings.Join(head, ", ") + ": "
	}
	if len(facts) == 0 {
		facts = append(facts, "attack reported")
	}
	line += strings.Join(facts, "; ")
	if a.ReportedBy != "" {
		line += " — per " + clean(a.ReportedBy)
	}
	return line
}

func sourceLink(s digest.Source, withName bool) string {
	label := plain(s.Title)
	if withName || label == "" {
		if n := plain(s.Source); n != "" {
			if label == "" {
				label = n
			} else {
				label += " (" + n + ")"
			}
		}
	}
	if label == "" {
		label = "source"
	}
	label = clean(cut(label, 120))
	if u := httpURL(s.URL); u != "" {
		return "[" + label + "](" + u + ")"
	}
	return label
}

// sourcesSuffix credits at most three sources after a digest fact.
func sourcesSuffix(ss []digest.Source) string {
	if len(ss) == 0 {
		return ""
	}
	var parts []string
	for i, s := range ss {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("+%d more", len(ss)-3))
			break
		}
		label := s.Source
		if label == "" {
			label = s.Title
		}
		parts = append(parts, sourceLink(digest.Source{Title: cut(plain(label), 40), URL: s.URL}, false))
	}
	return " — " + strings.Join(parts, ", ")
}

// pack lays a doc out into messages of at most maxEmbeds embeds and
// maxEmbedChars characters, each description at most maxDescription.
// A fact (one line) is never split unless it alone is longer than an
// embed's description can be; then, and only then, it is cut at word
// boundaries into consecutive lines.
func pack(d doc) []outMessage {
	title := cut(d.title, maxTitle)
	contTitle := cut(d.title, maxTitle-ulen(contSuffix)) + contSuffix
	footer := cut(d.footer, maxFooter)
	footerLen := ulen(footer)

	var (
		msgs    []outMessage
		cur     *outMessage
		total   int // characters used in cur, footer included
		emb     *discordgo.MessageEmbed
		desc    strings.Builder
		descLen int
		inSect  string // section whose header emb already shows
	)
	flush := func() {
		if emb != nil {
			emb.Description = desc.String()
		}
	}
	newMessage := func() {
		flush()
		msgs = append(msgs, outMessage{})
		cur = &msgs[len(msgs)-1]
		total = footerLen
		t := title
		if len(msgs) > 1 {
			t = contTitle
		}
		emb = &discordgo.MessageEmbed{Title: t, URL: d.url, Color: embedColor}
		cur.Embeds = append(cur.Embeds, emb)
		total += ulen(t)
		desc.Reset()
		descLen, inSect = 0, ""
	}
	newEmbed := func() {
		if len(cur.Embeds) == maxEmbeds {
			newMessage()
			return
		}
		flush()
		emb = &discordgo.MessageEmbed{Color: embedColor}
		cur.Embeds = append(cur.Embeds, emb)
		desc.Reset()
		descLen, inSect = 0, ""
	}
	// fits reports whether n more description units fit the current embed
	// and message.
	fits := func(n int) bool {
		return descLen+n <= maxDescription && total+n <= maxEmbedChars
	}
	write := func(s string) {
		n := ulen(s)
		if descLen > 0 {
			desc.WriteByte('\n')
			n++
		}
		desc.WriteString(s)
		descLen += n
		total += n
	}
	cost := func(s string) int {
		if descLen > 0 {
			return ulen(s) + 1
		}
		return ulen(s)
	}
	// room is what an empty embed in a fresh message can hold after a header.
	room := func(header string) int {
		r := min(maxDescription, maxEmbedChars-footerLen-ulen(contTitle))
		if header != "" {
			r -= ulen(header) + 1
		}
		return r
	}
	addLine := func(sect, line string) {
		header := ""
		if sect != "" {
			header = "**" + sect + "**"
		}
		needHeader := sect != "" && inSect != sect
		need := cost(line)
		if needHeader {
			need = cost(header) + ulen(line) + 1
			if descLen > 0 {
				need++ // the blank line
			}
		}
		if !fits(need) {
			if total+min(ulen(header)+ulen(line)+1, maxDescription) > maxEmbedChars {
				newMessage()
			} else {
				newEmbed()
			}
			needHeader = sect != ""
		}
		if needHeader {
			if descLen > 0 {
				write("") // a blank line between sections
			}
			write(header)
			inSect = sect
		}
		write(line)
	}

	newMessage()
	var lines []struct{ sect, text string }
	if d.lead != "" {
		lines = append(lines, struct{ sect, text string }{"", d.lead})
	}
	for _, s := range d.sections {
		for _, f := range s.facts {
			lines = append(lines, struct{ sect, text string }{s.name, f})
		}
	}
	if len(lines) == 0 && d.empty != "" {
		lines = append(lines, struct{ sect, text string }{"", d.empty})
	}
	for _, l := range lines {
		header := ""
		if l.sect != "" {
			header = "**" + l.sect + "**"
		}
		for _, piece := range splitWords(l.text, room(header)) {
			addLine(l.sect, piece)
		}
	}
	flush()
	for i := range msgs {
		last := msgs[i].Embeds[len(msgs[i].Embeds)-1]
		if footer != "" {
			last.Footer = &discordgo.MessageEmbedFooter{Text: footer}
		}
		last.Timestamp = d.timestamp
	}
	return msgs
}

// splitWords returns s whole when it fits n units, otherwise consecutive
// pieces of at most n units broken at spaces (or anywhere, for a single
// word longer than n), each continued piece marked with "…".
func splitWords(s string, n int) []string {
	if ulen(s) <= n {
		return []string{s}
	}
	var out []string
	for ulen(s) > n {
		limit := n - 1 // room for "…"
		used, end, lastSpace := 0, 0, -1
		for i, r := range s {
			w := utf16.RuneLen(r)
			if used+w > limit {
				break
			}
			if r == ' ' {
				lastSpace = i
			}
			used += w
			end = i + len(string(r))
		}
		if lastSpace > 0 {
			end = lastSpace
		}
		// Never split inside an escape sequence ("\\*").
		if bs := len(s[:end]) - len(strings.TrimRight(s[:end], `\`)); bs%2 == 1 && end > 1 {
			end--
		}
		out = append(out, s[:end]+"…")
		s = strings.TrimLeft(s[end:], " ")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// renderText splits plain text into messages of at most maxContent
// characters at line (or word) boundaries.
func renderText(text string) []outMessage {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var msgs []outMessage
	var b strings.Builder
	n := 0
	for _, line := range strings.Split(text, "\n") {
		for _, piece := range splitWords(line, maxContent) {
			l := ulen(piece)
			if n > 0 && n+1+l > maxContent {
				msgs = append(msgs, outMessage{Content: b.String()})
				b.Reset()
				n = 0
			}
			if n > 0 {
				b.WriteByte('\n')
				n++
			}
			b.WriteString(piece)
			n += l
		}
	}
	if n > 0 {
		msgs = append(msgs, outMessage{Content: b.String()})
	}
	return msgs
}

// checkLimits reports the first Discord limit m breaks, or nil.
func checkLimits(m outMessage) error {
	if ulen(m.Content) > maxContent {
		return fmt.Errorf("content %d > %d", ulen(m.Content), maxContent)
	}
	if len(m.Embeds) > maxEmbeds {
		return fmt.Errorf("%d embeds > %d", len(m.Embeds), maxEmbeds)
	}
	if m.Content == "" && len(m.Embeds) == 0 {
		return fmt.Errorf("empty message")
	}
	total := 0
	for i, e := range m.Embeds {
		if n := ulen(e.Title); n > maxTitle {
			return fmt.Errorf("embed %d: title %d > %d", i, n, maxTitle)
		}
		if n := ulen(e.Description); n > maxDescription {
			return fmt.Errorf("embed %d: description %d > %d", i, n, maxDescription)
		}
		if len(e.Fields) > maxFields {
			return fmt.Errorf("embed %d: %d fields > %d", i, len(e.Fields), maxFields)
		}
		total += ulen(e.Title) + ulen(e.Description)
		for j, f := range e.Fields {
			if ulen(f.Name) > maxFieldName || ulen(f.Value) > maxFieldValue {
				return fmt.Errorf("embed %d field %d: too long", i, j)
			}
			total += ulen(f.Name) + ulen(f.Value)
		}
		if e.Footer != nil {
			if ulen(e.Footer.Text) > maxFooter {
				return fmt.Errorf("embed %d: footer too long", i)
			}
			total += ulen(e.Footer.Text)
		}
		if e.Author != nil {
			if ulen(e.Author.Name) > maxAuthorName {
				return fmt.Errorf("embed %d: author too long", i)
			}
			total += ulen(e.Author.Name)
		}
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
			return fmt.Errorf("embed %d: empty", i)
		}
	}
	if total > maxEmbedChars {
		return fmt.Errorf("embeds total %d > %d", total, maxEmbedChars)
	}
	return nil
}
