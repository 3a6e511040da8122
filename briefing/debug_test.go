package briefing

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDebugDump prints the document model of BRIEF_DEBUG=<file> (a corpus
// .txt); it is skipped otherwise.
func TestDebugDump(t *testing.T) {
	path := os.Getenv("BRIEF_DEBUG")
	if path == "" {
		t.Skip("set BRIEF_DEBUG")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(raw), "\n")
	body = strings.TrimPrefix(body, "\n")
	d := &doc{text: body}
	d.paras = cleanParas(body, title)
	d.tokenize()
	d.findQuotes()
	d.splitSentences()
	d.findMentions()
	d.buildRefs()
	for si, s := range d.sents {
		fmt.Printf("S%d skip=%v subj=%d: %s\n", si, s.skip, d.sentSubj[si], d.sentText(si))
		for _, r := range d.refs {
			if r.sent != si {
				continue
			}
			name, _ := d.speakerOf(indexOfRef(d, r))
			fmt.Printf("   ref %d %q -> %q\n", r.kind, d.text[d.toks[r.t0].s:d.toks[r.t1-1].e], name)
		}
	}
	for _, e := range d.ents {
		fmt.Printf("ENT %q role=%q aliases=%q\n", e.name, e.role, e.aliases)
	}
}

func indexOfRef(d *doc, r ref) int {
	for i := range d.refs {
		if d.refs[i].t0 == r.t0 && d.refs[i].t1 == r.t1 {
			return i
		}
	}
	return -1
}
