// Package ingest brings articles into newsbrief: it polls RSS, Atom and JSON
// feeds (Poller), fetches and extracts pages (Pages), deduplicates and
// briefs articles (Ingester) and serves the ingest HTTP API (NewAPI).
//
// Deduplication keys are the item GUID, the canonical URL (CanonicalURL)
// and a hash of the normalised text (ContentHash); the store makes the
// final, atomic decision in PutArticle.
package ingest
