package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags end a paragraph: their text goes on its own line.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Main: true,
	atom.Figure: true, atom.Figcaption: true, atom.Table: true, atom.Tr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Hr: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Form: true, atom.Fieldset: true,
	atom.Body: true, atom.Html: true,
}

// skipTags hold no article text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Nav: true,
}

// HTMLToText renders HTML as plain text: one paragraph per line, white
// space inside a paragraph collapsed to single spaces, scripts, styles and
// navigation dropped, entities decoded. Text that is not HTML comes back
// with its white space normalised the same way. The result is valid UTF-8.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return normaliseText(s)
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return normaliseText(s)
	}
	var w textWriter
	for _, n := range nodes {
		w.node(n)
	}
	return w.String()
}

// nodeText renders one parsed node tree like HTMLToText.
func nodeText(n *html.Node) string {
	var w textWriter
	w.node(n)
	return w.String()
}

// normaliseText collapses white space inside lines, trims lines and drops
// empty ones.
func normaliseText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var w textWriter
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.breakLine()
		}
		w.text(line)
	}
	return w.String()
}

type textWriter struct {
	b       strings.Builder
	space   bool // a space is pending before the next word
	lineLen int  // runes on the current line
}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if skipTags[n.DataAtom] {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		w.breakLine()
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
		w.space = w.lineLen > 0
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.breakLine()
	}
}

func (w *textWriter) text(s string) {
	for _, r := range s {
		if r == utf8.RuneError || r == 0 || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			continue
		}
		if unicode.IsSpace(r) {
			w.space = w.lineLen > 0
			continue
		}
		if w.space {
			w.b.WriteByte(' ')
			w.space = false
		}
		w.b.WriteRune(r)
		w.lineLen++
	}
}

func (w *textWriter) breakLine() {
	if w.lineLen > 0 {
		w.b.WriteByte('\n')
	}
	w.lineLen = 0
	w.space = false
}

func (w *textWriter) String() string {
	return strings.TrimRight(w.b.String(), "\n")
}
