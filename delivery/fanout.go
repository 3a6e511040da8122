package delivery

import (
	"context"
	"fmt"
	"sync"

	"newsbrief/bot"
	"newsbrief/store"
	"newsbrief/topic"
)

// BriefKey is the outbox idempotency key of an instant alert for article id.
func BriefKey(articleID string) string { return "brief:" + articleID }

// OnArticle fans a newly briefed article out to every active instant
// subscription whose topic filter matches it: one outbox item per chat,
// keyed BriefKey(a.ID), so calling it twice for the same article (a retry,
// two replicas) enqueues nothing new. The bot does not call it directly but
// through the article's fan-out job (EnqueueFanOut), which a worker runs
// and, if it is cut short, runs again. It returns how many items were
// enqueued. A subscription whose stored topics no longer parse is skipped
// and logged; enqueue errors do not stop the fan-out, the first is
// returned.
func (w *Worker) OnArticle(ctx context.Context, a store.Article) (int, error) {
	if a.ID == "" {
		return 0, fmt.Errorf("fan out article: %w: empty id", store.ErrInvalid)
	}
	subs, err := w.cfg.Store.Subscriptions(ctx, "")
	if err != nil {
		return 0, fmt.Errorf("fan out article %s: list subscriptions: %w", a.ID, err)
	}
	b := a.Briefing
	if b.Title == "" {
		b.Title = a.Title
	}
	if b.URL == "" {
		b.URL = a.URL
	}
	if b.Source == "" {
		b.Source = a.Source
	}
	payload, err := bot.EncodeMessage(bot.Message{Kind: bot.KindBriefing, Briefing: &b})
	if err != nil {
		return 0, fmt.Errorf("fan out article %s: %w", a.ID, err)
	}
	text := topic.NewText(a.Title, a.Body, a.Briefing)
	var targets []store.Subscription
	for _, s := range subs {
		if !s.Active || s.Mode != store.ModeInstant {
			continue
		}
		f, err := topic.Parse(s.Topics)
		if err != nil {
			w.log.Warn("skip subscription with invalid topics", "chat", s.ChatRef.String(), "error", err)
			continue
		}
		if f.MatchText(text) {
			targets = append(targets, s)
		}
	}

	// Enqueue from a few goroutines: on Redis each Enqueue is a round trip,
	// so a 10,000-chat fan-out is bound by latency, not by the server.
	var (
		mu       sync.Mutex
		n        int
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan store.Subscription)
	for range min(fanOutConcurrency, len(targets)) {
		wg.Go(func() {
			for s := range next {
				_, enqueued, err := w.cfg.Store.Enqueue(ctx, store.OutboxItem{
					Key:      BriefKey(a.ID),
					Chat:     s.ChatRef,
					ThreadID: s.ThreadID,
					Kind:     bot.KindBriefing,
					Payload:  payload,
					Created:  w.cfg.Now(),
				})
				mu.Lock()
				switch {
				case err != nil && firstErr == nil:
					firstErr = fmt.Errorf("fan out article %s to %s: %w", a.ID, s.ChatRef, err)
				case err == nil && enqueued:
					n++
					w.m.enqueued.WithLabelValues(s.Platform).Inc()
				}
				mu.Unlock()
			}
		})
	}
	for _, s := range targets {
		if ctx.Err() != nil {
			break
		}
		next <- s
	}
	close(next)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = fmt.Errorf("fan out article %s: %w", a.ID, ctx.Err())
	}
	if n > 0 {
		w.Wake()
	}
	return n, firstErr
}

// fanOutConcurrency is how many Enqueue calls OnArticle keeps in flight.
const fanOutConcurrency = 8
