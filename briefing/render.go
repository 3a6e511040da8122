package briefing

import (
	"fmt"
	"sort"
	"strings"
)

// RenderText renders b as plain text: a title line, then "Met", "Said" and
// "Attacks" sections, one fact per line. Empty sections are left out.
func RenderText(b Briefing) string {
	var sb strings.Builder
	title := b.Title
	if title == "" {
		title = b.Lead
	}
	sb.WriteString(oneLine(title))
	sb.WriteString("\n")
	section := func(name string, lines []string) {
		if len(lines) == 0 {
			return
		}
		sb.WriteString("\n")
		sb.WriteString(name)
		sb.WriteString("\n")
		for _, l := range lines {
			sb.WriteString("- ")
			sb.WriteString(l)
			sb.WriteString("\n")
		}
	}
	section("Met", meetingLines(b.Meetings, false))
	section("Said", quoteLines(b.Quotes, false))
	section("Attacks", attackLines(b.Attacks))
	return sb.String()
}

// RenderMarkdown renders b as Markdown with the same sections as RenderText.
// Article text is escaped so it cannot inject Markdown structure.
func RenderMarkdown(b Briefing) string {
	var sb strings.Builder
	title := b.Title
	if title == "" {
		title = b.Lead
	}
	sb.WriteString("# ")
	if b.URL != "" {
		fmt.Fprintf(&sb, "[%s](%s)", mdEscape(oneLine(title)), strings.ReplaceAll(b.URL, ")", "%29"))
	} else {
		sb.WriteString(mdEscape(oneLine(title)))
	}
	sb.WriteString("\n")
	section := func(name string, lines []string) {
		if len(lines) == 0 {
			return
		}
		sb.WriteString("\n## ")
		sb.WriteString(name)
		sb.WriteString("\n\n")
		for _, l := range lines {
			sb.WriteString("- ")
			sb.WriteString(l)
			sb.WriteString("\n")
		}
	}
	section("Met", meetingLines(b.Meetings, true))
	section("Said", quoteLines(b.Quotes, true))
	var al []string
	for _, l := range attackLines(b.Attacks) {
		al = append(al, mdEscape(l))
	}
	section("Attacks", al)
	return sb.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// mdEscape backslash-escapes Markdown metacharacters.
func mdEscape(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+!|~", r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func meetingLines(ms []Meeting, md bool) []string {
	var out []string
	esc := func(s string) string { return s }
	if md {
		esc = mdEscape
	}
	for _, m := range ms {
		var sb strings.Builder
		verb := " met "
		if m.Status == StatusPlanned {
			verb = " to meet "
		}
		if len(m.Participants) > 0 {
			sb.WriteString(esc(m.Participants[0]))
			sb.WriteString(verb)
			sb.WriteString(esc(strings.Join(m.Participants[1:], ", ")))
		}
		if m.Place != "" {
			sb.WriteString(" in " + esc(m.Place))
		}
		if m.When != "" {
			sb.WriteString(" (" + esc(m.When) + ")")
		}
		if len(m.AccompaniedBy) > 0 {
			sb.WriteString(", with " + esc(strings.Join(m.AccompaniedBy, ", ")))
		}
		if m.Status == StatusPlanned {
			sb.WriteString(" [planned]")
		}
		out = append(out, sb.String())
	}
	return out
}

func quoteLines(qs []Quote, md bool) []string {
	var out []string
	for _, q := range qs {
		sp := q.Speaker
		if sp == "" {
			sp = "unattributed"
		}
		text := oneLine(q.Text)
		if md {
			out = append(out, fmt.Sprintf("**%s**: “%s”", mdEscape(sp), mdEscape(text)))
		} else {
			out = append(out, fmt.Sprintf("%s: “%s”", sp, text))
		}
	}
	return out
}

func attackLines(as []Attack) []string {
	var out []string
	for _, a := range as {
		var parts []string
		kinds := func(label string, m map[string]int) {
			if len(m) == 0 {
				return
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				ri, rj := kindRank(keys[i]), kindRank(keys[j])
				if ri != rj {
					return ri < rj
				}
				return keys[i] < keys[j]
			})
			var ks []string
			for _, k := range keys {
				ks = append(ks, fmt.Sprintf("%d %s", m[k], strings.ReplaceAll(k, "_", " ")))
			}
			parts = append(parts, label+" "+strings.Join(ks, ", "))
		}
		kinds("launched", a.Launched)
		kinds("downed", a.Downed)
		kinds("suppressed", a.Suppressed)
		if a.Killed > 0 || a.ChildrenKilled > 0 {
			parts = append(parts, casualty(a.Killed, a.ChildrenKilled, "killed"))
		}
		if a.Injured > 0 || a.ChildrenInjured > 0 {
			parts = append(parts, casualty(a.Injured, a.ChildrenInjured, "injured"))
		}
		head := a.Place
		if head == "" {
			head = "unspecified place"
		}
		if a.When != "" {
			head += ", " + a.When
		}
		line := head + ": " + strings.Join(parts, "; ")
		if len(a.Regions) > 0 {
			line += "; damage in " + strings.Join(a.Regions, ", ")
		}
		if a.Approximate {
			line += " [approximate]"
		}
		if a.ReportedBy != "" {
			line += " (" + a.ReportedBy + ")"
		}
		out = append(out, line)
	}
	return out
}

// kindRank orders weapon kinds: drones, missiles, then the finer split.
func kindRank(k string) int {
	switch k {
	case Drones:
		return 0
	case Missiles:
		return 1
	case BallisticMissiles:
		return 2
	case CruiseMissiles:
		return 3
	}
	return 4
}

func casualty(n, children int, what string) string {
	s := fmt.Sprintf("%d %s", n, what)
	if n == 0 {
		s = what
	}
	switch {
	case children == 1:
		s += " (including 1 child)"
	case children > 1:
		s += fmt.Sprintf(" (including %d children)", children)
	}
	return s
}
