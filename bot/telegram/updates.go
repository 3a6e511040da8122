package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// update is a tgbotapi update plus the fields v5.5.1 does not decode.
type update struct {
	tgbotapi.Update
	// threadID is the forum topic of the message ("" outside topics).
	threadID string
}

// extra holds the newer Bot API fields tgbotapi v5.5.1 lacks.
type extra struct {
	Message     *extraMessage `json:"message"`
	ChannelPost *extraMessage `json:"channel_post"`
}

type extraMessage struct {
	MessageThreadID int64 `json:"message_thread_id"`
	IsTopicMessage  bool  `json:"is_topic_message"`
}

func decodeUpdate(raw []byte) (update, error) {
	var u update
	if err := json.Unmarshal(raw, &u.Update); err != nil {
		return update{}, fmt.Errorf("decode update: %w", err)
	}
	var x extra
	if err := json.Unmarshal(raw, &x); err != nil {
		return update{}, fmt.Errorf("decode update: %w", err)
	}
	m := x.Message
	if m == nil {
		m = x.ChannelPost
	}
	// message_thread_id also marks reply threads in ordinary supergroups;
	// only a topic message belongs to a forum topic.
	if m != nil && m.IsTopicMessage && m.MessageThreadID != 0 {
		u.threadID = strconv.FormatInt(m.MessageThreadID, 10)
	}
	return u, nil
}

// allowedUpdates are the update kinds the bot asks for.
var allowedUpdates = []string{"message", "channel_post"}

// minPollGap spaces getUpdates calls that came back empty at once: a
// server that ignores the long-poll timeout (telegram-test-api does) must
// not be hammered.
const minPollGap = 200 * time.Millisecond

// errLeaseLost stops a batch when another replica took the polling lease.
var errLeaseLost = errors.New("polling lease lost")

// poll long-polls getUpdates while this replica holds the polling lease,
// handling each update once: the id of the last handled update is stored
// as a checkpoint and the next poll starts after it, here or on the
// replica that takes over.
//
// Specs: https://core.telegram.org/bots/api#getupdates
func (b *Bot) poll(ctx context.Context) error {
	// getUpdates answers 409 Conflict while a webhook is set.
	dctx, cancel := context.WithTimeout(ctx, callTimeout)
	if _, err := b.apiFor(dctx).Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		b.log.WarnContext(ctx, "deleteWebhook failed", "error", b.redact(err))
	}
	cancel()
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := b.state.ReleaseLease(rctx, b.leaseName, b.cfg.Holder); err != nil {
			b.log.Warn("release polling lease", "error", err)
		}
	}()
	holding := false
	backoff := time.Second
	for ctx.Err() == nil {
		ok, err := b.state.AcquireLease(ctx, b.leaseName, b.cfg.Holder, b.cfg.LeaseTTL)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				b.log.WarnContext(ctx, "acquire polling lease", "error", err)
			}
			sleep(ctx, backoff)
			continue
		case !ok:
			if holding {
				b.log.InfoContext(ctx, "polling lease lost; standing by")
				holding = false
			}
			sleep(ctx, b.cfg.LeaseTTL/4)
			continue
		case !holding:
			b.log.InfoContext(ctx, "polling lease acquired", "holder", b.cfg.Holder)
			holding = true
		}
		start := time.Now()
		n, err := b.pollOnce(ctx)
		switch {
		case ctx.Err() != nil:
		case errors.Is(err, errLeaseLost):
			holding = false
		case err != nil:
			b.setReady(err)
			b.log.WarnContext(ctx, "getUpdates failed", "error", err, "retry_in", backoff)
			sleep(ctx, backoff)
			backoff = min(2*backoff, 30*time.Second)
		default:
			backoff = time.Second
			if n == 0 && time.Since(start) < minPollGap {
				sleep(ctx, minPollGap)
			}
		}
	}
	return nil
}

// pollOnce fetches one batch after the checkpoint and handles it; it
// returns how many updates it handled.
func (b *Bot) pollOnce(ctx context.Context) (int, error) {
	last, err := b.state.Checkpoint(ctx, b.checkpointName)
	if err != nil {
		return 0, fmt.Errorf("read update checkpoint: %w", err)
	}
	params := tgbotapi.Params{
		"offset":  strconv.FormatInt(last+1, 10),
		"timeout": strconv.Itoa(int(b.cfg.PollTimeout / time.Second)),
		"limit":   "100",
	}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return 0, fmt.Errorf("getUpdates: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+callTimeout)
	resp, err := b.apiFor(pctx).MakeRequest("getUpdates", params)
	cancel()
	if err != nil {
		return 0, fmt.Errorf("getUpdates: %w", b.redact(err))
	}
	b.setReady(nil)
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return 0, fmt.Errorf("getUpdates result: %w", err)
	}
	handled := 0
	for i, raw := range raws {
		u, err := decodeUpdate(raw)
		if err != nil {
			b.log.ErrorContext(ctx, "skipping undecodable update", "error", err)
			continue
		}
		if int64(u.UpdateID) <= last {
			continue // already handled (a server that ignores offset)
		}
		if i > 0 {
			// Handling can be slow (fetching links): renew the lease, and
			// stop if another replica took over meanwhile.
			ok, err := b.state.AcquireLease(ctx, b.leaseName, b.cfg.Holder, b.cfg.LeaseTTL)
			if err != nil {
				return handled, fmt.Errorf("renew polling lease: %w", err)
			}
			if !ok {
				return handled, errLeaseLost
			}
		}
		// An update taken off the queue is finished even when shutdown
		// begins meanwhile (bounded by updateTimeout), so that an update
		// already answered is always confirmed and never answered twice.
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), updateTimeout)
		b.handle(hctx, u)
		cancel()
		// The checkpoint is written after handling: a crash in the middle
		// repeats at most this one update.
		if err := b.state.SetCheckpoint(context.WithoutCancel(ctx), b.checkpointName, int64(u.UpdateID)); err != nil {
			return handled, fmt.Errorf("store update checkpoint %d: %w", u.UpdateID, err)
		}
		last = int64(u.UpdateID)
		handled++
		if ctx.Err() != nil {
			return handled, ctx.Err()
		}
	}
	return handled, nil
}

// updateTimeout bounds the handling of one polled update; shutdown waits
// for it (it stays under the 10 s shutdown budget).
const updateTimeout = 8 * time.Second

// maxUpdateBytes caps a webhook request body.
const maxUpdateBytes = 1 << 20

// webhookClaimTTL is how long a replica owns an update it received by
// webhook (Telegram may redeliver it to another replica).
const webhookClaimTTL = 10 * time.Minute

// WebhookHandler returns the handler to mount at the path of WebhookURL
// on the process's HTTP server. It answers 401 unless the
// X-Telegram-Bot-Api-Secret-Token header matches WebhookSecret, handles
// each update once (by the update-id checkpoint and a per-update claim in
// the store, since Telegram redelivers on errors), and answers 200 when
// the update is handled or was already; 503 when the store is down, so
// that Telegram retries.
//
// Specs: https://core.telegram.org/bots/api#setwebhook
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		secret := b.cfg.WebhookSecret
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes+1))
		if err != nil {
			http.Error(w, "read body", http.StatusBadRequest)
			return
		}
		if len(body) > maxUpdateBytes {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		u, err := decodeUpdate(body)
		if err != nil || u.UpdateID <= 0 {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		// Telegram may give up waiting; finish the update anyway.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Minute)
		defer cancel()
		last, err := b.state.Checkpoint(ctx, b.checkpointName)
		if err != nil {
			b.log.ErrorContext(ctx, "webhook: read update checkpoint", "error", err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if int64(u.UpdateID) <= last {
			w.WriteHeader(http.StatusOK) // a redelivery of a handled update
			return
		}
		claim := b.checkpointName + ":" + strconv.Itoa(u.UpdateID)
		ok, err := b.state.AcquireLease(ctx, claim, b.cfg.Holder, webhookClaimTTL)
		if err != nil {
			b.log.ErrorContext(ctx, "webhook: claim update", "error", err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if !ok {
			w.WriteHeader(http.StatusOK) // another replica has it
			return
		}
		b.handle(ctx, u)
		if err := b.state.SetCheckpoint(ctx, b.checkpointName, int64(u.UpdateID)); err != nil {
			b.log.ErrorContext(ctx, "webhook: store update checkpoint", "error", err, "update_id", u.UpdateID)
		}
		w.WriteHeader(http.StatusOK)
	})
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
