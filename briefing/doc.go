// Package briefing turns one news article into a short, structured
// briefing: who met whom, who said what, and attack tallies.
//
// Brief runs a pipeline of passes over one shared document model:
// clean (boilerplate, datelines, credits, related-headline blocks) →
// segment (tokens, quote spans, sentences) → people (names, roles,
// variants) → coref (pronouns, role phrases, bodies) → quotes, meetings,
// tallies → assembly. Lexicons are read-only tables in lexicon.go.
//
// Invariants, enforced by the design and checked by tests and fuzzing:
//   - Every Quote.Text, Lead and Evidence is an exact substring of the input.
//   - Every number in an Attack appears in the input, as digits or as the
//     number word that produced it ("three", "a dozen", "a child").
//   - Boilerplate (READ MORE headline blocks, agency credits, "could not
//     independently verify", bylines, captions, share/subscribe lines)
//     never yields facts.
//   - A quote whose speaker cannot be found keeps an empty Speaker rather
//     than a guessed one.
//   - Output slices are never nil, so JSON shows [] rather than null.
//   - No I/O, no goroutines, no clocks, no package-level mutable state:
//     Brief is deterministic and safe for concurrent use. Work and memory
//     grow linearly with the input.
package briefing
