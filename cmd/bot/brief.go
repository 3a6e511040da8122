package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"newsbrief/briefing"
	"newsbrief/config"
	"newsbrief/fetch"
	"newsbrief/ingest"
)

// maxBriefFileBytes caps one input file or stdin.
const maxBriefFileBytes = 5 << 20

// briefCommand briefs article files, stdin or URLs.
type briefCommand struct {
	io *stdio
	// pages fetches URLs; built on first use from the FETCH_* settings.
	pages *ingest.Pages
}

func (c *briefCommand) name() string     { return "brief" }
func (c *briefCommand) synopsis() string { return "brief article files, stdin or URLs" }

func (c *briefCommand) usage() string {
	return `Usage: bot brief [--json] [--format text|markdown] FILE|URL|- ...

Briefs each article (a plain-text file, "-" for standard input, or an http(s)
URL fetched through the safe fetcher) in order and prints the briefings: who
met whom, quotes with their speakers, attack tallies.

An input that cannot be read, is not text (binary or invalid UTF-8) or cannot
be fetched gets one error line on standard error; the other inputs are still
briefed, and the exit status is 1 at the end.

Flags:
  --json           print one JSON object per article (JSON Lines), in argument
                   order, skipping inputs that failed
  --format FORMAT  text (default) or markdown; not with --json

With more than one input, text and markdown output put a "==> NAME <=="
line before each briefing.

URLs are fetched with the FETCH_ALLOW_NETS, FETCH_TIMEOUT and FETCH_MAX_BYTES
settings (see config.example.env); private and loopback addresses are
refused unless allowed.

Examples:
  bot brief testdata/seed-article.txt
  bot brief --format markdown article.txt > article.md
  bot brief --json a.txt b.txt c.txt > briefings.jsonl
  pbpaste | bot brief -
  bot brief https://example.org/news/story.html
`
}

func (c *briefCommand) run(ctx context.Context, args []string) error {
	set := newFlagSet(c.name())
	asJSON := set.Bool("json", false, "print JSON Lines")
	format := set.String("format", "text", "text or markdown")
	if err := parseFlags(set, args); err != nil {
		return err
	}
	formatSet := false
	set.Visit(func(f *flag.Flag) { formatSet = formatSet || f.Name == "format" })
	switch {
	case *asJSON && formatSet:
		return &usageError{msg: "use either --json or --format, not both"}
	case *format != "text" && *format != "markdown":
		return &usageError{msg: fmt.Sprintf("unknown format %q (want text or markdown)", *format)}
	case set.NArg() == 0:
		return &usageError{msg: "no input: give one or more files, URLs, or - for standard input"}
	}
	stdinSeen := false
	for _, a := range set.Args() {
		if a == "-" {
			if stdinSeen {
				return &usageError{msg: `"-" (standard input) given more than once`}
			}
			stdinSeen = true
		}
	}

	enc := json.NewEncoder(c.io.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for i, in := range set.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		art, err := c.read(ctx, in)
		if err != nil {
			fmt.Fprintf(c.io.stderr, "bot brief: %s: %s\n", in, err)
			failed++
			continue
		}
		b := briefing.Brief(art)
		switch {
		case *asJSON:
			if err := enc.Encode(b); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		default:
			var out strings.Builder
			if set.NArg() > 1 {
				if i > 0 {
					out.WriteString("\n")
				}
				fmt.Fprintf(&out, "==> %s <==\n", in)
			}
			if *format == "markdown" {
				out.WriteString(briefing.RenderMarkdown(b))
			} else {
				out.WriteString(briefing.RenderText(b))
			}
			if _, err := io.WriteString(c.io.stdout, out.String()); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
	}
	if failed > 0 {
		return &reportedError{code: exitFail}
	}
	return nil
}

// read returns the article named by in: "-", an http(s) URL or a file.
// Its errors are one short phrase, printed after the input's name.
func (c *briefCommand) read(ctx context.Context, in string) (briefing.Article, error) {
	if isURL(in) {
		return c.fetch(ctx, in)
	}
	var (
		b   []byte
		err error
	)
	if in == "-" {
		b, err = readCapped(c.io.stdin)
	} else {
		b, err = readFile(in)
	}
	if err != nil {
		return briefing.Article{}, err
	}
	text, err := articleText(b)
	if err != nil {
		return briefing.Article{}, err
	}
	return briefing.Article{Body: text}, nil
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func (c *briefCommand) fetch(ctx context.Context, rawURL string) (briefing.Article, error) {
	if c.pages == nil {
		cfg, err := config.Load(c.io.getenv)
		if err != nil {
			return briefing.Article{}, fmt.Errorf("cannot fetch URLs: bad configuration: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		c.pages = ingest.NewPages(fetch.New(fetch.Options{
			Timeout:   cfg.Fetch.Timeout,
			MaxBytes:  cfg.Fetch.MaxBytes,
			AllowNets: cfg.Fetch.AllowNets,
		}))
	}
	a, err := c.pages.FetchArticle(ctx, rawURL)
	if err != nil {
		return briefing.Article{}, err
	}
	return a, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, describeFileError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, describeFileError(err)
	}
	if st.IsDir() {
		return nil, errors.New("is a directory, not a file")
	}
	return readCapped(f)
}

func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBriefFileBytes+1))
	if err != nil {
		return nil, describeFileError(err)
	}
	if len(b) > maxBriefFileBytes {
		if _, err := articleText(b[:utf8SafePrefix(b, 8<<10)]); err != nil {
			return nil, err // binary: say so rather than "too large"
		}
		return nil, fmt.Errorf("too large (over %d MiB); an article is much shorter", maxBriefFileBytes>>20)
	}
	return b, nil
}

func describeFileError(err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	case errors.As(err, &pe):
		return pe.Err
	}
	return err
}

// articleText checks that b is text and normalises it (BOM, CRLF).
func articleText(b []byte) (string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return "", errors.New("not a text file (binary or invalid UTF-8)")
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if strings.TrimSpace(s) == "" {
		return "", errors.New("empty: no article text")
	}
	return s, nil
}

// utf8SafePrefix returns a length <= n that does not cut a UTF-8 sequence.
func utf8SafePrefix(b []byte, n int) int {
	if n >= len(b) {
		return len(b)
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return n
}
