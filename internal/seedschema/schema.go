// Package seedschema generates the JSON Schema of talkgraph's YAML seed
// files from graph's tables (kinds, properties and their types, relation
// types, caps), so the schema editors check files against can never drift
// from what the loader accepts.
//
// The schema declares draft 2020-12 but keeps to the keywords whose meaning
// is the same in draft-07 (type, enum, pattern, format, lengths, items,
// properties, required, additionalProperties, propertyNames, $ref by JSON
// pointer), so editors built on a draft-07 engine, such as the YAML language
// server, read it exactly as a 2020-12 validator does. It also carries
// patternErrorMessage and enumDescriptions, which those editors show and
// validators ignore.
package seedschema

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Draft is the JSON Schema dialect the schema declares.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// JSON returns the seed file schema as indented JSON ending with a newline.
func JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(build()); err != nil {
		return nil, fmt.Errorf("encode the seed schema: %w", err)
	}
	return b.Bytes(), nil
}

// schema is one JSON Schema object, with the keywords the seed schema uses,
// in the order they read best.
type schema struct {
	Schema      string   `json:"$schema,omitempty"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Ref         string   `json:"$ref,omitempty"`
	Type        types    `json:"type,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	// EnumDescriptions is an editor extension (VS Code, the YAML language
	// server): one text per Enum value, shown in completion.
	EnumDescriptions []string `json:"enumDescriptions,omitempty"`
	Format           string   `json:"format,omitempty"`
	Pattern          string   `json:"pattern,omitempty"`
	// PatternErrorMessage is an editor extension: shown instead of the
	// bare pattern when a value does not match.
	PatternErrorMessage string   `json:"patternErrorMessage,omitempty"`
	MinLength           *int     `json:"minLength,omitempty"`
	MaxLength           *int     `json:"maxLength,omitempty"`
	Minimum             *int     `json:"minimum,omitempty"`
	Items               *schema  `json:"items,omitempty"`
	MinItems            *int     `json:"minItems,omitempty"`
	MaxItems            *int     `json:"maxItems,omitempty"`
	Properties          props    `json:"properties,omitempty"`
	Required            []string `json:"required,omitempty"`
	PropertyNames       *schema  `json:"propertyNames,omitempty"`
	// AdditionalProperties is false or a *schema.
	AdditionalProperties any                `json:"additionalProperties,omitempty"`
	Defs                 map[string]*schema `json:"$defs,omitempty"`
}

// types is the "type" keyword: a single name is written as a string.
type types []string

func (t types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// prop is one entry of "properties".
type prop struct {
	name string
	s    *schema
}

// props is "properties", written in the order given rather than sorted, so
// the schema reads like a seed file (id, kind, name, ...).
type props []prop

func (ps props) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(p.name)
		if err != nil {
			return nil, err
		}
		v, err := marshal(p.s)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", p.name, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes v without escaping <, > and & (patterns hold them).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// ptr returns a pointer to n, for the optional numeric keywords.
func ptr(n int) *int { return &n }
