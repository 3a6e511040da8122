package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a local wall-clock time "HH:MM".
type TimeOfDay struct {
	Hour, Minute int
}

// ParseTimeOfDay parses "HH:MM" or "H:MM" (00:00 to 23:59).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return TimeOfDay{}, fmt.Errorf("parse time of day %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	t := TimeOfDay{Hour: hh, Minute: mm}
	if err1 != nil || err2 != nil || h[0] == '+' || h[0] == '-' || m[0] == '+' || m[0] == '-' || !t.Valid() {
		return TimeOfDay{}, fmt.Errorf("parse time of day %q: want HH:MM from 00:00 to 23:59", s)
	}
	return t, nil
}

// Valid reports whether t is within 00:00–23:59.
func (t TimeOfDay) Valid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60
}

// String returns "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// ParseDuration parses a Go duration ("90s", "1h30m") or a whole number of
// days ("30d"). Negative values parse; Validate rejects them where they make
// no sense.
func ParseDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok && d != "" && !strings.ContainsAny(d, "hmsun.") {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil || n > 365*100 || n < -365*100 {
			return 0, fmt.Errorf("parse duration %q: bad number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("parse duration %q: %w", s, err)
	}
	return d, nil
}

// FormatDuration prints whole days as "Nd", anything else as Go does.
func FormatDuration(d time.Duration) string {
	if d != 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

var byteUnits = []struct {
	suffix string
	mult   int64
}{
	// Longest suffixes first.
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

var errBadSize = errors.New("bad size")

// ParseBytes parses a byte count: a plain integer, or an integer with a
// unit: KB/MB/GB (powers of 1000), KiB/MiB/GiB or K/M/G (powers of 1024), B.
func ParseBytes(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range byteUnits {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || t == "" || t[0] == '+' {
		return 0, fmt.Errorf("parse size %q: %w", s, errBadSize)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("parse size %q: too large: %w", s, errBadSize)
	}
	return n * mult, nil
}
