package law

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZShow(t *testing.T) {
	c, _ := Embedded()
	for _, id := range strings.Fields(os.Getenv("IDS")) {
		a, _ := c.Article(id)
		fmt.Printf("%s %s %s %q gap=%v partial=%v\n  %s\n", id, a.Number, a.TitleZH, a.Status, a.Gap, a.Partial, a.TextZH)
	}
}
