package discord

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsbrief/bot"
	"newsbrief/bot/discord/discordtest"
	"newsbrief/briefing"
	"newsbrief/delivery"
	"newsbrief/store"
)

// TestDeliveryWorker runs the real outbox worker with the Bot as its
// Discord sender over bbolt: an alert for a subscribed channel is posted
// exactly once even when enqueued twice and resent; a channel where the
// bot lost its permissions (50013) gets its subscription deactivated with
// the reason, and its item parked.
func TestDeliveryWorker(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	ctx := context.Background()
	now := time.Now()
	ok := store.ChatRef{Platform: store.Discord, ChatID: discordtest.TextChannelID}
	lost := store.ChatRef{Platform: store.Discord, ChatID: discordtest.OtherChannelID}
	for _, ref := range []store.ChatRef{ok, lost} {
		if err := h.st.PutSubscription(ctx, store.Subscription{ChatRef: ref, Guild: discordtest.GuildID, Mode: store.ModeInstant,
			DigestTime: "08:00", TimeZone: "UTC", Active: true, Created: now, Updated: now}); err != nil {
			t.Fatal(err)
		}
	}
	br := testEngine(briefing.Article{Title: "Witkoff meets Putin", Body: seedText(t)})
	payload, err := bot.EncodeMessage(bot.Message{Kind: bot.KindBriefing, Briefing: &br})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []store.ChatRef{ok, ok, lost} {
		if _, _, err := h.st.Enqueue(ctx, store.OutboxItem{Key: "brief:a1", Chat: ref, Kind: bot.KindBriefing,
			Payload: payload, Created: now}); err != nil {
			t.Fatal(err)
		}
	}
	h.fake.Fail(discordtest.Fault{Method: http.MethodPost, Path: "/channels/" + discordtest.OtherChannelID + "/messages",
		Status: 403, Code: 50013, Message: "Missing Permissions"})

	w := delivery.New(delivery.Config{Store: h.st, Senders: map[string]delivery.Sender{store.Discord: h.b},
		PollInterval: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler), DepthInterval: -1})
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	}()

	settled := h.fake.WaitFor(10*time.Second, func() bool {
		pending, err := h.st.Outbox(ctx, store.StatePending)
		if err != nil || len(pending) > 0 {
			return false
		}
		claimed, err := h.st.Outbox(ctx, store.StateClaimed)
		return err == nil && len(claimed) == 0
	})
	if !settled {
		t.Fatal("outbox did not drain")
	}
	if msgs := h.fake.Messages(discordtest.TextChannelID); len(msgs) != 1 || !strings.Contains(embedsText(&msgs[0]), "Putin") {
		t.Errorf("%d messages in the subscribed channel, want exactly 1 briefing", len(msgs))
	}
	sub, err := h.st.GetSubscription(ctx, lost)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Active || !strings.Contains(sub.InactiveReason, "50013") {
		t.Errorf("after 50013: active %v reason %q, want deactivated naming 50013", sub.Active, sub.InactiveReason)
	}
	if parked, err := h.st.Outbox(ctx, store.StateParked); err != nil || len(parked) != 1 || parked[0].Chat != lost {
		t.Errorf("parked %v (%v), want the 50013 item", parked, err)
	}
	if delivered, err := h.st.Delivered(ctx, ok, "brief:a1"); err != nil || !delivered {
		t.Errorf("delivery log: %v %v", delivered, err)
	}
}
