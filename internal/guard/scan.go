package guard

// Scan bounds the nesting and the token count of a GraphQL document by
// looking at its bytes, skipping strings and comments, without parsing. It
// returns a *LimitError for "nesting" or "tokens".
func (l Limits) Scan(doc string) error {
	l = l.withDefaults()
	depth, tokens := 0, 0
	inWord := false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		word := c == '_' || c == '-' || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if word {
			if !inWord {
				if tokens++; tokens > l.MaxTokens {
					return &LimitError{Limit: "tokens", Max: l.MaxTokens, Got: tokens}
				}
			}
			inWord = true
			continue
		}
		inWord = false
		switch c {
		case '#':
			for i < len(doc) && doc[i] != '\n' && doc[i] != '\r' {
				i++
			}
			continue
		case '"':
			i = skipString(doc, i)
			tokens++
		case '{', '(', '[':
			depth++
			tokens++
			if depth > l.MaxNesting {
				return &LimitError{Limit: "nesting", Max: l.MaxNesting, Got: depth}
			}
		case '}', ')', ']':
			depth--
			tokens++
		case ' ', '\t', '\n', '\r', ',':
			continue
		default:
			tokens++
		}
		if tokens > l.MaxTokens {
			return &LimitError{Limit: "tokens", Max: l.MaxTokens, Got: tokens}
		}
	}
	if tokens > l.MaxTokens {
		return &LimitError{Limit: "tokens", Max: l.MaxTokens, Got: tokens}
	}
	return nil
}

// skipString returns the index of the last byte of the string starting at
// doc[i], a "..." string with escapes or a """...""" block string.
func skipString(doc string, i int) int {
	if len(doc) >= i+3 && doc[i:i+3] == `"""` {
		for j := i + 3; j+2 < len(doc); j++ {
			if doc[j] == '\\' && len(doc) >= j+4 && doc[j+1:j+4] == `"""` {
				j += 3
				continue
			}
			if doc[j:j+3] == `"""` {
				return j + 2
			}
		}
		return len(doc) - 1
	}
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"', '\n':
			return j
		}
	}
	return len(doc) - 1
}
