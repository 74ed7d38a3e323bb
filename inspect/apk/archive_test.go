package apk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os/exec"
	"slices"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// shiftZip prepends prefix to the zip z and moves every offset the central
// directory and end record hold by its length (a Janus-style APK); with
// fix false the offsets are left as they were.
func shiftZip(t *testing.T, z, prefix []byte, fix bool) []byte {
	t.Helper()
	out := append(slices.Clone(prefix), z...)
	if !fix {
		return out
	}
	e := bytes.LastIndex(out, []byte{0x50, 0x4b, 0x05, 0x06})
	if e < 0 {
		t.Fatal("no end record")
	}
	n := uint32(len(prefix))
	cdOff := binary.LittleEndian.Uint32(out[e+16:]) + n
	binary.LittleEndian.PutUint32(out[e+16:], cdOff)
	records := int(binary.LittleEndian.Uint16(out[e+10:]))
	off := int(cdOff)
	for range records {
		h := out[off:]
		binary.LittleEndian.PutUint32(h[42:], binary.LittleEndian.Uint32(h[42:])+n)
		off += cdHeaderLen + int(binary.LittleEndian.Uint16(h[28:])+binary.LittleEndian.Uint16(h[30:])+binary.LittleEndian.Uint16(h[32:]))
	}
	return out
}

func archiveCodes(ps []ArchiveProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func TestArchiveProblems(t *testing.T) {
	base, err := synth.Build(trickSpec())
	if err != nil {
		t.Fatal(err)
	}
	dex := append([]byte("dex\n035\x00"), make([]byte, 0x68)...)
	renamed := slices.Clone(base)
	// The first local header's name (at 30): change its last byte.
	nl := int(binary.LittleEndian.Uint16(renamed[26:]))
	renamed[30+nl-1] ^= 0x01
	// The last entry's local name (not the manifest): only that entry is
	// unreadable.
	other := slices.Clone(base)
	{
		e := bytes.LastIndex(other, []byte{0x50, 0x4b, 0x05, 0x06})
		off := int(binary.LittleEndian.Uint32(other[e+16:]))
		var last int
		for range int(binary.LittleEndian.Uint16(other[e+10:])) {
			h := other[off:]
			last = int(binary.LittleEndian.Uint32(h[42:]))
			off += cdHeaderLen + int(binary.LittleEndian.Uint16(h[28:])+binary.LittleEndian.Uint16(h[30:])+binary.LittleEndian.Uint16(h[32:]))
		}
		n := int(binary.LittleEndian.Uint16(other[last+26:]))
		other[last+30+n-1] ^= 0x01
	}
	// A local header the central directory does not list, as zipflinger
	// writes for alignment (no name, padding in the extra field, no data),
	// and one hiding data.
	localEntry := func(name string, extra, data []byte) []byte {
		h := make([]byte, localHeaderLen)
		binary.LittleEndian.PutUint32(h, localHeaderSig)
		binary.LittleEndian.PutUint32(h[18:], uint32(len(data)))
		binary.LittleEndian.PutUint32(h[22:], uint32(len(data)))
		binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
		binary.LittleEndian.PutUint16(h[28:], uint16(len(extra)))
		h = append(h, name...)
		h = append(h, extra...)
		return append(h, data...)
	}
	virtual := localEntry("", make([]byte, 102), nil)
	hidden := localEntry("hidden.dex", nil, []byte("dex\n035\x00payload"))
	method := slices.Clone(base)
	binary.LittleEndian.PutUint16(method[8:], binary.LittleEndian.Uint16(method[8:])^0x0004)
	cases := []struct {
		name    string
		data    []byte
		refused bool
		want    []string
	}{
		{"clean", base, false, nil},
		{"janus", shiftZip(t, base, dex, true), true, []string{"janus_dex_prefix", "data_before_zip"}},
		{"prefix", shiftZip(t, base, []byte("#!/bin/sh\nexit 0\n"), true), true, []string{"data_before_zip"}},
		{"prefix_unfixed", shiftZip(t, base, dex, false), true, []string{"cd_offset_mismatch"}},
		{"local_name", renamed, true, []string{"local_name_mismatch"}},
		{"local_name_other", other, false, []string{"local_name_mismatch"}},
		{"local_method", method, false, []string{"local_method_differs"}},
		{"virtual_entry", shiftZip(t, base, virtual, true), false, nil},
		{"hidden_entry", shiftZip(t, base, hidden, true), false, []string{"unlisted_local_entry"}},
	}
	aapt, _ := exec.LookPath("aapt")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, c.name+".apk", c.data)
			a, err := Open(p, Limits{})
			var got []ArchiveProblem
			var re *RefusedError
			switch {
			case c.refused:
				if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
					t.Fatalf("Open = %v, want a refusal", err)
				}
				got = re.Problems
			case err != nil:
				t.Fatalf("Open: %v", err)
			default:
				got = a.Problems()
				a.Close()
			}
			codes := archiveCodes(got)
			for _, w := range c.want {
				if !slices.Contains(codes, w) {
					t.Errorf("problems %v lack %s", codes, w)
				}
			}
			if c.want == nil && len(codes) > 0 {
				t.Errorf("clean archive: problems %v", codes)
			}
			for _, q := range got {
				if q.Severity == "" || q.EN == "" || q.ZH == "" || q.Split == "" {
					t.Errorf("problem %+v: missing severity, text or split", q)
				}
			}
			if aapt != "" {
				out, err := exec.Command(aapt, "dump", "badging", p).CombinedOutput()
				t.Logf("aapt (libziparchive): err=%v %s", err, firstLine(string(out)))
				if (err != nil) != c.refused {
					t.Errorf("we refused=%v, aapt's libziparchive failed=%v", c.refused, err != nil)
				}
			}
		})
	}
}
