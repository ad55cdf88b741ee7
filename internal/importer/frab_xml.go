package importer

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The frab schedule XML (c3voc's schedule.xml.xsd; pentabarf, frab and
// pretalx write it): <schedule> holds <conference> and <day date=…>
// elements, each day <room name=…> elements, each room its <event id=…>
// elements. Older versions lack the event's <date> (the day gives it) and
// guids; both are accepted.

type xmlConference struct {
	Acronym  string `xml:"acronym"`
	Title    string `xml:"title"`
	Start    string `xml:"start"`
	End      string `xml:"end"`
	TimeZone string `xml:"time_zone_name"`
	URL      string `xml:"url"`
}

type xmlEvent struct {
	ID          string `xml:"id,attr"`
	GUID        string `xml:"guid,attr"`
	Date        string `xml:"date"`
	Start       string `xml:"start"`
	Duration    string `xml:"duration"`
	Room        string `xml:"room"`
	Title       string `xml:"title"`
	Subtitle    string `xml:"subtitle"`
	Track       string `xml:"track"`
	Type        string `xml:"type"`
	Language    string `xml:"language"`
	Abstract    string `xml:"abstract"`
	Description string `xml:"description"`
	URL         string `xml:"url"`
	Licence     string `xml:"recording>license"`
	Persons     []struct {
		Name string `xml:",chardata"`
		ID   string `xml:"id,attr"`
		GUID string `xml:"guid,attr"`
	} `xml:"persons>person"`
}

func parseFrabXML(ctx context.Context, name string, data []byte) (*Programme, error) {
	if err := checkXML(ctx, name, data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	p := &Programme{}
	var stack []string
	var at xmlPlace
	for n := 0; ; n++ {
		if n%tokenCheck == 0 {
			if err := interrupted(ctx); err != nil {
				return nil, err
			}
		}
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return nil, xmlError(name, d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			consumed, err := p.xmlElement(d, t, stack, &at)
			if err != nil {
				return nil, xmlError(name, d, err)
			}
			if !consumed {
				stack = append(stack, t.Name.Local)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// xmlPlace is the day and room the events being read stand in.
type xmlPlace struct{ day, room string }

// xmlElement reads the elements the programme needs; it returns true when
// it consumed the element whole.
func (p *Programme) xmlElement(d *xml.Decoder, t xml.StartElement, stack []string, at *xmlPlace) (bool, error) {
	parent := ""
	if len(stack) > 0 {
		parent = stack[len(stack)-1]
	}
	switch {
	case len(stack) == 0 && t.Name.Local != "schedule":
		return false, fmt.Errorf("the root element is <%s>, not <schedule>: give a frab schedule.xml", t.Name.Local)
	case parent == "schedule" && t.Name.Local == "conference":
		var c xmlConference
		if err := d.DecodeElement(&c, &t); err != nil {
			return false, err
		}
		p.Conference = Conference{Acronym: cleanLine(c.Acronym), Title: cleanLine(c.Title), Start: c.Start, End: c.End,
			TimeZone: cleanLine(c.TimeZone), URL: c.URL}
		return true, nil
	case parent == "schedule" && t.Name.Local == "url":
		var u string
		err := d.DecodeElement(&u, &t)
		p.URL = strings.TrimSpace(u)
		return true, err
	case parent == "schedule" && t.Name.Local == "day":
		at.day = attr(t, "date")
	case parent == "day" && t.Name.Local == "room":
		at.room = attr(t, "name")
	case t.Name.Local == "event" && parent == "room":
		line, _ := d.InputPos()
		var e xmlEvent
		if err := d.DecodeElement(&e, &t); err != nil {
			return false, err
		}
		p.Events = append(p.Events, e.event(line, *at))
		return true, nil
	}
	return false, nil
}

func (e *xmlEvent) event(line int, at xmlPlace) Event {
	ev := Event{ID: strings.TrimSpace(e.ID), Where: fmt.Sprintf("line %d", line), Title: e.Title, Sub: e.Subtitle,
		Text: []string{e.Abstract, e.Description}, Lang: e.Language, Start: strings.TrimSpace(e.Start),
		Duration: e.Duration, Room: e.Room, Track: e.Track, Type: e.Type, URL: e.URL, Licence: e.Licence}
	if ev.ID == "" {
		ev.ID = strings.TrimSpace(e.GUID)
	}
	ev.Date = strings.TrimSpace(e.Date)
	if c := clockOf(ev.Date); c != "" && ev.Start == "" {
		ev.Start = c
	}
	if ev.Date == "" {
		ev.Date = at.day
	}
	if strings.TrimSpace(ev.Room) == "" {
		ev.Room = at.room
	}
	for _, p := range e.Persons {
		ev.Persons = append(ev.Persons, Person{Name: p.Name, Refs: personRefs("", p.ID, p.GUID)})
	}
	return ev
}

// personRefs returns the ids a programme gives a person: a pretalx code
// (pretalx gives its persons a numeric id too, which frab's "id" field
// holds: with a code, the id is pretalx's, not frab's), a guid, a frab id.
func personRefs(code, id, guid string) []Ref {
	var out []Ref
	if c := strings.TrimSpace(code); c != "" {
		out = append(out, Ref{"pretalx", c})
	}
	if g := strings.ToLower(strings.TrimSpace(guid)); g != "" {
		out = append(out, Ref{"guid", g})
	}
	if i := strings.TrimSpace(id); i != "" && len(out) == 0 || i != "" && code == "" {
		out = append(out, Ref{"frab", i})
	}
	return out
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// checkXML reads the file's tokens once, before anything is decoded: it
// refuses a DTD (whose entities can expand a small file into a huge one),
// nesting deeper than MaxDepth and events and persons past the caps, and
// reports a syntax error with its line. It returns an error wrapping
// ErrInterrupted when ctx ends.
func checkXML(ctx context.Context, name string, data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	var c counter
	var ev xmlCount // the event being read
	for n := 0; ; n++ {
		if n%tokenCheck == 0 {
			if err := interrupted(ctx); err != nil {
				return err
			}
		}
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return xmlError(name, d, fmt.Errorf("the file ends inside an element: it is cut short"))
			}
			return nil
		}
		if err != nil {
			return xmlError(name, d, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) || bytes.HasPrefix(bytes.TrimSpace(t), []byte("ENTITY")) {
				return xmlError(name, d, fmt.Errorf("the file declares a DTD (<!DOCTYPE …>), whose entities could expand without bound; a schedule needs none: remove it"))
			}
		case xml.StartElement:
			if len(stack) >= MaxDepth {
				return xmlError(name, d, fmt.Errorf("elements are nested more than %d deep; a schedule needs about ten levels: check the file", MaxDepth))
			}
			if err := ev.count(&c, t, stack); err != nil {
				return xmlError(name, d, err)
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// xmlCount is the event checkXML is in: its id and its persons so far.
type xmlCount struct {
	id      string
	persons int
}

// count counts an element that starts an event, or a person of one,
// against the caps.
func (ev *xmlCount) count(c *counter, t xml.StartElement, stack []string) error {
	parent := ""
	if len(stack) > 0 {
		parent = stack[len(stack)-1]
	}
	switch {
	case t.Name.Local == "event" && parent == "room":
		*ev = xmlCount{id: firstOf(attr(t, "id"), attr(t, "guid"))}
		return c.event()
	case t.Name.Local == "person" && parent == "persons" && len(stack) >= 2 && stack[len(stack)-2] == "event":
		ev.persons++
		if err := c.person(ev.persons); err != nil {
			return fmt.Errorf("event %q: %w", clip(ev.id, 60), err)
		}
	}
	return nil
}

// xmlError names the file and line of an XML problem.
func xmlError(name string, d *xml.Decoder, err error) error {
	line, _ := d.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s:%d: %w: XML syntax error: %s: fix the file", name, se.Line, ErrInput, se.Msg)
	}
	if strings.Contains(err.Error(), "CharsetReader") {
		return fmt.Errorf("%s:1: %w: the file declares an encoding other than UTF-8: convert it (iconv -t UTF-8) and fix the declaration", name, ErrInput)
	}
	return fmt.Errorf("%s:%d: %w: %v", name, line, ErrInput, err)
}
