package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"newsbrief/config"
	"newsbrief/httpapi"
	"newsbrief/store"
)

// stage orders shutdown: every intake component has returned before any
// delivery component is told to stop.
type stage int

const (
	// stageIntake: everything that brings work in (platform gateways and
	// polling, feed polling, the scheduler). Stopped first.
	stageIntake stage = iota
	// stageDelivery: outbox workers. Stopped second, so items produced by
	// the last intake work are still sent or returned to the outbox.
	stageDelivery
)

func (s stage) String() string {
	if s == stageDelivery {
		return "delivery"
	}
	return "intake"
}

// component is one long-running part of `bot run`.
//
// run blocks until ctx is canceled and then returns nil after cleaning up
// (closing its gateway, returning claimed outbox items…). It should retry
// transient failures itself: an error it returns before shutdown is fatal
// and makes the process exit 1 (so a supervisor restarts it). At shutdown
// run may take a moment after ctx is canceled to finish in-flight work;
// Main waits for it until the SHUTDOWN_TIMEOUT budget runs out.
type component struct {
	name  string
	stage stage
	run   func(ctx context.Context) error
}

// Main is the `bot run` process: it owns the store, the HTTP server, the
// metrics registry and every component, and shuts them down in order.
// e2e tests run it in-process with HTTPAddr "127.0.0.1:0".
type Main struct {
	Config config.Config
	Logger *slog.Logger
	// Registry is served on /metrics; components register collectors on it.
	Registry *prometheus.Registry

	// Set by Run.
	Store store.Store
	HTTP  *httpapi.Server

	// extra components are started after wire's (tests add theirs here).
	extra      []component
	components []component
	running    map[stage]*group
	served     chan error
	failed     chan error
	closeOnce  sync.Once
	closeErr   error
}

// group is the components of one stage, with their own cancel.
type group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewMain returns a Main for cfg logging to logger.
func NewMain(cfg config.Config, logger *slog.Logger) *Main {
	return &Main{
		Config:   cfg,
		Logger:   logger,
		Registry: newRegistry(),
		failed:   make(chan error, 1),
	}
}

// newRegistry is the process's Prometheus registry with Go runtime, process
// and build-info collectors.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	bi := buildVersion()
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "newsbrief_build_info",
		Help:        "Build of the running bot; always 1.",
		ConstLabels: prometheus.Labels{"version": bi.version, "commit": bi.commit, "goversion": bi.goVersion},
	})
	buildInfo.Set(1)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo,
	)
	return reg
}

// Run opens the store, binds the HTTP server, wires and starts every
// component, and returns once all are started; the process then waits for
// a signal or Failed. ctx bounds start-up only (opening Redis, for example):
// components run until Close. On error, whatever was started is closed.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = m.Close() // the start-up error is what matters
		}
	}()
	st, err := openStore(ctx, m.Config, m.Logger)
	if err != nil {
		return err
	}
	m.Store = st

	m.HTTP = httpapi.New(httpapi.Options{
		Addr:       m.Config.HTTPAddr,
		Logger:     m.Logger.With("component", "http"),
		Gatherer:   m.Registry,
		Registerer: m.Registry,
	})
	m.HTTP.AddCheck("store", st.Ping)
	if err := m.HTTP.Listen(); err != nil {
		return err
	}

	comps, err := m.wire(ctx, wiring{
		cfg:      m.Config,
		log:      m.Logger,
		store:    st,
		http:     m.HTTP,
		registry: m.Registry,
	})
	if err != nil {
		return fmt.Errorf("wire components: %w", err)
	}
	comps = append(comps, m.extra...)
	m.components = comps

	m.served = make(chan error, 1)
	go func() {
		err := m.HTTP.Serve()
		m.served <- err
		if err != nil {
			m.fail(err)
		}
	}()
	m.Logger.Info("http: listening", "addr", m.HTTP.Addr())

	// Start delivery first: it must be ready before intake produces work.
	m.running = map[stage]*group{}
	for _, s := range []stage{stageDelivery, stageIntake} {
		g := &group{}
		var gctx context.Context
		gctx, g.cancel = context.WithCancel(context.Background())
		m.running[s] = g
		for _, c := range comps {
			if c.stage != s {
				continue
			}
			g.wg.Go(func() { m.runComponent(gctx, c) })
		}
	}
	names := make([]string, len(comps))
	for i, c := range comps {
		names[i] = c.name
	}
	c := m.Config
	m.Logger.Debug("bot: settings",
		slog.Bool("redis", c.Redis.Enabled()),
		slog.String("digest_time", c.Digest.Time.String()),
		slog.String("digest_timezone", c.Digest.Location.String()),
		slog.Duration("digest_grace", c.Digest.Grace),
		slog.Bool("digest_empty", c.Digest.SendEmpty),
		slog.Int("feeds", len(c.Ingest.Feeds)),
		slog.Duration("feed_interval", c.Ingest.FeedInterval),
		slog.Any("fetch_allow_nets", c.Fetch.AllowNets),
		slog.Int("delivery_workers", c.DeliveryWorkers),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
	)
	m.Logger.Info("bot: started", "version", buildVersion().version, "components", names)
	return nil
}

func (m *Main) runComponent(ctx context.Context, c component) {
	log := m.Logger.With("component", c.name)
	log.Debug("component: starting", "stage", c.stage.String())
	defer func() {
		if p := recover(); p != nil {
			log.Error("component: panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			m.fail(fmt.Errorf("%s: panic: %v", c.name, p))
		}
	}()
	err := c.run(ctx)
	switch {
	case ctx.Err() != nil:
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("component: stopped with error", "error", err)
		} else {
			log.Debug("component: stopped")
		}
	case err != nil:
		log.Error("component: failed", "error", err)
		if !strings.HasPrefix(err.Error(), c.name+": ") {
			err = fmt.Errorf("%s: %w", c.name, err)
		}
		m.fail(err)
	default:
		log.Info("component: finished")
	}
}

// fail records the first fatal error and signals Failed.
func (m *Main) fail(err error) {
	select {
	case m.failed <- err:
	default:
	}
}

// Failed delivers the first fatal error of a component or the HTTP server.
// `bot run` waits on it next to the signal context.
func (m *Main) Failed() <-chan error { return m.failed }

// Addr is the HTTP server's bound address (after Run).
func (m *Main) Addr() string {
	if m.HTTP == nil {
		return m.Config.HTTPAddr
	}
	return m.HTTP.Addr()
}

// Close shuts down in order within Config.ShutdownTimeout: stop intake
// components and wait for them, then stop delivery components and wait
// (in-flight deliveries finish or go back to the outbox), then close the
// HTTP server, then the store. It returns an error if a step failed or ran
// out of time; it is safe to call more than once.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	timeout := m.Config.ShutdownTimeout
	if timeout <= 0 {
		timeout = config.DefaultShutdownTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	var errs []error

	for _, s := range []stage{stageIntake, stageDelivery} {
		g := m.running[s]
		if g == nil {
			continue
		}
		m.Logger.Info("shutdown: stopping " + s.String())
		g.cancel()
		done := make(chan struct{})
		go func() { g.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("shutdown: %s components did not stop within %s", s, timeout))
			m.Logger.Error("shutdown: components did not stop in time", "stage", s.String(), "timeout", timeout)
		}
	}
	if m.HTTP != nil {
		m.Logger.Info("shutdown: closing http")
		if err := m.HTTP.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		if m.served != nil {
			select {
			case <-m.served:
			case <-ctx.Done():
			}
		}
	}
	if m.Store != nil {
		m.Logger.Info("shutdown: closing store")
		if err := m.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
	}
	err := errors.Join(errs...)
	if err != nil {
		m.Logger.Error("shutdown: done with errors", "error", err, "took", time.Since(start).Round(time.Millisecond))
	} else {
		m.Logger.Info("shutdown: done", "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}
