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
	"newsbrief/store"
)

// TestGateway runs every interaction scenario over one gateway session
// (each session costs discordgo a 1 s sleep when it closes).
func TestGateway(t *testing.T) {
	h := newHarness(t, harnessOpts{guild: discordtest.GuildID})
	fake := h.fake
	seed := seedText(t)
	ctx := context.Background()

	t.Run("commands registered in the guild", func(t *testing.T) {
		got := fake.Commands(discordtest.GuildID)
		if !sameCommands(got, commands()) {
			t.Errorf("registered commands differ from the definitions: %d registered", len(got))
		}
		if len(fake.Commands("")) != 0 {
			t.Error("global commands registered although DISCORD_GUILD_ID is set")
		}
		var sub *discordgo.ApplicationCommand
		for _, c := range got {
			if c.Name == cmdSubscribe {
				sub = c
			}
		}
		if sub == nil || sub.DefaultMemberPermissions == nil || *sub.DefaultMemberPermissions != discordgo.PermissionManageChannels {
			t.Errorf("/subscribe default_member_permissions = %v, want Manage Channels", sub)
		}
		var ident struct {
			Intents int `json:"intents"`
		}
		if ids := fake.Identifies(); len(ids) != 1 || json.Unmarshal(ids[0], &ident) != nil || ident.Intents != int(discordgo.IntentsGuilds) {
			t.Errorf("IDENTIFY: %d sent, intents %d", len(ids), ident.Intents)
		}
	})

	t.Run("brief text: deferred within 3s, then the briefing", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief,
			Options: []map[string]any{discordtest.StringOption(optText, seed)}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deferred ack and edit", deferredAndEdited)
		if d := in.Acked.Sub(in.Sent); d > 3*time.Second {
			t.Errorf("acknowledged after %s, Discord allows 3s", d)
		}
		if f := jsonFlags(in.CallbackData); f&64 != 0 {
			t.Error("successful /brief deferred as ephemeral")
		}
		text := embedsText(in.Original)
		for _, want := range []string{"Witkoff", "Putin"} {
			if !strings.Contains(text, want) {
				t.Errorf("briefing embed lacks %q:\n%s", want, text)
			}
		}
		if engineReady(t) && !strings.Contains(text, "**Met**") {
			t.Errorf("engine landed but the embed has no Met section:\n%s", text)
		}
		if !allowedMentionsEmpty(t, in.Original.Raw) {
			t.Errorf("edit without empty allowed_mentions: %s", in.Original.Raw)
		}
	})

	t.Run("slow link: acknowledged at once, edited when the page came", func(t *testing.T) {
		const delay = 1500 * time.Millisecond
		u := fake.AddSlowFile("slow.txt", []byte(seed), delay)
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief,
			Options: []map[string]any{discordtest.StringOption(optText, u)}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deferred ack and edit", deferredAndEdited)
		if d := in.Acked.Sub(in.Sent); d >= delay {
			t.Errorf("acknowledged after %s: the ack waited for the fetch", d)
		}
		edits := fake.Requests(http.MethodPatch, "/webhooks/"+discordtest.AppID+"/"+token+"/messages/@original")
		if len(edits) != 1 || edits[0].At.Sub(in.Sent) < delay {
			t.Errorf("edit %v should come after the page (%s)", edits, delay)
		}
		if text := embedsText(in.Original); !strings.Contains(text, "Putin") {
			t.Errorf("briefing of the link lacks Putin:\n%s", text)
		}
	})

	t.Run("Brief this message", func(t *testing.T) {
		msgID := "900000000000000001"
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBriefMessage, CommandType: 3, TargetID: msgID,
			Resolved: map[string]any{"messages": map[string]any{msgID: map[string]any{
				"id": msgID, "channel_id": discordtest.TextChannelID, "content": seed,
				"timestamp": "2026-11-25T09:00:00Z",
				"author":    map[string]any{"id": discordtest.UserID, "username": "alice"},
			}}}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deferred ack and edit", deferredAndEdited)
		if text := embedsText(in.Original); !strings.Contains(text, "Witkoff") {
			t.Errorf("briefing of the message lacks Witkoff:\n%s", text)
		}
	})

	t.Run("brief file attachment fetched through the core's fetcher", func(t *testing.T) {
		u := fake.AddFile("article.txt", []byte(seed))
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief,
			Options: []map[string]any{discordtest.AttachmentOption(optFile, "777")},
			Resolved: map[string]any{"attachments": map[string]any{"777": map[string]any{
				"id": "777", "filename": "article.txt", "url": u, "proxy_url": u, "size": len(seed), "content_type": "text/plain; charset=utf-8",
			}}}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deferred ack and edit", deferredAndEdited)
		if text := embedsText(in.Original); !strings.Contains(text, "Putin") {
			t.Errorf("briefing of the file lacks Putin:\n%s", text)
		}
		if e := in.Original.Embeds[len(in.Original.Embeds)-1]; e.Footer == nil || !strings.Contains(e.Footer.Text, "article.txt") {
			t.Errorf("footer should name the file: %+v", e.Footer)
		}
		if len(fake.Requests("", "/files/")) != 0 {
			t.Error("file fetched through the REST session")
		}
	})

	t.Run("refusals are ephemeral and say what to do", func(t *testing.T) {
		tests := []struct {
			name string
			inv  discordtest.Invoke
			want error
		}{
			{"empty brief", discordtest.Invoke{Name: cmdBrief}, bot.ErrEmptyInput},
			{"image attachment", discordtest.Invoke{Name: cmdBrief,
				Options: []map[string]any{discordtest.AttachmentOption(optFile, "5")},
				Resolved: map[string]any{"attachments": map[string]any{"5": map[string]any{
					"id": "5", "filename": "cat.png", "url": "http://127.0.0.1:1/cat.png", "size": 10, "content_type": "image/png"}}}},
				bot.ErrNotText},
			{"subscribe without Manage Channels", discordtest.Invoke{Name: cmdSubscribe,
				Permissions: discordtest.PermSendMessages,
				Options:     []map[string]any{discordtest.ChannelOption(optChannel, discordtest.OtherChannelID)}},
				bot.ErrNotAdmin},
			{"subscribe with a bad time zone", discordtest.Invoke{Name: cmdSubscribe,
				Permissions: discordtest.PermManageChannels,
				Options:     []map[string]any{discordtest.StringOption(optTimezone, "Mars/Olympus")}},
				bot.ErrBadZone},
			{"subscribe with a bad time", discordtest.Invoke{Name: cmdSubscribe,
				Permissions: discordtest.PermManageChannels,
				Options:     []map[string]any{discordtest.StringOption(optTime, "25:00")}},
				bot.ErrBadTime},
			{"unsubscribe a channel without subscription", discordtest.Invoke{Name: cmdUnsubscribe,
				Permissions: discordtest.PermAdministrator}, bot.ErrNotSubscribed},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token, err := fake.Interact(tt.inv)
				if err != nil {
					t.Fatal(err)
				}
				in := h.waitInteraction(t, token, "a response", func(in discordtest.Interaction) bool { return in.CallbackType != 0 })
				if in.CallbackType != 4 || jsonFlags(in.CallbackData)&64 == 0 {
					t.Fatalf("want an ephemeral message (type 4, flag 64), got type %d data %s", in.CallbackType, in.CallbackData)
				}
				if in.Original.Content != userMessage(tt.want) {
					t.Errorf("content %q, want %q", in.Original.Content, userMessage(tt.want))
				}
			})
		}
		if _, err := h.st.GetSubscription(ctx, store.ChatRef{Platform: store.Discord, ChatID: discordtest.OtherChannelID}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a refused /subscribe stored something: %v", err)
		}
	})

	t.Run("failed link: deferred reply replaced by an ephemeral error", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief,
			Options: []map[string]any{discordtest.StringOption(optText, fake.URL+"/files/missing.html")}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deleted original and follow-up", func(in discordtest.Interaction) bool {
			return in.Deleted && len(in.Followups) == 1
		})
		if f := in.Followups[0]; f.Flags&64 == 0 || f.Content != userMessage(bot.ErrFetch) {
			t.Errorf("follow-up %+v, want ephemeral %q", f, userMessage(bot.ErrFetch))
		}
	})

	t.Run("subscribe, then an article arrives: one message in that channel", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdSubscribe, Permissions: discordtest.PermManageChannels,
			Options: []map[string]any{
				discordtest.ChannelOption(optChannel, discordtest.OtherChannelID),
				discordtest.StringOption(optTopics, "Putin -football"),
				discordtest.StringOption(optMode, "instant"),
			},
			Resolved: map[string]any{"channels": map[string]any{discordtest.OtherChannelID: map[string]any{
				"id": discordtest.OtherChannelID, "name": "general", "type": 0, "permissions": "16"}}}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "confirmation", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
		if jsonFlags(in.CallbackData)&64 == 0 || !strings.Contains(in.Original.Content, "<#"+discordtest.OtherChannelID+">") {
			t.Errorf("confirmation %q should be ephemeral and name the channel", in.Original.Content)
		}
		ref := store.ChatRef{Platform: store.Discord, ChatID: discordtest.OtherChannelID}
		sub, err := h.st.GetSubscription(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if !sub.Active || sub.Mode != store.ModeInstant || sub.Guild != discordtest.GuildID || !strings.EqualFold(strings.Join(sub.Topics, " "), "Putin -football") || sub.Title != "#general" {
			t.Errorf("stored subscription: active %v mode %q guild %q topics %q title %q", sub.Active, sub.Mode, sub.Guild, sub.Topics, sub.Title)
		}
		br := testEngine(briefing.Article{Title: "Witkoff meets Putin", Body: seed})
		art := store.Article{ID: "a1", Title: "Witkoff meets Putin", Body: seed, Briefing: br}
		if !bot.Matches(sub, art) {
			t.Fatal("the seed article does not match the subscription")
		}
		before := len(fake.Messages(discordtest.OtherChannelID))
		m := bot.Message{Kind: bot.KindBriefing, Briefing: &br}
		for range 2 { // a retry after a lost answer must not post again
			if err := h.b.Send(ctx, sub.ChatRef, sub.ThreadID, "brief:a1", m); err != nil {
				t.Fatal(err)
			}
		}
		msgs := fake.Messages(discordtest.OtherChannelID)
		if len(msgs)-before != 1 {
			t.Fatalf("%d messages posted, want exactly 1", len(msgs)-before)
		}
		if !strings.Contains(embedsText(&msgs[len(msgs)-1]), "Putin") {
			t.Error("posted message lacks the briefing")
		}
	})

	t.Run("subscribe with time and zone sets a digest", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdSubscribe, Permissions: discordtest.PermAdministrator,
			Options: []map[string]any{discordtest.StringOption(optTime, "7:30"), discordtest.StringOption(optTimezone, "Europe/Kyiv")}})
		if err != nil {
			t.Fatal(err)
		}
		h.waitInteraction(t, token, "confirmation", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
		sub, err := h.st.GetSubscription(ctx, store.ChatRef{Platform: store.Discord, ChatID: discordtest.TextChannelID})
		if err != nil {
			t.Fatal(err)
		}
		if sub.Mode != store.ModeDigest || sub.DigestTime != "07:30" || sub.TimeZone != "Europe/Kyiv" || sub.Title != "#news" {
			t.Errorf("subscription %+v", sub)
		}
	})

	t.Run("subscribe a forum channel", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdSubscribe, Permissions: discordtest.PermManageChannels,
			Options: []map[string]any{discordtest.ChannelOption(optChannel, discordtest.ForumChannelID), discordtest.StringOption(optMode, "digest")},
			Resolved: map[string]any{"channels": map[string]any{discordtest.ForumChannelID: map[string]any{
				"id": discordtest.ForumChannelID, "name": "digests", "type": 15, "permissions": "16"}}}})
		if err != nil {
			t.Fatal(err)
		}
		h.waitInteraction(t, token, "confirmation", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
		sub, err := h.st.GetSubscription(ctx, store.ChatRef{Platform: store.Discord, ChatID: discordtest.ForumChannelID})
		if err != nil {
			t.Fatal(err)
		}
		if !sub.Forum || sub.Mode != store.ModeDigest {
			t.Errorf("forum subscription: forum %v mode %q", sub.Forum, sub.Mode)
		}
	})

	t.Run("timezone autocompletion", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Type: 4, Name: cmdSubscribe,
			Options: []map[string]any{discordtest.Focused(discordtest.StringOption(optTimezone, "kyi"))}})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "choices", func(in discordtest.Interaction) bool { return in.CallbackType != 0 })
		var data struct {
			Choices []struct{ Name, Value string }
		}
		if in.CallbackType != 8 || json.Unmarshal(in.CallbackData, &data) != nil || len(data.Choices) == 0 || data.Choices[0].Value != "Europe/Kyiv" {
			t.Errorf("autocomplete: type %d data %s", in.CallbackType, in.CallbackData)
		}
	})

	t.Run("subscriptions lists this server's channels", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdSubscriptions})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "list", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
		for _, want := range []string{"<#" + discordtest.OtherChannelID + ">", "<#" + discordtest.TextChannelID + ">", "Europe/Kyiv"} {
			if !strings.Contains(in.Original.Content, want) {
				t.Errorf("listing lacks %q: %q", want, in.Original.Content)
			}
		}
	})

	t.Run("digest posts the last 24 hours here", func(t *testing.T) {
		br := testEngine(briefing.Article{Title: "Witkoff meets Putin", Body: seed})
		if _, _, err := h.st.PutArticle(ctx, store.Article{Title: "Witkoff meets Putin", URL: "https://news.example/a", Source: "Example",
			Body: seed, ContentHash: "h1", Ingested: time.Now(), Briefing: br}); err != nil {
			t.Fatal(err)
		}
		token, err := fake.Interact(discordtest.Invoke{Name: cmdDigest, ChannelID: discordtest.OtherChannelID})
		if err != nil {
			t.Fatal(err)
		}
		in := h.waitInteraction(t, token, "deferred ack and edit", deferredAndEdited)
		if text := embedsText(in.Original); !strings.Contains(text, "Digest ") || !strings.Contains(text, "Witkoff meets Putin") {
			t.Errorf("digest embed:\n%s", text)
		}
	})

	t.Run("unsubscribe", func(t *testing.T) {
		token, err := fake.Interact(discordtest.Invoke{Name: cmdUnsubscribe, Permissions: discordtest.PermManageChannels,
			Options: []map[string]any{discordtest.ChannelOption(optChannel, discordtest.OtherChannelID)}})
		if err != nil {
			t.Fatal(err)
		}
		h.waitInteraction(t, token, "confirmation", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
		if _, err := h.st.GetSubscription(ctx, store.ChatRef{Platform: store.Discord, ChatID: discordtest.OtherChannelID}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("subscription still there: %v", err)
		}
	})

	t.Run("op 7 reconnect resumes and keeps serving", func(t *testing.T) {
		fake.Reconnect()
		if !fake.WaitFor(10*time.Second, func() bool { return fake.Resumes() == 1 && fake.Connected() == 1 }) {
			t.Fatalf("no RESUME after op 7: resumes %d, connected %d", fake.Resumes(), fake.Connected())
		}
		if !fake.WaitFor(5*time.Second, func() bool { return h.b.Ready() == nil }) {
			t.Errorf("not ready after resume: %v", h.b.Ready())
		}
		token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief})
		if err != nil {
			t.Fatal(err)
		}
		h.waitInteraction(t, token, "a response", func(in discordtest.Interaction) bool { return in.CallbackType == 4 })
	})

	t.Run("restart makes no command write", func(t *testing.T) {
		writes := fake.CommandWrites()
		h.stopNow()
		h2 := startBot(t, fake, h.st, harnessOpts{guild: discordtest.GuildID})
		if n := fake.CommandWrites(); n != writes {
			t.Errorf("restart wrote commands %d times", n-writes)
		}
		h2.stopNow()
	})
}

func jsonFlags(data json.RawMessage) int {
	var d struct {
		Flags int `json:"flags"`
	}
	_ = json.Unmarshal(data, &d) // absent data means no flags
	return d.Flags
}

// TestShards runs two shards of one application: each identifies with its
// shard, only shard 0 registers commands, and a guild's interactions reach
// the shard that owns it.
func TestShards(t *testing.T) {
	fake := discordtest.NewServer()
	t.Cleanup(fake.Close)
	var bots [2]*harness
	for id := range 2 {
		bots[id] = startBotShard(t, fake, id, 2)
	}
	got := fake.Shards()
	if len(got) != 2 || got[0][1] != 2 || got[1][1] != 2 || got[0][0] == got[1][0] {
		t.Fatalf("shards identified: %v", got)
	}
	if n := fake.CommandWrites(); n != 1 {
		t.Errorf("%d command writes, want 1 (shard 0 only)", n)
	}
	token, err := fake.Interact(discordtest.Invoke{Name: cmdBrief})
	if err != nil {
		t.Fatal(err)
	}
	in := bots[0].waitInteraction(t, token, "a response", func(in discordtest.Interaction) bool { return in.CallbackType != 0 })
	if in.CallbackType != 4 {
		t.Errorf("callback type %d", in.CallbackType)
	}
}

// TestUserMessageSyntax checks that no sentence shown on Discord tells the
// user to type a command Discord does not have.
func TestUserMessageSyntax(t *testing.T) {
	errs := []error{bot.ErrEmptyInput, bot.ErrTooLarge, bot.ErrNotText, bot.ErrNotEnglish, bot.ErrNotNews,
		bot.ErrFetch, bot.ErrBadTime, bot.ErrBadZone, bot.ErrBadTopics, bot.ErrBadMode, bot.ErrNotAdmin,
		bot.ErrNotSubscribed, bot.ErrUnknownCommand, bot.ErrUnavailable, store.ErrInvalid}
	for _, err := range errs {
		t.Run(err.Error(), func(t *testing.T) {
			msg := userMessage(err)
			for _, bad := range []string{"/time", "/mode", "/help", "reply /brief", "/start"} {
				if strings.Contains(msg, bad) {
					t.Errorf("%q tells Discord users to use %s", msg, bad)
				}
			}
		})
	}
	sub := store.Subscription{Mode: store.ModeInstant, DigestTime: "08:00", TimeZone: "UTC"}
	if d := syntax.Replace(bot.DescribeSubscription(sub)); strings.Contains(d, "/mode") {
		t.Errorf("subscription description %q mentions /mode", d)
	}
}
