package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// A small reader of Java class files (JVMS §4), enough to rebuild an SDK's
// classes for a synthetic APK: the class and super names, each method's
// name and descriptor, the methods it invokes and the string constants it
// loads. Vendor SDKs ship as .jar/.aar (class files); the detector reads
// dex, so bench -npm turns the one into the other with inspect/synth.

type classFile struct {
	name, super string // dotted
	methods     []cfMethod
}

type cfMethod struct {
	name, desc string
	calls      []cfCall
	strings    []string
}

type cfCall struct {
	class, name, desc string
	static            bool
}

var errClassFile = errors.New("not a class file")

// maxMethodStrings caps the string constants kept for one method.
const maxMethodStrings = 1024

type cpEntry struct {
	tag  byte
	a, b uint16
	utf8 string
}

type cfReader struct {
	b   []byte
	off int
	err error
}

func (r *cfReader) u1() byte {
	if r.err != nil || r.off+1 > len(r.b) {
		r.err = errClassFile
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *cfReader) u2() uint16 {
	if r.err != nil || r.off+2 > len(r.b) {
		r.err = errClassFile
		return 0
	}
	v := binary.BigEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *cfReader) u4() uint32 {
	if r.err != nil || r.off+4 > len(r.b) {
		r.err = errClassFile
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *cfReader) bytes(n int) []byte {
	if r.err != nil || n < 0 || r.off+n > len(r.b) {
		r.err = errClassFile
		return nil
	}
	v := r.b[r.off : r.off+n]
	r.off += n
	return v
}

// parseClass reads one class file.
func parseClass(b []byte) (classFile, error) {
	r := &cfReader{b: b}
	if r.u4() != 0xCAFEBABE {
		return classFile{}, errClassFile
	}
	r.u2() // minor
	r.u2() // major
	n := int(r.u2())
	cp := make([]cpEntry, n)
	for i := 1; i < n && r.err == nil; i++ {
		e := cpEntry{tag: r.u1()}
		switch e.tag {
		case 1:
			e.utf8 = string(r.bytes(int(r.u2())))
		case 3, 4:
			r.u4()
		case 5, 6:
			r.u4()
			r.u4()
			cp[i] = e
			i++
			continue
		case 7, 8, 16, 19, 20:
			e.a = r.u2()
		case 9, 10, 11, 12, 17, 18:
			e.a, e.b = r.u2(), r.u2()
		case 15:
			r.u1()
			e.a = r.u2()
		default:
			return classFile{}, fmt.Errorf("%w: constant tag %d", errClassFile, e.tag)
		}
		cp[i] = e
	}
	utf := func(i uint16) string {
		if int(i) < len(cp) && cp[i].tag == 1 {
			return cp[i].utf8
		}
		return ""
	}
	className := func(i uint16) string {
		if int(i) < len(cp) && cp[i].tag == 7 {
			return strings.ReplaceAll(utf(cp[i].a), "/", ".")
		}
		return ""
	}
	r.u2() // access
	cf := classFile{name: className(r.u2())}
	cf.super = className(r.u2())
	r.bytes(2 * int(r.u2())) // interfaces
	skipMembers := func() {
		for range int(r.u2()) {
			r.bytes(6)
			for range int(r.u2()) {
				r.u2()
				r.bytes(int(r.u4()))
			}
		}
	}
	skipMembers() // fields
	for range int(r.u2()) {
		if r.err != nil {
			break
		}
		r.u2() // access
		m := cfMethod{name: utf(r.u2()), desc: utf(r.u2())}
		for range int(r.u2()) {
			aname := utf(r.u2())
			body := r.bytes(int(r.u4()))
			if aname == "Code" && len(body) >= 8 {
				clen := int(binary.BigEndian.Uint32(body[4:]))
				if clen >= 0 && 8+clen <= len(body) {
					m.calls, m.strings = walkCode(body[8:8+clen], cp, utf, className)
				}
			}
		}
		cf.methods = append(cf.methods, m)
	}
	if r.err != nil || cf.name == "" {
		return classFile{}, errClassFile
	}
	return cf, nil
}

// walkCode decodes a method's bytecode far enough to list its invocations
// (invokevirtual/special/static/interface) and ldc string constants.
func walkCode(code []byte, cp []cpEntry, utf func(uint16) string, className func(uint16) string) (calls []cfCall, strs []string) {
	ref := func(i uint16, static bool) {
		if int(i) >= len(cp) {
			return
		}
		e := cp[i]
		if e.tag != 10 && e.tag != 11 || int(e.b) >= len(cp) {
			return
		}
		nt := cp[e.b]
		c := cfCall{class: className(e.a), name: utf(nt.a), desc: utf(nt.b), static: static}
		if c.class != "" && c.name != "" && !strings.HasPrefix(c.class, "[") {
			calls = append(calls, c)
		}
	}
	// String constants are kept up to maxMethodStrings a method (a real
	// dex keeps them all; the cap bounds the rebuilt APK, and only tables
	// of hundreds of URLs in one static initialiser reach it). Fields'
	// ConstantValue strings are not read.
	str := func(i uint16) {
		if int(i) < len(cp) && cp[i].tag == 8 {
			if s := utf(cp[i].a); s != "" && len(strs) < maxMethodStrings {
				strs = append(strs, s)
			}
		}
	}
	u2 := func(p int) uint16 {
		if p+2 > len(code) {
			return 0
		}
		return binary.BigEndian.Uint16(code[p:])
	}
	i32 := func(p int) int {
		if p+4 > len(code) {
			return 0
		}
		return int(int32(binary.BigEndian.Uint32(code[p:])))
	}
	for pc := 0; pc < len(code); {
		op := code[pc]
		n := 1
		switch {
		case op <= 0x0f, op >= 0x1a && op <= 0x35, op >= 0x3b && op <= 0x83, op >= 0x85 && op <= 0x98,
			op >= 0xac && op <= 0xb1, op == 0xbe, op == 0xbf, op == 0xc2, op == 0xc3, op == 0xca:
			n = 1
		case op == 0x10, op == 0x15, op == 0x16, op == 0x17, op == 0x18, op == 0x19,
			op >= 0x36 && op <= 0x3a, op == 0xa9, op == 0xbc:
			n = 2
		case op == 0x12:
			if pc+1 < len(code) {
				str(uint16(code[pc+1]))
			}
			n = 2
		case op == 0x13:
			str(u2(pc + 1))
			n = 3
		case op == 0x11, op == 0x14, op == 0x84, op >= 0x99 && op <= 0xa8, op >= 0xb2 && op <= 0xb5,
			op == 0xbb, op == 0xbd, op == 0xc0, op == 0xc1, op == 0xc6, op == 0xc7:
			n = 3
		case op == 0xb6, op == 0xb7:
			ref(u2(pc+1), false)
			n = 3
		case op == 0xb8:
			ref(u2(pc+1), true)
			n = 3
		case op == 0xb9:
			ref(u2(pc+1), false)
			n = 5
		case op == 0xba, op == 0xc8, op == 0xc9:
			n = 5
		case op == 0xc5:
			n = 4
		case op == 0xc4:
			n = 4
			if pc+1 < len(code) && code[pc+1] == 0x84 {
				n = 6
			}
		case op == 0xaa:
			p := (pc + 4) &^ 3
			lo, hi := i32(p+4), i32(p+8)
			if hi < lo || hi-lo > 1<<16 {
				return calls, strs
			}
			n = p + 12 + 4*(hi-lo+1) - pc
		case op == 0xab:
			p := (pc + 4) &^ 3
			np := i32(p + 4)
			if np < 0 || np > 1<<16 {
				return calls, strs
			}
			n = p + 8 + 8*np - pc
		default:
			return calls, strs
		}
		pc += n
	}
	return calls, strs
}
