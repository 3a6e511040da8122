package telegram

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"newsbrief/bot"
	"newsbrief/bot/telegram/telegramtest"
	"newsbrief/store/boltstore"
)

// tgbotapi's own log lines reach slog.Default() at debug level, without the
// token or message text. Not parallel: it swaps the default logger.
func TestLibraryLogGoesToSlog(t *testing.T) {
	const tok = "123456:LIBLOG-secret-token"
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	srv := telegramtest.NewServer(tok)
	defer srv.Close()
	st, err := boltstore.Open(t.TempDir()+"/state.db", boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := New(Config{Token: tok, APIURL: srv.URL, Service: bot.New(st, nil, nil), State: st})
	if err != nil {
		t.Fatal(err)
	}

	// A Debug dump of a request and its answer: only the method is kept.
	api := b.apiFor(context.Background())
	api.Debug = true
	if _, err := api.MakeRequest("getMe", nil); err != nil {
		t.Fatal(err)
	}
	// An update-loop style line with an error that names the URL.
	libLogger{}.Println(errors.New(`Post "http://127.0.0.1:1/bot` + tok + `/getUpdates": connection refused`))
	libLogger{}.Printf("token %s on its own", "7654321:AAH-abcdefghijklmnopqrstuvwxyz012345")

	out := buf.String()
	for _, want := range []string{"level=DEBUG", "msg=\"tgbotapi request\"", "method=getMe", "connection refused", "component=telegram"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	// The bot's username is only in the getMe answer: finding it means a
	// response dump leaked.
	for _, leak := range []string{"LIBLOG-secret-token", "abcdefghijklmnopqrstuvwxyz012345", telegramtest.BotUsername} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q:\n%s", leak, out)
		}
	}
}
