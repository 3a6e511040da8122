package briefing

import "strings"

// RenderText renders b as plain text: a title line, then "Met", "Said" and
// "Attacks" sections, one fact per line.
//
// PLACEHOLDER until the engine lands (issue 3).
func RenderText(b Briefing) string {
	var sb strings.Builder
	sb.WriteString(b.Title)
	sb.WriteString("\n")
	return sb.String()
}

// RenderMarkdown renders b as Markdown with the same sections as RenderText.
//
// PLACEHOLDER until the engine lands (issue 3).
func RenderMarkdown(b Briefing) string { return "# " + b.Title + "\n" }
