package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// redacted is what a set Secret prints as, everywhere.
const redacted = "[redacted]"

// Secret holds a token or password. It never prints its value: String,
// GoString, MarshalJSON, MarshalText and LogValue all redact it, so a Secret
// can be logged or formatted by mistake without leaking. Use Reveal to pass
// the value to the one library call that needs it.
type Secret struct {
	v string
}

// NewSecret wraps v.
func NewSecret(v string) Secret { return Secret{v: v} }

// Reveal returns the secret value. Call it only where the value is handed to
// a library or compared; never log or format the result.
func (s Secret) Reveal() string { return s.v }

// IsSet reports whether the secret is non-empty.
func (s Secret) IsSet() bool { return s.v != "" }

// String returns "[redacted]" when the secret is set and "" otherwise.
func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return redacted
}

// GoString redacts too, so %#v of a Config does not leak.
func (s Secret) GoString() string { return "config.Secret(" + `"` + s.String() + `"` + ")" }

// MarshalJSON encodes the redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText encodes the redacted form (encoding/xml, slog text, maps keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue makes slog print the redacted form at every level.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Format implements fmt.Formatter so that every verb (%s, %v, %q, %x, %d…)
// prints the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	_, _ = f.Write([]byte(s.String()))
}
