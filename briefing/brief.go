package briefing

// Brief turns one article into a briefing. It is pure, deterministic and
// safe for concurrent use: all state lives in a per-call document model.
func Brief(a Article) Briefing {
	b := Briefing{
		Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published,
		People: []Person{}, Meetings: []Meeting{}, Quotes: []Quote{}, Attacks: []Attack{},
	}
	d := &doc{text: a.Body}
	d.low, d.lowFull = lowerText(a.Body)
	d.paras = cleanParasLow(a.Body, d.low, d.lowFull, a.Title)
	d.tokenize()
	d.findQuotes()
	d.splitSentences()
	d.findMentions()
	d.buildRefs()
	b.Lead = d.lead()
	for _, e := range d.ents {
		b.People = append(b.People, Person{Name: e.name, Role: e.role})
	}
	b.Meetings = append(b.Meetings, d.findMeetings()...)
	b.Quotes = append(b.Quotes, d.extractQuotes()...)
	d.markTallyQuotes()
	b.Attacks = append(b.Attacks, d.findAttacks()...)
	return b
}

// lead returns the first real sentence: not boilerplate, not a headline,
// at least six words.
func (d *doc) lead() string {
	for si, s := range d.sents {
		if s.skip {
			continue
		}
		if wordCount(d.sentText(si)) >= 6 {
			return d.sentText(si)
		}
	}
	for si, s := range d.sents {
		if !s.skip {
			return d.sentText(si)
		}
	}
	return ""
}
