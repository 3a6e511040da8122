package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/bot/discord/discordtest"
	"newsbrief/briefing"
	"newsbrief/digest"
	"newsbrief/store"
)

func discordChat(id string) store.ChatRef { return store.ChatRef{Platform: store.Discord, ChatID: id} }

func sample() bot.Message {
	b := briefing.Briefing{Title: "Witkoff meets Putin", URL: "https://news.example/a", Source: "Example",
		Lead:   "Steve Witkoff met Vladimir Putin in Moscow on Friday.",
		Quotes: []briefing.Quote{{Speaker: "A Troll", Text: "@everyone @here <@&123> look"}}}
	return bot.Message{Kind: bot.KindBriefing, Briefing: &b}
}

// TestSend runs the channel Sender as the delivery worker calls it.
func TestSend(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	fake := h.fake
	ctx := context.Background()
	posts := func(ch string) []discordtest.Request {
		return fake.Requests(http.MethodPost, "/channels/"+ch+"/messages")
	}

	t.Run("nonce and enforce_nonce, stable per key; no mention can ping", func(t *testing.T) {
		for _, key := range []string{"brief:1", "brief:1", "brief:2"} {
			if err := h.b.Send(ctx, discordChat(discordtest.TextChannelID), "", key, sample()); err != nil {
				t.Fatal(err)
			}
		}
		reqs := posts(discordtest.TextChannelID)
		if len(reqs) != 3 {
			t.Fatalf("%d POSTs, want 3", len(reqs))
		}
		var nonces []string
		for _, r := range reqs {
			var body struct {
				Nonce        string `json:"nonce"`
				EnforceNonce bool   `json:"enforce_nonce"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Nonce == "" || len(body.Nonce) > 25 || !body.EnforceNonce {
				t.Errorf("nonce %q (len %d) enforce %v; want 1-25 chars and enforce_nonce", body.Nonce, len(body.Nonce), body.EnforceNonce)
			}
			if !allowedMentionsEmpty(t, r.Body) {
				t.Errorf("allowed_mentions not empty: %s", r.Body)
			}
			nonces = append(nonces, body.Nonce)
		}
		if nonces[0] != nonces[1] || nonces[0] == nonces[2] {
			t.Errorf("nonces %q: want equal for the same key, different otherwise", nonces)
		}
		msgs := fake.Messages(discordtest.TextChannelID)
		if len(msgs) != 2 {
			t.Errorf("%d messages in the channel, want 2 (the resend returned the first)", len(msgs))
		}
		if !strings.Contains(embedsText(&msgs[0]), "@everyone") {
			t.Error("the article's text should be shown, just not ping")
		}
	})

	t.Run("short 429 obeyed then posted", func(t *testing.T) {
		fake.Fail(discordtest.Fault{Method: http.MethodPost, Path: "/channels/" + discordtest.OtherChannelID + "/messages",
			Status: 429, RetryAfter: 0.3})
		before := len(posts(discordtest.OtherChannelID))
		if err := h.b.Send(ctx, discordChat(discordtest.OtherChannelID), "", "brief:429", sample()); err != nil {
			t.Fatal(err)
		}
		reqs := posts(discordtest.OtherChannelID)[before:]
		if len(reqs) != 2 {
			t.Fatalf("%d POSTs, want 2 (429, then the retry)", len(reqs))
		}
		if gap := reqs[1].At.Sub(reqs[0].At); gap < 300*time.Millisecond {
			t.Errorf("retried after %s, retry_after was 300ms", gap)
		}
		if n := len(fake.Messages(discordtest.OtherChannelID)); n != 1 {
			t.Errorf("%d messages, want 1", n)
		}
	})

	t.Run("long 429 returned as RetryAfterError", func(t *testing.T) {
		// Its own channel: discordgo's bucket now holds that channel's
		// requests for 30 s, as Discord asked.
		ch := "300000000000000008"
		fake.AddChannel(ch, "slow", discordgo.ChannelTypeGuildText)
		fake.Fail(discordtest.Fault{Method: http.MethodPost, Path: "/channels/" + ch + "/messages", Status: 429, RetryAfter: 30})
		start := time.Now()
		err := h.b.Send(ctx, discordChat(ch), "", "brief:slow", sample())
		var ra *bot.RetryAfterError
		if !errors.As(err, &ra) || ra.Wait != 30*time.Second {
			t.Fatalf("got %v, want RetryAfterError of 30s", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Error("Send waited out a long rate limit itself")
		}
	})

	t.Run("chat gone", func(t *testing.T) {
		tests := []struct {
			name  string
			chat  string
			fault *discordtest.Fault
			code  string
		}{
			{"missing permissions 50013", discordtest.OtherChannelID, &discordtest.Fault{Method: http.MethodPost,
				Path: "/channels/", Status: 403, Code: 50013, Message: "Missing Permissions"}, "50013"},
			{"missing access 50001", discordtest.OtherChannelID, &discordtest.Fault{Method: http.MethodPost,
				Path: "/channels/", Status: 403, Code: 50001, Message: "Missing Access"}, "50001"},
			{"unknown channel 10003", "399999999999999999", nil, "10003"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.fault != nil {
					fake.Fail(*tt.fault)
				}
				err := h.b.Send(ctx, discordChat(tt.chat), "", "brief:gone", sample())
				g, ok := asChatGone(err)
				if !ok || !strings.Contains(g.Reason, tt.code) {
					t.Errorf("got %v, want ChatGoneError naming %s", err, tt.code)
				}
			})
		}
	})

	t.Run("other errors are transient", func(t *testing.T) {
		fake.Fail(discordtest.Fault{Method: http.MethodPost, Path: "/channels/", Status: 500, Code: 0, Message: "boom"})
		err := h.b.Send(ctx, discordChat(discordtest.OtherChannelID), "", "brief:500", sample())
		var ra *bot.RetryAfterError
		if _, gone := asChatGone(err); err == nil || gone || errors.As(err, &ra) {
			t.Errorf("got %v, want a plain error", err)
		}
	})

	t.Run("20,000-character briefing split within every limit", func(t *testing.T) {
		ch := "300000000000000009"
		fake.AddChannel(ch, "long", discordgo.ChannelTypeGuildText)
		b := longBriefing()
		if err := h.b.Send(ctx, discordChat(ch), "", "brief:long", bot.Message{Kind: bot.KindBriefing, Briefing: &b}); err != nil {
			t.Fatal(err)
		}
		msgs := fake.Messages(ch)
		if len(msgs) < 4 {
			t.Fatalf("%d messages", len(msgs))
		}
		total := 0
		for i, m := range msgs {
			if err := checkLimits(outMessage{Content: m.Content, Embeds: m.Embeds}); err != nil {
				t.Errorf("message %d: %v", i, err)
			}
			total += len(embedsText(&m))
		}
		if total < 20000 {
			t.Errorf("only %d characters arrived", total)
		}
		// A retry of the whole item (a crash after part 2) posts nothing new.
		if err := h.b.Send(ctx, discordChat(ch), "", "brief:long", bot.Message{Kind: bot.KindBriefing, Briefing: &b}); err != nil {
			t.Fatal(err)
		}
		if n := len(fake.Messages(ch)); n != len(msgs) {
			t.Errorf("retry posted %d more messages", n-len(msgs))
		}
	})

	t.Run("forum: a digest becomes a post titled with the date, once", func(t *testing.T) {
		d := digest.Digest{Date: "2026-11-25", Articles: []digest.Source{{Title: "Talks", URL: "https://news.example/a"}},
			Meetings: []digest.Meeting{{Meeting: briefing.Meeting{Participants: []string{"Steve Witkoff", "Vladimir Putin"}, Status: briefing.StatusHeld}}}}
		m := bot.Message{Kind: bot.KindDigest, Digest: &d, NoPreview: true}
		for range 2 {
			if err := h.b.Send(ctx, discordChat(discordtest.ForumChannelID), "", "digest:2026-11-25", m); err != nil {
				t.Fatal(err)
			}
		}
		threads := fake.Threads(discordtest.ForumChannelID)
		if len(threads) != 1 || threads[0].Name != "Digest 2026-11-25" {
			t.Fatalf("threads %+v, want one named Digest 2026-11-25", threads)
		}
		msgs := fake.Messages(threads[0].ID)
		if len(msgs) != 1 || !strings.Contains(embedsText(&msgs[0]), "Steve Witkoff") {
			t.Errorf("post messages %+v", msgs)
		}
		var post struct {
			Message json.RawMessage `json:"message"`
		}
		if err := json.Unmarshal(fake.Requests(http.MethodPost, "/channels/"+discordtest.ForumChannelID+"/threads")[0].Body, &post); err != nil {
			t.Fatal(err)
		}
		if !allowedMentionsEmpty(t, post.Message) {
			t.Errorf("forum post allows mentions: %s", post.Message)
		}
	})

	t.Run("not a Discord chat", func(t *testing.T) {
		if err := h.b.Send(ctx, store.ChatRef{Platform: store.Telegram, ChatID: "1"}, "", "k", sample()); err == nil {
			t.Error("sent to a Telegram chat")
		}
	})
}

func TestNonce(t *testing.T) {
	a, b := nonce("1", "brief:x", 0), nonce("1", "brief:x", 1)
	if len(a) != 25 || a == b || a != nonce("1", "brief:x", 0) || a == nonce("2", "brief:x", 0) {
		t.Errorf("nonces %q %q", a, b)
	}
}

// TestCommandSync checks registration against the definitions: written once,
// not again on restart, rewritten in place when the stored set drifts, and
// global when no guild is configured.
func TestCommandSync(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	fake := h.fake
	if n := fake.CommandWrites(); n != 1 {
		t.Fatalf("first start: %d writes, want 1", n)
	}
	if !sameCommands(fake.Commands(""), commands()) {
		t.Fatal("global commands differ from the definitions")
	}
	ids := map[string]string{}
	for _, c := range fake.Commands("") {
		ids[c.Name] = c.ID
	}
	h.stopNow()

	h2 := startBot(t, fake, h.st, harnessOpts{httpMode: true})
	if n := fake.CommandWrites(); n != 1 {
		t.Errorf("restart: %d writes, want still 1", n)
	}
	h2.stopNow()

	// Someone deleted /digest by hand: the next start restores it with one
	// bulk overwrite that keeps the other commands' ids.
	for _, c := range fake.Commands("") {
		if c.Name == cmdDigest {
			if err := h2.b.s.ApplicationCommandDelete(discordtest.AppID, "", c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	h3 := startBot(t, fake, h.st, harnessOpts{httpMode: true})
	defer h3.stopNow()
	if n := len(fake.Requests(http.MethodPut, "/applications/")); n != 2 {
		t.Errorf("%d bulk overwrites, want 2", n)
	}
	for _, c := range fake.Commands("") {
		if c.Name != cmdDigest && ids[c.Name] != c.ID {
			t.Errorf("command %s recreated (id %s, was %s)", c.Name, c.ID, ids[c.Name])
		}
	}
	if !sameCommands(fake.Commands(""), commands()) {
		t.Error("commands not restored")
	}
}

func TestSameCommands(t *testing.T) {
	want := commands()
	// What Discord returns: ids, versions, defaults filled in.
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var have []*discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &have); err != nil {
		t.Fatal(err)
	}
	f := false
	for i, c := range have {
		c.ID, c.Version, c.ApplicationID, c.NSFW = "1", "2", discordtest.AppID, &f
		if c.Contexts == nil {
			all := []discordgo.InteractionContextType{0, 1, 2}
			c.Contexts = &all
		}
		have[i] = c
	}
	have[0], have[1] = have[1], have[0]
	if !sameCommands(have, want) {
		t.Fatal("a stored copy with Discord's defaults should compare equal")
	}
	tests := []struct {
		name   string
		change func([]*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand
	}{
		{"description", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			c[0].Description += "!"
			return c
		}},
		{"missing command", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand { return c[1:] }},
		{"permissions", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			for _, x := range c {
				x.DefaultMemberPermissions = nil
			}
			return c
		}},
		{"option required", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			for _, x := range c {
				if len(x.Options) > 0 {
					x.Options[0].Required = true
				}
			}
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cp []*discordgo.ApplicationCommand
			if err := json.Unmarshal(b, &cp); err != nil {
				t.Fatal(err)
			}
			if sameCommands(tt.change(cp), want) {
				t.Error("a changed definition compared equal")
			}
		})
	}
}

func TestZoneChoices(t *testing.T) {
	tests := []struct {
		typed, first string
	}{
		{"kyi", "Europe/Kyiv"},
		{"new york", "America/New_York"},
		{"europe/lon", "Europe/London"},
		{"UTC", "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			c := zoneChoices(tt.typed)
			if len(c) == 0 || len(c) > 25 || c[0].Value != tt.first {
				t.Errorf("zoneChoices(%q) = %d choices, first %v", tt.typed, len(c), c)
			}
		})
	}
	if n := len(zoneChoices("")); n != 25 {
		t.Errorf("empty query: %d choices, want 25", n)
	}
	for _, z := range timezones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("offered zone %s does not load: %v", z, err)
		}
	}
}
