package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

const (
	digestRecipeZH = "证据摘要 = SHA-256（小写十六进制），输入为：对每个违规项的每项证据取一行“检测项编号|证据SHA-256”（证据未给出哈希时取截图字节的 SHA-256，无截图时取证据文字 UTF-8 字节的 SHA-256；无证据的违规项取一行“检测项编号|”），各行按字节序排序、去重，每行以换行符（\\n）结尾后依次拼接。"
	digestRecipeEN = "Evidence digest = SHA-256 (lower-case hex) of: one line \"item id|evidence SHA-256\" per evidence item of each violation (when an item has no hash, the SHA-256 of its screenshot bytes, or else of its text in UTF-8; a violation without evidence gives the line \"item id|\"), the lines sorted bytewise, de-duplicated, each terminated by a newline (\\n) and concatenated."
)

// EvidenceDigest returns the hash that ties a notice to the case record: the
// SHA-256, in lower-case hex, of the sorted, de-duplicated lines
// "<item id>|<evidence sha256>\n", one per evidence item of each violation.
// An item without SHA256 is hashed from its Image bytes, or else from its
// Text; a violation without evidence contributes "<item id>|". The recipe is
// printed in the notice's annex so anyone can recompute it from the case.
func EvidenceDigest(v []Violation) string {
	var lines []string
	for _, x := range v {
		if len(x.Evidence) == 0 {
			lines = append(lines, x.ItemID+"|")
		}
		for _, e := range x.Evidence {
			lines = append(lines, x.ItemID+"|"+evidenceHash(e))
		}
	}
	sort.Strings(lines)
	h := sha256.New()
	prev := ""
	for i, l := range lines {
		if i > 0 && l == prev {
			continue
		}
		prev = l
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// evidenceHash is the hash an evidence item contributes to the digest.
func evidenceHash(e EvidenceItem) string {
	if s := strings.ToLower(strings.TrimSpace(e.SHA256)); s != "" {
		return s
	}
	var sum [32]byte
	if len(e.Image) > 0 {
		sum = sha256.Sum256(e.Image)
	} else {
		sum = sha256.Sum256([]byte(e.Text))
	}
	return hex.EncodeToString(sum[:])
}
