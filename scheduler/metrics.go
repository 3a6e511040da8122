package scheduler

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	built     prometheus.Counter
	enqueued  *prometheus.CounterVec
	skipped   *prometheus.CounterVec
	failed    prometheus.Counter
	schedules prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) metrics {
	m := metrics{
		built: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "digest", Name: "built_total",
			Help: "Scheduled digests built by this process (one per subscription-day across replicas).",
		}),
		enqueued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "digest", Name: "enqueued_total",
			Help: "Scheduled digests enqueued for delivery, by kind (digest, empty).",
		}, []string{"kind"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "digest", Name: "skipped_total",
			Help: "Due digests not built here, by reason (leased: another replica has it; done: already made; empty: nothing new and empty digests are off).",
		}, []string{"reason"}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newsbrief", Subsystem: "digest", Name: "failed_total",
			Help: "Due digests that failed (retried at the next run within the grace).",
		}),
		schedules: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "newsbrief", Subsystem: "digest", Name: "schedules",
			Help: "Distinct (time zone, time) cron entries.",
		}),
	}
	if reg != nil {
		m.built = register(reg, m.built)
		m.enqueued = register(reg, m.enqueued)
		m.skipped = register(reg, m.skipped)
		m.failed = register(reg, m.failed)
		m.schedules = register(reg, m.schedules)
	}
	return m
}

// register registers c, or returns the collector already registered under
// the same name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic("scheduler: register metrics: " + err.Error())
	}
	return c
}
