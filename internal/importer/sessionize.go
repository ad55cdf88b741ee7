package importer

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sessionize's "All data" JSON (the API's /view/All endpoint): lists of
// sessions, speakers, categories (each a title such as "Track" or "Session
// format" with its items), rooms and questions, joined by ids. It names no
// conference: Options.Conference gives it. Service sessions (breaks, lunch)
// are not talks.

type sessionizeAll struct {
	Sessions   []sessionizeSession
	Speakers   []sessionizeSpeaker
	Categories []sessionizeCategory
	Rooms      []sessionizeRoom
}

type sessionizeSession struct {
	ID            text   `json:"id"`
	Title         text   `json:"title"`
	Description   text   `json:"description"`
	StartsAt      text   `json:"startsAt"`
	EndsAt        text   `json:"endsAt"`
	Service       text   `json:"isServiceSession"`
	Speakers      []text `json:"speakers"`
	CategoryItems []text `json:"categoryItems"`
	RoomID        text   `json:"roomId"`
	RecordingURL  text   `json:"recordingUrl"`
}

type sessionizeSpeaker struct {
	ID        text `json:"id"`
	FirstName text `json:"firstName"`
	LastName  text `json:"lastName"`
	FullName  text `json:"fullName"`
	Bio       text `json:"bio"`
	TagLine   text `json:"tagLine"`
}

type sessionizeCategory struct {
	Title text `json:"title"`
	Items []struct {
		ID   text `json:"id"`
		Name text `json:"name"`
	} `json:"items"`
}

type sessionizeRoom struct {
	ID   text `json:"id"`
	Name text `json:"name"`
}

// sessionizeRule tells the lists of sessions and of a session's speakers.
func sessionizeRule(p *jsonPath) listKind {
	switch {
	case p.match("sessions", "[]"):
		return eventList
	case p.match("sessions", "[]", "speakers", "[]"):
		return eventPersons
	}
	return otherList
}

// target tells walkJSON to decode each item of the four lists on its own.
func (s *sessionizeAll) target(p *jsonPath) any {
	switch {
	case p.match():
		return descend('{')
	case p.match("sessions"), p.match("speakers"), p.match("categories"), p.match("rooms"):
		return descend('[')
	case p.match("sessions", "[]"):
		s.Sessions = append(s.Sessions, sessionizeSession{})
		return &s.Sessions[len(s.Sessions)-1]
	case p.match("speakers", "[]"):
		s.Speakers = append(s.Speakers, sessionizeSpeaker{})
		return &s.Speakers[len(s.Speakers)-1]
	case p.match("categories", "[]"):
		s.Categories = append(s.Categories, sessionizeCategory{})
		return &s.Categories[len(s.Categories)-1]
	case p.match("rooms", "[]"):
		s.Rooms = append(s.Rooms, sessionizeRoom{})
		return &s.Rooms[len(s.Rooms)-1]
	}
	return nil
}

// sessionizeIndex resolves the ids sessions hold.
type sessionizeIndex struct {
	speakers map[string]Person
	rooms    map[string]string
	items    map[string][2]string // item id -> category title, item name
}

func parseSessionize(ctx context.Context, name string, data []byte) (*Programme, error) {
	if err := checkJSON(ctx, name, data, sessionizeRule); err != nil {
		return nil, err
	}
	var s sessionizeAll
	if err := walkJSON(ctx, name, data, s.target); err != nil {
		return nil, err
	}
	ix := s.index()
	p := &Programme{}
	for i, x := range s.Sessions {
		ev := Event{ID: strings.TrimSpace(string(x.ID)), Where: fmt.Sprintf("$.sessions[%d]", i), Title: string(x.Title),
			Text: []string{string(x.Description)}, Room: ix.rooms[string(x.RoomID)],
			Service: string(x.Service) == "true"}
		ev.Date, ev.Start = strings.TrimSpace(string(x.StartsAt)), clockOf(string(x.StartsAt))
		if a, b, ok := sessionizeTimes(string(x.StartsAt), string(x.EndsAt)); ok {
			ev.Duration = strconv.Itoa(int(b.Sub(a).Minutes()))
		}
		ix.categories(&ev, x.CategoryItems)
		ev.Video = string(x.RecordingURL)
		for _, sp := range x.Speakers {
			n, ok := ix.speakers[string(sp)]
			if !ok {
				ev.Bad = fmt.Sprintf("lists the speaker id %q, which the speakers list lacks: export the \"All data\" view whole", sp)
			}
			ev.Persons = append(ev.Persons, n)
		}
		p.Events = append(p.Events, ev)
	}
	return p, nil
}

func (s *sessionizeAll) index() *sessionizeIndex {
	ix := &sessionizeIndex{speakers: map[string]Person{}, rooms: map[string]string{}, items: map[string][2]string{}}
	for _, sp := range s.Speakers {
		ix.speakers[string(sp.ID)] = Person{Name: firstRaw(string(sp.FullName), string(sp.FirstName)+" "+string(sp.LastName)),
			Refs: []Ref{{"sessionize", strings.TrimSpace(string(sp.ID))}}, Bio: string(sp.Bio), TagLine: string(sp.TagLine)}
	}
	for _, r := range s.Rooms {
		ix.rooms[string(r.ID)] = string(r.Name)
	}
	for _, c := range s.Categories {
		for _, it := range c.Items {
			ix.items[string(it.ID)] = [2]string{strings.ToLower(string(c.Title)), string(it.Name)}
		}
	}
	return ix
}

// categories sets the track, type and language from the session's category
// items, by their category's title.
func (ix *sessionizeIndex) categories(ev *Event, items []text) {
	for _, id := range items {
		it, ok := ix.items[string(id)]
		if !ok {
			continue
		}
		switch title := it[0]; {
		case strings.Contains(title, "track") || strings.Contains(title, "topic"):
			ev.Track = joinNonEmpty(ev.Track, it[1])
		case strings.Contains(title, "format") || strings.Contains(title, "type"):
			ev.Type = joinNonEmpty(ev.Type, it[1])
		case strings.Contains(title, "language"):
			ev.Lang = it[1]
		}
	}
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// sessionizeTimes parses startsAt and endsAt, which Sessionize writes in
// the conference's local time without an offset.
func sessionizeTimes(a, b string) (time.Time, time.Time, bool) {
	const layout = "2006-01-02T15:04:05"
	ta, err1 := time.Parse(layout, strings.TrimSpace(a))
	tb, err2 := time.Parse(layout, strings.TrimSpace(b))
	return ta, tb, err1 == nil && err2 == nil && !tb.Before(ta)
}
