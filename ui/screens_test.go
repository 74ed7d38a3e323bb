package ui

import (
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/device"
)

var screens = flag.Bool("screens", false, "write 1366×768 captures of the main screens to testdata/screens")

// TestScreens captures the main screens in Chinese and English at
// 1366×768 for a person to look at (run with -screens).
func TestScreens(t *testing.T) {
	if !*screens {
		t.Skip("run with -screens to capture the screens")
	}
	dir := filepath.Join("testdata", "screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			b := newFake(t)
			b.DevicesFn = func(context.Context) ([]device.Device, error) { return testDevices(), nil }
			b.DeviceAppsFn = func(context.Context, string) ([]device.App, error) {
				return []device.App{{Package: "cn.example.waimai", VersionName: "3.2.0", VersionCode: 320}, {Package: "com.tencent.mm", VersionName: "8.0.50", VersionCode: 2580}}, nil
			}
			b.DiffVersionsFn = func(context.Context, int64, int64, int64) (*cases.Diff, error) { d := testDiff(); return &d, nil }
			m := newTestMain(t, b, lang)
			shot := func(name string) {
				t.Helper()
				f, err := os.Create(filepath.Join(dir, lang+"-"+name+".png"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := png.Encode(f, m.w.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
			}
			shot("home")
			f := showNewCase(m, m.home.task, "/data/waimai.apk")
			shot("newcase")
			f.dlg.Hide()
			s := showSettings(m)
			shot("settings")
			s.dlg.Hide()
			ws := openTestCase(t, m)
			ws.review.lists[revPermissions].Select(0)
			shot("review")
			ws.review.items.Select(3)
			shot("review-item")
			ws.review.tabs.SelectIndex(revSDKs)
			for i, r := range ws.review.rows[revSDKs] {
				if r.Mention {
					ws.review.lists[revSDKs].Select(i)
					break
				}
			}
			shot("review-sdk-confirm")
			if o := m.w.Canvas().Overlays().Top(); o != nil {
				o.Hide()
			}
			ws.review.tabs.SelectIndex(revPermissions)
			ws.tabs.SelectIndex(1)
			ws.checklist.step(1)
			shot("checklist")
			ws.tabs.SelectIndex(2)
			ws.gallery.list.Select(1)
			shot("evidence")
			ws.tabs.SelectIndex(3)
			shot("exports")
			ws.tabs.SelectIndex(4)
			ws.device.refresh()
			wait(t, ws.task.wait())
			ws.device.devList.Select(0)
			wait(t, ws.task.wait())
			shot("device")
			ws.tabs.SelectIndex(5)
			ws.diff.compare()
			wait(t, ws.task.wait())
			shot("diff")
		})
	}
}
