package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"newsbrief/config"
)

type stringer string

func (s stringer) String() string { return string(s) }

func TestLoggerScrubsSecrets(t *testing.T) {
	const (
		tgToken = "123456789:AAE-secretPart_abcdefghijklmnop"
		dcToken = "MTAx.discord.secretsecretsecret"
		redisPw = "redisPassw0rd!"
	)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string {
				return map[string]string{
					"TELEGRAM_TOKEN": tgToken,
					"DISCORD_TOKEN":  dcToken,
					"REDIS_URL":      "redis://:" + url.QueryEscape(redisPw) + "@127.0.0.1:6379/0",
					"LOG_LEVEL":      "debug",
					"LOG_FORMAT":     format,
				}[k]
			})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			log := newLogger(&buf, cfg)

			// What an SDK error looks like: the Bot API URL embeds the token.
			sdkErr := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + tgToken + "/getMe", Err: errors.New("connection refused")}
			log.Debug("telegram: getMe failed", "error", sdkErr)
			log.Info("token in message " + tgToken)
			log.With("auth", "Bot "+dcToken).Warn("with attrs")
			log.WithGroup("g").Error("group", slog.Group("inner", "s", stringer("x"+dcToken)))
			log.Info("struct", "v", struct{ Header string }{"Authorization: Bot " + dcToken})
			log.Info("escaped", "u", "https://x/?t="+url.QueryEscape(tgToken))
			log.Info("redis", "err", fmt.Errorf("auth %s failed", redisPw))
			log.Info("secret type", "token", cfg.Telegram.Token)

			out := buf.String()
			for _, s := range []string{tgToken, dcToken, redisPw, url.QueryEscape(tgToken), "secretPart", "secretsecret"} {
				if strings.Contains(out, s) {
					t.Errorf("log contains %q:\n%s", s, out)
				}
			}
			if n := strings.Count(out, "[redacted]"); n < 8 {
				t.Errorf("expected at least 8 redactions, got %d:\n%s", n, out)
			}
			if !strings.Contains(out, "connection refused") || !strings.Contains(out, "api.telegram.org/bot[redacted]/getMe") {
				t.Errorf("the rest of the error is gone:\n%s", out)
			}
		})
	}
}

func TestLoggerLevelAndFormat(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"LOG_LEVEL": "warn", "LOG_FORMAT": "json"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := newLogger(&buf, cfg)
	log.Info("hidden")
	log.Warn("shown", "chat_id", 42)
	if got := buf.String(); strings.Contains(got, "hidden") || !strings.HasPrefix(got, "{") || !strings.Contains(got, `"chat_id":42`) {
		t.Errorf("log = %q", got)
	}
}

// BenchmarkLogLine measures one log line with five attributes through the
// secret-scrubbing handler and without it (the cost of never leaking).
func BenchmarkLogLine(b *testing.B) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{
			"TELEGRAM_TOKEN": "123456789:AAE-secretPart_abcdefghijklmnop",
			"DISCORD_TOKEN":  "MTAx.discord.secretsecretsecret",
			"INGEST_TOKEN":   "ingest-token-0123456789",
			"LOG_FORMAT":     "json",
		}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	plain := slog.New(slog.NewJSONHandler(io.Discard, nil))
	scrubbing := newLogger(io.Discard, cfg)
	for _, bc := range []struct {
		name string
		log  *slog.Logger
	}{{"plain", plain}, {"scrubbing", scrubbing}} {
		b.Run(bc.name, func(b *testing.B) {
			err := errors.New("Post https://api.telegram.org/bot***/sendMessage: timeout")
			b.ReportAllocs()
			for b.Loop() {
				bc.log.Info("delivery: sent", "chat_id", "-1001234567890", "outbox_id", "01J9ZK3", "attempt", 2, "error", err, "took", 1500)
			}
		})
	}
}
