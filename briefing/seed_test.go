package briefing

import (
	"os"
	"testing"
)

func loadSeed(t testing.TB) Article {
	t.Helper()
	raw, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	return Article{Body: string(raw)}
}

// TestSeedGolden asserts every fact issue 3 lists for the seed article.
func TestSeedGolden(t *testing.T) {
	b := Brief(loadSeed(t))

	t.Run("meeting", func(t *testing.T) {
		if len(b.Meetings) != 1 {
			t.Fatalf("meetings = %+v, want exactly one", b.Meetings)
		}
		m := b.Meetings[0]
		if len(m.Participants) != 2 || m.Participants[0] != "Steve Witkoff" || m.Participants[1] != "Vladimir Putin" {
			t.Errorf("participants = %q", m.Participants)
		}
		if m.Place != "Moscow" || m.When != "Friday" || m.Status != StatusHeld {
			t.Errorf("place/when/status = %q/%q/%q", m.Place, m.When, m.Status)
		}
		if len(m.AccompaniedBy) != 2 || m.AccompaniedBy[0] != "Yuri Ushakov" || m.AccompaniedBy[1] != "Kirill Dmitriev" {
			t.Errorf("accompanied_by = %q", m.AccompaniedBy)
		}
	})

	t.Run("quotes", func(t *testing.T) {
		want := []struct{ speaker, text string }{
			{"Donald Trump", "Vladimir, STOP!"},
			{"Donald Trump", "This next few days is going to be very important. Meetings are taking place right now,"},
			{"Donald Trump", "I think we’re going to make a deal ... I think we’re getting very close."},
			{"Donald Trump", "I have my own deadline,"},
			{"Donald Trump", "We’re putting a lot of pressure on Russia, and Russia knows that,"},
			{"Donald Trump", "will stay with Russia"},
			{"Sergey Lavrov", "The statement by the president [Trump] mentions a deal, and we are ready to reach a deal, but there are still some specific points – elements of this deal which need to be fine-tuned,"},
			{"Sergey Lavrov", "We continue our contacts with the American side on the situation in Ukraine, there are several signs that we are moving in the right direction,"},
			{"Vitali Klitschko", "One of the scenarios is ... to give up territory. It’s not fair. But for the peace, temporary peace, maybe it can be a solution, temporary,"},
			{"Serhiy Lysak", "The aggressor again conducted a mass attack on the region with drones,"},
		}
		got := map[string]string{}
		for _, q := range b.Quotes {
			got[q.Text] = q.Speaker
		}
		for _, w := range want {
			sp, ok := got[w.text]
			if !ok {
				t.Errorf("missing quote %q", w.text)
				continue
			}
			if sp != w.speaker {
				t.Errorf("quote %q: speaker %q, want %q", w.text, sp, w.speaker)
			}
		}
		for _, q := range b.Quotes {
			if q.Speaker == "Sergey Lavrov" && q.Role != "Russian foreign minister" {
				t.Errorf("Lavrov role = %q", q.Role)
			}
		}
	})

	t.Run("attacks", func(t *testing.T) {
		find := func(place string) *Attack {
			for i := range b.Attacks {
				if b.Attacks[i].Place == place {
					return &b.Attacks[i]
				}
			}
			t.Fatalf("no attack entry for %q in %+v", place, b.Attacks)
			return nil
		}
		u := find("Ukraine")
		if u.When != "overnight" || u.ReportedBy != "Ukraine’s air force" {
			t.Errorf("Ukraine when/by = %q/%q", u.When, u.ReportedBy)
		}
		if u.Launched[Drones] != 103 || u.Downed[Drones] != 41 || u.Suppressed[Drones] != 40 {
			t.Errorf("Ukraine drones = %v/%v/%v", u.Launched, u.Downed, u.Suppressed)
		}
		wantRegions := []string{"Kharkiv", "Sumy", "Cherkasy", "Donetsk", "Dnipropetrovsk"}
		if len(u.Regions) != len(wantRegions) {
			t.Errorf("regions = %q", u.Regions)
		} else {
			for i := range wantRegions {
				if u.Regions[i] != wantRegions[i] {
					t.Errorf("regions = %q", u.Regions)
				}
			}
		}
		p := find("Pavlohrad")
		if p.Killed != 3 || p.ChildrenKilled != 1 || p.Injured != 8 {
			t.Errorf("Pavlohrad = %+v", p)
		}
		r := find("Dnipropetrovsk region")
		if r.Downed[Drones] != 11 {
			t.Errorf("Dnipropetrovsk region = %+v", r)
		}
		k := find("Kyiv")
		if k.Killed != 12 || !k.Approximate {
			t.Errorf("Kyiv = %+v", k)
		}
		if len(b.Attacks) != 4 {
			t.Errorf("got %d attack entries, want 4: %+v", len(b.Attacks), b.Attacks)
		}
	})

	t.Run("no READ MORE facts", func(t *testing.T) {
		for _, a := range b.Attacks {
			if a.Place == "Moscow" || a.Killed == 1 {
				t.Errorf("attack from related headline: %+v", a)
			}
		}
		for _, p := range b.People {
			if p.Name == "Senior Russian" || p.Name == "Witkoff" {
				t.Errorf("person from related headline: %+v", p)
			}
		}
		for _, q := range b.Quotes {
			if q.Evidence == "‘Vladimir, STOP!’ Trump appeals to Putin to halt Ukraine attacks" {
				t.Errorf("quote from related headline: %+v", q)
			}
		}
	})

	t.Run("people", func(t *testing.T) {
		roles := map[string]string{}
		for _, p := range b.People {
			roles[p.Name] = p.Role
		}
		for name, role := range map[string]string{
			"Steve Witkoff":       "Donald Trump’s envoy",
			"Vladimir Putin":      "Russian president",
			"Sergey Lavrov":       "Russian foreign minister",
			"Vitali Klitschko":    "Kyiv mayor",
			"Serhiy Lysak":        "governor for the central Dnipropetrovsk region",
			"Volodymyr Zelenskiy": "Ukrainian leader",
			"Yuri Ushakov":        "foreign policy adviser",
			"Kirill Dmitriev":     "investment envoy",
			"Donald Trump":        "",
		} {
			got, ok := roles[name]
			if !ok {
				t.Errorf("missing person %q", name)
			} else if got != role {
				t.Errorf("%s role = %q, want %q", name, got, role)
			}
		}
		if len(b.People) != 9 {
			t.Errorf("people = %+v", b.People)
		}
	})
	if b.Lead != "Donald Trump’s envoy Steve Witkoff met Russian president Vladimir Putin in Moscow on Friday at what Mr Trump has said is a key moment in diplomacy to end the war in Ukraine." {
		t.Errorf("lead = %q", b.Lead)
	}
}
