package briefing

import "time"

// Article is the engine's input: one news article as plain text.
type Article struct {
	// Title is the headline; it may be empty.
	Title string
	// Body is the article text. Paragraphs are separated by blank lines or
	// single newlines.
	Body string
	// URL, Source and Published are optional metadata copied to the output.
	URL       string
	Source    string
	Published time.Time
}

// Briefing is the engine's output. Its JSON form is a public contract
// (printed by `bot brief --json`, returned by the HTTP API): field names must
// not change.
type Briefing struct {
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	// Lead is a one-sentence gist: an exact sentence of the article.
	Lead     string    `json:"lead"`
	People   []Person  `json:"people"`
	Meetings []Meeting `json:"meetings"`
	Quotes   []Quote   `json:"quotes"`
	Attacks  []Attack  `json:"attacks"`
}

// Person is someone the article names, with the role it gives them.
type Person struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// Meeting statuses.
const (
	StatusHeld    = "held"
	StatusPlanned = "planned"
)

// Meeting is an encounter (in person, by phone or video) between people.
type Meeting struct {
	Participants  []string `json:"participants"`
	AccompaniedBy []string `json:"accompanied_by,omitempty"`
	Place         string   `json:"place,omitempty"`
	When          string   `json:"when,omitempty"`
	// Status is StatusHeld or StatusPlanned.
	Status string `json:"status"`
	// Evidence is the sentence the meeting was read from.
	Evidence string `json:"evidence"`
}

// Quote is a direct quotation. Text is always an exact span of the input.
// Speaker is empty when it cannot be determined.
type Quote struct {
	Speaker  string `json:"speaker"`
	Role     string `json:"role,omitempty"`
	Text     string `json:"text"`
	Evidence string `json:"evidence"`
}

// Weapon kinds used as keys of Attack.Launched, Downed and Suppressed.
const (
	Drones            = "drones"
	Missiles          = "missiles"
	BallisticMissiles = "ballistic_missiles"
	CruiseMissiles    = "cruise_missiles"
	GuidedBombs       = "guided_bombs"
)

// Attack is one tally of an attack report: a national total or a regional
// breakdown, each with its place. Every number appears in the input.
type Attack struct {
	Place      string `json:"place,omitempty"`
	When       string `json:"when,omitempty"`
	ReportedBy string `json:"reported_by,omitempty"`
	// Launched, Downed and Suppressed map a weapon kind to a count.
	// Suppressed is what electronic warfare took out.
	Launched        map[string]int `json:"launched,omitempty"`
	Downed          map[string]int `json:"downed,omitempty"`
	Suppressed      map[string]int `json:"suppressed,omitempty"`
	Killed          int            `json:"killed"`
	Injured         int            `json:"injured"`
	ChildrenKilled  int            `json:"children_killed"`
	ChildrenInjured int            `json:"children_injured"`
	// Approximate is set when a count is a floor or an estimate
	// ("at least 12", "more than 20").
	Approximate bool     `json:"approximate,omitempty"`
	Regions     []string `json:"regions,omitempty"`
	Evidence    string   `json:"evidence"`
}
