package textindex

import "testing"

func TestDetectLanguage(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		ok         bool
	}{
		{"Stefania Maurizi is an Italian investigative journalist, currently working for the major Italian daily Il Fatto Quotidiano.", "en", true},
		{"Barbara Wimmer ist preisgekrönte Netzjournalistin, Autorin und Speakerin und lebt in Wien. Sie schreibt seit mehr als 15 Jahren über Netzpolitik.", "de", true},
		{"Développeur polyglotte, il travaille chez Velvet Lemons Consulting depuis trois ans et anime le meetup de la ville.", "fr", true},
		{"Android / Flutter Developer @ DXC", "", false},
		{"", "", false},
	} {
		got, ok := DetectLanguage(tc.text)
		if got != tc.want || ok != tc.ok {
			t.Errorf("DetectLanguage(%.40q): got %q, %v, want %q, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}
