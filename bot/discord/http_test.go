package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/bot/discord/discordtest"
)

// TestHTTPInteractions drives the HTTP interactions endpoint as Discord
// does: Ed25519-signed POSTs, answered in the HTTP response, completed over
// REST. No gateway connection is opened.
func TestHTTPInteractions(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true})
	srv := httptest.NewServer(h.b.InteractionsHandler())
	defer srv.Close()
	fake := h.fake
	if n := fake.Connected(); n != 0 {
		t.Fatalf("HTTP mode opened %d gateway sessions", n)
	}
	ping := []byte(`{"id":"1","application_id":"` + discordtest.AppID + `","type":1,"token":"t","version":1}`)

	post := func(t *testing.T, body []byte, ts time.Time, tamper func(*http.Request)) (int, []byte) {
		t.Helper()
		sig, stamp := fake.Sign(body, ts)
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Ed25519", sig)
		req.Header.Set("X-Signature-Timestamp", stamp)
		if tamper != nil {
			tamper(req)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	t.Run("signed PING gets PONG", func(t *testing.T) {
		code, body := post(t, ping, time.Now(), nil)
		if code != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
			t.Errorf("got %d %s, want 200 {\"type\":1}", code, body)
		}
	})

	t.Run("bad signatures get 401", func(t *testing.T) {
		tests := []struct {
			name   string
			ts     time.Time
			tamper func(*http.Request)
		}{
			{"tampered body", time.Now(), func(r *http.Request) {
				b := bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			}},
			{"stale timestamp", time.Now().Add(-6 * time.Minute), nil},
			{"timestamp from the future", time.Now().Add(6 * time.Minute), nil},
			{"timestamp changed after signing", time.Now(), func(r *http.Request) {
				r.Header.Set("X-Signature-Timestamp", "1"+r.Header.Get("X-Signature-Timestamp"))
			}},
			{"no signature", time.Now(), func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }},
			{"signature not hex", time.Now(), func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "zz") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if code, body := post(t, ping, tt.ts, tt.tamper); code != http.StatusUnauthorized {
					t.Errorf("got %d %s, want 401", code, body)
				}
			})
		}
	})

	t.Run("GET is refused", func(t *testing.T) {
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET: %d", resp.StatusCode)
		}
	})

	t.Run("signed /brief: deferred response, then the edit", func(t *testing.T) {
		_, token, body := fake.Build(discordtest.Invoke{Name: cmdBrief,
			Options: []map[string]any{discordtest.StringOption(optText, seedText(t))}})
		start := time.Now()
		code, resp := post(t, body, time.Now(), nil)
		if code != 200 {
			t.Fatalf("got %d %s", code, resp)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("answered after %s", d)
		}
		var r discordgo.InteractionResponse
		if err := json.Unmarshal(resp, &r); err != nil || r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("response %s, want type 5", resp)
		}
		in := h.waitInteraction(t, token, "edit of @original", func(in discordtest.Interaction) bool { return in.Edits > 0 })
		if text := embedsText(in.Original); !strings.Contains(text, "Witkoff") {
			t.Errorf("edited embed lacks the briefing:\n%s", text)
		}
		edits := fake.Requests(http.MethodPatch, "/webhooks/"+discordtest.AppID+"/"+token+"/messages/@original")
		if len(edits) != 1 || edits[0].At.Before(start) {
			t.Errorf("%d edits", len(edits))
		}
	})

	t.Run("signed /subscribe refusal answered in the response", func(t *testing.T) {
		_, _, body := fake.Build(discordtest.Invoke{Name: cmdSubscribe, Permissions: discordtest.PermNone})
		code, resp := post(t, body, time.Now(), nil)
		var r struct {
			Type int `json:"type"`
			Data struct {
				Content string `json:"content"`
				Flags   int    `json:"flags"`
			} `json:"data"`
		}
		if code != 200 || json.Unmarshal(resp, &r) != nil || r.Type != 4 || r.Data.Flags&64 == 0 || r.Data.Content != userMessage(bot.ErrNotAdmin) {
			t.Errorf("got %d %s", code, resp)
		}
	})
}

// TestHTTPSlowWorkDeferred checks that a command whose work outlasts the
// acknowledgement budget is answered with a deferred response and
// completed by an edit.
func TestHTTPSlowWorkDeferred(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true, noRun: true})
	ack := &httpAck{answered: make(chan struct{}), written: make(chan struct{})}
	if r := ack.final(); r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("late answer %+v, want an ephemeral deferred response", r)
	}
	close(ack.written)
	if err := ack.respond(context.Background(), &discordgo.InteractionResponse{Type: 4}); err != errTooLate {
		t.Fatalf("respond after the deadline: %v, want errTooLate", err)
	}
	// The exchange then edits the deferred response instead.
	_, token, body := h.fake.Build(discordtest.Invoke{Name: cmdSubscriptions})
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		t.Fatal(err)
	}
	x := &exchange{b: h.b, i: &i, respond: ack.respond}
	x.replyText(context.Background(), "hello", true)
	in := h.waitInteraction(t, token, "edit", func(in discordtest.Interaction) bool { return in.Edits > 0 })
	if in.Original.Content != "hello" {
		t.Errorf("edited content %q", in.Original.Content)
	}
}

func BenchmarkVerify(b *testing.B) {
	fake := discordtest.NewServer()
	defer fake.Close()
	bt := &Bot{cfg: Config{PublicKey: fake.PublicKey, Now: time.Now}}
	body := []byte(`{"type":1}`)
	sig, ts := fake.Sign(body, time.Now())
	hdr := http.Header{}
	hdr.Set("X-Signature-Ed25519", sig)
	hdr.Set("X-Signature-Timestamp", ts)
	for b.Loop() {
		if err := bt.verify(hdr, body); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReplyLongBriefing checks that a briefing too long for one message
// arrives as the edited response plus follow-ups, all accepted by the fake
// (which refuses anything over Discord's limits).
func TestReplyLongBriefing(t *testing.T) {
	h := newHarness(t, harnessOpts{httpMode: true, noRun: true})
	_, token, body := h.fake.Build(discordtest.Invoke{Name: cmdBrief})
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		t.Fatal(err)
	}
	b := longBriefing()
	msgs := render(bot.Message{Kind: bot.KindBriefing, Briefing: &b})
	x := &exchange{b: h.b, i: &i, deferred: true}
	x.reply(context.Background(), msgs, false)
	in, ok := h.fake.Interaction(token)
	if !ok || in.Edits != 1 || len(in.Followups) != len(msgs)-1 {
		t.Fatalf("edits %d, follow-ups %d; want 1 and %d", in.Edits, len(in.Followups), len(msgs)-1)
	}
	for _, f := range in.Followups {
		if !allowedMentionsEmpty(t, f.Raw) || f.Flags&64 != 0 {
			t.Errorf("follow-up: flags %d, body %.100s", f.Flags, f.Raw)
		}
	}
}
