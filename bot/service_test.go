package bot_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbrief/bot"
	"newsbrief/briefing"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// openStore opens a real bbolt store in a temporary directory.
func openStore(t *testing.T, now func() time.Time) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "bot.db"), boltstore.Options{NoSync: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

type fetcherFunc func(ctx context.Context, url string) (briefing.Article, error)

func (f fetcherFunc) FetchArticle(ctx context.Context, url string) (briefing.Article, error) {
	return f(ctx, url)
}

func seed(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newService(t *testing.T) (*bot.Service, *boltstore.Store, *time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := openStore(t, clock)
	s := bot.New(st, fetcherFunc(func(ctx context.Context, url string) (briefing.Article, error) {
		switch url {
		case "https://news.example/seed":
			return briefing.Article{Title: "Witkoff meets Putin", Body: seed(t), URL: url}, nil
		case "https://news.example/huge":
			return briefing.Article{Body: strings.Repeat("word ", bot.MaxInputBytes)}, nil
		default:
			return briefing.Article{}, fmt.Errorf("GET %s: 404 Not Found", url)
		}
	}), nil)
	s.Now = func() time.Time { return now }
	return s, st, &now
}

func TestBrief(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		input   string
		wantErr error
		title   string
	}{
		{"Text", "Witkoff meets Putin\n" + seed(t), nil, "Witkoff meets Putin"},
		{"TextNoHeadline", seed(t), nil, ""},
		{"Link", "https://news.example/seed", nil, "Witkoff meets Putin"},
		{"LinkWithWords", "look at this https://news.example/seed!", nil, "Witkoff meets Putin"},
		{"Empty", "   \n ", bot.ErrEmptyInput, ""},
		{"FiveMegabytes", strings.Repeat("The minister said a word. ", 5<<20/26), bot.ErrTooLarge, ""},
		{"HugePage", "https://news.example/huge", bot.ErrTooLarge, ""},
		{"Unfetchable", "https://news.example/missing", bot.ErrFetch, ""},
		{"Binary", "\x00\x01\x02PNG\x89", bot.ErrNotText, ""},
		{"Symbols", "#### $$$ %%% !!! 1234 5678 ++++ ====", bot.ErrNotText, ""},
		{"German", strings.Repeat("Der Bundeskanzler sagte am Freitag in Berlin, dass die Regierung die Hilfe für die Ukraine fortsetzen werde. ", 4), bot.ErrNotEnglish, ""},
		{"Ukrainian", strings.Repeat("Президент України зустрівся з прем'єр-міністром Польщі у Києві в п'ятницю, повідомив його офіс. ", 4), bot.ErrNotEnglish, ""},
		{"NotNews", strings.Repeat("Preheat the oven and mix the flour with the butter until it is smooth. ", 5), bot.ErrNotNews, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := s.Brief(ctx, tc.input)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Brief error = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if b.Title != tc.title {
				t.Errorf("title = %q, want %q", b.Title, tc.title)
			}
			if b.Lead == "" {
				t.Error("empty lead")
			}
		})
	}
}

func TestUserMessage(t *testing.T) {
	redisDown := fmt.Errorf("subscribe telegram:1: %w: %w", bot.ErrUnavailable, errors.New("dial tcp 127.0.0.1:6379: connect: connection refused"))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"EmptyBrief", bot.ErrEmptyInput, "/brief"},
		{"TooLarge", fmt.Errorf("x: %w", bot.ErrTooLarge), "too long"},
		{"Unfetchable", fmt.Errorf("fetch: %w: %w", bot.ErrFetch, errors.New("404")), "could not fetch"},
		{"BadTime", fmt.Errorf("time \"25:99\": %w", bot.ErrBadTime), "HH:MM"},
		{"BadZone", bot.ErrBadZone, "IANA"},
		{"NotAdmin", bot.ErrNotAdmin, "administrators"},
		{"BotNotAdmin", bot.ErrBotNotAdmin, "administrator of that channel"},
		{"NotEnglish", bot.ErrNotEnglish, "English"},
		{"NotNews", bot.ErrNotNews, "no news"},
		{"RedisOutage", redisDown, "temporarily unavailable"},
		{"Unexpected", errors.New("boom"), "temporarily unavailable"},
	}
	seen := map[string]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := bot.UserMessage(tc.err)
			if !strings.Contains(got, tc.want) {
				t.Errorf("UserMessage = %q, want it to mention %q", got, tc.want)
			}
			if strings.Contains(got, "\n") || strings.Contains(got, "6379") || strings.Contains(got, "boom") {
				t.Errorf("UserMessage = %q: not one clean sentence", got)
			}
			if prev, ok := seen[got]; ok && tc.name != "Unexpected" {
				t.Errorf("%s and %s map to the same message", prev, tc.name)
			}
			seen[got] = tc.name
		})
	}
	if bot.UserMessage(nil) != "" {
		t.Error("UserMessage(nil) not empty")
	}
}

func TestSubscribePermissions(t *testing.T) {
	ctx := context.Background()
	group := bot.Chat{Ref: bot.ChatRef(store.Telegram, "-100"), Type: bot.ChatGroup, Title: "Newsroom"}
	checks := 0
	admin := func(ok bool, err error) bot.Actor {
		return bot.Actor{UserID: "7", CheckAdmin: func(context.Context) (bool, error) { checks++; return ok, err }}
	}
	tests := []struct {
		name    string
		chat    bot.Chat
		actor   bot.Actor
		wantErr error
	}{
		{"PrivateOwner", bot.Chat{Ref: bot.ChatRef(store.Telegram, "42"), Type: bot.ChatPrivate}, bot.Actor{UserID: "42"}, nil},
		{"GroupMember", group, admin(false, nil), bot.ErrNotAdmin},
		{"GroupNoCheck", group, bot.Actor{UserID: "7"}, bot.ErrNotAdmin},
		{"GroupCheckFails", group, admin(false, errors.New("getChatMember: 502")), bot.ErrUnavailable},
		{"GroupAdmin", group, admin(true, nil), nil},
		{"GroupAdminKnown", group, bot.Actor{UserID: "7", Admin: true}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, st, _ := newService(t)
			_, err := s.Subscribe(ctx, tc.chat, tc.actor, []string{"drones"})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Subscribe error = %v, want %v", err, tc.wantErr)
			}
			_, gerr := st.GetSubscription(ctx, tc.chat.Ref)
			if (tc.wantErr == nil) != (gerr == nil) {
				t.Errorf("stored subscription: %v (subscribe error %v)", gerr, err)
			}
			if tc.wantErr == nil {
				return
			}
			for name, op := range map[string]func() error{
				"Unsubscribe": func() error { return s.Unsubscribe(ctx, tc.chat, tc.actor) },
				"SetMode":     func() error { _, err := s.SetMode(ctx, tc.chat, tc.actor, "digest"); return err },
				"SetTime":     func() error { _, err := s.SetTime(ctx, tc.chat, tc.actor, "07:00", ""); return err },
			} {
				if err := op(); !errors.Is(err, tc.wantErr) {
					t.Errorf("%s error = %v, want %v", name, err, tc.wantErr)
				}
			}
		})
	}
	if checks == 0 {
		t.Error("CheckAdmin never called")
	}
}

func TestSubscribeConfirmation(t *testing.T) {
	ctx := context.Background()
	s, st, now := newService(t)
	for i, title := range []string{"Drones over Kharkiv", "Budget vote", "More drones over Sumy", "Football"} {
		a := store.Article{URL: fmt.Sprintf("https://news.example/%d", i), Title: title, Body: title + " body.", ContentHash: fmt.Sprint(i),
			Ingested: now.Add(time.Duration(i-10) * time.Minute), Briefing: briefing.Briefing{Title: title}}
		if _, _, err := st.PutArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	chat := bot.Chat{Ref: bot.ChatRef(store.Telegram, "42"), Type: bot.ChatPrivate, ThreadID: ""}
	res, err := s.Subscribe(ctx, chat, bot.Actor{UserID: "42"}, []string{"drones", "-football"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Latest == nil || res.Latest.Title != "More drones over Sumy" {
		t.Fatalf("result = created %v latest %+v, want the newest drone article", res.Created, res.Latest)
	}
	if res.Subscription.Mode != store.ModeInstant || res.Subscription.DigestTime != "08:00" || res.Subscription.TimeZone != "UTC" || !res.Subscription.Active {
		t.Errorf("defaults wrong: %+v", res.Subscription)
	}
	if _, err := s.Subscribe(ctx, chat, bot.Actor{UserID: "42"}, []string{"/[unclosed/"}); !errors.Is(err, bot.ErrBadTopics) {
		t.Errorf("bad regex: error %v, want ErrBadTopics", err)
	}
	res, err = s.Subscribe(ctx, chat, bot.Actor{UserID: "42"}, []string{"weather"})
	if err != nil || res.Created || res.Latest != nil {
		t.Errorf("resubscribe: created %v latest %v err %v; want an update with no match", res.Created, res.Latest, err)
	}
}

func TestSetTimeAndMode(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	chat := bot.Chat{Ref: bot.ChatRef(store.Telegram, "42"), Type: bot.ChatPrivate}
	me := bot.Actor{UserID: "42"}
	if _, err := s.SetTime(ctx, chat, me, "07:30", ""); !errors.Is(err, bot.ErrNotSubscribed) {
		t.Errorf("SetTime without subscription: %v", err)
	}
	if _, err := s.Subscribe(ctx, chat, me, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hhmm, zone string
		wantErr          error
		wantTime, wantTZ string
	}{
		{"OutOfRange", "25:99", "", bot.ErrBadTime, "", ""},
		{"Garbage", "soon", "", bot.ErrBadTime, "", ""},
		{"UnknownZone", "07:30", "Mars/Olympus", bot.ErrBadZone, "", ""},
		{"ServerLocal", "07:30", "Local", bot.ErrBadZone, "", ""},
		{"TimeOnly", "7:05", "", nil, "07:05", "UTC"},
		{"WithZone", "06:45", "Europe/Kyiv", nil, "06:45", "Europe/Kyiv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := s.SetTime(ctx, chat, me, tc.hhmm, tc.zone)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("SetTime error = %v, want %v", err, tc.wantErr)
			}
			if err == nil && (sub.DigestTime != tc.wantTime || sub.TimeZone != tc.wantTZ || sub.Mode != store.ModeDigest) {
				t.Errorf("subscription = %s %s %s", sub.DigestTime, sub.TimeZone, sub.Mode)
			}
		})
	}
	if _, err := s.SetMode(ctx, chat, me, "hourly"); !errors.Is(err, bot.ErrBadMode) {
		t.Errorf("SetMode hourly: %v", err)
	}
	sub, err := s.SetMode(ctx, chat, me, "Instant")
	if err != nil || sub.Mode != store.ModeInstant || sub.DigestTime != "06:45" {
		t.Errorf("SetMode instant: %+v %v", sub, err)
	}
}

func TestMoveChat(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newService(t)
	old, moved := bot.ChatRef(store.Telegram, "-42"), bot.ChatRef(store.Telegram, "-10042")
	if _, err := s.Subscribe(ctx, bot.Chat{Ref: old, Type: bot.ChatGroup}, bot.Actor{Admin: true}, []string{"kyiv"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Deactivate(ctx, old, "group migrated"); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, old, moved); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetSubscription(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old chat still subscribed: %v", err)
	}
	sub, err := st.GetSubscription(ctx, moved)
	if err != nil || !sub.Active || len(sub.Topics) != 1 || sub.Topics[0] != "kyiv" {
		t.Errorf("moved subscription = %+v, %v", sub, err)
	}
	if err := s.MoveChat(ctx, bot.ChatRef(store.Telegram, "-1"), moved); err != nil {
		t.Errorf("moving a chat without subscription: %v", err)
	}
}

func TestDigestNow(t *testing.T) {
	ctx := context.Background()
	s, st, now := newService(t)
	ref := bot.ChatRef(store.Telegram, "42")
	m, err := s.DigestNow(ctx, ref)
	if err != nil || m.Kind != bot.KindText {
		t.Fatalf("empty digest = %+v, %v; want a text message", m, err)
	}
	q := briefing.Quote{Speaker: "Mr Lavrov", Text: "we are moving in the right direction", Evidence: "…"}
	for i, age := range []time.Duration{time.Hour, 30 * time.Hour} {
		a := store.Article{URL: fmt.Sprintf("https://news.example/%d", i), Title: fmt.Sprintf("Talks %d", i), ContentHash: fmt.Sprint(i),
			Ingested: now.Add(-age), Briefing: briefing.Briefing{Title: "Talks", Quotes: []briefing.Quote{q}}}
		if _, _, err := st.PutArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	m, err = s.DigestNow(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != bot.KindDigest || !m.NoPreview || len(m.Digest.Articles) != 1 || m.Digest.Articles[0].Title != "Talks 0" || m.Digest.Date != "2026-11-25" {
		t.Errorf("digest = %+v", m)
	}
}

func TestSplitTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"drones  Kyiv", []string{"drones", "Kyiv"}},
		{"drones -sport", []string{"drones", "-sport"}},
		{`"air defence" -"world cup"`, []string{"air defence", "-world cup"}},
		{"/shahed|geran/ kyiv", []string{"/shahed|geran/", "kyiv"}},
		{"/air (raid|alert)/ -/foot ?ball/", []string{"/air (raid|alert)/", "-/foot ?ball/"}},
		{"/unclosed regex", []string{"/unclosed regex"}},
		{"- -", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := bot.SplitTerms(tc.in)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("SplitTerms(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzBriefInput: any input gets a briefing or one of the documented
// errors, never a panic, and every error has a user sentence.
func FuzzBriefInput(f *testing.F) {
	f.Add("Witkoff met Putin in Moscow on Friday, the Kremlin said.")
	f.Add("https://news.example/seed")
	f.Add("\x00\xff")
	s := bot.New(nil, nil, nil)
	known := []error{bot.ErrEmptyInput, bot.ErrTooLarge, bot.ErrNotText, bot.ErrNotEnglish, bot.ErrNotNews, bot.ErrFetch}
	f.Fuzz(func(t *testing.T, input string) {
		_, err := s.Brief(context.Background(), input)
		if err == nil {
			return
		}
		ok := false
		for _, k := range known {
			ok = ok || errors.Is(err, k)
		}
		if !ok {
			t.Fatalf("undocumented error %v", err)
		}
		if m := bot.UserMessage(err); m == "" || strings.Contains(m, "temporarily") {
			t.Fatalf("UserMessage(%v) = %q", err, m)
		}
	})
}

// FuzzSplitTerms: terms are never blank and keep every non-space rune of
// the input except the quotes around phrases.
func FuzzSplitTerms(f *testing.F) {
	f.Add(`drones -sport "air raid" /a b/ -/x/`)
	f.Fuzz(func(t *testing.T, args string) {
		terms := bot.SplitTerms(args)
		for _, term := range terms {
			if strings.TrimSpace(term) == "" || term == "-" {
				t.Fatalf("blank term in %q", terms)
			}
		}
		strip := func(s string) string {
			return strings.Join(strings.Fields(strings.ReplaceAll(s, `"`, "")), "")
		}
		if got, want := strip(strings.Join(terms, " ")), strip(args); len(got) > len(want) {
			t.Fatalf("terms %q longer than input %q", terms, args)
		}
	})
}

func TestIsInternal(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("time: %w", bot.ErrBadTime), false},
		{fmt.Errorf("subscribe: %w: %w", bot.ErrUnavailable, errors.New("redis down")), true},
		{errors.New("boom"), true},
	}
	for _, tc := range tests {
		if got := bot.IsInternal(tc.err); got != tc.want {
			t.Errorf("IsInternal(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestExecute(t *testing.T) {
	ctx := context.Background()
	s, st, now := newService(t)
	if err := st.PutFeed(ctx, store.FeedCursor{URL: "https://news.example/rss", Title: "Example News", LastSuccess: now.Add(-5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutFeed(ctx, store.FeedCursor{URL: "https://broken.example/feed", LastError: "GET: 503 Service Unavailable", LastErrorAt: now.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	chat := bot.Chat{Ref: bot.ChatRef(store.Telegram, "42"), Type: bot.ChatPrivate, Title: "@alice"}
	tests := []struct {
		cmd, args string
		wantErr   error
		want      []string
	}{
		{"start", "", nil, []string{"/subscribe"}},
		{"help", "", nil, []string{"/time HH:MM [Area/City]", "/sources"}},
		{"subscriptions", "", bot.ErrNotSubscribed, nil},
		{"subscribe", `drones "air raid" -sport`, nil, []string{"Subscribed.", "Topics: drones air raid -sport"}},
		{"subscriptions", "", nil, []string{"Subscription of @alice", "Mode: instant alerts"}},
		{"mode", "digest", nil, []string{"Mode: digest, daily at 08:00 (UTC)"}},
		{"time", "", bot.ErrBadTime, nil},
		{"time", "7:00 Europe/Kyiv extra", bot.ErrBadTime, nil},
		{"time", "21:15 America/New_York", nil, []string{"21:15 (America/New_York)"}},
		{"sources", "", nil, []string{"I read 2 feeds", "Example News (https://news.example/rss) — last success 5 min ago", "no successful poll yet; last error 2 h ago: GET: 503"}},
		{"digest", "", nil, []string{"Nothing matching your topics"}},
		{"unsubscribe", "", nil, []string{"Unsubscribed"}},
		{"unsubscribe", "", bot.ErrNotSubscribed, nil},
		{"frobnicate", "", bot.ErrUnknownCommand, nil},
	}
	for _, tc := range tests {
		t.Run(tc.cmd+" "+tc.args, func(t *testing.T) {
			r, err := s.Execute(ctx, bot.Request{Command: tc.cmd, Args: tc.args, Chat: chat, Actor: bot.Actor{UserID: "42"}})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			var text strings.Builder
			for _, m := range r.Messages {
				text.WriteString(m.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("reply lacks %q:\n%s", w, text.String())
				}
			}
		})
	}
}
