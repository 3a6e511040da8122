package briefing

import (
	"slices"
	"testing"
)

// Texts below were written for these tests in the manner of wire copy;
// each table targets one error pattern seen on a second set of unseen copy.

// meetingParts returns the sorted participants of each meeting.
func meetingParts(b Briefing) [][]string {
	var out [][]string
	for _, m := range b.Meetings {
		p := slices.Clone(m.Participants)
		slices.Sort(p)
		out = append(out, p)
	}
	return out
}

// TestAdverbialsBeforeWith: time, place, duration and channel adverbials
// between a meeting verb or noun and "with" keep the partner.
func TestAdverbialsBeforeWith(t *testing.T) {
	tests := []struct {
		name, body string
		parts      []string
		status     string
	}{
		{"hours of talks",
			"Foreign Minister Sergei Lavrov held more than five hours of talks with Foreign Minister Wang Yi on Monday.",
			[]string{"Sergei Lavrov", "Wang Yi"}, StatusHeld},
		{"place and day before with",
			"Foreign Minister Sergei Lavrov held talks in Beijing on Thursday with Foreign Minister Wang Yi.",
			[]string{"Sergei Lavrov", "Wang Yi"}, StatusHeld},
		{"by phone on a day",
			"President Emmanuel Macron spoke by phone on Friday with President Vladimir Putin about the war.",
			[]string{"Emmanuel Macron", "Vladimir Putin"}, StatusHeld},
		{"first time since",
			"Chancellor Olaf Scholz spoke by phone for the first time since December with President Vladimir Putin.",
			[]string{"Olaf Scholz", "Vladimir Putin"}, StatusHeld},
		{"spent an hour with",
			"Secretary of State Antony Blinken spent more than an hour with Foreign Minister Ayman Safadi in Amman.",
			[]string{"Antony Blinken", "Ayman Safadi"}, StatusHeld},
		{"met on a day with",
			"President Joe Biden met on Wednesday with Prime Minister Fumio Kishida at the White House.",
			[]string{"Fumio Kishida", "Joe Biden"}, StatusHeld},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := Brief(Article{Body: tc.body})
			if len(b.Meetings) != 1 {
				t.Fatalf("meetings = %+v, want one", b.Meetings)
			}
			want := slices.Clone(tc.parts)
			slices.Sort(want)
			if got := meetingParts(b)[0]; !slices.Equal(got, want) {
				t.Errorf("participants = %q, want %q", got, want)
			}
			if b.Meetings[0].Status != tc.status {
				t.Errorf("status = %q, want %q", b.Meetings[0].Status, tc.status)
			}
		})
	}
	for _, body := range []string{
		// an object between the verb and "with" is not an adverbial
		"President Emmanuel Macron spoke about pensions on Friday with great confidence.",
		// money spent with a company is no meeting
		"Minister Rachel Reeves spent millions with Acme Holdings last year.",
		// "spent" without a duration
		"Governor Kathy Hochul spent the budget surplus with care.",
		// a noun phrase object breaks the run
		"Foreign Minister Sergei Lavrov held talks in Beijing on Thursday about sanctions with officials.",
	} {
		if b := Brief(Article{Body: body}); len(b.Meetings) != 0 {
			t.Errorf("%q: meetings = %+v", body, b.Meetings)
		}
	}
}
