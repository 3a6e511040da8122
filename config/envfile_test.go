package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsbrief/config"
)

func TestParseEnvFile(t *testing.T) {
	const content = "\xef\xbb\xbf# comment\n" +
		"\n" +
		"PLAIN=value\n" +
		"  SPACED =  padded value  \n" +
		"export EXPORTED=yes\n" +
		"INLINE=abc # a comment\n" +
		"HASH=abc#def\n" +
		"SINGLE='lit $HOME \\n # not a comment'\n" +
		"DOUBLE=\"a\\nb \\\"q\\\" \\\\ \\$x\" # trailing\n" +
		"EMPTY=\n" +
		"EQUALS=a=b=c\n" +
		"CRLF=win\r\n" +
		"PLAIN=later wins\n"
	got, err := config.ParseEnvFile("test.env", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"PLAIN":    "later wins",
		"SPACED":   "padded value",
		"EXPORTED": "yes",
		"INLINE":   "abc",
		"HASH":     "abc#def",
		"SINGLE":   `lit $HOME \n # not a comment`,
		"DOUBLE":   "a\nb \"q\" \\ $x",
		"EMPTY":    "",
		"EQUALS":   "a=b=c",
		"CRLF":     "win",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ParseEnvFile (-want +got):\n%s", d)
	}
}

func TestParseEnvFileErrors(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"no equals", "A=1\nJUSTAWORD\n", "f.env:2: expected KEY=VALUE"},
		{"bad key", "1A=x\n", "f.env:1: expected KEY=VALUE"},
		{"key with space", "MY KEY=x\n", "f.env:1: expected KEY=VALUE"},
		{"unterminated double", "TELEGRAM_TOKEN=\"123:abc\n", "f.env:1: TELEGRAM_TOKEN: unterminated double quote"},
		{"unterminated single", "X='abc\n", "f.env:1: X: unterminated single quote"},
		{"text after quote", "X=\"a\"b\n", "f.env:1: X: text after closing quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.ParseEnvFile("f.env", []byte(tt.content))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "123:abc") {
				t.Errorf("error echoes the value: %v", err)
			}
		})
	}
}

func TestLoadEnvFileAndPrecedence(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bot.env")
	if err := os.WriteFile(p, []byte("LOG_LEVEL=debug\nHTTP_ADDR=127.0.0.1:9999\nDIGEST_TIMEZONE=Europe/Kyiv\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := config.LoadEnvFile(p)
	if err != nil {
		t.Fatal(err)
	}
	environ := map[string]string{"HTTP_ADDR": "127.0.0.1:7777", "DIGEST_TIMEZONE": ""}
	c, err := config.Load(config.Getenv(file, func(k string) string { return environ[k] }))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:7777" {
		t.Errorf("HTTP_ADDR = %s, want the environment's value", c.HTTPAddr)
	}
	if c.LogLevel.String() != "DEBUG" {
		t.Errorf("LOG_LEVEL = %s, want the file's value", c.LogLevel)
	}
	if c.Digest.Location.String() != "Europe/Kyiv" {
		t.Errorf("DIGEST_TIMEZONE = %s, want the file's value (empty env counts as unset)", c.Digest.Location)
	}
	if _, err := config.LoadEnvFile(filepath.Join(t.TempDir(), "missing.env")); err == nil {
		t.Error("LoadEnvFile(missing) = nil error")
	}
}

func FuzzParseEnvFile(f *testing.F) {
	f.Add([]byte("A=1\nB='x'\nC=\"y\\n\"\n# c\n"))
	f.Add([]byte("export X=\"unterminated"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := config.ParseEnvFile("fuzz", b)
		if err == nil {
			for k := range m {
				if k == "" || strings.ContainsAny(k, "= \t\n") {
					t.Fatalf("bad key %q", k)
				}
			}
		}
	})
}
