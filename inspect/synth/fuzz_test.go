package synth

import (
	"errors"
	"slices"
	"testing"

	"github.com/appinspect/appinspect/inspect/dex"
)

// FuzzBuild feeds arbitrary names, descriptors and strings to Build: it
// must either refuse them with ErrInvalidSpec or write a dex that the
// project's reader parses back to the same class, with a valid checksum.
func FuzzBuild(f *testing.F) {
	f.Add("com.example.App", "android.app.Application", "onCreate", "()V", "cn.jpush.android.api.JPushInterface", "init", "(Landroid/content/Context;)V", "https://x.cn")
	f.Add("a.B$C", "", "<init>", "(JI)V", "x.Y", "z", "([[Ljava/lang/String;D)J", "\x00\U0001F600")
	f.Add("中.文", "a.b", "<clinit>", "", "a.b", "c", "(IIIIII)V", "")
	f.Fuzz(func(t *testing.T, class, super, method, proto, callClass, callName, callProto, str string) {
		s := Spec{Package: "com.example.fuzz", Classes: []Class{{Name: class, Super: super, Methods: []Method{{
			Name: method, Proto: proto, ConstStrings: []string{str},
			Calls: []Call{{Class: callClass, Name: callName, Proto: callProto}, {Class: callClass, Name: callName, Proto: callProto, Static: true}},
		}}}}}
		b, err := Build(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSpec) {
				t.Fatalf("error without ErrInvalidSpec: %v", err)
			}
			return
		}
		d := readEntry(t, b, "classes.dex")
		df, err := dex.Parse(d, dex.Limits{StrictChecksum: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := df.Classes(); !slices.Contains(got, class) {
			t.Fatalf("classes %q lack %q", got, class)
		}
		v := &countVisitor{}
		if err := df.Walk(v); err != nil {
			t.Fatal(err)
		}
		if v.invokes != 2 || v.consts != 1 {
			t.Fatalf("walk: %d invokes, %d const-strings", v.invokes, v.consts)
		}
	})
}
