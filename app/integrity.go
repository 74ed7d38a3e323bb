package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
	"github.com/appinspect/appinspect/cases/sqlite"
	"github.com/appinspect/appinspect/inspect"
)

// KeyFingerprint returns the fingerprint of this data directory's signing key (Ed25519, made on
// first run, private key keys/signing.key 0600): the key every exported bundle, generated
// document and anchor line is signed with. Users compare it by telephone or letter when another
// inspector or agency imports their bundles.
func (s *Service) KeyFingerprint() string {
	if s.key == nil {
		return ""
	}
	return s.key.Fingerprint()
}

// ChainHead returns the audit chain head for a document footer: "SEQ:" and the first 16 hex
// digits of the last audit entry's hash ("" for an empty store). `appinspect verify --head`
// checks such a head against the database.
func (s *Service) ChainHead(ctx context.Context) (string, error) {
	h, err := s.db.ChainHead(ctx)
	if err != nil || h.Seq == 0 {
		return "", err
	}
	return h.Short(), nil
}

// DocSigFormat is the "format" of a detached document signature.
const DocSigFormat = "appinspect-document-signature"

// DocSignature is the detached signature written next to every generated document as
// FILE.sig (JSON). The signature covers every other field (see message).
type DocSignature struct {
	Format         string      `json:"format"`
	Version        int         `json:"version"`
	File           string      `json:"file"` // base name when signed
	Kind           string      `json:"kind"` // notice, report, xlsx
	SHA256         string      `json:"sha256"`
	Size           int64       `json:"size"`
	CaseUID        string      `json:"case_uid"`
	CaseNumber     string      `json:"case_number"`
	ChainHead      sqlite.Head `json:"chain_head"`
	SignedAt       time.Time   `json:"signed_at"`
	Signer         string      `json:"signer"`
	PublicKey      string      `json:"public_key"`
	KeyFingerprint string      `json:"key_fingerprint"`
	Signature      string      `json:"signature"`
}

func (d *DocSignature) message() []byte {
	return []byte(strings.Join([]string{"appinspect-document-v1", d.File, d.Kind, d.SHA256, strconv.FormatInt(d.Size, 10),
		d.CaseUID, d.CaseNumber, d.ChainHead.String(), d.SignedAt.UTC().Format(time.RFC3339Nano), d.Signer, d.PublicKey}, "\n"))
}

// signDocument writes path+".sig" for a document just written from case caseID.
func (s *Service) signDocument(ctx context.Context, path string, caseID int64, kind string) error {
	if s.key == nil {
		return fmt.Errorf("sign %s: no signing key", path)
	}
	c, err := s.db.Case(ctx, caseID)
	if err != nil {
		return err
	}
	head, err := s.db.ChainHead(ctx)
	if err != nil {
		return err
	}
	sum, size, err := fileSHA256(path)
	if err != nil {
		return fmt.Errorf("sign %s: %w", path, err)
	}
	d := DocSignature{Format: DocSigFormat, Version: 1, File: filepath.Base(path), Kind: kind, SHA256: sum, Size: size,
		CaseUID: c.UID, CaseNumber: c.Number, ChainHead: head, SignedAt: s.now().UTC(), Signer: s.inspector(""),
		PublicKey: sign.EncodePublic(s.key.Public()), KeyFingerprint: s.key.Fingerprint()}
	d.Signature = base64.StdEncoding.EncodeToString(s.key.Sign(d.message()))
	b, _ := json.MarshalIndent(d, "", "  ")
	if err := writeVia(path+".sig", func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
		return fmt.Errorf("sign %s: %w", path, err)
	}
	return nil
}

// fileSHA256 is the lower-case hex SHA-256 of a file's content (the hash
// evidence is stored under) and its size.
func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// DocumentCheck is what VerifyDocument found. OK means: the signature verifies, the file is the
// one signed, the key is this workstation's or a trusted one, and (for this workstation's own
// documents) the database still holds the audit chain head the document was made at.
type DocumentCheck struct {
	File      string        `json:"file"`
	SigFile   string        `json:"sig_file"`
	Signature *DocSignature `json:"signature,omitempty"`
	// Key is "own", "trusted" or "unknown".
	Key      string   `json:"key"`
	Problems []string `json:"problems"`
	// HeadChecked: the head was compared with this database (own documents only).
	HeadChecked bool `json:"head_checked"`
}

// OK reports whether nothing was found wrong.
func (c *DocumentCheck) OK() bool { return len(c.Problems) == 0 }

// VerifyDocument checks a generated document against its detached signature (path+".sig").
// It returns an error only when the check could not run (no signature file, unreadable file).
func (s *Service) VerifyDocument(ctx context.Context, path string) (*DocumentCheck, error) {
	chk := &DocumentCheck{File: path, SigFile: path + ".sig", Problems: []string{}}
	b, err := readSmallFile(chk.SigFile, 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("verify document: %s has no signature file %s (documents made before AppInspect signed them have none): %w", path, chk.SigFile, err)
	}
	if err != nil {
		return nil, fmt.Errorf("verify document: %w", err)
	}
	var d DocSignature
	if err := json.Unmarshal(b, &d); err != nil || d.Format != DocSigFormat || d.Version != 1 {
		return nil, fmt.Errorf("verify document: %s is not an AppInspect document signature", chk.SigFile)
	}
	chk.Signature = &d
	pub, err := sign.DecodePublic(d.PublicKey)
	sig, serr := base64.StdEncoding.DecodeString(d.Signature)
	if err != nil || serr != nil || !sign.Verify(pub, d.message(), sig) {
		chk.Problems = append(chk.Problems, "the signature does not verify: the signature file was edited")
	} else if sign.Fingerprint(pub) != d.KeyFingerprint {
		chk.Problems = append(chk.Problems, "the key fingerprint in the signature file is not its key's")
	}
	sum, size, err := fileSHA256(path)
	if err != nil {
		return nil, fmt.Errorf("verify document: %w", err)
	}
	if sum != d.SHA256 || size != d.Size {
		chk.Problems = append(chk.Problems, fmt.Sprintf("the document was changed after signing (sha256 %s, %d bytes; signed %s, %d bytes)", sum, size, d.SHA256, d.Size))
	}
	kr, err := sign.LoadKeyring(s.dataDir)
	if err != nil {
		return nil, fmt.Errorf("verify document: %w", err)
	}
	chk.Key = "unknown"
	if pub != nil {
		if who, _ := kr.Who(pub); who != "" {
			chk.Key = who
		}
	}
	switch chk.Key {
	case "unknown":
		chk.Problems = append(chk.Problems, "signed by key "+d.KeyFingerprint+", which is neither this workstation's nor trusted")
	case "own":
		chk.HeadChecked = true
		if err := s.db.CheckHead(ctx, d.ChainHead); err != nil {
			chk.Problems = append(chk.Problems, "the case database no longer holds the record this document was made from: "+strings.TrimPrefix(err.Error(), "cases/sqlite: "))
		}
	}
	return chk, nil
}

// readSmallFile reads a regular file of at most max bytes.
func readSmallFile(path string, max int64) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return b, nil
}

// openRegular opens path for reading only if it is a regular file
// (inspect.RegularFile: a FIFO would block in open, /dev/zero never ends),
// and checks again on the open file, since the name may have been swapped.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := inspect.RegularFile(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi2, err := f.Stat(); err != nil || !fi2.Mode().IsRegular() || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, fmt.Errorf("%s: %w (changed while opening)", path, inspect.ErrNotRegular)
	}
	return f, nil
}

// StoreCheck is the result of verifying the store, with plain statements of what was checked and
// what the checks cannot prove.
type StoreCheck struct {
	*sqlite.VerifyReport
	KeyFingerprint string
	// PreviousKeys are earlier keys of this data directory (their private key was missing when
	// a new key was made: a restored backup, or the key lost or deleted).
	PreviousKeys []sign.TrustedKey
}

// VerifyStore checks the database, the evidence files and the anchor file.
func (s *Service) VerifyStore(ctx context.Context) (*StoreCheck, error) {
	rep, err := s.db.Verify(ctx)
	if err != nil {
		return nil, err
	}
	chk := &StoreCheck{VerifyReport: rep, KeyFingerprint: s.KeyFingerprint(), PreviousKeys: []sign.TrustedKey{}}
	kr, err := sign.LoadKeyring(s.dataDir)
	if err != nil {
		return nil, err
	}
	for _, k := range kr.Trusted {
		if k.Label == sign.PreviousKeyLabel {
			chk.PreviousKeys = append(chk.PreviousKeys, k)
		}
	}
	return chk, nil
}

// CheckHead checks a chain head printed on a document ("SEQ:HASH", hash prefix of at least 8
// digits) against the database. Errors wrap sqlite.ErrHeadMismatch when it does not hold it.
func (s *Service) CheckHead(ctx context.Context, head string) error {
	h, err := sqlite.ParseHead(head)
	if err != nil {
		return fmt.Errorf("%w: %w", err, cases.ErrInvalid)
	}
	return s.db.CheckHead(ctx, h)
}

// ImportBundleTrusting imports a case bundle signed by the key with fingerprint (typed or
// confirmed by the user after comparing it with the sender); the key is remembered as trusted.
// allowUnsigned also accepts a bundle with no signature (made before bundles were signed).
// Errors as ImportBundle.
func (s *Service) ImportBundleTrusting(ctx context.Context, path, fingerprint string, allowUnsigned bool) (int64, error) {
	return s.importBundle(ctx, path, sqlite.ImportOptions{TrustFingerprint: fingerprint, AllowUnsigned: allowUnsigned})
}

func (s *Service) importBundle(ctx context.Context, path string, opts sqlite.ImportOptions) (int64, error) {
	f, err := openRegular(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	opts.Actor = s.inspector("")
	opts.Signer = func(b sqlite.BundleSigner) {
		s.Logf("import %s: signed by %s (%s, %s) at chain head %s of the sender", path, b.Fingerprint, b.Signer, b.Known, b.Head.Short())
	}
	id, err := s.db.ImportBundle(ctx, f, fi.Size(), opts)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return id, nil
}

// JSON is the view `verify --json` prints.
func (r *StoreCheck) JSON() any {
	out := struct {
		OK             bool                     `json:"ok"`
		AuditEntries   int                      `json:"audit_entries"`
		RowsChecked    int                      `json:"rows_checked"`
		FilesChecked   int                      `json:"files_checked"`
		Integrity      string                   `json:"integrity"`
		Head           sqlite.Head              `json:"head"`
		KeyFingerprint string                   `json:"key_fingerprint"`
		PreviousKeys   []sign.TrustedKey        `json:"previous_keys"`
		Chain          []sqlite.ChainProblem    `json:"chain"`
		Rows           []sqlite.RowProblem      `json:"rows"`
		Evidence       []sqlite.EvidenceProblem `json:"evidence"`
		Anchor         sqlite.AnchorReport      `json:"anchor"`
		Unreferenced   []string                 `json:"unreferenced_evidence"`
		Limits         []string                 `json:"cannot_prove"`
	}{r.OK(), r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText, r.Head, r.KeyFingerprint, r.PreviousKeys,
		append([]sqlite.ChainProblem{}, r.Chain...), append([]sqlite.RowProblem{}, r.Rows...), append([]sqlite.EvidenceProblem{}, r.Evidence...),
		r.Anchor, append([]string{}, r.Unreferenced...), r.Limits()}
	out.Anchor.Problems = append([]sqlite.AnchorProblem{}, out.Anchor.Problems...)
	return out
}

// anchorMeaning says in words what an anchor problem means.
var anchorMeaning = map[string]string{
	"missing_file":  "the anchor file is gone although the database says anchoring started (deleted)",
	"malformed":     "a line of the anchor file is not an anchor (edited)",
	"bad_signature": "an anchor line's signature does not verify (the anchor file was edited)",
	"unknown_key":   "an anchor line is signed by a key that is neither this workstation's nor trusted (the key was replaced)",
	"missing_entry": "the database lacks an anchored audit entry: its last rows were deleted, or the file was rolled back to an older copy or replaced",
	"hash_mismatch": "the database's audit entry differs from the anchored one: the chain was recomputed, or the database is another or a diverged copy",
}

// Limits states what a clean result cannot prove.
func (r *StoreCheck) Limits() []string {
	lim := []string{
		"Anyone who can write to the data directory can roll the database and the anchor file back together, or cut the same last entries from both, without any key; with the private key (keys/signing.key) they can rewrite both entirely. Only copies kept elsewhere show that: documents and bundles handed out (verify --doc), backups, or the anchor file copied off this machine. 能写数据目录的人无需密钥即可把数据库和锚定文件一起回滚或删去相同的末尾记录；持有私钥者可全部改写。只有外部保存的副本（已签发的文书、案卷包、备份、拷出的锚定文件）能揭示这种改写。",
		"A change made and then undone between two checks leaves no trace in the data. 两次核验之间先改后复原的操作不会留下痕迹。",
	}
	if !r.Anchor.Present {
		lim = append(lim, "There is no anchor file: deleting the last rows, rolling the database back or replacing it cannot be detected. 没有锚定文件：删除末尾记录、回滚或替换数据库无法被发现。")
	} else if r.Anchor.Unanchored > 0 {
		lim = append(lim, fmt.Sprintf("The last %d audit entries are not anchored (written without the signing key, or the anchor append failed): they could be removed without trace. 最后 %d 条审计记录未锚定。", r.Anchor.Unanchored, r.Anchor.Unanchored))
	}
	return lim
}

// AnchorMeaning says in words what an anchor problem (AnchorProblem.Problem)
// means.
func AnchorMeaning(problem string) string { return anchorMeaning[problem] }

// ErrHeadMismatch is wrapped by CheckHead's error when the database does not
// hold the printed chain head.
var ErrHeadMismatch = sqlite.ErrHeadMismatch

// DBPath is the case database file.
func (s *Service) DBPath() string { return s.db.Path() }

// Backup makes a consistent online copy of the data into dir (which must not
// exist or be empty): dir/cases.db and dir/evidence/, each file checked
// against its hash.
func (s *Service) Backup(ctx context.Context, dir string) error { return s.db.Backup(ctx, dir) }
