package telegram

import (
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// tgbotapi writes its own log lines (update-loop errors, and request and
// response dumps when BotAPI.Debug is set) through a package-level logger
// that defaults to stderr. New routes it, once per process, to
// slog.Default() at debug level.
var routeLibLog sync.Once

func routeLibraryLog() {
	routeLibLog.Do(func() {
		// SetLogger only fails for a nil logger.
		_ = tgbotapi.SetLogger(libLogger{})
	})
}

// libLogger is tgbotapi's BotLogger on slog. It keeps tokens and message
// bodies out of the log: request URLs carry the token, Debug dumps carry
// the parameters and answers (message text), so of a dump only the method
// is kept.
type libLogger struct{}

func (libLogger) Println(v ...any) { logLibrary(strings.TrimSpace(fmt.Sprintln(v...))) }

func (libLogger) Printf(format string, v ...any) {
	if strings.HasPrefix(format, "Endpoint: ") && len(v) > 0 {
		slog.Debug("tgbotapi request", "component", "telegram", "method", redactTokens(fmt.Sprint(v[0])))
		return
	}
	logLibrary(strings.TrimSpace(fmt.Sprintf(format, v...)))
}

func logLibrary(msg string) {
	slog.Debug("tgbotapi", "component", "telegram", "detail", redactTokens(msg))
}

// tokenPattern matches a bot token: in a Bot API URL (/bot<id>:<secret>/)
// or on its own (an id of 6+ digits, a colon and a 30+ character secret).
var tokenPattern = regexp.MustCompile(`bot\d+:[^/\s"']+|\b\d{6,}:[A-Za-z0-9_-]{30,}`)

func redactTokens(s string) string { return tokenPattern.ReplaceAllString(s, "<token>") }
