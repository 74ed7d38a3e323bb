package inspect

// Progress reports how far a long operation has come. It is passed to the
// Options.Progress callback from the worker goroutine; callers that drive a
// UI must hop to their UI thread themselves.
type Progress struct {
	Stage string // short stage name, e.g. "dex", "signature"
	File  string // the file being worked on, when there is one
	Done  int    // units done in this stage
	Total int    // units in this stage; 0 when unknown
}

// Fraction returns Done/Total in [0,1], or 0 when Total is unknown.
func (p Progress) Fraction() float64 {
	if p.Total <= 0 {
		return 0
	}
	f := float64(p.Done) / float64(p.Total)
	return min(max(f, 0), 1)
}
