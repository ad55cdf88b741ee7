package importer

// Report says what an import made of the programme's people and tracks,
// for the import to tell.
type Report struct {
	Persons int // persons written
	// ByProgrammeID and ByName count the persons who are persons of other
	// data sets: by the id their programme gives them, or by full name.
	ByProgrammeID, ByName int
	Placeholders          []string       // names that stand for no one, left out
	BioLangs              map[string]int // biographies by the language detected
	BioFallback           int            // biographies in the talk's language: none detected
	Topics                []string       // the topics tracks made
	Channels              []string       // tracks taken for channels (a stream's name), not topics
}

func newReport() *Report { return &Report{BioLangs: map[string]int{}} }
