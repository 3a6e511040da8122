package fetch

import (
	"errors"
	"fmt"
)

// Kind classifies why a fetch failed.
type Kind int

// Error kinds. Each one has a sentence a user can act on (see Error.Error).
const (
	// BadURL: the URL does not parse or its scheme is not http or https.
	BadURL Kind = iota + 1
	// Blocked: the host resolves to an address the fetcher refuses
	// (loopback, private, link-local, multicast, …) and FETCH_ALLOW_NETS
	// does not open it.
	Blocked
	// TooLarge: the body is larger than Options.MaxBytes.
	TooLarge
	// Timeout: the server did not answer within Options.Timeout (or the
	// context deadline passed).
	Timeout
	// BadType: the content type is not one the fetcher accepts.
	BadType
	// BadBody: the body is binary or not valid text.
	BadBody
	// BadStatus: the server answered with a status other than 2xx (or 304
	// to a conditional request).
	BadStatus
	// TooManyRedirects: more than Options.MaxRedirects redirects.
	TooManyRedirects
	// Network: the connection failed (DNS, refused, TLS, reset…).
	Network
)

var kindNames = map[Kind]string{
	BadURL:           "bad_url",
	Blocked:          "blocked",
	TooLarge:         "too_large",
	Timeout:          "timeout",
	BadType:          "bad_type",
	BadBody:          "bad_body",
	BadStatus:        "bad_status",
	TooManyRedirects: "too_many_redirects",
	Network:          "network",
}

// String returns a short snake_case name, suitable as a metric label.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the error every failed Get returns (possibly wrapped by callers).
// Its message is a sentence meant to be shown to the user who asked for the
// URL; it never contains response bodies.
type Error struct {
	Kind Kind
	// URL is the URL being fetched when the error happened (after
	// redirects, the redirect target).
	URL string
	// Host is the host name of URL.
	Host string
	// Addr is the resolved address refused (Kind Blocked), if known.
	Addr string
	// Status is the HTTP status (Kind BadStatus).
	Status int
	// Detail completes the sentence (reason, content type, limit…).
	Detail string
	// Err is the underlying error, if any.
	Err error
}

// Error returns a sentence describing the refusal.
func (e *Error) Error() string {
	host := e.Host
	if host == "" {
		host = e.URL
	}
	switch e.Kind {
	case BadURL:
		return fmt.Sprintf("cannot fetch %q: %s", e.URL, e.Detail)
	case Blocked:
		if e.Addr != "" && e.Addr != host {
			return fmt.Sprintf("refusing to fetch %s: it resolves to %s, %s", host, e.Addr, e.Detail)
		}
		return fmt.Sprintf("refusing to fetch %s: it is %s", host, e.Detail)
	case TooLarge:
		return fmt.Sprintf("refusing to fetch %s: the page is larger than %s", host, e.Detail)
	case Timeout:
		return fmt.Sprintf("%s did not answer in time (%s)", host, e.Detail)
	case BadType:
		return fmt.Sprintf("refusing to fetch %s: %s", host, e.Detail)
	case BadBody:
		return fmt.Sprintf("refusing to fetch %s: %s", host, e.Detail)
	case BadStatus:
		return fmt.Sprintf("%s answered %s", host, e.Detail)
	case TooManyRedirects:
		return fmt.Sprintf("refusing to fetch %s: %s", host, e.Detail)
	default:
		if e.Err != nil {
			return fmt.Sprintf("cannot reach %s: %v", host, e.Err)
		}
		return fmt.Sprintf("cannot reach %s: %s", host, e.Detail)
	}
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Kind: k}) match any *Error of kind k.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.URL == "" && t.Host == ""
}

// KindOf returns the Kind of the first *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return 0
}
