package discord

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/bot/discord/discordtest"
)

func TestRunRejectedToken(t *testing.T) {
	fake := discordtest.NewServer()
	defer fake.Close()
	b, err := New(Config{Token: "WRONG", APIURL: fake.URL, Service: bot.New(nil, nil, nil), PublicKey: fake.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = b.Run(ctx)
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Run = %v, want the 401 at once", err)
	}
	if ctx.Err() != nil {
		t.Error("Run retried a rejected token")
	}
}

func TestRunRetriesTransientFailures(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true, noRun: true})
	h.b.retryBase = 20 * time.Millisecond
	h.fake.Fail(discordtest.Fault{Method: http.MethodGet, Path: "/users/@me", Status: 500, Message: "boom", Times: 2})
	h.fake.Fail(discordtest.Fault{Method: http.MethodPut, Path: "/applications/", Status: 503, Message: "busy"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.b.Run(ctx) }()
	if !h.fake.WaitFor(10*time.Second, func() bool { return h.b.Ready() == nil }) {
		t.Fatalf("not ready after transient failures: %v", h.b.Ready())
	}
	if n := len(h.fake.Requests(http.MethodPut, "/applications/")); n != 2 {
		t.Errorf("%d command overwrites, want 2 (the failed one and the retry)", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if h.b.Ready() == nil {
		t.Error("ready after Run stopped")
	}
}

func TestCloseStopsRun(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	h.stop = nil // Close alone must end Run
	if err := h.b.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-h.errc:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still running after Close")
	}
	if h.b.Ready() == nil {
		t.Error("ready after Close")
	}
}

func TestHandlerPanicAnswered(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true, noRun: true})
	_, _, body := h.fake.Build(discordtest.Invoke{Name: cmdSubscriptions})
	var i discordgo.Interaction
	if err := i.UnmarshalJSON(body); err != nil {
		t.Fatal(err)
	}
	calls := 0
	h.b.handle(context.Background(), &i, func(ctx context.Context, r *discordgo.InteractionResponse) error {
		calls++
		if calls == 1 {
			panic("boom")
		}
		if r.Data == nil || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || r.Data.Content != userMessage(bot.ErrUnavailable) {
			t.Errorf("after a panic: %+v", r.Data)
		}
		return nil
	})
	if calls != 2 {
		t.Errorf("responder called %d times, want the failed reply then the apology", calls)
	}
}
