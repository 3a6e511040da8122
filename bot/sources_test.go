package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsbrief/bot"
	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
	"newsbrief/store/redisstore"
)

const (
	operatorID = "111"
	strangerID = "222"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// feedStore is what a poller needs of a store.
type feedStore interface {
	ingest.FeedStore
	ingest.ArticleStore
}

// newPoller is one replica's real feed poller over st.
func newPoller(t *testing.T, st feedStore, holder string) *ingest.Poller {
	t.Helper()
	f := fetch.New(fetch.Options{AllowNets: loopback, Timeout: 5 * time.Second})
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, Pages: ingest.NewPages(f), Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ingest.NewPoller(ingest.PollerConfig{Store: st, Fetcher: f, Ingester: ing,
		Interval: time.Minute, Jitter: -1, MaxItemAge: -1, Holder: holder, Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newSourcesService is a Service with a real store and poller and one
// operator, telegram:111.
func newSourcesService(t *testing.T) (*bot.Service, store.Store) {
	t.Helper()
	s, st, _ := newService(t)
	s.Feeds = newPoller(t, st, "a")
	s.Admins = []string{"telegram:" + operatorID, "discord:987654321098765432"}
	s.ConfiguredFeeds = []string{"https://configured.example/rss"}
	return s, st
}

func storedURLs(t *testing.T, st interface {
	Feeds(context.Context) ([]store.FeedCursor, error)
}) []string {
	t.Helper()
	fs, err := st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.URL)
	}
	return out
}

func TestCanonicalFeedURL(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "https://example.org/rss.xml", want: "https://example.org/rss.xml"},
		{in: "  HTTPS://News.Example.ORG:443/Feed?x=1#top ", want: "https://news.example.org/Feed?x=1"},
		{in: "http://example.org:80/a", want: "http://example.org/a"},
		{in: "http://example.org:8080/a", want: "http://example.org:8080/a"},
		{in: "https://example.org", want: "https://example.org"},
		{in: "<https://example.org/rss>", want: "https://example.org/rss"},
		{in: "http://[::1]:8080/feed", want: "http://[::1]:8080/feed"},
		{in: "", bad: true},
		{in: "example.org/rss", bad: true},
		{in: "ftp://example.org/rss", bad: true},
		{in: "javascript:alert(1)", bad: true},
		{in: "https:///rss", bad: true},
		{in: "https://user:secret@example.org/rss", bad: true},
		{in: "https://example.org/" + strings.Repeat("a", bot.MaxFeedURL), bad: true},
		{in: "https://exa mple.org/", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := bot.CanonicalFeedURL(tt.in)
			if tt.bad {
				if !errors.Is(err, bot.ErrBadSource) {
					t.Fatalf("CanonicalFeedURL(%q) = %q, %v; want ErrBadSource", tt.in, got, err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CanonicalFeedURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestAddRemoveSource(t *testing.T) {
	ctx := context.Background()
	s, st := newSourcesService(t)
	op := bot.Actor{Platform: store.Telegram, UserID: operatorID}

	res, err := s.AddSource(ctx, op, "HTTPS://News.Example/rss.xml#x")
	if err != nil || !res.Changed || res.URL != "https://news.example/rss.xml" {
		t.Fatalf("AddSource = %+v, %v", res, err)
	}
	// Another spelling of the same feed changes nothing.
	res, err = s.AddSource(ctx, op, "https://news.example:443/rss.xml")
	if err != nil || res.Changed || res.URL != "https://news.example/rss.xml" {
		t.Fatalf("AddSource again = %+v, %v; want unchanged", res, err)
	}
	if got := storedURLs(t, st); len(got) != 1 || got[0] != "https://news.example/rss.xml" {
		t.Fatalf("stored feeds = %v", got)
	}
	// A feed stored under a non-canonical spelling (FEEDS) is found too.
	if err := st.PutFeed(ctx, store.FeedCursor{URL: "https://Configured.example/rss"}); err != nil {
		t.Fatal(err)
	}
	res, err = s.RemoveSource(ctx, op, "https://configured.example/rss")
	if err != nil || res.URL != "https://Configured.example/rss" || !res.Configured {
		t.Fatalf("RemoveSource(configured) = %+v, %v", res, err)
	}
	if !strings.Contains(bot.SourceRemovedText(res), "FEEDS") {
		t.Errorf("removal of a FEEDS feed does not say it comes back: %q", bot.SourceRemovedText(res))
	}
	if _, err := s.RemoveSource(ctx, op, "https://configured.example/rss"); !errors.Is(err, bot.ErrNoSuchSource) {
		t.Fatalf("second RemoveSource err = %v, want ErrNoSuchSource", err)
	}
	res, err = s.RemoveSource(ctx, op, "https://news.example/rss.xml")
	if err != nil || res.Configured {
		t.Fatalf("RemoveSource = %+v, %v", res, err)
	}
	if got := storedURLs(t, st); len(got) != 0 {
		t.Fatalf("stored feeds after removal = %v", got)
	}
	if _, err := s.AddSource(ctx, op, "ftp://news.example/rss"); !errors.Is(err, bot.ErrBadSource) {
		t.Fatalf("AddSource(ftp) err = %v, want ErrBadSource", err)
	}
}

func TestSourcesRefusesNonOperators(t *testing.T) {
	ctx := context.Background()
	s, st := newSourcesService(t)
	if err := st.PutFeed(ctx, store.FeedCursor{URL: "https://kept.example/rss"}); err != nil {
		t.Fatal(err)
	}
	actors := map[string]bot.Actor{
		"Stranger": {Platform: store.Telegram, UserID: strangerID},
		// Administering a chat is not running the bot.
		"ChatAdmin": {Platform: store.Telegram, UserID: strangerID, Admin: true},
		// The operator's number on the other platform is someone else.
		"OtherPlatform": {Platform: store.Discord, UserID: operatorID},
		"Anonymous":     {Platform: store.Telegram},
	}
	for name, a := range actors {
		t.Run(name, func(t *testing.T) {
			if _, err := s.AddSource(ctx, a, "https://new.example/rss"); !errors.Is(err, bot.ErrNotBotAdmin) {
				t.Errorf("AddSource err = %v, want ErrNotBotAdmin", err)
			}
			if _, err := s.RemoveSource(ctx, a, "https://kept.example/rss"); !errors.Is(err, bot.ErrNotBotAdmin) {
				t.Errorf("RemoveSource err = %v, want ErrNotBotAdmin", err)
			}
			// Refused before the URL is even looked at.
			if _, err := s.AddSource(ctx, a, "not a url"); !errors.Is(err, bot.ErrNotBotAdmin) {
				t.Errorf("AddSource(bad URL) err = %v, want ErrNotBotAdmin", err)
			}
		})
	}
	if got := storedURLs(t, st); len(got) != 1 || got[0] != "https://kept.example/rss" {
		t.Fatalf("stored feeds = %v, want only the kept one", got)
	}
	msg := bot.UserMessage(fmt.Errorf("x: %w", bot.ErrNotBotAdmin))
	if !strings.Contains(msg, "Sorry") || bot.IsInternal(bot.ErrNotBotAdmin) {
		t.Errorf("refusal %q is not a polite user error", msg)
	}
	// Nobody may change feeds when no operator is configured.
	s.Admins = nil
	if _, err := s.AddSource(ctx, bot.Actor{Platform: store.Telegram, UserID: operatorID}, "https://new.example/rss"); !errors.Is(err, bot.ErrNotBotAdmin) {
		t.Errorf("AddSource without Admins err = %v, want ErrNotBotAdmin", err)
	}
}

func TestExecuteSources(t *testing.T) {
	ctx := context.Background()
	s, _ := newSourcesService(t)
	chat := bot.Chat{Ref: bot.ChatRef(store.Telegram, "5"), Type: bot.ChatGroup}
	run := func(args, user string) (string, error) {
		// Actor.Platform is left empty: Execute takes it from the chat.
		r, err := s.Execute(ctx, bot.Request{Command: bot.CmdSources, Args: args, Chat: chat, Actor: bot.Actor{UserID: user}})
		if err != nil {
			return "", err
		}
		return r.Messages[0].Text, nil
	}
	tests := []struct {
		name, args, user string
		want             string
		wantErr          error
	}{
		{"EmptyList", "", strangerID, "not reading any feeds", nil},
		{"Add", "add https://news.example/rss", operatorID, "Added https://news.example/rss", nil},
		{"AddAgain", "ADD   https://NEWS.example/rss", operatorID, "already read https://news.example/rss", nil},
		{"List", "", strangerID, "https://news.example/rss", nil},
		{"ListWord", "list", strangerID, "I read 1 feeds", nil},
		{"StrangerAdds", "add https://other.example/rss", strangerID, "", bot.ErrNotBotAdmin},
		{"StrangerRemoves", "remove https://news.example/rss", strangerID, "", bot.ErrNotBotAdmin},
		{"AddNoURL", "add", operatorID, "", bot.ErrBadSource},
		{"BadSubcommand", "rename x", operatorID, "", bot.ErrBadSource},
		{"RemoveUnknown", "remove https://unknown.example/rss", operatorID, "", bot.ErrNoSuchSource},
		{"Remove", "remove https://news.example/rss", operatorID, "Removed https://news.example/rss", nil},
		{"EmptyAgain", "", operatorID, "not reading any feeds", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := run(tt.args, tt.user)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if bot.UserMessage(err) == bot.UserMessage(bot.ErrUnavailable) {
					t.Errorf("UserMessage(%v) is the generic outage sentence", err)
				}
				return
			}
			if err != nil || !strings.Contains(got, tt.want) {
				t.Fatalf("reply = %q, %v; want it to contain %q", got, err, tt.want)
			}
		})
	}
}

func TestSourcesWithoutFeedManager(t *testing.T) {
	s, _, _ := newService(t)
	s.Admins = []string{"telegram:" + operatorID}
	_, err := s.AddSource(context.Background(), bot.Actor{Platform: store.Telegram, UserID: operatorID}, "https://news.example/rss")
	if !errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

// TestSourceAddedSeenByOtherReplica adds a feed through one replica's
// Service and checks that another replica's poller, on its own connection
// to the same Redis, polls it on its next round.
func TestSourceAddedSeenByOtherReplica(t *testing.T) {
	ctx := context.Background()
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	prefix := fmt.Sprintf("nbbottest:%d:%d:", os.Getpid(), time.Now().UnixNano())
	open := func() *redisstore.Store {
		st, err := redisstore.Open(ctx, url, prefix, redisstore.Options{})
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skipf("redis not reachable: %v", err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	stA, stB := open(), open()
	t.Cleanup(func() { cleanPrefix(t, url, prefix) })

	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Replica News</title>
<item><title>Zelensky meets Macron in Paris</title><link>https://news.example/a1</link><guid>a1</guid>
<description>Ukrainian President Volodymyr Zelensky met French President Emmanuel Macron in Paris on Tuesday. "We discussed air defence," Zelensky said after the meeting, adding that the talks were productive and that further meetings were planned for the coming weeks with other European leaders and partners.</description></item>
</channel></rss>`)
	}))
	t.Cleanup(feed.Close)

	// Replica A handles the command; replica B only polls.
	s := bot.New(stA, nil, nil)
	s.Feeds = newPoller(t, stA, "replica-a")
	s.Admins = []string{"discord:987654321098765432"}
	pollerB := newPoller(t, stB, "replica-b")

	// B's poller is already running its rounds before the feed exists.
	if err := pollerB.PollOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSource(ctx, bot.Actor{Platform: store.Discord, UserID: "987654321098765432"}, feed.URL+"/rss"); err != nil {
		t.Fatal(err)
	}
	if err := pollerB.PollOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	fs, err := stB.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].LastSuccess.IsZero() || fs[0].Title != "Replica News" {
		t.Fatalf("replica B's feeds after its round = %+v; want the added feed polled", fs)
	}
	arts, err := stB.RecentArticles(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].Title != "Zelensky meets Macron in Paris" {
		t.Fatalf("articles ingested by replica B = %d, want the feed's one", len(arts))
	}
}

// cleanPrefix deletes the test's keys.
func cleanPrefix(t *testing.T, url, prefix string) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Log(err)
		return
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		c.Unlink(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Logf("cleanup %s: %v", prefix, err)
	}
}
