package briefing_test

import (
	"regexp"
	"testing"
)

// The third held-out set in testdata/holdout3 was written by an author who
// did not see the engine's rules or the misses of the earlier sets.
//
// It is for MEASURING GENERALISATION ONLY. Never read its misses to add
// rules or lexicon entries and never raise its floor: once the engine is
// tuned on it, it stops measuring anything. Write a new, unseen set instead.
const (
	holdout3Dir = "testdata/holdout3"
	// holdout3MinSize is the number of articles the set holds.
	holdout3MinSize = 20
)

// TestHoldout3 scores the engine on the third held-out set and prints the
// same table as TestCorpus. Its floor is 0: the set is for measuring
// generalisation only and must never be used to tune the engine.
func TestHoldout3(t *testing.T) {
	reportSet(t, "holdout3", loadSet(t, holdout3Dir), nil)
}

// TestHoldout3Valid checks the set's annotations against their articles.
func TestHoldout3Valid(t *testing.T) {
	validateSet(t, loadSet(t, holdout3Dir), validSet{
		minSize: holdout3MinSize, minWords: 280, maxWords: 800,
		nameRe: regexp.MustCompile(`^\d\d-[a-z0-9-]+$`),
	})
}
