package discord

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/bot"
	"newsbrief/bot/discord/discordtest"
	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
)

// withFeedManager gives the Service a real poller over its store and the
// operators ops.
func withFeedManager(t *testing.T, ops ...string) func(*bot.Service) {
	return func(s *bot.Service) {
		st, ok := s.Store.(interface {
			ingest.FeedStore
			ingest.ArticleStore
		})
		if !ok {
			t.Fatal("store cannot hold feeds")
		}
		f := fetch.New(fetch.Options{Timeout: time.Second})
		ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, Registerer: prometheus.NewRegistry()})
		if err != nil {
			t.Fatal(err)
		}
		p, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing, Registerer: prometheus.NewRegistry()})
		if err != nil {
			t.Fatal(err)
		}
		s.Feeds = p
		s.Admins = ops
	}
}

// sourcesCall runs /sources with opts and returns the ephemeral reply.
func (h *harness) sourcesCall(t *testing.T, perms int64, opts ...map[string]any) string {
	t.Helper()
	token, err := h.fake.Interact(discordtest.Invoke{Name: cmdSources, Permissions: perms, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	in := h.waitInteraction(t, token, "a response", func(in discordtest.Interaction) bool { return in.CallbackType != 0 })
	if in.CallbackType != 4 || jsonFlags(in.CallbackData)&64 == 0 {
		t.Fatalf("want an ephemeral message (type 4, flag 64), got type %d data %s", in.CallbackType, in.CallbackData)
	}
	if !allowedMentionsEmpty(t, in.Original.Raw) {
		t.Errorf("reply without empty allowed_mentions: %s", in.Original.Raw)
	}
	return in.Original.Content
}

func (h *harness) feedURLs(t *testing.T) []string {
	t.Helper()
	fs, err := h.st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.URL)
	}
	return out
}

func TestSourcesOperator(t *testing.T) {
	h := newHarness(t, harnessOpts{guild: discordtest.GuildID,
		setup: withFeedManager(t, "telegram:1", "discord:"+discordtest.UserID)})

	got := h.sourcesCall(t, discordtest.PermSendMessages)
	if got != "I am not reading any feeds yet." {
		t.Errorf("empty list = %q", got)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages, discordtest.StringOption(optAdd, " HTTPS://News.Example/rss.xml "))
	if got != "Added <https://news.example/rss.xml>. I will read it from the next polling round; /sources shows its health." {
		t.Errorf("add reply = %q", got)
	}
	if urls := h.feedURLs(t); len(urls) != 1 || urls[0] != "https://news.example/rss.xml" {
		t.Fatalf("stored feeds = %v", urls)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages)
	if !strings.Contains(got, "<https://news.example/rss.xml>") || !strings.Contains(got, "no successful poll yet") {
		t.Errorf("list = %q", got)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages,
		discordtest.StringOption(optAdd, "https://a.example/rss"), discordtest.StringOption(optRemove, "https://news.example/rss.xml"))
	if got != userMessage(bot.ErrBadSource) || !strings.Contains(got, "/sources add:URL") {
		t.Errorf("add and remove at once = %q", got)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages, discordtest.StringOption(optAdd, "ftp://news.example/rss"))
	if got != userMessage(bot.ErrBadSource) {
		t.Errorf("ftp feed = %q", got)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages, discordtest.StringOption(optRemove, "https://news.example/rss.xml"))
	if !strings.HasPrefix(got, "Removed <https://news.example/rss.xml>") {
		t.Errorf("remove reply = %q", got)
	}
	got = h.sourcesCall(t, discordtest.PermSendMessages, discordtest.StringOption(optRemove, "https://news.example/rss.xml"))
	if got != userMessage(bot.ErrNoSuchSource) {
		t.Errorf("second remove = %q", got)
	}
	if urls := h.feedURLs(t); len(urls) != 0 {
		t.Fatalf("stored feeds after removal = %v", urls)
	}
}

// TestSourcesRefused: a server administrator who is not one of the bot's
// operators may list the feeds but not change them; the refusal is
// ephemeral and polite.
func TestSourcesRefused(t *testing.T) {
	// The invoking user's id is an operator's only on Telegram.
	h := newHarness(t, harnessOpts{guild: discordtest.GuildID,
		setup: withFeedManager(t, "telegram:"+discordtest.UserID, "discord:1")})
	if err := h.st.PutFeed(context.Background(), store.FeedCursor{URL: "https://kept.example/rss", Title: "Kept News",
		LastSuccess: time.Now().Add(-3 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	refusal := userMessage(bot.ErrNotBotAdmin)
	if !strings.HasPrefix(refusal, "Sorry") {
		t.Errorf("refusal %q is not polite", refusal)
	}
	for _, o := range []map[string]any{
		discordtest.StringOption(optAdd, "https://new.example/rss"),
		discordtest.StringOption(optRemove, "https://kept.example/rss"),
	} {
		if got := h.sourcesCall(t, discordtest.PermAdministrator, o); got != refusal {
			t.Errorf("%v: reply %q, want %q", o, got, refusal)
		}
	}
	if urls := h.feedURLs(t); len(urls) != 1 || urls[0] != "https://kept.example/rss" {
		t.Fatalf("stored feeds = %v", urls)
	}
	got := h.sourcesCall(t, discordtest.PermNone)
	if !strings.Contains(got, "Kept News (<https://kept.example/rss>) — last success 3 min ago") {
		t.Errorf("list = %q", got)
	}
}

// TestSourcesRegistration: /sources is registered open to everyone, and a
// restart with the same definitions writes nothing.
func TestSourcesRegistration(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	var src bool
	for _, c := range h.fake.Commands("") {
		if c.Name == cmdSources {
			src = true
			if c.DefaultMemberPermissions != nil || len(c.Options) != 2 || c.Options[0].Required || c.Options[1].Required {
				t.Errorf("/sources = %+v: want optional add/remove, no default permissions", c)
			}
		}
	}
	if !src {
		t.Fatal("/sources not registered")
	}
	h.stopNow()
	h2 := startBot(t, h.fake, h.st, harnessOpts{httpMode: true})
	defer h2.stopNow()
	if n := len(h.fake.Requests(http.MethodPut, "/applications/")); n != 1 {
		t.Errorf("%d bulk overwrites after a restart, want 1", n)
	}
}

func TestNoPreviews(t *testing.T) {
	tests := map[string]string{
		"Added https://a.example/rss. I will":  "Added <https://a.example/rss>. I will",
		"• News (http://a.example/x?y=1) — ok": "• News (<http://a.example/x?y=1>) — ok",
		"no links": "no links",
	}
	for in, want := range tests {
		if got := noPreviews(in); got != want {
			t.Errorf("noPreviews(%q) = %q, want %q", in, got, want)
		}
	}
}
