package importer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// The frab schedule JSON (c3voc's schedule JSON schema; frab and pretalx
// write it): schedule.conference holds the conference and its days, each
// day a map of room names to lists of events. Persons are frab's
// {id, public_name} or pretalx's {code, name, biography}; both are read.

type jsonConference struct {
	Acronym  text `json:"acronym"`
	Title    text `json:"title"`
	Start    text `json:"start"`
	End      text `json:"end"`
	TimeZone text `json:"time_zone_name"`
	URL      text `json:"url"`
}

type jsonEvent struct {
	ID          text `json:"id"`
	GUID        text `json:"guid"`
	Date        text `json:"date"`
	Start       text `json:"start"`
	Duration    text `json:"duration"`
	Room        text `json:"room"`
	Title       text `json:"title"`
	Subtitle    text `json:"subtitle"`
	Track       text `json:"track"`
	Type        text `json:"type"`
	Language    text `json:"language"`
	Abstract    text `json:"abstract"`
	Description text `json:"description"`
	URL         text `json:"url"`
	Licence     text `json:"recording_license"`
	Persons     []struct {
		PublicName text `json:"public_name"`
		Name       text `json:"name"`
		ID         text `json:"id"`
		Code       text `json:"code"`
		GUID       text `json:"guid"`
		Biography  text `json:"biography"`
	} `json:"persons"`
}

// frabJSONRule tells the lists of events and of an event's persons.
func frabJSONRule(p *jsonPath) listKind {
	switch {
	case p.match("schedule", "conference", "days", "[]", "rooms", "*", "[]"):
		return eventList
	case p.match("schedule", "conference", "days", "[]", "rooms", "*", "[]", "persons", "[]"):
		return eventPersons
	}
	return otherList
}

// frabJSON is what the reader takes from a file, an event at a time.
type frabJSON struct {
	url    text
	conf   jsonConference
	dates  []text // by day
	events []*frabJSONEvent
}

type frabJSONEvent struct {
	day  int
	room string
	i    int // in the room's list
	e    jsonEvent
}

func parseFrabJSON(ctx context.Context, name string, data []byte) (*Programme, error) {
	if err := checkJSON(ctx, name, data, frabJSONRule); err != nil {
		return nil, err
	}
	var s frabJSON
	if err := walkJSON(ctx, name, data, s.target); err != nil {
		return nil, err
	}
	c := s.conf
	p := &Programme{URL: strings.TrimSpace(string(s.url)), Conference: Conference{Acronym: cleanLine(string(c.Acronym)),
		Title: cleanLine(string(c.Title)), Start: string(c.Start), End: string(c.End), TimeZone: cleanLine(string(c.TimeZone)), URL: string(c.URL)}}
	// A JSON object has no order; the output must have one: by day, then room name.
	slices.SortStableFunc(s.events, func(a, b *frabJSONEvent) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.room, b.room))
	})
	for _, x := range s.events {
		where := fmt.Sprintf("$.schedule.conference.days[%d].rooms[%q][%d]", x.day, x.room, x.i)
		p.Events = append(p.Events, x.e.event(where, string(s.dates[x.day]), x.room))
	}
	return p, nil
}

// target tells walkJSON what to decode: the conference's fields, each
// day's date, and each event on its own.
func (s *frabJSON) target(p *jsonPath) any {
	switch {
	case p.match(), p.match("schedule"), p.match("schedule", "conference"):
		return descend('{')
	case p.match("schedule", "url"):
		return &s.url
	case p.match("schedule", "conference", "days"):
		return descend('[')
	case p.match("schedule", "conference", "*"):
		return s.conf.field(p.top().key)
	case p.match("schedule", "conference", "days", "[]"):
		s.dates = append(s.dates, "")
		return descend('{')
	case p.match("schedule", "conference", "days", "[]", "date"):
		return &s.dates[len(s.dates)-1]
	case p.match("schedule", "conference", "days", "[]", "rooms"):
		return descend('{')
	case p.match("schedule", "conference", "days", "[]", "rooms", "*"):
		return descend('[')
	case p.match("schedule", "conference", "days", "[]", "rooms", "*", "[]"):
		x := &frabJSONEvent{day: len(s.dates) - 1, room: p.parts[len(p.parts)-2].key, i: p.top().index}
		s.events = append(s.events, x)
		return &x.e
	}
	return nil
}

// field returns where the conference's field named key is decoded, or nil.
func (c *jsonConference) field(key string) any {
	switch key {
	case "acronym":
		return &c.Acronym
	case "title":
		return &c.Title
	case "start":
		return &c.Start
	case "end":
		return &c.End
	case "time_zone_name":
		return &c.TimeZone
	case "url":
		return &c.URL
	}
	return nil
}

func (e *jsonEvent) event(where, day, room string) Event {
	ev := Event{ID: strings.TrimSpace(string(e.ID)), Where: where, Title: string(e.Title), Sub: string(e.Subtitle),
		Text: []string{string(e.Abstract), string(e.Description)}, Lang: string(e.Language),
		Date: strings.TrimSpace(string(e.Date)), Start: strings.TrimSpace(string(e.Start)), Duration: string(e.Duration),
		Room: firstOf(string(e.Room), room), Track: string(e.Track), Type: string(e.Type), URL: string(e.URL), Licence: string(e.Licence)}
	if ev.ID == "" {
		ev.ID = strings.TrimSpace(string(e.GUID))
	}
	if c := clockOf(ev.Date); c != "" && ev.Start == "" {
		ev.Start = c
	}
	if ev.Date == "" {
		ev.Date = strings.TrimSpace(day)
	}
	for _, p := range e.Persons {
		ev.Persons = append(ev.Persons, Person{Name: firstRaw(string(p.PublicName), string(p.Name)),
			Refs: personRefs(string(p.Code), string(p.ID), string(p.GUID)), Bio: string(p.Biography)})
	}
	return ev
}
