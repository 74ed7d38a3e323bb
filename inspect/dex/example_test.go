package dex

import (
	"fmt"
	"sort"
)

// sensitiveCalls attributes calls of chosen APIs to the classes that make them.
type sensitiveCalls struct {
	f       *File
	watched map[uint32]string // callee method index → API name
	callers map[string]bool   // "caller class → API"
}

func (s *sensitiveCalls) Method(uint32) bool         { return true }
func (s *sensitiveCalls) ConstString(uint32, uint32) {}
func (s *sensitiveCalls) Invoke(caller, callee uint32) {
	api, ok := s.watched[callee]
	if !ok {
		return
	}
	t, err := s.f.MethodClass(caller)
	if err != nil {
		return
	}
	cls, err := s.f.TypeName(t)
	if err != nil {
		return
	}
	s.callers[cls+" → "+api] = true
}

// Resolve the APIs of interest to method indexes once, then compare indexes
// while walking: no name is decoded per call site.
func ExampleFile_Walk() {
	f, err := Parse(sampleSpec("035").bytes(), DefaultLimits())
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &sensitiveCalls{f: f, watched: map[uint32]string{}, callers: map[string]bool{}}
	for i := 0; i < f.NumMethods(); i++ {
		m, err := f.Method(uint32(i))
		if err == nil && m.Class == "android.telephony.TelephonyManager" && m.Name == "getDeviceId" {
			s.watched[uint32(i)] = m.String()
		}
	}
	if err := f.Walk(s); err != nil {
		fmt.Println(err)
	}
	var lines []string
	for k := range s.callers {
		lines = append(lines, k)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// com.example.Main → android.telephony.TelephonyManager.getDeviceId()Ljava/lang/String;
	// com.example.Main$Inner → android.telephony.TelephonyManager.getDeviceId()Ljava/lang/String;
}

func ExampleFile_Classes() {
	f, err := Parse(sampleSpec("035").bytes(), DefaultLimits())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.NumClasses(), f.Classes())
	// Output: 2 [com.example.Main com.example.Main$Inner]
}
