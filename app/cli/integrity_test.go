package cli

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/app"
	"time"
)

// newSignedCase makes a case with a violation mark through the CLI and returns its id.
func newSignedCase(t *testing.T, dir, data string) string {
	t.Helper()
	apkPath, pol := demoFiles(t, dir)
	for _, kv := range [][2]string{{"issuer", "某省通信管理局"}, {"inspector", "张检测"}} {
		if _, errs, st := run(t, data, "settings", "set", kv[0], kv[1]); st != ExitOK {
			t.Fatalf("settings set %s: %s", kv[0], errs)
		}
	}
	out, errs, st := run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--subject", "示例科技有限公司", "--app-type", "38", "--json")
	if st != ExitOK {
		t.Fatalf("case new: %s", errs)
	}
	cid := jsonID(t, out)
	if _, errs, st := run(t, data, "case", "mark", cid, "--article", "pipl/17", "--verdict", "violation", "--note", "未告知"); st != ExitOK {
		t.Fatalf("mark: %s", errs)
	}
	return cid
}

func TestDocumentSignatures(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cid := newSignedCase(t, dir, data)
	pdf := filepath.Join(dir, "notice.pdf")
	xlsx := filepath.Join(dir, "marks.xlsx")
	if _, errs, st := run(t, data, "notice", cid, "--out", pdf); st != ExitOK {
		t.Fatalf("notice: %s", errs)
	}
	if _, errs, st := run(t, data, "export", cid, "--xlsx", xlsx); st != ExitOK {
		t.Fatalf("xlsx: %s", errs)
	}
	for _, f := range []string{pdf, xlsx} {
		out, errs, st := run(t, data, "verify", "--doc", f)
		if st != ExitOK || !strings.Contains(out, "ok:") {
			t.Fatalf("verify --doc %s: %d %s %s", f, st, out, errs)
		}
	}
	var sig app.DocSignature
	b, _ := os.ReadFile(pdf + ".sig")
	if err := json.Unmarshal(b, &sig); err != nil || sig.ChainHead.Seq == 0 || sig.KeyFingerprint == "" {
		t.Fatalf("signature file: %v %s", err, b)
	}
	// The head printed in a footer checks against the database.
	if out, _, st := run(t, data, "verify", "--head", sig.ChainHead.Short()); st != ExitOK {
		t.Fatalf("verify --head: %s", out)
	}
	// An edited document is reported.
	pb, _ := os.ReadFile(pdf)
	if err := os.WriteFile(pdf, bytes.Replace(pb, []byte("%%EOF"), []byte("%%EOF\n% edited"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, st := run(t, data, "verify", "--doc", pdf); st != ExitPartial || !strings.Contains(out, "changed after signing") {
		t.Fatalf("edited document: %d %s", st, out)
	}
	// An edited signature file (say, another case number) no longer verifies.
	sig.CaseNumber = "X-1"
	nb, _ := json.Marshal(sig)
	os.WriteFile(xlsx+".sig", nb, 0o644)
	if out, _, st := run(t, data, "verify", "--doc", xlsx); st != ExitPartial || !strings.Contains(out, "does not verify") {
		t.Fatalf("edited signature: %d %s", st, out)
	}
	// A document checked on another workstation: unknown key.
	if out, _, st := run(t, filepath.Join(dir, "other"), "verify", "--doc", pdf); st != ExitPartial || !strings.Contains(out, "neither") {
		t.Fatalf("other workstation: %d %s", st, out)
	}
}

func TestVerifySaysWhatItCannotProve(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	newSignedCase(t, dir, data)
	out, _, st := run(t, data, "verify")
	if st != ExitOK || !strings.Contains(out, "cannot prove") || !strings.Contains(out, "signing.key") {
		t.Fatalf("verify: %d %s", st, out)
	}
	// The database deleted while the evidence remains: the next run makes an empty one.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(data, "cases.db"+suffix))
	}
	out, _, st = run(t, data, "verify")
	if st != ExitPartial || !strings.Contains(out, "missing_entry") || !strings.Contains(out, "not named by any record") {
		t.Fatalf("deleted database: %d %s", st, out)
	}
}

func TestAttachRefusesSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cid := newSignedCase(t, dir, data)
	start := time.Now()
	_, errs, st := run(t, data, "case", "attach", cid, "/dev/zero")
	if st != ExitPartial || !strings.Contains(errs, "/dev/zero") || !strings.Contains(errs, "not a regular file") {
		t.Fatalf("attach /dev/zero: %d %q", st, errs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("attach /dev/zero took %v", d)
	}
	if _, errs, st := run(t, data, "case", "attach", cid, dir); st != ExitPartial || !strings.Contains(errs, "directory") {
		t.Fatalf("attach a directory: %d %q", st, errs)
	}
}

func TestImportForgedBundleCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cid := newSignedCase(t, dir, data)
	bundle := filepath.Join(dir, "case.zip")
	if _, errs, st := run(t, data, "case", "export", cid, "--out", bundle); st != ExitOK {
		t.Fatalf("export: %s", errs)
	}
	// Edit a mark's note and recompute hashes.json, as a forger would.
	b, _ := os.ReadFile(bundle)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	entries := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		d, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "marks.json" {
			d = bytes.Replace(d, []byte("未告知"), []byte("已告知"), 1)
		}
		entries[f.Name], order = d, append(order, f.Name)
	}
	h := map[string]string{}
	for n, d := range entries {
		if n != "hashes.json" && n != "signature.json" {
			h[n] = sha256Hex(d)
		}
	}
	entries["hashes.json"], _ = json.Marshal(h)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range order {
		w, _ := zw.Create(n)
		w.Write(entries[n])
	}
	zw.Close()
	forged := filepath.Join(dir, "forged.zip")
	os.WriteFile(forged, out.Bytes(), 0o644)
	// Even the sender's own workstation refuses it.
	_, errs, st := run(t, data, "case", "import", forged)
	if st != ExitPartial || !strings.Contains(errs, "corrupt") {
		t.Fatalf("forged bundle: %d %s", st, errs)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestBackupVerifiesWithItsOwnKey(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	newSignedCase(t, dir, data)
	bk := filepath.Join(dir, "bk")
	if _, errs, st := run(t, data, "backup", bk); st != ExitOK {
		t.Fatalf("backup: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(bk, "keys", "signing.key")); err == nil {
		t.Fatal("the backup holds the private key")
	}
	// The backup is a data directory: it gets its own key, and the original's public key still
	// verifies the anchor lines copied with it.
	out, _, st := run(t, bk, "verify")
	if st != ExitOK || !strings.Contains(out, "previous key") {
		t.Fatalf("verify of the backup: %d %s", st, out)
	}
}
