package vocab

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// The CNCF landscape (landscape.yml): a "landscape" list of categories,
// each with "subcategories", each with "items". An item is a project or
// product, or, under "CNCF Members" and two subcategories of "Special", a
// company or a non-profit. Its "crunchbase" field is the organisation
// behind it, as a Crunchbase URL whose last part (the slug) names it.

// cncfItemFields are the item fields the landscape uses (landscape2's
// data.schema.json); a field within two edits of one is taken for a typo.
var cncfItemFields = []string{
	"item", "name", "homepage_url", "logo", "crunchbase", "description", "repo_url", "joined",
	"twitter", "extra", "project", "second_path", "unnamed_organization", "enduser",
	"allow_duplicate_repo", "open_source", "project_org", "url_for_bestpractices",
	"additional_repos", "branch", "organization", "stock_ticker", "bluesky_url", "slug",
	"accepted", "incubating", "graduated", "archived", "summary", "license",
}

// cncfKinds gives the kind of the items of a category or subcategory
// that lists organisations, not projects; every other item is a tool.
var cncfKinds = map[string]graph.Kind{
	"CNCF Members":                                         graph.KindCompany,
	"CNCF Members/Nonprofit":                               graph.KindOrganization,
	"CNCF Members/Academic":                                graph.KindOrganization,
	"Special/Kubernetes Certified Service Provider":        graph.KindCompany,
	"Special/Kubernetes and Cloud Native Training Partner": graph.KindCompany,
}

// cncfNotTopics are subcategories that say where an item is filed, not
// what it is about: certifications, membership tiers and catch-alls.
var cncfNotTopics = []string{
	"Tools", "Tooling", "Framework", "Runtime", "Runtimes", "Hosted Platform", "Hosted Platforms",
	"Installable Platform", "Certified CNFs", "Certified Kubernetes - Distribution",
	"Certified Kubernetes - Hosted", "Certified Kubernetes - Installer",
	"Certified Kubernetes - AI Platform", "PaaS/Container Service", "Languages",
	"Application Frameworks", "Embedded Functions", "Edge/Bare metal", "Decentralized Platforms",
	"Evaluation", "Structured Output", "State and Memory", "Agent Framework", "Agent Tool",
	"Protocol", "Post Training", "Workload Runtime", "Accelerator and SuperPod",
	"Model Asset and Registry", "Packaging, Registries & Application Delivery",
	"Orchestration & Management", "Debugging & Observability", "Gateway", "Network", "Storage",
	"Special",
}

var memberSuffix = regexp.MustCompile(`(?i)\s*\(member\)\s*$`)

func readCNCF(name string, data []byte) (*Registry, error) {
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}
	land := value(root, "landscape")
	if land == nil || land.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: %w: no \"landscape\" list: give the CNCF landscape's landscape.yml", name, ErrInput)
	}
	r := &Registry{}
	var probs Problems
	fc := newFieldCheck(name, cncfItemFields, &probs)
	byName := map[string]int{}
	for _, cat := range land.Content {
		catName := str(cat, "name")
		subs := value(cat, "subcategories")
		if subs == nil {
			continue
		}
		for _, sub := range subs.Content {
			subName := str(sub, "name")
			items := value(sub, "items")
			if items == nil {
				continue
			}
			for _, it := range items.Content {
				e, ok := cncfEntry(name, it, catName, subName, fc, &probs)
				if !ok {
					continue
				}
				key := fold(e.Name) + "\x00" + string(e.Kind)
				if i, dup := byName[key]; dup {
					r.Notes = append(r.Notes, mergeDuplicate(name, &r.Entries[i], e))
					continue
				}
				byName[key] = len(r.Entries)
				r.Entries = append(r.Entries, e)
			}
		}
	}
	r.Notes = append(r.Notes, fc.notes()...)
	if len(probs) > 0 {
		return nil, probs
	}
	if len(r.Entries) == 0 {
		return nil, fmt.Errorf("%s: %w: the landscape lists no items", name, ErrInput)
	}
	return r, nil
}

// cncfEntry reads one item.
func cncfEntry(file string, it *yaml.Node, cat, sub string, fc *fieldCheck, probs *Problems) (Entry, bool) {
	var fields []string
	for _, kv := range pairs(it) {
		fields = append(fields, kv[0].Value)
	}
	raw := str(it, "name")
	fc.check(it.Line, raw, fields)
	if raw == "" {
		*probs = append(*probs, fmt.Sprintf("%s:%d: an item of %s / %s has no name: give it one, or remove it", file, it.Line, cat, sub))
		return Entry{}, false
	}
	e := Entry{Registry: CNCF, Line: it.Line, Name: memberSuffix.ReplaceAllString(raw, ""), Kind: graph.KindTool}
	if k, ok := cncfKinds[cat+"/"+sub]; ok {
		e.Kind = k
	} else if k, ok := cncfKinds[cat]; ok {
		e.Kind = k
	}
	e.URL = firstURL(str(it, "homepage_url"), str(it, "repo_url"))
	e.Description = strings.Join(strings.Fields(str(it, "description")), " ")
	org := crunchbaseSlug(str(it, "crunchbase"))
	if e.Kind == graph.KindTool {
		e.Org = org
		e.Topics = cncfTopics(sub, strs(it, "second_path"))
	} else {
		e.Self = org
	}
	e.Quote = oneLine("name: "+raw, "homepage_url: "+str(it, "homepage_url"), orEmpty("crunchbase: ", str(it, "crunchbase")), "in "+cat+" / "+sub)
	return e, true
}

// cncfTopics returns the subcategories an item is filed under that are
// topics, its own first.
func cncfTopics(sub string, second []string) []string {
	var out []string
	for _, s := range append([]string{sub}, second...) {
		if i := strings.LastIndex(s, " / "); i >= 0 {
			s = s[i+3:]
		}
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(cncfNotTopics, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// mergeDuplicate folds a project the landscape files twice (under two
// subcategories) into its first entry, and says so.
func mergeDuplicate(file string, first *Entry, e Entry) string {
	for _, t := range e.Topics {
		if !slices.Contains(first.Topics, t) {
			first.Topics = append(first.Topics, t)
		}
	}
	if first.Org == "" {
		first.Org = e.Org
	}
	if first.Description == "" {
		first.Description = e.Description
	}
	note := fmt.Sprintf("%s:%d: %q is listed again at line %d: one entity, filed under both", file, first.Line, first.Name, e.Line)
	if host(first.URL) != host(e.URL) {
		note += fmt.Sprintf(" (the homepages differ: %s is kept, %s left out)", first.URL, e.URL)
	}
	return note
}

// crunchbaseSlug returns the organisation slug of a Crunchbase URL.
func crunchbaseSlug(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	if i := strings.Index(u, "/organization/"); i >= 0 {
		return u[i+len("/organization/"):]
	}
	return ""
}

func firstURL(us ...string) string {
	for _, u := range us {
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			return u
		}
	}
	return ""
}

// host returns a URL's host without "www.".
func host(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimPrefix(strings.ToLower(u), "www.")
}

func orEmpty(prefix, v string) string {
	if v == "" {
		return ""
	}
	return prefix + v
}
