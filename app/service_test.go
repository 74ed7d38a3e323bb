package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/reports"
)

// serviceInputs are the APK and policy a Service-level test runs on: the
// generated demo APK always, and a real fixture APK with a real policy when
// ../shared is present.
func serviceInputs(t *testing.T) map[string][2]string {
	t.Helper()
	dir := t.TempDir()
	a, p := demoFiles(t, dir)
	in := map[string][2]string{"synthetic": {a, p}}
	shared := filepath.Join("..", "..", "shared", "fixtures")
	fa := filepath.Join(shared, "apks", "androguard__com.teleca.jamendo_35.apk")
	fp := filepath.Join(shared, "policies", "real", "bilibili_privacy_2021-10-08.md")
	if _, err := os.Stat(fa); err == nil {
		if _, err := os.Stat(fp); err == nil {
			in["fixture"] = [2]string{fa, fp}
		}
	}
	if len(in) == 1 {
		t.Logf("../shared fixtures absent: only the synthetic APK is used")
	}
	return in
}

// TestServiceMarkToDocuments follows a case from NewCase through SetMark to
// the notice and report inputs, and checks that what they say is what the
// stored evaluation says.
func TestServiceMarkToDocuments(t *testing.T) {
	for name, in := range serviceInputs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := NewService(Config{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			st := s.Settings()
			st.Inspector, st.Authority.Name = "张检测", "某省通信管理局"
			if err := s.SaveSettings(st); err != nil {
				t.Fatal(err)
			}
			c, err := s.NewCase(ctx, workspace.NewCaseRequest{APK: in[0], Policy: in[1],
				Subject: cases.Subject{Kind: cases.AppOperator, Name: "测试公司"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			w, err := s.OpenCase(ctx, c.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if w.RulesVersion != rules.Version || len(w.Outdated) != 0 {
				t.Errorf("fresh case: rules version %q, outdated %v", w.RulesVersion, w.Outdated)
			}
			if len(w.Disclosures) == 0 || len(w.Candidates) == 0 {
				t.Fatalf("%d disclosures, %d candidates", len(w.Disclosures), len(w.Candidates))
			}
			// What the workspace shows is what is stored with the version.
			stored, err := cases.ParseCandidates(w.Version.Candidates)
			if err != nil || len(stored) != len(w.Candidates) {
				t.Fatalf("stored %d candidates (%v), shown %d", len(stored), err, len(w.Candidates))
			}
			for i, sc := range stored {
				if sc.Rule != string(w.Candidates[i].Rule) {
					t.Errorf("candidate %d: stored %s, shown %s", i, sc.Rule, w.Candidates[i].Rule)
				}
			}

			// Mark the first article an "undeclared" candidate cites (any
			// candidate with an explanation when none is undeclared).
			var cand rules.Candidate
			for _, x := range w.Candidates {
				if len(x.Articles) > 0 && x.ExplanationZH != "" && (cand.Rule == "" || x.Rule == "api.undeclared" || x.Rule == "permission.undeclared") {
					cand = x
				}
				if cand.Rule == "api.undeclared" || cand.Rule == "permission.undeclared" {
					break
				}
			}
			if cand.Rule == "" {
				t.Fatalf("no candidate with articles among %d", len(w.Candidates))
			}
			t.Logf("marking %s cited by %s", cand.Articles[0], cand.Rule)
			article := cand.Articles[0]
			m, err := s.SetMark(ctx, c.ID, cases.MarkInput{ItemID: article, Verdict: cases.VerdictViolation, Note: "测试备注"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Severity == "" || m.Rectification == "" {
				t.Errorf("mark defaults: severity %q rectification %q", m.Severity, m.Rectification)
			}

			n, err := s.NoticeInput(ctx, c.ID, workspace.DocumentOptions{Lang: "zh"})
			if err != nil {
				t.Fatal(err)
			}
			if len(n.Violations) != 1 {
				t.Fatalf("notice: %d violations, want the one marked", len(n.Violations))
			}
			if head, _ := s.ChainHead(ctx); head == "" || n.Integrity.ChainHead != head || n.Integrity.KeyFingerprint != s.KeyFingerprint() {
				t.Errorf("notice footer integrity %+v, want chain head %q and key %q", n.Integrity, head, s.KeyFingerprint())
			}
			v := n.Violations[0]
			if v.ItemID != article || v.Citation.ArticleID != article || strings.TrimSpace(v.Citation.TextZH) == "" && v.Citation.Status != "gap" {
				t.Errorf("notice cites %s / %+v, want %s with its text", v.ItemID, v.Citation, article)
			}
			if !strings.Contains(v.Behaviour, cand.ExplanationZH) {
				t.Errorf("notice behaviour %q lacks the candidate's explanation %q", v.Behaviour, cand.ExplanationZH)
			}
			if !slices.Contains(v.RuleIDs, string(cand.Rule)) || len(v.Evidence) == 0 || v.Note != "测试备注" {
				t.Errorf("notice violation rules %v, %d evidence items, note %q", v.RuleIDs, len(v.Evidence), v.Note)
			}
			if n.App.Package != w.Scan.Package || n.Case.ID != c.ID {
				t.Errorf("notice app %q case %d", n.App.Package, n.Case.ID)
			}

			r, err := s.ReportInput(ctx, c.ID, "zh")
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(r.Marks, func(m reports.MarkRow) bool { return m.ItemID == article })
			// the report prints the mark's plain-language statement and a
			// short evidence summary drawn from the citing candidates
			if i < 0 || r.Marks[i].Verdict != cases.VerdictViolation || r.Marks[i].Statement == "" || r.Marks[i].Behaviour == "" {
				t.Errorf("report marks lack the violation of %s with its statement and behaviour", article)
			}
			if len(r.Candidates) != len(w.Candidates) {
				t.Errorf("report lists %d candidates, the case %d", len(r.Candidates), len(w.Candidates))
			}
			// The behaviour matrix agrees with the disclosures, row by row.
			want := map[pi.Category]bool{}
			for _, d := range w.Disclosures {
				if d.Kind == rules.DiscloseSDK {
					continue
				}
				for _, cat := range d.Categories {
					if _, ok := want[cat]; !ok {
						want[cat] = true
					}
					want[cat] = want[cat] && d.Declared
				}
			}
			if len(r.Matrix) != len(want) {
				t.Errorf("matrix has %d rows, the disclosures %d categories", len(r.Matrix), len(want))
			}
			for _, row := range r.Matrix {
				decl, ok := want[row.Category]
				if !ok || row.Declared != decl || (row.Declared && row.Excerpt == "") {
					t.Errorf("matrix row %s declared=%v excerpt %q; disclosures say %v (present %v)", row.Category, row.Declared, row.Excerpt, decl, ok)
				}
			}
			for _, row := range r.SDKs {
				found := false
				for _, d := range w.Disclosures {
					if d.Kind == rules.DiscloseSDK && sdkRowIs(w, row.Name, d.Ref) {
						found = true
						if row.Disclosed != d.Declared {
							t.Errorf("SDK row %s disclosed=%v, disclosure %v", row.Name, row.Disclosed, d.Declared)
						}
					}
				}
				if !found {
					t.Errorf("SDK row %s has no disclosure", row.Name)
				}
			}

			// Re-evaluating with the same rules changes nothing but records a version.
			re, err := s.Reevaluate(ctx, c.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(re.Diff.New) != 0 || len(re.Diff.Fixed) != 0 || len(re.Diff.Remaining) == 0 {
				t.Errorf("re-evaluation diff: %d new, %d fixed, %d remaining", len(re.Diff.New), len(re.Diff.Fixed), len(re.Diff.Remaining))
			}
			w2, err := s.OpenCase(ctx, c.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Reevaluate(ctx, c.ID, w.Version.ID); !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("re-evaluating an older version: %v, want ErrInvalid", err)
			}
			if w2.Version.ID != re.Version.ID || w2.RulesVersion != rules.Version || len(w2.Disclosures) != len(w.Disclosures) {
				t.Errorf("after re-evaluation: version %d (want %d), rules %q, %d disclosures", w2.Version.ID, re.Version.ID, w2.RulesVersion, len(w2.Disclosures))
			}
		})
	}
}

// sdkRowIs reports whether the report's SDK row name is the SDK with id.
func sdkRowIs(w *workspace.Case, name, id string) bool {
	for _, x := range w.Scan.SDKs {
		if x.ID == id && (x.Name == name || x.NameZH == name) {
			return true
		}
	}
	return false
}

// TestBehaviourMatrixFollowsDisclosures: a category row is declared only when
// every disclosure involving it is, so the report never says 是 where a rule
// says undeclared; SDK rows are the judged third parties.
func TestBehaviourMatrixFollowsDisclosures(t *testing.T) {
	r := &inspect.Result{
		Permissions: []inspect.Permission{{Name: "android.permission.ACCESS_FINE_LOCATION", Categories: []pi.Category{pi.Location}}},
		APIs: []inspect.APIUse{{ID: "location.getLastKnownLocation", Category: pi.Location, Owners: []string{"amap", "app"},
			Class: "android.location.LocationManager", Method: "getLastKnownLocation", ZH: "读取最近一次已知位置", EN: "read the last known location"},
			{ID: "storage.open", Category: pi.Storage, Owners: []string{"app"}}},
		SDKs: []inspect.SDK{{ID: "amap", Name: "AMap"}, {ID: "okhttp", Name: "OkHttp"}},
	}
	ds := []rules.Disclosure{
		{Kind: rules.DisclosePermission, Ref: "android.permission.ACCESS_FINE_LOCATION", Owner: "app", Categories: []pi.Category{pi.Location},
			Declared: true, Spans: []rules.Span{{Start: 1, End: 5, Text: "位置权限"}}},
		{Kind: rules.DiscloseAPI, Ref: "location", Owner: "amap", Categories: []pi.Category{pi.Location}, Spans: []rules.Span{}},
		{Kind: rules.DiscloseAPI, Ref: "storage", Owner: "app", Categories: []pi.Category{pi.Storage}, Declared: true,
			Spans: []rules.Span{{Start: 9, End: 13, Text: "存储权限"}}},
		{Kind: rules.DiscloseSDK, Ref: "amap", Owner: "amap", Categories: []pi.Category{pi.Location}, Declared: true,
			Spans: []rules.Span{{Start: 20, End: 24, Text: "高德地图"}}},
	}
	m := behaviourMatrix(r, ds, "zh")
	if len(m) != 2 || m[0].Category != pi.Location || m[0].Declared || m[1].Category != pi.Storage || !m[1].Declared || m[1].Excerpt != "存储权限" {
		t.Errorf("matrix = %+v", m)
	}
	if len(m) > 0 && (len(m[0].Requested) != 1 || len(m[0].Used) != 1) {
		t.Errorf("location row requested %v used %v", m[0].Requested, m[0].Used)
	}
	// The API use is named for the reader: owners by name, the API by its
	// description and Class.method, no internal ids.
	if len(m) > 0 && len(m[0].Used) == 1 && m[0].Used[0] != "AMap、应用自身：读取最近一次已知位置（LocationManager.getLastKnownLocation）" {
		t.Errorf("matrix use = %q", m[0].Used[0])
	}
	if en := behaviourMatrix(r, ds, "en"); len(en) > 0 && len(en[0].Used) == 1 && en[0].Used[0] != "AMap, the app: read the last known location (LocationManager.getLastKnownLocation)" {
		t.Errorf("English matrix use = %q", en[0].Used[0])
	}
	rows := sdkRows(r, ds, "en")
	if len(rows) != 1 || rows[0].Name != "AMap" || !rows[0].Disclosed {
		t.Errorf("sdk rows = %+v", rows)
	}
}

// TestConfig: the plain configuration is what the service runs with — its
// clock, its adb and its SDK catalog extension.
func TestConfig(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	s, err := NewService(Config{DataDir: dir, Now: func() time.Time { return at }, ADB: filepath.Join(dir, "no-such-adb")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Now().Equal(at) {
		t.Errorf("Now = %v, want the configured clock's %v", s.Now(), at)
	}
	if _, err := s.Devices(context.Background()); err == nil || !strings.Contains(err.Error(), "no-such-adb") {
		t.Errorf("Devices with a configured adb that does not exist: %v", err)
	}
	bad := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s2, err := NewService(Config{DataDir: t.TempDir(), CatalogFile: bad}); err == nil {
		s2.Close()
		t.Error("a broken catalog extension was accepted")
	} else if !strings.Contains(err.Error(), "catalog.json") {
		t.Errorf("the error does not name the catalog file: %v", err)
	}
}
