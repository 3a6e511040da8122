package telegram_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/bot"
	"newsbrief/fetch"
	"newsbrief/ingest"
)

// withFeeds gives the env's Service a real poller over its store and makes
// alice (and nobody else) an operator.
func (e *env) withFeeds() {
	e.t.Helper()
	f := fetch.New(fetch.Options{Timeout: time.Second})
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: e.st, Pages: ingest.NewPages(f), Registerer: prometheus.NewRegistry()})
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := ingest.NewPoller(ingest.PollerConfig{Store: e.st, Fetcher: f, Ingester: ing, Registerer: prometheus.NewRegistry()})
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Feeds = p
	e.svc.Admins = []string{"telegram:42", "discord:44"}
}

func (e *env) feedURLs() []string {
	e.t.Helper()
	fs, err := e.st.Feeds(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.URL)
	}
	return out
}

// TestSourcesAddRemove: the operator (alice, BOT_ADMINS) adds and removes a
// feed; a group administrator who is not an operator is refused politely;
// any member lists the feeds.
func TestSourcesAddRemove(t *testing.T) {
	e := newEnv(t)
	e.withFeeds()
	e.srv.SetMember(groupID, carol, "administrator")
	e.start()

	e.push("private_sources_add")
	got := e.wait(alice, 1)
	if !strings.Contains(got[0].Text, "Added https://news.example/rss.xml") {
		t.Fatalf("add reply = %q", got[0].Text)
	}
	if urls := e.feedURLs(); len(urls) != 1 || urls[0] != "https://news.example/rss.xml" {
		t.Fatalf("stored feeds = %v", urls)
	}

	// Carol administers the group, but does not run the bot (and her id is
	// an operator's only on Discord).
	e.push("group_sources_add_admin")
	got = e.wait(groupID, 1)
	if !strings.Contains(got[0].Text, "only the people who run this bot") || got[0].ReplyTo != "302" {
		t.Errorf("refusal = %+v", got[0])
	}
	e.push("group_sources_remove_admin")
	got = e.wait(groupID, 2)
	if !strings.Contains(got[1].Text, "only the people who run this bot") {
		t.Errorf("refusal = %+v", got[1])
	}
	if urls := e.feedURLs(); len(urls) != 1 || urls[0] != "https://news.example/rss.xml" {
		t.Fatalf("stored feeds after refusals = %v", urls)
	}

	e.push("group_sources_member")
	got = e.wait(groupID, 3)
	if !strings.Contains(got[2].Text, "https://news.example/rss.xml") || !strings.Contains(got[2].Text, "no successful poll yet") {
		t.Errorf("list = %q", got[2].Text)
	}

	e.push("private_sources_remove")
	got = e.wait(alice, 2)
	if !strings.Contains(got[1].Text, "Removed https://news.example/rss.xml") {
		t.Fatalf("remove reply = %q", got[1].Text)
	}
	if urls := e.feedURLs(); len(urls) != 0 {
		t.Fatalf("stored feeds after removal = %v", urls)
	}
	e.push("private_sources_remove")
	got = e.wait(alice, 3)
	if !strings.Contains(got[2].Text, "I do not read that feed") {
		t.Errorf("second remove reply = %q", got[2].Text)
	}
	for _, m := range e.srv.Sent() {
		checkMessage(t, "reply", m.Text)
	}
}

// TestSourcesInMenuAndHelp: the command menu and /help show the
// subcommands.
func TestSourcesInMenuAndHelp(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.push("private_start")
	e.wait(alice, 1)
	if cmds := e.srv.Commands(); !strings.Contains(cmds, `"command":"sources"`) || !strings.Contains(cmds, "add URL") {
		t.Errorf("setMyCommands = %s", cmds)
	}
	if h := bot.HelpText("/"); !strings.Contains(h, "/sources [add URL|remove URL]") {
		t.Errorf("help lacks the /sources subcommands:\n%s", h)
	}
}
