// Package briefing turns one news article into a short, structured
// briefing: who met whom, who said what, and attack tallies.
//
// Brief runs a pipeline of passes over one shared document model (doc in
// segment.go), each in its own file:
//
//	clean.go     paragraphs; boilerplate, datelines, credits, READ MORE blocks
//	segment.go   tokens, quote spans (all mark styles, nesting, run-on
//	             paragraphs), sentences (abbreviations, ellipses, quotes)
//	people.go    person names, roles before/after, variants merged
//	coref.go     references: pronouns, role phrases, bodies, resolution
//	quotes.go    quotes and their speakers
//	meetings.go  who met whom, where, when, held or planned
//	numbers.go   number grammar (digits, number words, "a dozen", "a child")
//	facts.go     counts of weapons and victims in a sentence
//	places.go    where a tally happened and who reported it
//	tallies.go   attack entries: totals, regional breakdowns, rising tolls
//	brief.go     assembly and lead; render.go text and Markdown
//
// Lexicons are read-only tables in lexicon.go (and next to the pass that
// uses them); each set owns a bit of a per-token mask for fast look-ups.
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
