package briefing

// Brief turns one article into a briefing. It is pure, deterministic and
// safe for concurrent use.
//
// PLACEHOLDER until the engine lands (issue 3): copies the metadata only.
func Brief(a Article) Briefing {
	return Briefing{Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published}
}
