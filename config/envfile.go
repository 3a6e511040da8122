package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

var envKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// LoadEnvFile reads a file of KEY=VALUE lines, the format of
// config.example.env (and of docker --env-file, systemd EnvironmentFile):
//
//   - blank lines and lines starting with # are ignored;
//   - an optional "export " prefix is allowed;
//   - VALUE may be in single quotes (taken literally) or double quotes
//     (\n, \t, \", \\ and \$ are unescaped); an unquoted value ends at " #"
//     (an inline comment) and is trimmed;
//   - no variable expansion.
//
// A later line for the same key wins. Errors name the file and line.
func LoadEnvFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read env file: %w", err)
	}
	return ParseEnvFile(path, b)
}

// ParseEnvFile parses env-file content; name is used in error messages.
func ParseEnvFile(name string, content []byte) (map[string]string, error) {
	out := map[string]string{}
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, val, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !envKeyRE.MatchString(key) {
			return nil, fmt.Errorf("%s:%d: expected KEY=VALUE", name, lineNo)
		}
		v, err := parseEnvValue(strings.TrimSpace(val))
		if err != nil {
			// The value is not echoed: it may be a secret.
			return nil, fmt.Errorf("%s:%d: %s: %w", name, lineNo, key, err)
		}
		out[key] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, lineNo+1, err)
	}
	return out, nil
}

func parseEnvValue(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	switch v[0] {
	case '\'':
		end := strings.IndexByte(v[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("unterminated single quote")
		}
		if rest := strings.TrimSpace(v[end+2:]); rest != "" && !strings.HasPrefix(rest, "#") {
			return "", fmt.Errorf("text after closing quote")
		}
		return v[1 : end+1], nil
	case '"':
		var b strings.Builder
		for i := 1; i < len(v); i++ {
			c := v[i]
			switch {
			case c == '\\' && i+1 < len(v):
				i++
				switch v[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case '"', '\\', '$', '\'':
					b.WriteByte(v[i])
				default:
					b.WriteByte('\\')
					b.WriteByte(v[i])
				}
			case c == '"':
				if rest := strings.TrimSpace(v[i+1:]); rest != "" && !strings.HasPrefix(rest, "#") {
					return "", fmt.Errorf("text after closing quote")
				}
				return b.String(), nil
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("unterminated double quote")
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	if i := strings.Index(v, "\t#"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v), nil
}

// Getenv combines the process environment with env-file values: a variable
// set to a non-empty value in the environment wins over the file, so an
// operator can override one setting of a shared file without editing it
// (the docker compose convention). Empty environment values count as unset,
// as everywhere in Load.
func Getenv(file map[string]string, environ func(string) string) func(string) string {
	return func(key string) string {
		if v := environ(key); v != "" {
			return v
		}
		return file[key]
	}
}
