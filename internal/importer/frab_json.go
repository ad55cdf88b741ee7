package importer

import (
	"fmt"
	"sort"
	"strings"
)

// The frab schedule JSON (c3voc's schedule JSON schema; frab and pretalx
// write it): schedule.conference holds the conference and its days, each
// day a map of room names to lists of events. Persons are frab's
// {id, public_name} or pretalx's {code, name, biography}; both are read.

type jsonSchedule struct {
	Schedule struct {
		URL        text `json:"url"`
		Conference struct {
			Acronym  text `json:"acronym"`
			Title    text `json:"title"`
			Start    text `json:"start"`
			End      text `json:"end"`
			TimeZone text `json:"time_zone_name"`
			URL      text `json:"url"`
			Days     []struct {
				Date  text                   `json:"date"`
				Rooms map[string][]jsonEvent `json:"rooms"`
			} `json:"days"`
		} `json:"conference"`
	} `json:"schedule"`
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
	} `json:"persons"`
}

func parseFrabJSON(name string, data []byte) (*Programme, error) {
	var s jsonSchedule
	if err := decodeJSON(name, data, &s); err != nil {
		return nil, err
	}
	c := s.Schedule.Conference
	p := &Programme{URL: strings.TrimSpace(string(s.Schedule.URL)), Conference: Conference{Acronym: cleanLine(string(c.Acronym)),
		Title: cleanLine(string(c.Title)), Start: string(c.Start), End: string(c.End), TimeZone: cleanLine(string(c.TimeZone)), URL: string(c.URL)}}
	for i, day := range c.Days {
		rooms := make([]string, 0, len(day.Rooms))
		for r := range day.Rooms {
			rooms = append(rooms, r)
		}
		sort.Strings(rooms) // a JSON object has no order; the output must have one
		for _, room := range rooms {
			for j, e := range day.Rooms[room] {
				where := fmt.Sprintf("$.schedule.conference.days[%d].rooms[%q][%d]", i, room, j)
				p.Events = append(p.Events, e.event(where, string(day.Date), room))
			}
		}
	}
	return p, nil
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
		ev.Persons = append(ev.Persons, firstOf(string(p.PublicName), string(p.Name)))
	}
	return ev
}
