package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"
)

// trackingParams are query parameters that identify a campaign or a click,
// never the article; CanonicalURL drops them (and every utm_* parameter).
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true,
	"yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true,
	"_gl": true, "twclid": true, "ttclid": true, "li_fat_id": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "wickedid": true,
	"ncid": true, "cmpid": true, "ocid": true,
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true,
	"at_custom3": true, "at_custom4": true, "ref_src": true, "ref_url": true,
	"spm": true, "s_cid": true, "guccounter": true,
}

// CanonicalURL normalises an article URL so that the same page reached by
// different links compares equal: scheme and host lowercased, default port
// and fragment dropped, tracking parameters (utm_*, fbclid, gclid, …)
// removed, remaining parameters sorted, and a trailing slash removed from
// non-root paths. Only http and https URLs are accepted.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonical URL %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("canonical URL %q: not an http or https URL", raw)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("canonical URL %q: no host", raw)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.Opaque = ""

	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			q = url.Values{}
			for _, kv := range strings.Split(u.RawQuery, "&") {
				k, v, _ := strings.Cut(kv, "=")
				q.Add(k, v)
			}
		}
		for k := range q {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || trackingParams[lk] || k == "" {
				q.Del(k)
			}
		}
		for _, vs := range q {
			sort.Strings(vs)
		}
		u.RawQuery = q.Encode() // Encode sorts by key
	}
	u.ForceQuery = false

	p := u.EscapedPath()
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
	}
	if p == "" {
		p = "/"
	}
	out, err := url.Parse(u.Scheme + "://" + u.Host + p)
	if err != nil {
		return "", fmt.Errorf("canonical URL %q: %w", raw, err)
	}
	out.RawQuery = u.RawQuery
	return out.String(), nil
}

// ContentHash returns a hex SHA-256 of the article text normalised for
// comparison: letters and digits only, case-folded, one space between
// words. Copies of one story that differ only in markup, spacing,
// punctuation or case hash alike. It is "" for text with no words, so empty
// bodies never collide.
func ContentHash(text string) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	if b.Len() == 0 {
		return ""
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
