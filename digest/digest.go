// Package digest builds a daily digest from many briefings: meetings, the
// most telling quotes and attack tallies merged per day and place, each with
// the sources it came from. It is pure: no I/O, time is an argument.
package digest

import (
	"time"

	"newsbrief/briefing"
)

// Source is one article a digest line came from.
type Source struct {
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	Source string `json:"source,omitempty"`
}

// Meeting is a meeting with the articles that reported it.
type Meeting struct {
	briefing.Meeting
	// Day is the local date of the meeting, YYYY-MM-DD.
	Day     string   `json:"day,omitempty"`
	Sources []Source `json:"sources"`
}

// Quote is a quote with the article it came from.
type Quote struct {
	briefing.Quote
	Sources []Source `json:"sources"`
}

// Attack is one tally merged across articles reporting the same day and
// place; Sources lists every article that reported it.
type Attack struct {
	briefing.Attack
	// Day is the local date of the attack, YYYY-MM-DD (a night counts for
	// the morning it ends).
	Day     string   `json:"day,omitempty"`
	Sources []Source `json:"sources"`
}

// Digest covers the briefings of one subscriber's period (From, To].
type Digest struct {
	// Date is the subscriber's local date of the digest, YYYY-MM-DD.
	Date     string    `json:"date"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Articles []Source  `json:"articles"`
	Meetings []Meeting `json:"meetings"`
	Quotes   []Quote   `json:"quotes"`
	Attacks  []Attack  `json:"attacks"`
}

// Empty reports whether the digest has nothing to say.
func (d Digest) Empty() bool { return len(d.Articles) == 0 }

// Entry is one briefed article given to Build.
type Entry struct {
	Source   Source
	Briefing briefing.Briefing
	// Ingested is when the article arrived (it decides the period it
	// belongs to).
	Ingested time.Time
}
