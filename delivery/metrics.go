package delivery

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	sent        *prometheus.CounterVec
	retried     *prometheus.CounterVec
	parked      *prometheus.CounterVec
	deactivated *prometheus.CounterVec
	moved       *prometheus.CounterVec
	unsendable  *prometheus.CounterVec
	throttled   *prometheus.CounterVec
	deferred    *prometheus.CounterVec
	sendSeconds *prometheus.HistogramVec
	depth       *prometheus.GaugeVec
	enqueued    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) metrics {
	m := metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "sent_total",
			Help: "Messages delivered and acknowledged, by platform.",
		}, []string{"platform"}),
		retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "retried_total",
			Help: "Items returned to the outbox for a later attempt, by platform and reason (rate_limited = platform 429, error, limiter: counted as attempts; rate_budget = local budget, shutdown: not counted).",
		}, []string{"platform", "reason"}),
		parked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "parked_total",
			Help: "Items given up, by platform and reason (chat_gone, failed, bad_payload).",
		}, []string{"platform", "reason"}),
		deactivated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "deactivated_total",
			Help: "Subscriptions deactivated because their chat became unreachable.",
		}, []string{"platform"}),
		moved: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "moved_total",
			Help: "Subscriptions moved to a new chat id (Telegram group to supergroup).",
		}, []string{"platform"}),
		unsendable: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "no_sender_total",
			Help: "Items claimed for a platform this process has no sender for (left in the outbox).",
		}, []string{"platform"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "throttled_total",
			Help: "Waits for a rate-limit token, by platform and bucket scope.",
		}, []string{"platform", "scope"}),
		deferred: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "deferred_total",
			Help: "Items left for later because another worker was already waiting for the same chat's budget.",
		}, []string{"platform"}),
		sendSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "send_seconds",
			Help:    "Duration of platform send calls.",
			Buckets: prometheus.DefBuckets,
		}, []string{"platform"}),
		depth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "newsbrief", Name: "outbox_items",
			Help: "Outbox items by state (pending, claimed, parked).",
		}, []string{"state"}),
		enqueued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "delivery", Name: "enqueued_total",
			Help: "Items enqueued by the instant fan-out, by platform.",
		}, []string{"platform"}),
	}
	if reg != nil {
		m.sent = register(reg, m.sent)
		m.retried = register(reg, m.retried)
		m.parked = register(reg, m.parked)
		m.deactivated = register(reg, m.deactivated)
		m.moved = register(reg, m.moved)
		m.unsendable = register(reg, m.unsendable)
		m.throttled = register(reg, m.throttled)
		m.deferred = register(reg, m.deferred)
		m.sendSeconds = register(reg, m.sendSeconds)
		m.depth = register(reg, m.depth)
		m.enqueued = register(reg, m.enqueued)
	}
	return m
}

// register registers c, or returns the collector already registered under
// the same name (a second Worker in one process shares the series).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic("delivery: register metrics: " + err.Error())
	}
	return c
}
