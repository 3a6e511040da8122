package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbrief/bot"
	"newsbrief/bot/telegram"
	"newsbrief/bot/telegram/telegramtest"
	"newsbrief/briefing"
	"newsbrief/delivery"
	"newsbrief/scheduler"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

const token = "123456:TEST-token"

// Chat and user ids used by the fixtures in testdata/updates.
const (
	alice      = 42 // private chat 42
	bob        = 43 // group member
	carol      = 44 // group administrator
	groupID    = -1001200
	forumID    = -1001500
	oldGroupID = -4242
	newGroupID = -1004242
	channelID  = -1001300
)

// fastLimits keep tests quick; the benchmark uses Telegram's.
var fastLimits = telegram.Limits{Global: 1000, PerChat: 200, PerGroup: 60000, Margin: time.Microsecond}

type env struct {
	t     *testing.T
	srv   *telegramtest.Server
	st    *boltstore.Store
	svc   *bot.Service
	bot   *telegram.Bot
	ctx   context.Context
	stops []func()
}

type option func(*telegram.Config)

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := telegramtest.NewServer(token)
	t.Cleanup(srv.Close)
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "state.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	e := &env{t: t, srv: srv, st: st, svc: bot.New(st, nil, testLogger(t)), ctx: ctx}
	t.Cleanup(func() {
		for i := len(e.stops) - 1; i >= 0; i-- {
			e.stops[i]()
		}
	})
	return e
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

// newBot builds a Bot against the fake server (New calls getMe).
func (e *env) newBot(opts ...option) *telegram.Bot {
	e.t.Helper()
	cfg := telegram.Config{
		Token: token, APIURL: e.srv.URL, Service: e.svc, State: e.st, Logger: testLogger(e.t),
		PollTimeout: time.Second, LeaseTTL: 2 * time.Second, Limits: fastLimits,
	}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := telegram.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// run starts b.Run and returns a function that stops it and waits.
func (e *env) run(b *telegram.Bot) (stop func()) {
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				e.t.Errorf("Run: %v", err)
			}
		})
	}
	e.stops = append(e.stops, stop)
	return stop
}

// start builds and runs the bot.
func (e *env) start(opts ...option) *telegram.Bot {
	e.t.Helper()
	e.bot = e.newBot(opts...)
	e.run(e.bot)
	return e.bot
}

// worker runs a delivery worker sending through the bot.
func (e *env) worker() *delivery.Worker {
	w := delivery.New(delivery.Config{
		Store: e.st, Senders: map[string]delivery.Sender{store.Telegram: e.bot},
		Limits:  map[string][]delivery.Limit{store.Telegram: {{Scope: delivery.ScopeGlobal, PerSecond: 1000, Burst: 10}}},
		Workers: 2, PollInterval: 50 * time.Millisecond, BackoffBase: 100 * time.Millisecond,
		Logger: testLogger(e.t),
	})
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan struct{})
	go func() { _ = w.Run(ctx); close(done) }()
	e.stops = append(e.stops, func() { cancel(); <-done })
	return w
}

// push queues a fixture update from testdata/updates.
func (e *env) push(name string) int {
	e.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "updates", name+".json"))
	if err != nil {
		e.t.Fatal(err)
	}
	id, err := e.srv.PushUpdate(raw)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// wait returns once chat got n messages in total.
func (e *env) wait(chat int64, n int) []telegramtest.Sent {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 15*time.Second)
	defer cancel()
	got, err := e.srv.WaitSent(ctx, chat, n)
	if err != nil {
		e.t.Fatalf("%v; got %d: %+v", err, len(got), got)
	}
	return got
}

// quiet asserts chat gets no more than n messages within d.
func (e *env) quiet(chat int64, n int, d time.Duration) {
	e.t.Helper()
	time.Sleep(d)
	if got := e.srv.SentTo(chat); len(got) > n {
		e.t.Fatalf("chat %d got %d messages, want %d: %+v", chat, len(got), n, got[n:])
	}
}

func (e *env) putArticle(title, body string, ingested time.Time) store.Article {
	e.t.Helper()
	a := briefing.Article{Title: title, Body: body, URL: "https://news.example/" + strings.ReplaceAll(strings.ToLower(title), " ", "-"), Source: "Example News"}
	art := store.Article{URL: a.URL, Title: title, Body: body, Source: a.Source, ContentHash: title, Ingested: ingested, Briefing: briefing.Brief(a)}
	id, _, err := e.st.PutArticle(e.ctx, art)
	if err != nil {
		e.t.Fatal(err)
	}
	art.ID = id
	return art
}

func seedText(t testing.TB) string {
	b, err := os.ReadFile("../../testdata/seed-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStartRegistersCommands(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.push("private_start")
	got := e.wait(alice, 1)
	if !strings.Contains(got[0].Text, "/subscribe") || got[0].ParseMode != "HTML" {
		t.Errorf("welcome = %+v", got[0])
	}
	cmds := e.srv.Commands()
	for _, c := range bot.Commands {
		if !strings.Contains(cmds, `"command":"`+c.Name+`"`) {
			t.Errorf("setMyCommands lacks %s: %s", c.Name, cmds)
		}
	}
}

func TestSetMyCommandsFailureKeepsServing(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail("setMyCommands", telegramtest.Fault{Code: 500, Description: "Internal Server Error"})
	e.start()
	e.push("private_start")
	e.wait(alice, 1)
	if e.srv.Commands() != "" {
		t.Error("commands registered despite the fault")
	}
}

func TestBrief(t *testing.T) {
	tests := []struct {
		name   string
		update string
		want   []string
	}{
		{"Text", "private_brief_text", []string{"<b>Met</b>", "Steve Witkoff and Vladimir Putin met in Moscow"}},
		{"Reply", "private_brief_reply", []string{"<b>Met</b>", "Vladimir Putin"}},
		{"ForwardedWithoutCommand", "private_forward", []string{"<b>Met</b>", "Steve Witkoff"}},
		{"Escaping", "private_brief_script", []string{"<b>Talks &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</b>"}},
		{"Empty", "private_brief_empty", []string{"Send /brief followed by the article text"}},
		{"Unfetchable", "private_brief_url", []string{"could not fetch that link"}},
		{"BadTime", "private_time_bad", []string{"HH:MM"}},
	}
	e := newEnv(t)
	e.start()
	sent := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.push(tc.update)
			sent++
			got := e.wait(alice, sent)
			sent = len(got)
			text := got[len(got)-1].Text
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "<script>") {
				t.Errorf("unescaped script tag in reply:\n%s", text)
			}
			checkMessage(t, "reply", text)
		})
	}
}

func TestGroupAnswersOnlyCommandsAndAdmins(t *testing.T) {
	e := newEnv(t)
	e.srv.SetMember(groupID, carol, "administrator")
	e.start()
	e.push("group_chatter")
	e.push("group_other_bot")
	e.push("group_subscribe_member")
	got := e.wait(groupID, 1)
	if !strings.Contains(got[0].Text, "only this chat's administrators") || got[0].ReplyTo != "100" {
		t.Errorf("refusal = %+v", got[0])
	}
	if _, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(groupID))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("non-admin created a subscription: %v", err)
	}
	e.push("group_subscribe_admin")
	got = e.wait(groupID, 2)
	if !strings.Contains(got[1].Text, "Subscribed") {
		t.Errorf("admin subscribe reply = %q", got[1].Text)
	}
	sub, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(groupID)))
	if err != nil || sub.Topics[0] != "drones" || sub.CreatedBy != "44" {
		t.Errorf("subscription = %+v, %v", sub, err)
	}
	e.quiet(groupID, 2, 300*time.Millisecond) // chatter and other bots' commands get no answer
	e.push("group_reply_to_bot")
	got = e.wait(groupID, 3)
	if !strings.Contains(got[2].Text, "<b>Met</b>") || got[2].ReplyTo != "130" {
		t.Errorf("briefing of a reply to the bot = %+v", got[2])
	}
	if e.srv.Calls("getChatMember") < 2 {
		t.Errorf("getChatMember called %d times", e.srv.Calls("getChatMember"))
	}
}

func TestSubscribeThenInstantAlert(t *testing.T) {
	e := newEnv(t)
	old := e.putArticle("Drones over Kharkiv", "Russia launched 40 drones at Kharkiv overnight, the governor Oleh Syniehubov said.", time.Now().Add(-time.Hour))
	e.start()
	w := e.worker()
	e.push("private_subscribe")
	got := e.wait(alice, 2)
	if !strings.Contains(got[0].Text, "Topics: drones kyiv") {
		t.Errorf("confirmation = %q", got[0].Text)
	}
	if !strings.Contains(got[1].Text, "Drones over Kharkiv") || !strings.Contains(got[1].Text, old.URL) {
		t.Errorf("latest matching briefing = %q", got[1].Text)
	}
	a := e.putArticle("Attack on Kyiv", seedText(t), time.Now())
	e.putArticle("Football results", "The home side won 2-0 on Saturday, the coach John Smith said.", time.Now())
	if n, err := w.OnArticle(e.ctx, a); err != nil || n != 1 {
		t.Fatalf("OnArticle = %d, %v", n, err)
	}
	w.Wake()
	got = e.wait(alice, 3)
	if !strings.Contains(got[2].Text, "Attack on Kyiv") || !strings.Contains(got[2].Text, "<b>Attacks</b>") {
		t.Errorf("alert = %q", got[2].Text)
	}
	// Fanning the same article out again sends nothing.
	if n, _ := w.OnArticle(e.ctx, a); n != 0 {
		t.Errorf("second OnArticle enqueued %d", n)
	}
	e.quiet(alice, 3, 300*time.Millisecond)
}

func TestTimeThenDigest(t *testing.T) {
	e := newEnv(t)
	e.start()
	w := e.worker()
	e.push("private_subscribe_all")
	e.wait(alice, 1)
	e.push("private_time")
	got := e.wait(alice, 2)
	if !strings.Contains(got[1].Text, "07:30 (Europe/Kyiv)") {
		t.Fatalf("/time reply = %q", got[1].Text)
	}
	e.push("private_time_zone_bad")
	if got = e.wait(alice, 3); !strings.Contains(got[2].Text, "IANA") {
		t.Errorf("bad zone reply = %q", got[2].Text)
	}
	// The fake clock: the next 07:30 in Kyiv.
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	now := time.Now().In(kyiv)
	at := time.Date(now.Year(), now.Month(), now.Day(), 7, 30, 0, 0, kyiv)
	if !at.After(now) {
		at = at.AddDate(0, 0, 1)
	}
	e.putArticle("Talks in Moscow", seedText(t), at.Add(-time.Hour))
	sch := scheduler.New(scheduler.Config{Store: e.st, OnEnqueue: w.Wake, Logger: testLogger(t)})
	if err := sch.RunDue(e.ctx, at.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	e.quiet(alice, 3, 200*time.Millisecond) // not due yet
	if err := sch.RunDue(e.ctx, at.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	got = e.wait(alice, 4)
	d := got[3]
	if !strings.Contains(d.Text, "Digest for "+at.Format(time.DateOnly)) || !strings.Contains(d.Text, "Talks in Moscow") || !d.DisableWebPagePreview {
		t.Errorf("digest = %+v", d)
	}
	// /digest sends the last 24 hours at once.
	e.putArticle("Earlier talks", seedText(t)+"\nMore.", time.Now().Add(-time.Hour))
	e.push("private_digest")
	got = e.wait(alice, 5)
	if !got[4].DisableWebPagePreview || !strings.Contains(got[4].Text, "Earlier talks") {
		t.Errorf("/digest reply = %+v", got[4])
	}
}

func TestForumTopicRouting(t *testing.T) {
	e := newEnv(t)
	e.srv.SetMember(forumID, carol, "administrator")
	e.start()
	w := e.worker()
	e.push("forum_subscribe_admin")
	got := e.wait(forumID, 1)
	if got[0].ThreadID != "77" {
		t.Errorf("reply thread = %q, want 77", got[0].ThreadID)
	}
	sub, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(forumID)))
	if err != nil || sub.ThreadID != "77" {
		t.Fatalf("subscription = %+v, %v", sub, err)
	}
	a := e.putArticle("Drone attack", seedText(t), time.Now())
	if _, err := w.OnArticle(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	got = e.wait(forumID, 2)
	if got[1].ThreadID != "77" {
		t.Errorf("alert thread = %q, want 77", got[1].ThreadID)
	}
}

func TestChannelSubscriptionFromPrivateChat(t *testing.T) {
	e := newEnv(t)
	e.srv.AddChat(telegramtest.Chat{ID: channelID, Type: "channel", Title: "Newsroom channel", Username: "newsroom_channel"})
	e.start()
	e.push("private_subscribe_channel")
	if got := e.wait(alice, 1); !strings.Contains(got[0].Text, "only this chat's administrators") {
		t.Errorf("non-admin reply = %q", got[0].Text)
	}
	e.srv.SetMember(channelID, alice, "creator")
	e.push("private_subscribe_channel")
	if got := e.wait(alice, 2); !strings.Contains(got[1].Text, "Make the bot an administrator") {
		t.Errorf("bot-not-admin reply = %q", got[1].Text)
	}
	e.srv.SetMember(channelID, telegramtest.BotID, "administrator")
	e.push("private_subscribe_channel")
	if got := e.wait(alice, 3); !strings.Contains(got[2].Text, "Subscribed") {
		t.Errorf("reply = %q", got[2].Text)
	}
	sub, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(channelID)))
	if err != nil || sub.Title != "Newsroom channel" || sub.Topics[0] != "drones" {
		t.Errorf("channel subscription = %+v, %v", sub, err)
	}
	if len(e.srv.SentTo(channelID)) != 0 {
		t.Error("confirmation posted in the channel")
	}
}

func TestGroupMigration(t *testing.T) {
	e := newEnv(t)
	e.srv.SetMember(oldGroupID, carol, "administrator")
	e.start()
	w := e.worker()
	e.push("old_group_subscribe")
	e.wait(oldGroupID, 1)
	// Delivery finds the group migrated: the item moves to the supergroup.
	e.srv.Fail("sendMessage", telegramtest.Fault{ChatID: fmt.Sprint(oldGroupID), Code: 400,
		Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: newGroupID})
	a := e.putArticle("Talks", seedText(t), time.Now())
	if _, err := w.OnArticle(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	got := e.wait(newGroupID, 1)
	if !strings.Contains(got[0].Text, "Talks") {
		t.Errorf("resent = %q", got[0].Text)
	}
	if _, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(newGroupID))); err != nil {
		t.Errorf("subscription not moved: %v", err)
	}
}

func TestMigrationServiceMessage(t *testing.T) {
	e := newEnv(t)
	e.srv.SetMember(oldGroupID, carol, "administrator")
	e.start()
	e.push("old_group_subscribe")
	e.wait(oldGroupID, 1)
	e.push("group_migrate")
	ref := bot.ChatRef(store.Telegram, fmt.Sprint(newGroupID))
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := e.st.GetSubscription(e.ctx, ref); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("subscription did not move to the supergroup")
		}
	}
	if _, err := e.st.GetSubscription(e.ctx, bot.ChatRef(store.Telegram, fmt.Sprint(oldGroupID))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old group still subscribed: %v", err)
	}
}

func TestSendErrors(t *testing.T) {
	e := newEnv(t)
	b := e.newBot()
	e.bot = b
	msg := bot.Message{Kind: bot.KindText, Text: "hello"}
	chat := bot.ChatRef(store.Telegram, "42")
	tests := []struct {
		name  string
		fault telegramtest.Fault
		check func(t *testing.T, err error)
	}{
		{"TooManyRequests", telegramtest.Fault{Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7},
			func(t *testing.T, err error) {
				var ra *bot.RetryAfterError
				if !errors.As(err, &ra) || ra.Wait != 7*time.Second {
					t.Errorf("error = %v, want RetryAfterError of 7s", err)
				}
			}},
		{"Blocked", telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"},
			func(t *testing.T, err error) {
				var g *bot.ChatGoneError
				if !errors.As(err, &g) || !strings.Contains(g.Reason, "blocked") {
					t.Errorf("error = %v, want ChatGoneError", err)
				}
			}},
		{"ChatNotFound", telegramtest.Fault{Code: 400, Description: "Bad Request: chat not found"},
			func(t *testing.T, err error) {
				var g *bot.ChatGoneError
				if !errors.As(err, &g) {
					t.Errorf("error = %v, want ChatGoneError", err)
				}
			}},
		{"Migrated", telegramtest.Fault{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: -100999},
			func(t *testing.T, err error) {
				var m *bot.ChatMovedError
				if !errors.As(err, &m) || m.NewChatID != "-100999" {
					t.Errorf("error = %v, want ChatMovedError to -100999", err)
				}
			}},
		{"ServerError", telegramtest.Fault{Code: 502, Description: "Bad Gateway"},
			func(t *testing.T, err error) {
				var ra *bot.RetryAfterError
				var g *bot.ChatGoneError
				if err == nil || errors.As(err, &ra) || errors.As(err, &g) {
					t.Errorf("error = %v, want a plain retryable error", err)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.srv.Fail("sendMessage", tc.fault)
			err := b.Send(e.ctx, chat, "", "k:"+tc.name, msg)
			tc.check(t, err)
			if strings.Contains(fmt.Sprint(err), token) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

// TestRetryAfterObeyed: the delivery worker resends a 429'd alert only
// after retry_after, and replies wait for it too.
func TestRetryAfterObeyed(t *testing.T) {
	e := newEnv(t)
	e.start()
	w := e.worker()
	e.push("private_subscribe_all")
	e.wait(alice, 1)
	e.srv.Fail("sendMessage", telegramtest.Fault{ChatID: "42", Code: 429, Description: "Too Many Requests: retry after 2", RetryAfter: 2})
	a := e.putArticle("Talks", seedText(t), time.Now())
	if _, err := w.OnArticle(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	got := e.wait(alice, 2)
	faults := e.srv.Faulted("sendMessage")
	if len(faults) != 1 {
		t.Fatalf("%d faults", len(faults))
	}
	if wait := got[1].At.Sub(faults[0]); wait < 2*time.Second {
		t.Errorf("resent %v after the 429, want at least retry_after 2s", wait)
	}
	// A direct reply waits out a 429 as well.
	e.srv.Fail("sendMessage", telegramtest.Fault{ChatID: "42", Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1})
	e.push("private_start")
	got = e.wait(alice, 3)
	faults = e.srv.Faulted("sendMessage")
	if wait := got[2].At.Sub(faults[1]); wait < time.Second {
		t.Errorf("reply resent %v after the 429, want at least 1s", wait)
	}
}

func TestBlockedDeactivates(t *testing.T) {
	e := newEnv(t)
	e.start()
	w := e.worker()
	e.push("private_subscribe_all")
	e.wait(alice, 1)
	e.srv.Fail("sendMessage", telegramtest.Fault{ChatID: "42", Code: 403, Description: "Forbidden: bot was blocked by the user"})
	a := e.putArticle("Talks", seedText(t), time.Now())
	if _, err := w.OnArticle(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	ref := bot.ChatRef(store.Telegram, "42")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		sub, err := e.st.GetSubscription(e.ctx, ref)
		if err == nil && !sub.Active {
			if !strings.Contains(sub.InactiveReason, "blocked") {
				t.Errorf("reason = %q", sub.InactiveReason)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("subscription still active: %+v %v", sub, err)
		}
	}
	e.quiet(alice, 1, 200*time.Millisecond)
}

func TestLongBriefingSplit(t *testing.T) {
	e := newEnv(t)
	b := e.newBot()
	lb := longBriefing()
	if err := b.Send(e.ctx, bot.ChatRef(store.Telegram, "42"), "", "brief:long", bot.Message{Kind: bot.KindBriefing, Briefing: &lb}); err != nil {
		t.Fatal(err)
	}
	got := e.srv.SentTo(alice)
	if len(got) < 3 {
		t.Fatalf("%d messages, want at least 3", len(got))
	}
	total := 0
	for i, m := range got {
		checkMessage(t, fmt.Sprintf("message %d", i), m.Text)
		total += len([]rune(m.Text))
	}
	if total < 10000 {
		t.Errorf("sent %d characters, want the whole 10,000+", total)
	}
}

// TestResumeAfterPartialFailure: a send that fails midway resumes after
// the parts already delivered, so the retry never repeats them.
func TestResumeAfterPartialFailure(t *testing.T) {
	e := newEnv(t)
	b := e.newBot()
	lb := longBriefing()
	m := bot.Message{Kind: bot.KindBriefing, Briefing: &lb}
	parts := telegram.Render(m)
	chat := bot.ChatRef(store.Telegram, "42")
	// A proxy that fails the second sendMessage.
	n := 0
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			n++
			if n == 2 {
				w.WriteHeader(502)
				_, _ = io.WriteString(w, `{"ok":false,"error_code":502,"description":"Bad Gateway"}`)
				return
			}
		}
		req, _ := http.NewRequest(r.Method, e.srv.URL+r.URL.Path, r.Body)
		req.Header = r.Header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	b = e.newBot(func(c *telegram.Config) { c.APIURL = proxy.URL })
	if err := b.Send(e.ctx, chat, "", "brief:y", m); err == nil {
		t.Fatal("no error from the failed part")
	}
	if got := len(e.srv.SentTo(alice)); got != 1 {
		t.Fatalf("%d parts before the failure, want 1", got)
	}
	if err := b.Send(e.ctx, chat, "", "brief:y", m); err != nil {
		t.Fatal(err)
	}
	got := e.srv.SentTo(alice)
	if len(got) != len(parts) {
		t.Fatalf("sent %d messages for %d parts: a part was repeated or lost", len(got), len(parts))
	}
	for i := range parts {
		if got[i].Text != parts[i] {
			t.Errorf("message %d is not part %d", i, i)
		}
	}
}

// TestUpdateHandledOnceAcrossRestart: the server keeps every update
// (ignores offset), so only the stored checkpoint prevents a second answer
// after a restart.
func TestUpdateHandledOnceAcrossRestart(t *testing.T) {
	e := newEnv(t)
	e.srv.IgnoreOffset()
	b := e.newBot()
	stop := e.run(b)
	e.push("private_start")
	e.wait(alice, 1)
	stop()
	b2 := e.newBot()
	e.run(b2)
	e.push("private_subscriptions")
	got := e.wait(alice, 2)
	if !strings.Contains(got[1].Text, "no subscription") {
		t.Errorf("second reply = %q", got[1].Text)
	}
	e.quiet(alice, 2, 700*time.Millisecond)
}

// TestPollingLeaseTakeover: two replicas, one polls; when it stops the
// other takes over and no update is answered twice.
func TestPollingLeaseTakeover(t *testing.T) {
	e := newEnv(t)
	a := e.newBot(func(c *telegram.Config) { c.Holder = "replica-a" })
	stopA := e.run(a)
	time.Sleep(200 * time.Millisecond) // a takes the lease first
	b := e.newBot(func(c *telegram.Config) { c.Holder = "replica-b" })
	e.run(b)
	e.push("private_start")
	e.wait(alice, 1)
	before := e.srv.Calls("getUpdates")
	time.Sleep(1500 * time.Millisecond)
	// Only one replica polls: about one long poll per second, not two.
	if calls := e.srv.Calls("getUpdates") - before; calls > 3 {
		t.Errorf("%d getUpdates calls in 1.5 s: both replicas poll", calls)
	}
	stopA()
	e.push("private_subscriptions")
	got := e.wait(alice, 2)
	if !strings.Contains(got[1].Text, "no subscription") {
		t.Errorf("reply after takeover = %q", got[1].Text)
	}
	e.quiet(alice, 2, 500*time.Millisecond)
}

// TestPollingLeaseDeadHolder: a holder that died without releasing the
// lease is replaced once the lease expires.
func TestPollingLeaseDeadHolder(t *testing.T) {
	e := newEnv(t)
	if ok, err := e.st.AcquireLease(e.ctx, fmt.Sprintf("telegram:%d:poll", telegramtest.BotID), "dead-replica", 1500*time.Millisecond); err != nil || !ok {
		t.Fatal(ok, err)
	}
	e.start(func(c *telegram.Config) { c.Holder = "live-replica" })
	e.push("private_start")
	start := time.Now()
	e.wait(alice, 1)
	if time.Since(start) < time.Second {
		t.Error("answered while the dead replica's lease was still valid")
	}
}

func TestWebhook(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	hook := httptest.NewServer(mux)
	defer hook.Close()
	const secret = "s3cret-token_value"
	b := e.newBot(func(c *telegram.Config) {
		c.WebhookURL = hook.URL + "/telegram/webhook"
		c.WebhookSecret = secret
	})
	mux.Handle("/telegram/webhook", b.WebhookHandler())
	// The first setWebhook fails: Run retries instead of giving up.
	e.srv.Fail("setWebhook", telegramtest.Fault{Code: 502, Description: "Bad Gateway"})
	e.run(b)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if u, s := e.srv.Webhook(); u != "" {
			if s != secret || u != hook.URL+"/telegram/webhook" {
				t.Fatalf("webhook set to %q with secret %q", u, s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("webhook not set")
		}
	}
	if n := len(e.srv.Faulted("setWebhook")); n != 1 {
		t.Errorf("%d failed setWebhook calls, want 1", n)
	}
	for deadline := time.Now().Add(2 * time.Second); b.Ready() != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("not ready after setWebhook succeeded: %v", b.Ready())
			break
		}
	}
	e.push("private_start") // POSTed by the server with the secret
	e.wait(alice, 1)

	raw, err := os.ReadFile("testdata/updates/private_subscriptions.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(raw), `"update_id": 1`, `"update_id": 5000`, 1)
	post := func(secretHeader string) int {
		req, _ := http.NewRequest(http.MethodPost, hook.URL+"/telegram/webhook", strings.NewReader(body))
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Errorf("no secret: %d, want 401", code)
	}
	if code := post("wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code := post(secret); code != http.StatusOK {
		t.Errorf("good secret: %d", code)
	}
	if code := post(secret); code != http.StatusOK { // Telegram's redelivery
		t.Errorf("redelivery: %d", code)
	}
	e.wait(alice, 2)
	e.quiet(alice, 2, 300*time.Millisecond)
	if e.srv.Calls("getUpdates") != 0 {
		t.Error("webhook mode polled getUpdates")
	}
}
