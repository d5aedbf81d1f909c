package export

import "slices"

// A full build finds pages by following links from the seeds, so a page
// that no page links to any more is not in it, though the site may still
// answer for it (a topic whose entries all moved elsewhere). An incremental
// build renders only the pages that show a change; to leave the same files
// as a full build, it keeps every page's links in the manifest and walks
// them from the seeds once its pages are built, removing what it does not
// reach. The addresses pages link to that were no page (a redirect, a page
// not found) are asked again at each incremental build, in case one has
// become a page, which a full build would find by the link.

// linkGraph is the pages' links at the end of a build, each page's as
// indexes into one table of addresses that begins with the last build's,
// so that a kept page's recorded links are already numbered.
type linkGraph struct {
	addrs []string         // escaped paths
	files []string         // the file of each address; "" for none
	index map[string]int   // addrs, inverted
	out   map[string][]int // each page's links, by the page's file
	// broken says a page has no record of its links, which should not
	// happen: with it, nothing can be said to be unreached.
	broken bool
}

// linkGraph gathers the links of the build's pages; the workers are done.
func (b *builder) linkGraph() *linkGraph {
	g := &linkGraph{addrs: b.addrs, index: b.addrIndex, out: make(map[string][]int, len(b.files))}
	for name := range b.files {
		rec, ok := b.records[name]
		if !ok {
			g.broken = true
		}
		g.out[name] = rec.links
	}
	g.files = make([]string, len(g.addrs))
	for i, a := range g.addrs {
		if name, ok := fileName(a); ok {
			g.files[i] = name
		}
	}
	return g
}

// prune drops from an incremental build the pages it does not reach from
// the seeds, and returns their files, which the caller removes.
func (b *builder) prune() []string {
	g := b.graph
	if g.broken {
		return nil
	}
	reached := make(map[string]bool, len(b.files))
	var stack []string
	visit := func(name string) {
		if _, ok := b.files[name]; ok && !reached[name] {
			reached[name] = true
			stack = append(stack, name)
		}
	}
	for _, p := range b.seeds() {
		// A seed reaches its own file: not /n/'s page for the old
		// address /n/index.html, which a full build reaches, or not, by
		// the links to /n/.
		if name, ok := fileName(p); ok && (b.records[name].path == p || b.records[name].redirect) {
			visit(name)
		}
	}
	for len(stack) > 0 {
		name := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, i := range g.out[name] {
			if f := g.files[i]; f != "" {
				visit(f)
			}
		}
	}
	var dropped []string
	for name := range b.files {
		if reached[name] {
			continue
		}
		if b.records[name].written {
			b.res.Written--
		}
		delete(b.files, name)
		delete(b.records, name)
		delete(g.out, name)
		dropped = append(dropped, name)
	}
	slices.Sort(dropped)
	return dropped
}

// compact renumbers the links of the pages of files into a table of the
// addresses they use, in the order of the pages' files, and returns the
// table.
func (g *linkGraph) compact(files map[string]string) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		if _, ok := g.out[name]; ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	renumber := make([]int, len(g.addrs))
	for i := range renumber {
		renumber[i] = -1
	}
	var addrs []string
	for _, name := range names {
		links := make([]int, len(g.out[name]))
		for j, i := range g.out[name] {
			if renumber[i] < 0 {
				renumber[i] = len(addrs)
				addrs = append(addrs, g.addrs[i])
			}
			links[j] = renumber[i]
		}
		g.out[name] = links
	}
	return addrs
}

// links returns a page's links as compact numbered them.
func (g *linkGraph) links(name string) []int { return g.out[name] }
