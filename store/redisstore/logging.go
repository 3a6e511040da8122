package redisstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// go-redis reports trouble it handles by itself (a failed dial while
// reconnecting, a broken pooled connection) through one package-level
// logger that writes plain lines to stderr, which breaks JSON logs. Open
// replaces it with slogLogging, which sends every such line to a
// *slog.Logger as a warning: the client recovers by itself, but an
// operator should see that Redis was unreachable.

// clientLogger is the logger go-redis lines go to; nil means slog.Default()
// at the time of the line. go-redis has a single logger per process, so the
// last Open with a Logger decides.
var clientLogger atomic.Pointer[slog.Logger]

// installLogger routes go-redis's internal log through log/slog (to l, or
// to slog.Default() when l is nil).
func installLogger(l *slog.Logger) {
	clientLogger.Store(l)
	redis.SetLogger(slogLogging{})
}

// slogLogging adapts go-redis's Printf logger to log/slog.
type slogLogging struct{}

// Printf logs one go-redis line at warning level with component "redis".
func (slogLogging) Printf(ctx context.Context, format string, v ...any) {
	l := clientLogger.Load()
	if l == nil {
		l = slog.Default()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if !l.Enabled(ctx, slog.LevelWarn) {
		return
	}
	detail := strings.TrimSpace(fmt.Sprintf(format, v...))
	detail = strings.TrimPrefix(detail, "redis: ")
	l.LogAttrs(ctx, slog.LevelWarn, "redis client",
		slog.String("component", "redis"), slog.String("detail", detail))
}
