package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// This test enforces the dependency rules of STYLE.md (b) over the non-test
// packages of the module, with `go list -deps -json` (the idea of Go's own
// src/go/build/deps_test.go). A new arrow fails with the offending import.

const module = "newsbrief"

type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	Imports    []string
	Deps       []string
	GoFiles    []string
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

func listPackages(t *testing.T) map[string]*listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-json", "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]*listedPackage{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = &p
	}
	return pkgs
}

// under reports whether path is pkg or one of its subpackages.
func under(path, pkg string) bool {
	return path == pkg || strings.HasPrefix(path, pkg+"/")
}

func ours(path string) bool { return under(path, module) }

// sdkHome maps each confined third-party module to the only package tree
// that may import it (rule 5: SDK types never leave their package).
var sdkHome = map[string]string{
	"github.com/bwmarrin/discordgo":                      "newsbrief/bot/discord",
	"github.com/gorilla/websocket":                       "newsbrief/bot/discord",
	"github.com/go-telegram-bot-api/telegram-bot-api/v5": "newsbrief/bot/telegram",
	"github.com/redis/go-redis/v9":                       "newsbrief/store/redisstore",
	"go.etcd.io/bbolt":                                   "newsbrief/store/boltstore",
	"github.com/robfig/cron/v3":                          "newsbrief/scheduler",
	"github.com/mmcdole/gofeed":                          "newsbrief/ingest",
	"codeberg.org/readeck/go-readability/v2":             "newsbrief/ingest",
}

// sharedModules may be imported by any package outside the stdlib-only ones.
var sharedModules = []string{
	"github.com/prometheus/client_golang",
	"golang.org/x/time",
	"golang.org/x/net",
	"golang.org/x/text",
}

// testOnlyModules may be imported only by test-helper packages (*test).
var testOnlyModules = []string{"github.com/google/go-cmp"}

// moduleOf returns the module of an import path from the listing.
func moduleOf(pkgs map[string]*listedPackage, path string) string {
	if p := pkgs[path]; p != nil && p.Module != nil {
		return p.Module.Path
	}
	return ""
}

func isTestHelper(path string) bool { return strings.HasSuffix(path, "test") }

func TestDependencyRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module; skipped with -short")
	}
	pkgs := listPackages(t)
	n := 0
	for path := range pkgs {
		if ours(path) {
			n++
		}
	}
	if n < 5 {
		t.Fatalf("go list found only %d packages of %s", n, module)
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// violations checks every package of the module in pkgs and returns one
// message per broken rule.
func violations(pkgs map[string]*listedPackage) []string {
	var out []string
	errorf := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var mine []*listedPackage
	for _, p := range pkgs {
		if ours(p.ImportPath) {
			mine = append(mine, p)
		}
	}
	slices.SortFunc(mine, func(a, b *listedPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	for _, p := range mine {
		path := p.ImportPath

		// Rule 1: briefing, digest, config: standard library only (digest
		// may import briefing); briefing and digest also no I/O packages.
		for _, pure := range []string{"newsbrief/briefing", "newsbrief/digest", "newsbrief/config"} {
			if !under(path, pure) || isTestHelper(path) {
				continue
			}
			for _, d := range p.Deps {
				dp := pkgs[d]
				if dp != nil && dp.Standard {
					continue
				}
				if under(pure, "newsbrief/digest") && under(d, "newsbrief/briefing") {
					continue
				}
				errorf("rule 1: %s must use the standard library only, but depends on %s", path, d)
			}
			if pure == "newsbrief/config" {
				continue
			}
			for _, imp := range p.Imports {
				for _, banned := range []string{"os", "net", "log", "database", "syscall", "plugin", "unsafe", "io/ioutil"} {
					if under(imp, banned) {
						errorf("rule 1: %s must do no I/O, but imports %s", path, imp)
					}
				}
			}
			out = append(out, checkPureSource(p)...)
		}

		// Rule 2: the store contract imports only briefing and stdlib.
		if path == "newsbrief/store" {
			for _, d := range p.Deps {
				if dp := pkgs[d]; (dp == nil || !dp.Standard) && !under(d, "newsbrief/briefing") {
					errorf("rule 2: newsbrief/store (the contract) may import only briefing and stdlib, but depends on %s", d)
				}
			}
		}

		for _, imp := range p.Imports {
			// Rule 2: only cmd/bot imports the store implementations.
			for _, impl := range []string{"newsbrief/store/redisstore", "newsbrief/store/boltstore"} {
				if under(imp, impl) && !under(path, "newsbrief/cmd/bot") && !under(path, impl) {
					errorf("rule 2: only cmd/bot may import %s, but %s does", impl, path)
				}
			}
			// Rules 3 and 4: adapters are imported only by cmd/bot (and
			// their own test helpers); they never import each other, the
			// scheduler or delivery.
			for _, adapter := range []string{"newsbrief/bot/discord", "newsbrief/bot/telegram"} {
				if under(imp, adapter) && !under(path, "newsbrief/cmd/bot") && !under(path, adapter) {
					errorf("rule 3/4: only cmd/bot may import the adapter %s, but %s does", imp, path)
				}
				if under(path, adapter) {
					for _, banned := range []string{"newsbrief/scheduler", "newsbrief/delivery", "newsbrief/ingest"} {
						if under(imp, banned) {
							errorf("rule 3: adapter %s must not import %s", path, imp)
						}
					}
				}
			}
			// Nothing imports cmd/.
			if under(imp, "newsbrief/cmd") {
				errorf("%s imports %s: cmd packages are wiring only", path, imp)
			}

			// Rule 5: third-party modules stay in their package.
			if ours(imp) || (pkgs[imp] != nil && pkgs[imp].Standard) || !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
				continue
			}
			mod := moduleOf(pkgs, imp)
			if mod == "" {
				mod = imp
			}
			switch home, confined := sdkHome[mod]; {
			case confined:
				if !isTestHelper(path) {
					out = append(out, checkExportedAPI(p, imp)...)
				}
				if !under(path, home) {
					errorf("rule 5: %s may be imported only under %s, but %s imports %s", mod, home, path, imp)
				}
			case slices.ContainsFunc(sharedModules, func(m string) bool { return under(mod, m) }):
				// allowed (the stdlib-only packages were checked above)
			case slices.ContainsFunc(testOnlyModules, func(m string) bool { return under(mod, m) }):
				if !isTestHelper(path) {
					errorf("rule 5: %s is for tests only, but %s imports %s", mod, path, imp)
				}
			default:
				errorf("%s imports %s from %s, a module not approved in STYLE.md; add it to sdkHome or sharedModules deliberately", path, imp, mod)
			}
		}
	}
	return out
}

// checkPureSource: briefing and digest take time as an argument and start
// no goroutines (rule 1), which imports cannot show.
func checkPureSource(p *listedPackage) []string {
	var out []string
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		file := filepath.Join(p.Dir, name)
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			out = append(out, fmt.Sprintf("parse %s: %v", file, err))
			continue
		}
		timeName := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"time"` {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				out = append(out, fmt.Sprintf("rule 1: %s: go statement in %s (the engine is synchronous)", fset.Position(n.Pos()), p.ImportPath))
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && timeName != "" && id.Name == timeName && (n.Sel.Name == "Now" || n.Sel.Name == "Since" || n.Sel.Name == "Until") {
					out = append(out, fmt.Sprintf("rule 1: %s: time.%s in %s (time is an argument)", fset.Position(n.Pos()), n.Sel.Name, p.ImportPath))
				}
			}
			return true
		})
	}
	return out
}

// TestDependencyRulesCatchViolations feeds the checker a made-up module in
// which every rule is broken once, and a clean one.
func TestDependencyRulesCatchViolations(t *testing.T) {
	dir := t.TempDir()
	src := "package briefing\n\nimport \"time\"\n\nfunc f() time.Time { go func() {}(); return time.Now() }\n"
	if err := os.WriteFile(filepath.Join(dir, "b.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	dir2 := t.TempDir()
	src2 := `package discord

import dg "github.com/bwmarrin/discordgo"

type Bot struct {
	Session *dg.Session
	s       *dg.Session
}

func (b *Bot) Raw() *dg.Session { return b.s }
func (b *bot) raw() *dg.Session { return b.s }
func Handle(e *dg.MessageCreate) {}
func ok() *dg.Session { return nil }
`
	if err := os.WriteFile(filepath.Join(dir2, "d.go"), []byte(src2), 0o600); err != nil {
		t.Fatal(err)
	}
	mod := func(path string) *struct{ Path string } { return &struct{ Path string }{path} }
	std := func(paths ...string) []*listedPackage {
		var out []*listedPackage
		for _, p := range paths {
			out = append(out, &listedPackage{ImportPath: p, Standard: true})
		}
		return out
	}
	build := func(ps ...*listedPackage) map[string]*listedPackage {
		m := map[string]*listedPackage{}
		for _, p := range append(ps, std("os", "time", "fmt", "net/http", "log/slog")...) {
			m[p.ImportPath] = p
		}
		for _, p := range []struct{ path, mod string }{
			{"github.com/redis/go-redis/v9", "github.com/redis/go-redis/v9"},
			{"github.com/bwmarrin/discordgo", "github.com/bwmarrin/discordgo"},
			{"github.com/google/go-cmp/cmp", "github.com/google/go-cmp"},
			{"github.com/prometheus/client_golang/prometheus", "github.com/prometheus/client_golang"},
			{"example.com/left-pad", "example.com/left-pad"},
		} {
			m[p.path] = &listedPackage{ImportPath: p.path, Module: mod(p.mod)}
		}
		return m
	}

	clean := build(
		&listedPackage{ImportPath: "newsbrief/briefing", Imports: []string{"fmt"}, Deps: []string{"fmt"}},
		&listedPackage{ImportPath: "newsbrief/digest", Imports: []string{"newsbrief/briefing", "time"}, Deps: []string{"newsbrief/briefing", "time"}},
		&listedPackage{ImportPath: "newsbrief/store/redisstore", Imports: []string{"github.com/redis/go-redis/v9"}},
		&listedPackage{ImportPath: "newsbrief/cmd/bot", Imports: []string{"newsbrief/store/redisstore", "newsbrief/bot/discord", "github.com/prometheus/client_golang/prometheus"}},
		&listedPackage{ImportPath: "newsbrief/bot/discord", Imports: []string{"github.com/bwmarrin/discordgo", "newsbrief/bot"}},
		&listedPackage{ImportPath: "newsbrief/store/storetest", Imports: []string{"github.com/google/go-cmp/cmp"}},
	)
	if v := violations(clean); len(v) != 0 {
		t.Errorf("clean module: violations %q", v)
	}

	broken := build(
		&listedPackage{ImportPath: "newsbrief/briefing", Dir: dir, GoFiles: []string{"b.go"}, Imports: []string{"os", "time"}, Deps: []string{"os", "time", "github.com/google/go-cmp/cmp"}},
		&listedPackage{ImportPath: "newsbrief/config", Imports: []string{"newsbrief/briefing"}, Deps: []string{"newsbrief/briefing"}},
		&listedPackage{ImportPath: "newsbrief/store", Imports: []string{"net/http", "newsbrief/fetch"}, Deps: []string{"net/http", "newsbrief/fetch"}},
		&listedPackage{ImportPath: "newsbrief/delivery", Imports: []string{"newsbrief/store/boltstore", "github.com/redis/go-redis/v9", "github.com/google/go-cmp/cmp"}},
		&listedPackage{ImportPath: "newsbrief/bot/telegram", Imports: []string{"newsbrief/bot/discord", "newsbrief/scheduler", "example.com/left-pad"}},
		&listedPackage{ImportPath: "newsbrief/httpapi", Imports: []string{"newsbrief/bot/telegram", "github.com/bwmarrin/discordgo"}},
		&listedPackage{ImportPath: "newsbrief/bot/discord", Dir: dir2, GoFiles: []string{"d.go"}, Imports: []string{"github.com/bwmarrin/discordgo"}},
	)
	got := strings.Join(violations(broken), "\n")
	for _, unwanted := range []string{"raw exposes", "ok exposes", "Bot.s exposes"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("unexported API reported (%q):\n%s", unwanted, got)
		}
	}
	for _, want := range []string{
		"rule 1: newsbrief/briefing must use the standard library only, but depends on github.com/google/go-cmp/cmp",
		"rule 1: newsbrief/briefing must do no I/O, but imports os",
		"go statement in newsbrief/briefing",
		"time.Now in newsbrief/briefing",
		"rule 1: newsbrief/config must use the standard library only, but depends on newsbrief/briefing",
		"rule 2: newsbrief/store (the contract) may import only briefing and stdlib, but depends on newsbrief/fetch",
		"rule 2: only cmd/bot may import newsbrief/store/boltstore, but newsbrief/delivery does",
		"rule 5: github.com/redis/go-redis/v9 may be imported only under newsbrief/store/redisstore, but newsbrief/delivery imports github.com/redis/go-redis/v9",
		"rule 5: github.com/google/go-cmp is for tests only, but newsbrief/delivery imports github.com/google/go-cmp/cmp",
		"rule 3/4: only cmd/bot may import the adapter newsbrief/bot/discord, but newsbrief/bot/telegram does",
		"rule 3: adapter newsbrief/bot/telegram must not import newsbrief/scheduler",
		"newsbrief/bot/telegram imports example.com/left-pad from example.com/left-pad, a module not approved",
		"rule 3/4: only cmd/bot may import the adapter newsbrief/bot/telegram, but newsbrief/httpapi does",
		"rule 5: github.com/bwmarrin/discordgo may be imported only under newsbrief/bot/discord, but newsbrief/httpapi imports",
		"Bot.Session exposes dg.Session in newsbrief/bot/discord's exported API",
		"Raw exposes dg.Session in newsbrief/bot/discord's exported API",
		"Handle exposes dg.MessageCreate in newsbrief/bot/discord's exported API",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("violations lack %q; got:\n%s", want, got)
		}
	}
}

// checkExportedAPI: SDK types never appear in the exported API of the
// package that wraps the SDK (rule 5), so no caller can depend on them.
// It looks at exported functions and methods of exported types, exported
// struct fields, interface methods, and exported vars and types.
func checkExportedAPI(p *listedPackage, sdkImport string) []string {
	var out []string
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		file := filepath.Join(p.Dir, name)
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			continue // reported by the compiler
		}
		local := ""
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) != sdkImport {
				continue
			}
			switch {
			case imp.Name != nil:
				local = imp.Name.Name
			default:
				local = sdkPackageName(sdkImport)
			}
		}
		if local == "" || local == "_" || local == "." {
			continue
		}
		uses := func(where string, n ast.Node) {
			if n == nil {
				return
			}
			ast.Inspect(n, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == local {
						out = append(out, fmt.Sprintf("rule 5: %s: %s exposes %s.%s in %s's exported API",
							fset.Position(sel.Pos()), where, local, sel.Sel.Name, p.ImportPath))
					}
				}
				return true
			})
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
					continue
				}
				uses(d.Name.Name, d.Type)
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch sp := spec.(type) {
					case *ast.TypeSpec:
						if !sp.Name.IsExported() {
							continue
						}
						switch t := sp.Type.(type) {
						case *ast.StructType:
							for _, f := range t.Fields.List {
								for _, n := range f.Names {
									if n.IsExported() {
										uses(sp.Name.Name+"."+n.Name, f.Type)
									}
								}
								if len(f.Names) == 0 { // embedded
									uses(sp.Name.Name, f.Type)
								}
							}
						default:
							uses(sp.Name.Name, sp.Type)
						}
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							if n.IsExported() {
								uses(n.Name, sp.Type)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// sdkPackageName guesses the package name of an import path: the last
// element, skipping a major-version suffix (".../telegram-bot-api/v5" is
// package tgbotapi, so such imports are matched by their explicit name;
// an unnamed import of it falls back to this guess).
func sdkPackageName(path string) string {
	parts := strings.Split(path, "/")
	last := parts[len(parts)-1]
	if len(parts) > 1 && len(last) >= 2 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = parts[len(parts)-2]
	}
	switch path {
	case "github.com/go-telegram-bot-api/telegram-bot-api/v5":
		return "tgbotapi"
	case "github.com/redis/go-redis/v9":
		return "redis"
	case "codeberg.org/readeck/go-readability/v2":
		return "readability"
	case "go.etcd.io/bbolt":
		return "bbolt"
	}
	return last
}

func exportedRecv(fl *ast.FieldList) bool {
	if fl == nil || len(fl.List) == 0 {
		return true
	}
	t := fl.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}
