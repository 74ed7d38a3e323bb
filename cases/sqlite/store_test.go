package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func openTestDB(t testing.TB) (*DB, *clock) {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	clk := &clock{t: time.Date(2025, 9, 26, 2, 0, 0, 0, time.UTC)}
	db.Now = clk.now
	k, err := sign.LoadOrCreate(db.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSigner(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return db, clk
}

func cst(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, cases.ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

func newCase(t testing.TB, db *DB, name string) *cases.Case {
	t.Helper()
	ctx := context.Background()
	s, err := db.CreateSubject(ctx, cases.Subject{Kind: cases.AppOperator, Name: name + "科技有限公司", CreditCode: "91440300708461136T"}, "张三")
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCase(ctx, cases.NewCase{Source: cases.SourceComplaint, SubjectID: s.ID, Inspectors: []string{"张三", "李四"},
		App: cases.App{Package: "com.example." + name, Name: name, TypeID: "1"}, Notes: "投诉称未经同意收集位置信息", Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustVerifyOK(t *testing.T, db *DB) {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("verify: %+v", rep)
	}
}

func TestCaseNumbersAndSettings(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	a := newCase(t, db, "a")
	b := newCase(t, db, "b")
	if a.Number != "〔2025〕第0001号" || b.Number != "〔2025〕第0002号" {
		t.Fatalf("numbers %q %q", a.Number, b.Number)
	}
	if a.Status != cases.StatusOpen || a.RectificationDays != cases.DefaultRectificationDays || a.Subject.Name != "a科技有限公司" {
		t.Fatalf("case %+v", a)
	}
	if err := db.SetSettings(ctx, cases.Settings{NumberPattern: "检〔{year}〕{seq:03}号", RectificationDays: 5}, "管理员"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSettings(ctx, cases.Settings{NumberPattern: "{year}", RectificationDays: 5}, "x"); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("bad pattern: %v", err)
	}
	clk.set(time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC)) // 2026-01-01 00:30 in China: a new year
	c := newCase(t, db, "c")
	if c.Number != "检〔2026〕001号" || c.RectificationDays != 5 {
		t.Fatalf("new year case %q, N=%d", c.Number, c.RectificationDays)
	}
	got, err := db.CaseByNumber(ctx, c.Number)
	if err != nil || got.ID != c.ID {
		t.Fatalf("CaseByNumber: %v", err)
	}
	if _, err := db.Case(ctx, 999); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	if _, err := db.CreateCase(ctx, cases.NewCase{Source: "x", SubjectID: 1}); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("bad source: %v", err)
	}
	if _, err := db.CreateCase(ctx, cases.NewCase{Source: cases.SourceRoutine, SubjectID: 999}); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("missing subject: %v", err)
	}
	mustVerifyOK(t, db)
}

func TestWorkflow(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "wf")
	n := 5
	if _, err := db.UpdateCase(ctx, c.ID, cases.CaseUpdate{RectificationDays: &n}, "张三"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		to      cases.Status
		at      string
		wantErr bool
	}{
		{cases.StatusRectified, "2025-09-27", true},
		{cases.StatusNoticeIssued, "2025-09-28", false}, // deadline: 5 working days → 2025-10-11
		{cases.StatusClosed, "2025-10-01", true},
		{cases.StatusPublicAnnouncement, "2025-10-13", false},
		{cases.StatusRemoval, "2025-10-20", false},
		{cases.StatusRectified, "2025-11-03", false},
		{cases.StatusReinspection, "2025-11-05", false},
		{cases.StatusClosed, "2025-11-06", false},
		{cases.StatusOpen, "2025-11-07", true},
	}
	for _, s := range steps {
		_, err := db.Transition(ctx, c.ID, s.to, "张三", "note", cst(s.at))
		if (err != nil) != s.wantErr {
			t.Fatalf("→ %s: err = %v", s.to, err)
		}
		if err != nil {
			var te *cases.TransitionError
			if !errors.Is(err, cases.ErrInvalidTransition) || !errors.As(err, &te) || te.To != s.to {
				t.Fatalf("→ %s: error %v", s.to, err)
			}
		}
		if s.to == cases.StatusNoticeIssued {
			got, _ := db.Case(ctx, c.ID)
			if d := got.Deadline.Format(time.DateOnly); d != "2025-10-11" || got.DatesEstimated {
				t.Fatalf("deadline %s estimated=%v", d, got.DatesEstimated)
			}
			if od, _ := db.Overdue(ctx, cst("2025-10-11").Add(23*time.Hour)); len(od) != 0 {
				t.Fatalf("overdue on deadline day: %d", len(od))
			}
			if od, _ := db.Overdue(ctx, cst("2025-10-12")); len(od) != 1 || od[0].ID != c.ID {
				t.Fatalf("overdue after deadline: %v", od)
			}
		}
	}
	got, _ := db.Case(ctx, c.ID)
	// Removal on 2025-10-20 + 40 working days = 2025-12-15.
	if got.Status != cases.StatusClosed || got.RereleaseBlockedUntil.Format(time.DateOnly) != "2025-12-15" || got.Closed.Format(time.DateOnly) != "2025-11-06" {
		t.Fatalf("final case %+v", got)
	}
	evs, err := db.Events(ctx, c.ID)
	if err != nil || len(evs) != 6 || evs[0].From != cases.StatusOpen || evs[5].To != cases.StatusClosed {
		t.Fatalf("events %v %v", evs, err)
	}
	if od, _ := db.Overdue(ctx, cst("2026-01-01")); len(od) != 0 {
		t.Fatalf("closed case overdue")
	}
	// A notice whose deadline falls in an uncovered year is flagged estimated.
	c2 := newCase(t, db, "late")
	if _, err := db.Transition(ctx, c2.ID, cases.StatusNoticeIssued, "张三", "", cst("2026-12-28")); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Case(ctx, c2.ID); !got.DatesEstimated {
		t.Fatal("deadline in 2027 not flagged estimated")
	}
	mustVerifyOK(t, db)
}

func TestMarksAndCandidates(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "mk")
	shot, err := db.PutEvidence(ctx, c.ID, cases.EvidenceScreenshot, "弹窗.png", strings.NewReader("png bytes"), cases.EvidenceMeta{MediaType: "image/png", Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.0", VersionCode: 1, Actor: "张三",
		Scan:       json.RawMessage(`{"facts":1}`),
		Candidates: json.RawMessage(`{"candidates":[{"rule":"loc.before_consent","articles":["pipl/13","rd2019/3.1"]},{"rule":"sdk.undisclosed","articles":["pipl/17"]}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Marks(ctx, c.ID)
	if len(ms) != 3 || ms[0].ItemID != "pipl/13" || ms[0].Verdict != cases.VerdictPending || !ms[0].Suggested || ms[0].CandidateRules[0] != "loc.before_consent" {
		t.Fatalf("suggested marks %+v", ms)
	}
	// The inspector decides pipl/13.
	m, err := db.SetMark(ctx, c.ID, cases.MarkInput{VersionID: v1.ID, ItemID: "pipl/13", Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh,
		Note: "启动即定位", Evidence: []string{shot.SHA256}, Citation: json.RawMessage(`{"text":"第十三条"}`), Rectification: "取得同意后再定位", Inspector: "李四"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Verdict != cases.VerdictViolation || m.Inspector != "李四" || len(m.CandidateRules) != 1 || string(m.Citation) != `{"text":"第十三条"}` {
		t.Fatalf("mark %+v", m)
	}
	// A rescan that no longer cites loc.before_consent for pipl/13 but adds another rule must not
	// touch the decided mark; it creates pipl/23 and updates the pending pipl/17.
	n, err := db.ApplyCandidates(ctx, c.ID, v1.ID, []cases.Candidate{{Rule: "other", Articles: []string{"pipl/13", "pipl/17", "pipl/23"}}}, "系统")
	if err != nil || n != 1 {
		t.Fatalf("apply: %d %v", n, err)
	}
	ms, _ = db.Marks(ctx, c.ID)
	byItem := map[string]cases.Mark{}
	for _, m := range ms {
		byItem[m.ItemID] = m
	}
	if got := byItem["pipl/13"]; got.Verdict != cases.VerdictViolation || got.Note != "启动即定位" || got.CandidateRules[0] != "loc.before_consent" || got.Updated != m.Updated {
		t.Fatalf("decided mark changed by rescan: %+v", got)
	}
	if got := byItem["pipl/17"]; got.CandidateRules[0] != "other" {
		t.Fatalf("pending mark not updated: %+v", got)
	}
	if _, ok := byItem["pipl/23"]; !ok {
		t.Fatal("pipl/23 not created")
	}
	// Invalid inputs.
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "x", Verdict: "maybe", Inspector: "a"}); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("bad verdict: %v", err)
	}
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "x", Verdict: cases.VerdictCompliant, Inspector: "a", Evidence: []string{strings.Repeat("a", 64)}}); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("foreign evidence: %v", err)
	}
	// A new version carries marks forward for review and diffs candidates.
	v2, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.1", VersionCode: 2, Actor: "张三",
		Candidates: json.RawMessage(`{"candidates":[{"rule":"sdk.undisclosed","articles":["pipl/17"]},{"rule":"perm.excess","articles":["rd2019/4.2"]}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	ms, _ = db.Marks(ctx, c.ID)
	var carried []cases.Mark
	for _, m := range ms {
		if m.VersionID == v2.ID {
			carried = append(carried, m)
		}
	}
	if len(carried) != 5 { // 4 carried + rd2019/4.2 new
		t.Fatalf("carried %d marks: %+v", len(carried), carried)
	}
	for _, m := range carried {
		if m.ItemID == "pipl/13" && (!m.NeedsReview || m.Verdict != cases.VerdictViolation) {
			t.Fatalf("carried mark %+v", m)
		}
		if m.ItemID == "rd2019/4.2" && (m.NeedsReview || !m.Suggested) {
			t.Fatalf("new mark %+v", m)
		}
	}
	d, err := db.DiffVersions(ctx, c.ID, v1.ID, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fixed) != 2 || len(d.New) != 1 || d.New[0].Key() != "perm.excess@rd2019/4.2" || len(d.Remaining) != 1 {
		t.Fatalf("diff %+v", d)
	}
	vs, _ := db.Versions(ctx, c.ID)
	if len(vs) != 2 || string(vs[0].Scan) != `{"facts":1}` {
		t.Fatalf("versions %+v", vs)
	}
	mustVerifyOK(t, db)
}

func TestEvidenceStore(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "ev")
	data := bytes.Repeat([]byte("apk"), 100000)
	e, err := db.PutEvidence(ctx, c.ID, cases.EvidenceAPK, "app.apk", bytes.NewReader(data), cases.EvidenceMeta{Source: "upload", Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	p := db.EvidencePath(e.SHA256)
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) || e.Size != int64(len(data)) || filepath.Base(filepath.Dir(p)) != e.SHA256[:2] {
		t.Fatalf("stored file at %s", p)
	}
	again, err := db.PutEvidence(ctx, c.ID, cases.EvidenceAPK, "app.apk", bytes.NewReader(data), cases.EvidenceMeta{Actor: "张三"})
	if err != nil || again.ID != e.ID {
		t.Fatalf("duplicate put: %+v %v", again, err)
	}
	ents, _ := os.ReadDir(filepath.Join(db.Dir(), "evidence"))
	for _, en := range ents {
		if strings.HasPrefix(en.Name(), ".incoming") {
			t.Fatalf("temp file left: %s", en.Name())
		}
	}
	list, _ := db.Evidence(ctx, c.ID)
	if len(list) != 1 || list[0].Source != "upload" {
		t.Fatalf("evidence list %+v", list)
	}
	if _, err := db.PutEvidence(ctx, 999, cases.EvidenceAPK, "x", strings.NewReader("x"), cases.EvidenceMeta{}); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	// A damaged stored copy is replaced by a good upload.
	if err := os.WriteFile(p, []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutEvidence(ctx, c.ID, cases.EvidenceAPK, "app.apk", bytes.NewReader(data), cases.EvidenceMeta{}); err != nil {
		t.Fatal(err)
	}
	mustVerifyOK(t, db)
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	a := newCase(t, db, "地图")
	b := newCase(t, db, "购物")
	if _, err := db.AddVersion(ctx, b.ID, cases.VersionInput{VersionName: "2.0", PolicyText: "我们会收集您的设备标识符与剪切板内容", Actor: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Transition(ctx, a.ID, cases.StatusNoticeIssued, "张三", "", cst("2025-09-28")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f    cases.Filter
		want []int64
	}{
		{cases.Filter{Query: "剪切板"}, []int64{b.ID}},
		{cases.Filter{Query: "设备标识符 剪切板"}, []int64{b.ID}},
		{cases.Filter{Query: "地图"}, []int64{a.ID}}, // two characters: LIKE path
		{cases.Filter{Query: "com.example"}, []int64{b.ID, a.ID}},
		{cases.Filter{Query: "位置信息"}, []int64{b.ID, a.ID}}, // notes
		{cases.Filter{Query: "不存在的词"}, nil},
		{cases.Filter{Query: `"引号`}, nil},
		{cases.Filter{Query: "100%"}, nil},
		{cases.Filter{Statuses: []cases.Status{cases.StatusNoticeIssued}}, []int64{a.ID}},
		{cases.Filter{Inspector: "李四"}, []int64{b.ID, a.ID}},
		{cases.Filter{Inspector: "王五"}, nil},
		{cases.Filter{SubjectKind: cases.SDKProvider}, nil},
		{cases.Filter{SubjectKind: cases.AppOperator, Limit: 1}, []int64{b.ID}},
		{cases.Filter{Limit: 1, Offset: 1}, []int64{a.ID}},
		{cases.Filter{OverdueAt: cst("2025-10-20")}, []int64{a.ID}},
	}
	for _, tt := range tests {
		got, err := db.ListCases(ctx, tt.f)
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		var ids []int64
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		if len(ids) != len(tt.want) || (len(ids) > 0 && ids[0] != tt.want[0]) {
			t.Errorf("%+v: got %v, want %v", tt.f, ids, tt.want)
		}
	}
	// Renaming the subject reindexes its cases.
	s := a.Subject
	s.Name = "导航出行有限公司"
	if err := db.UpdateSubject(ctx, s, "张三"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ListCases(ctx, cases.Filter{Query: "导航出行"}); len(got) != 1 || got[0].ID != a.ID {
		t.Errorf("after rename: %v", got)
	}
	if n, _ := db.CountCases(ctx, cases.Filter{Query: "com.example"}); n != 2 {
		t.Errorf("count %d", n)
	}
	mustVerifyOK(t, db)
}

func TestVerifyDetectsTampering(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "tamper")
	e, err := db.PutEvidence(ctx, c.ID, cases.EvidencePolicy, "policy.html", strings.NewReader("<p>隐私政策</p>"), cases.EvidenceMeta{Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/17", Verdict: cases.VerdictViolation, Severity: cases.SeverityMedium, Inspector: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	mustVerifyOK(t, db)
	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// 1. Edit a mark with raw SQL.
	exec(`UPDATE marks SET verdict='compliant' WHERE id=?`, m.ID)
	rep, _ := db.Verify(ctx)
	if len(rep.Rows) != 1 || rep.Rows[0].Table != "marks" || rep.Rows[0].Key != itoa(m.ID) || rep.Rows[0].Problem != "modified" || rep.Rows[0].AuditID == 0 {
		t.Fatalf("mark edit: %+v", rep.Rows)
	}
	exec(`UPDATE marks SET verdict='violation' WHERE id=?`, m.ID) // restore
	mustVerifyOK(t, db)
	// 2. Alter an evidence file.
	p := db.EvidencePath(e.SHA256)
	if err := os.WriteFile(p, []byte("<p>改过的政策</p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, _ = db.Verify(ctx)
	if len(rep.Evidence) != 1 || rep.Evidence[0].SHA256 != e.SHA256 || rep.Evidence[0].Problem != "altered" || rep.Evidence[0].Path != p {
		t.Fatalf("evidence altered: %+v", rep.Evidence)
	}
	// 3. Remove it.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	rep, _ = db.Verify(ctx)
	if len(rep.Evidence) != 1 || rep.Evidence[0].Problem != "missing" {
		t.Fatalf("evidence missing: %+v", rep.Evidence)
	}
	if err := os.WriteFile(p, []byte("<p>隐私政策</p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustVerifyOK(t, db)
	// 4. Edit an audit entry: its hash no longer matches.
	exec(`UPDATE audit_log SET actor='某人' WHERE id=2`)
	rep, _ = db.Verify(ctx)
	if len(rep.Chain) != 1 || rep.Chain[0].ID != 2 || rep.Chain[0].Problem != "hash" {
		t.Fatalf("audit edit: %+v", rep.Chain)
	}
	// 5. Recompute that entry's hash to hide the edit: the next link breaks.
	var e2 auditEntry
	if err := raw.QueryRow(`SELECT id, at, actor, action, entity, entity_key, row_hash, details, prev_hash FROM audit_log WHERE id=2`).Scan(
		&e2.ID, &e2.At, &e2.Actor, &e2.Action, &e2.Entity, &e2.EntityKey, &e2.RowHash, &e2.Details, &e2.PrevHash); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE audit_log SET hash=? WHERE id=2`, e2.computeHash())
	rep, _ = db.Verify(ctx)
	if len(rep.Chain) != 1 || rep.Chain[0].ID != 3 || rep.Chain[0].Problem != "prev_hash" {
		t.Fatalf("rehashed audit edit: %+v", rep.Chain)
	}
	// 6. Delete an event row, insert an unaudited case row.
	db2, _ := openTestDB(t)
	c2 := newCase(t, db2, "x")
	if _, err := db2.Transition(ctx, c2.ID, cases.StatusNoticeIssued, "张三", "", cst("2025-09-28")); err != nil {
		t.Fatal(err)
	}
	raw2, _ := sql.Open("sqlite", db2.Path())
	defer raw2.Close()
	if _, err := raw2.Exec(`DELETE FROM case_events`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw2.Exec(`INSERT INTO subjects(kind, name, created, updated) VALUES('app_operator','幽灵','','')`); err != nil {
		t.Fatal(err)
	}
	rep, _ = db2.Verify(ctx)
	problems := map[string]string{}
	for _, r := range rep.Rows {
		problems[r.Table+"/"+r.Key] = r.Problem
	}
	if problems["case_events/1"] != "deleted" || problems["subjects/2"] != "unaudited" || len(rep.Rows) != 2 {
		t.Fatalf("delete/insert: %+v", rep.Rows)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cases.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := newCase(t, db, "n")
	if _, err := db.w.Exec(`INSERT INTO schema_migrations(version, name, applied) VALUES(99, '0099_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := dbFingerprint(t, path)
	if _, err := Open(ctx, path); !errors.Is(err, cases.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	if after := dbFingerprint(t, path); after != before {
		t.Fatalf("database changed by a refused open:\n%s\n%s", before, after)
	}
	_ = c
}

// dbFingerprint summarises the database content read-only.
func dbFingerprint(t *testing.T, path string) string {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n, m int
	var dv int
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM schema_migrations)`).Scan(&n, &m); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`PRAGMA data_version`).Scan(&dv); err != nil {
		t.Fatal(err)
	}
	var tables string
	if err := raw.QueryRow(`SELECT group_concat(name) FROM sqlite_master`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	return itoa(int64(n)) + "/" + itoa(int64(m)) + "/" + tables
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cases.db")
	var dbs [2]*DB
	for i := range dbs {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	s, err := dbs[0].CreateSubject(ctx, cases.Subject{Kind: cases.AppOperator, Name: "并发"}, "a")
	if err != nil {
		t.Fatal(err)
	}
	const per = 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*per)
	numbers := make(chan string, 2*per)
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < per; j++ {
				c, err := db.CreateCase(ctx, cases.NewCase{Source: cases.SourceRoutine, SubjectID: s.ID, Actor: "writer" + itoa(int64(i))})
				if err != nil {
					errs <- err
					return
				}
				numbers <- c.Number
				if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/13", Verdict: cases.VerdictCompliant, Inspector: "w"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(numbers)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for n := range numbers {
		if seen[n] {
			t.Fatalf("number %s allocated twice", n)
		}
		seen[n] = true
	}
	if len(seen) != 2*per {
		t.Fatalf("%d numbers", len(seen))
	}
	rep, err := dbs[1].Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("verify %+v %v", rep, err)
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestMarkStatement: the plain-language statement is stored with the mark,
// kept when a later SetMark does not carry one, replaced when it does,
// carried forward to a new version, and audited.
func TestMarkStatement(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "st")
	v1, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.0", VersionCode: 1, Actor: "张三", Scan: json.RawMessage(`{}`), Candidates: json.RawMessage(`{"candidates":[]}`)})
	if err != nil {
		t.Fatal(err)
	}
	st := "  应用在用户同意隐私政策前读取设备标识。 "
	in := cases.MarkInput{VersionID: v1.ID, ItemID: "pipl/13", Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh, Inspector: "李四", Statement: &st}
	m, err := db.SetMark(ctx, c.ID, in)
	if err != nil || m.Statement != "应用在用户同意隐私政策前读取设备标识。" {
		t.Fatalf("statement %q, %v", m.Statement, err)
	}
	in.Statement, in.Note = nil, "复测"
	if m, err = db.SetMark(ctx, c.ID, in); err != nil || m.Statement != "应用在用户同意隐私政策前读取设备标识。" {
		t.Fatalf("statement lost by a SetMark without one: %q, %v", m.Statement, err)
	}
	edited := "应用启动即读取IMEI。"
	in.Statement = &edited
	if m, err = db.SetMark(ctx, c.ID, in); err != nil || m.Statement != edited {
		t.Fatalf("statement not replaced: %q, %v", m.Statement, err)
	}
	if _, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.1", VersionCode: 2, Actor: "张三", Scan: json.RawMessage(`{}`), Candidates: json.RawMessage(`{"candidates":[]}`)}); err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Marks(ctx, c.ID)
	if len(ms) != 2 || ms[1].Statement != edited || !ms[1].NeedsReview {
		t.Fatalf("carried forward: %+v", ms)
	}
}
