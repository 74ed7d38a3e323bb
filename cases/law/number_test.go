package law

import "testing"

func TestNumberEN(t *testing.T) {
	for in, want := range map[string]string{
		"第十七条": "Article 17", "第六条": "Article 6", "第一百零三条": "Article 103",
		"（一）": "item (1)", "三.1": "item 3.1", "二": "item 2", "5": "item 5", "Art. 9": "Art. 9",
	} {
		if got := NumberEN(in); got != want {
			t.Errorf("NumberEN(%q) = %q, want %q", in, got, want)
		}
	}
	if NumberIn("第六条", "zh") != "第六条" || NumberIn("第六条", "en") != "Article 6" {
		t.Error("NumberIn does not follow the language")
	}
}
