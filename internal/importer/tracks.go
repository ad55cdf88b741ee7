package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/talkgraph/talkgraph/graph"
)

// Tracks are topics. A frab track or a Sessionize category becomes a
// topic its talks are "about" (the file as evidence): the entity another
// data set defines under that name (38C3's "Security" is the vocabulary's
// Security), else a concept of its own, one across conferences by name. A
// tracks file merges names and tells channels apart:
//
//	same:                         # one topic, several track names
//	  - id: security              # optional: the slug of name, or an entity's id
//	    name: Security
//	    names: [Security & Hacking, Sicherheit]
//	channels: [ChaosZone TV]      # streams or rooms, not topics
//	topics: [Art & Beauty]        # topics, though they look like channels
//
// A track named like its event's room, or like a stream ("… TV", "…
// Stream", "Channel …", "Stage …", "Saal …"), is taken for a channel
// unless the file lists it under topics; so is one whose events are all in
// one room named like it, that holds no other track (rC3's channels).
type Tracks struct {
	Same     []SameEntry `yaml:"same"`
	Channels []string    `yaml:"channels"`
	Topics   []string    `yaml:"topics"`

	byName map[string]int
}

// KnownEntity is an entity another data set defines, that a track may
// name.
type KnownEntity struct {
	ID   string
	Kind graph.Kind
	Name string
}

// ReadTracks reads and checks a tracks file. It returns an error wrapping
// ErrInput naming the file and what is wrong.
func ReadTracks(path string) (*Tracks, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read tracks file: %w", err)
	}
	var t Tracks
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w: %s: use the fields same (id, name, names), channels and topics", path, ErrInput, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", path, ErrInput, err)
	}
	return &t, nil
}

// Check checks the file's entries and indexes them; ReadTracks calls it.
// It returns an error naming the entry that is wrong.
func (t *Tracks) Check() error {
	t.byName = map[string]int{}
	for i := range t.Same {
		e := &t.Same[i]
		if strings.TrimSpace(e.Name) == "" {
			return fmt.Errorf("same entry %d has no name: give the topic's name", i+1)
		}
		if e.ID == "" {
			e.ID = Slug(e.Name)
		}
		if err := graph.CheckID(e.ID); err != nil {
			return fmt.Errorf("same entry %q: %w", e.Name, err)
		}
		for _, n := range append([]string{e.Name}, e.Names...) {
			f := foldAccents(n)
			if j, dup := t.byName[f]; dup && j != i {
				return fmt.Errorf("the track %q is in two same entries (%s and %s): keep it in one", n, t.Same[j].ID, e.ID)
			}
			t.byName[f] = i
		}
	}
	for _, c := range t.Channels {
		if slices.ContainsFunc(t.Topics, func(s string) bool { return foldAccents(s) == foldAccents(c) }) {
			return fmt.Errorf("%q is under both channels and topics: keep it in one", c)
		}
	}
	return nil
}

// channelLike matches the names of streams and stages.
var channelLike = regexp.MustCompile(`(?i)(\b(tv|stream|streams|channel|kanal|stage|bühne|buehne|saal|hall|room|lounge|radio|studio)\b)`)

// trackTopics turns one import's tracks into topics.
type trackTopics struct {
	file  *Tracks
	known map[string]KnownEntity
	b     *builder
	made  map[string]string // folded track -> topic id ("" for a channel)
	// rooms are the tracks that are a room's: every event of the track is
	// in one room that holds no other track and shares a word with it
	// (rC3's "Ennepetal CWTV" in "Chaos-West TV - Ennepetal").
	rooms map[string]bool
}

// roomTracks returns the folded tracks of events that coincide with
// rooms, when the programme has two rooms or more.
func roomTracks(events []Event) map[string]bool {
	roomsOf, tracksOf := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, ev := range events {
		t, r := foldAccents(cleanLine(ev.Track)), foldAccents(cleanLine(ev.Room))
		if t == "" || r == "" || ev.Service {
			continue
		}
		if roomsOf[t] == nil {
			roomsOf[t] = map[string]bool{}
		}
		if tracksOf[r] == nil {
			tracksOf[r] = map[string]bool{}
		}
		roomsOf[t][r], tracksOf[r][t] = true, true
	}
	out := map[string]bool{}
	if len(tracksOf) < 2 {
		return out
	}
	for t, rooms := range roomsOf {
		if len(rooms) != 1 {
			continue
		}
		for r := range rooms {
			if len(tracksOf[r]) == 1 && shareWord(t, r) {
				out[t] = true
			}
		}
	}
	return out
}

// shareWord reports whether two folded names have a word of three letters
// or more in common: a channel is named after its room ("Chaos-West TV -
// Ennepetal" streams "Ennepetal CWTV"), a topic is not.
func shareWord(a, b string) bool {
	words := strings.Fields(b)
	for _, w := range strings.Fields(a) {
		if len(w) >= 3 && slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// topic returns the id of the topic a track names, defining its node in
// the data set, or "" when the track is none (empty, a channel).
func (tt *trackTopics) topic(ev *Event, raw string) string {
	name := cleanLine(raw)
	f := foldAccents(name)
	if f == "" {
		return ""
	}
	if id, done := tt.made[f]; done {
		return id
	}
	id := tt.resolve(ev, name, f)
	tt.made[f] = id
	return id
}

func (tt *trackTopics) resolve(ev *Event, name, f string) string {
	b := tt.b
	in := func(list []string) bool {
		return tt.file != nil && slices.ContainsFunc(list, func(s string) bool { return foldAccents(s) == f })
	}
	switch {
	case in(tt.file.channelList()):
		b.report.Channels = append(b.report.Channels, name)
		return ""
	case tt.file != nil && tt.file.has(f):
		e := tt.file.Same[tt.file.byName[f]]
		f = foldAccents(e.Name)
		if k, ok := tt.known[foldAccents(e.ID)]; ok && k.ID == e.ID {
			return tt.define(k.ID, k.Kind, k.Name)
		}
		if k, ok := tt.known[f]; ok {
			return tt.define(k.ID, k.Kind, k.Name)
		}
		return tt.define(e.ID, graph.KindConcept, e.Name)
	case !in(tt.file.topicList()) && (foldAccents(ev.Room) == f || tt.rooms[f] || channelLike.MatchString(name)):
		b.report.Channels = append(b.report.Channels, name)
		return ""
	}
	if k, ok := tt.known[f]; ok {
		return tt.define(k.ID, k.Kind, k.Name)
	}
	id := Slug(name)
	if id == "" {
		id = "topic-" + shortHash(f)
	}
	if n, taken := b.nodes[id]; taken && n.Kind != graph.KindConcept {
		id += "-topic"
	}
	return tt.define(id, graph.KindConcept, name)
}

func (t *Tracks) has(folded string) bool {
	if t == nil {
		return false
	}
	_, ok := t.byName[folded]
	return ok
}

func (t *Tracks) channelList() []string {
	if t == nil {
		return nil
	}
	return t.Channels
}

func (t *Tracks) topicList() []string {
	if t == nil {
		return nil
	}
	return t.Topics
}

// define writes the topic's node into the data set (another data set's
// entity too, so the set stands alone) and returns its id.
func (tt *trackTopics) define(id string, kind graph.Kind, name string) string {
	if n, ok := tt.b.nodes[id]; ok && n.Kind != kind {
		return "" // the id is another thing of this programme's
	}
	if _, ok := tt.b.nodes[id]; !ok {
		tt.b.nodes[id] = &graph.Node{ID: id, Kind: kind, Name: name}
		tt.b.report.Topics = append(tt.b.report.Topics, name)
	}
	return id
}
