package dex

import (
	"errors"
	"fmt"
)

// Visitor receives what Walk finds in method bodies. All indexes are local to
// the File being walked.
type Visitor interface {
	// Method is called before the code of method_ids[caller] is scanned;
	// returning false skips that method's code.
	Method(caller uint32) bool
	// Invoke reports an invoke-virtual, -super, -direct, -static or
	// -interface (plain or /range) or invoke-polymorphic of method_ids[callee].
	Invoke(caller, callee uint32)
	// ConstString reports a const-string or const-string/jumbo of string_ids[str].
	ConstString(caller, str uint32)
}

// FieldVisitor is an optional extension of Visitor: when the Visitor passed
// to Walk also implements it, Walk reports field accesses too.
type FieldVisitor interface {
	// FieldAccess reports an iget*, iput*, sget* or sput* of field_ids[field];
	// op is the opcode (0x52–0x5f instance, 0x60–0x6d static).
	FieldAccess(caller, field uint32, op uint8)
}

// Instruction kinds that Walk reports; everything else is only skipped.
const (
	kindNone uint8 = iota
	kindNop        // 0x00: a nop, or the ident of a switch / array payload
	kindInvoke
	kindConstString
	kindConstStringJumbo
	kindField
)

// opWidth is the size in 16-bit code units of every opcode, from the
// instruction formats of the Dalvik bytecode specification. Unused opcodes
// (3e–43, 73, 79–7a, e3–f9) are format 10x, one unit, as dexdump treats them.
var opWidth = func() (w [256]uint8) {
	for i := range w {
		w[i] = 1 // 10x, 12x, 11n, 11x, 10t
	}
	set := func(lo, hi int, n uint8) {
		for i := lo; i <= hi; i++ {
			w[i] = n
		}
	}
	set(0x02, 0x02, 2) // move/from16 22x
	set(0x03, 0x03, 3) // move/16 32x
	set(0x05, 0x05, 2) // move-wide/from16 22x
	set(0x06, 0x06, 3) // move-wide/16 32x
	set(0x08, 0x08, 2) // move-object/from16 22x
	set(0x09, 0x09, 3) // move-object/16 32x
	set(0x13, 0x13, 2) // const/16 21s
	set(0x14, 0x14, 3) // const 31i
	set(0x15, 0x16, 2) // const/high16 21h, const-wide/16 21s
	set(0x17, 0x17, 3) // const-wide/32 31i
	set(0x18, 0x18, 5) // const-wide 51l
	set(0x19, 0x19, 2) // const-wide/high16 21h
	set(0x1a, 0x1a, 2) // const-string 21c
	set(0x1b, 0x1b, 3) // const-string/jumbo 31c
	set(0x1c, 0x1c, 2) // const-class 21c
	set(0x1f, 0x20, 2) // check-cast 21c, instance-of 22c
	set(0x22, 0x23, 2) // new-instance 21c, new-array 22c
	set(0x24, 0x26, 3) // filled-new-array 35c, /range 3rc, fill-array-data 31t
	set(0x29, 0x29, 2) // goto/16 20t
	set(0x2a, 0x2c, 3) // goto/32 30t, packed-switch 31t, sparse-switch 31t
	set(0x2d, 0x31, 2) // cmpkind 23x
	set(0x32, 0x3d, 2) // if-test 22t, if-testz 21t
	set(0x44, 0x51, 2) // aget/aput 23x
	set(0x52, 0x5f, 2) // iget/iput 22c
	set(0x60, 0x6d, 2) // sget/sput 21c
	set(0x6e, 0x72, 3) // invoke-kind 35c
	set(0x74, 0x78, 3) // invoke-kind/range 3rc
	set(0x90, 0xaf, 2) // binop 23x
	set(0xd0, 0xe2, 2) // binop/lit16 22s, binop/lit8 22b
	set(0xfa, 0xfb, 4) // invoke-polymorphic 45cc, /range 4rcc
	set(0xfc, 0xfd, 3) // invoke-custom 35c, /range 3rc
	set(0xfe, 0xff, 2) // const-method-handle, const-method-type 21c
	return w
}()

// opKind says which opcodes Walk reports.
var opKind = func() (k [256]uint8) {
	k[0x00] = kindNop
	k[0x1a] = kindConstString
	k[0x1b] = kindConstStringJumbo
	for op := 0x52; op <= 0x6d; op++ {
		k[op] = kindField
	}
	for op := 0x6e; op <= 0x78; op++ {
		if op != 0x73 {
			k[op] = kindInvoke
		}
	}
	k[0xfa] = kindInvoke // invoke-polymorphic names a method_id too
	k[0xfb] = kindInvoke
	return k
}()

// classDataIter walks the methods of one class_data_item.
type classDataIter struct {
	b       []byte
	p       int
	left    [2]uint32 // direct, virtual methods not yet read
	list    int       // 0 direct, 1 virtual
	idx     uint32
	started bool
}

// newClassDataIter reads the class_data_item header at off of b and skips
// its field lists.
func newClassDataIter(b []byte, off uint64) (classDataIter, error) {
	if off == 0 || off >= uint64(len(b)) {
		return classDataIter{}, fmt.Errorf("class_data at %#x outside the file: %w", off, ErrTruncated)
	}
	it := classDataIter{b: b, p: int(off)}
	var sizes [4]uint32
	for i := range sizes {
		v, p, ok := uleb128(b, it.p)
		if !ok {
			return it, fmt.Errorf("class_data at %#x: bad size: %w", off, ErrCode)
		}
		sizes[i], it.p = v, p
	}
	// Every field takes at least 2 bytes and every method 3, so the counts
	// can be checked against what remains before any loop runs.
	rest := uint64(len(b) - it.p)
	if 2*(uint64(sizes[0])+uint64(sizes[1]))+3*(uint64(sizes[2])+uint64(sizes[3])) > rest {
		return it, fmt.Errorf("class_data at %#x: counts %v exceed the file: %w", off, sizes, ErrCode)
	}
	for n := uint64(sizes[0]) + uint64(sizes[1]); n > 0; n-- {
		for j := 0; j < 2; j++ { // field_idx_diff, access_flags
			_, p, ok := uleb128(b, it.p)
			if !ok {
				return it, fmt.Errorf("class_data at %#x: bad field: %w", off, ErrCode)
			}
			it.p = p
		}
	}
	it.left = [2]uint32{sizes[2], sizes[3]}
	return it, nil
}

// next returns the next method's index and code offset; ok is false at the end.
func (it *classDataIter) next() (idx, codeOff uint32, ok bool, err error) {
	for it.list < 2 && it.left[it.list] == 0 {
		it.list++
		it.started = false
	}
	if it.list >= 2 {
		return 0, 0, false, nil
	}
	it.left[it.list]--
	var v [3]uint32 // method_idx_diff, access_flags, code_off
	for j := range v {
		x, p, good := uleb128(it.b, it.p)
		if !good {
			return 0, 0, false, fmt.Errorf("class_data method at %#x: %w", it.p, ErrCode)
		}
		v[j], it.p = x, p
	}
	if it.started {
		it.idx += v[0]
	} else {
		it.idx, it.started = v[0], true
	}
	return it.idx, v[2], true, nil
}

// CodeMethods returns how many methods have code (direct and virtual methods
// of every class_def with a code_item), the number of Method calls a full
// Walk makes. It is computed once and cached.
func (f *File) CodeMethods() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.codeMethodsDone {
		return f.codeMethods
	}
	n := 0
	for c := 0; c < int(f.nClasses); c++ {
		off := le32(f.b, f.classDefs+classDefSize*c+24)
		if off == 0 {
			continue
		}
		it, err := newClassDataIter(f.b, f.rel+uint64(off))
		if err != nil {
			continue
		}
		for {
			_, code, ok, err := it.next()
			if !ok || err != nil {
				break
			}
			if code != 0 {
				n++
			}
		}
	}
	f.codeMethods, f.codeMethodsDone = n, true
	return n
}

// maxWalkErrors is how many problems Walk keeps for its error; the rest are counted.
const maxWalkErrors = 8

// Walk visits every method that has code, in class_defs order and, within a
// class, direct methods then virtual methods, and reports to v each invoke,
// const-string and (if v is a FieldVisitor) field access in it. Payloads of
// packed-switch, sparse-switch and fill-array-data are skipped by their
// declared sizes, never read as instructions.
//
// A malformed class_data_item or code_item does not stop the walk: Walk moves
// on to the next class or method and, at the end, returns an error wrapping
// ErrCode or ErrTruncated (and ErrIndex for out-of-range indexes, which are
// not reported to v). Everything well formed has been visited by then.
func (f *File) Walk(v Visitor) error {
	w := walker{f: f, v: v, budget: 2*int64(len(f.b)) + 1<<20}
	w.fv, _ = v.(FieldVisitor)
	for c := 0; c < int(f.nClasses); c++ {
		off := le32(f.b, f.classDefs+classDefSize*c+24)
		if off == 0 {
			continue // a marker interface or a class without methods or fields
		}
		it, err := newClassDataIter(f.b, f.rel+uint64(off))
		if err != nil {
			w.fail(fmt.Errorf("dex: walk: class_def %d: %w", c, err))
			continue
		}
		for {
			idx, code, ok, err := it.next()
			if err != nil {
				w.fail(fmt.Errorf("dex: walk: class_def %d: %w", c, err))
				break
			}
			if !ok {
				break
			}
			w.budget-- // each method entry costs at least one unit of work
			if w.budget < 0 {
				return w.result(fmt.Errorf("dex: walk: %w", ErrBudget))
			}
			if code == 0 {
				continue // abstract or native
			}
			if idx >= f.nMethods {
				w.fail(fmt.Errorf("dex: walk: class_def %d: method %d of %d: %w", c, idx, f.nMethods, ErrIndex))
				continue
			}
			if !v.Method(idx) {
				continue
			}
			if err := w.code(idx, f.rel+uint64(code)); err != nil {
				if errors.Is(err, ErrBudget) {
					return w.result(err)
				}
				w.fail(err)
			}
		}
	}
	return w.result(nil)
}

type walker struct {
	f      *File
	v      Visitor
	fv     FieldVisitor
	budget int64 // code units and method entries left before ErrBudget
	errs   []error
	nerr   int
}

func (w *walker) fail(err error) {
	w.nerr++
	if len(w.errs) < maxWalkErrors {
		w.errs = append(w.errs, err)
	}
}

func (w *walker) result(final error) error {
	if final != nil {
		w.fail(final)
	}
	if w.nerr == 0 {
		return nil
	}
	if w.nerr == 1 {
		return w.errs[0]
	}
	return fmt.Errorf("dex: walk: %d problems, first %d: %w", w.nerr, len(w.errs), errors.Join(w.errs...))
}

// code scans the code_item at position off of the input, belonging to method m.
func (w *walker) code(m uint32, off uint64) error {
	b := w.f.b
	// code_item: registers, ins, outs, tries (ushort each), debug_info_off, insns_size (uint).
	if off+16 > uint64(len(b)) {
		return fmt.Errorf("dex: walk: method %d: code_item at %#x: %w", m, off, ErrTruncated)
	}
	n := uint64(le32(b, int(off)+12))
	start := off + 16
	if start+2*n > uint64(len(b)) {
		return fmt.Errorf("dex: walk: method %d: %d code units at %#x: %w", m, n, off, ErrTruncated)
	}
	w.budget -= int64(n)
	if w.budget < 0 {
		return fmt.Errorf("dex: walk: method %d: %w", m, ErrBudget)
	}
	insns := b[start : start+2*n]
	f, v, fv := w.f, w.v, w.fv
	var bad error
	for pc := uint64(0); pc < n; {
		p := 2 * pc
		op := insns[p]
		width := uint64(opWidth[op])
		if k := opKind[op]; k != kindNone {
			if k == kindNop {
				// A nop whose high byte is 1, 2 or 3 is the ident of a payload;
				// any other nop is one code unit, as in ART.
				if ident := insns[p+1]; ident >= 1 && ident <= 3 {
					need := uint64(2)
					if ident == 3 {
						need = 4
					}
					if pc+need > n {
						return fmt.Errorf("dex: walk: method %d: payload %d at pc %#x runs past %d code units: %w", m, ident, pc, n, ErrCode)
					}
					width = payloadWidth(ident, insns[p:])
				}
			} else if pc+width <= n {
				a := uint32(insns[p+2]) | uint32(insns[p+3])<<8
				switch k {
				case kindInvoke:
					if a < f.nMethods {
						v.Invoke(m, a)
					} else if bad == nil {
						bad = fmt.Errorf("dex: walk: method %d: invoke of method %d at pc %#x: %w", m, a, pc, ErrIndex)
					}
				case kindConstString:
					if a < f.nStrings {
						v.ConstString(m, a)
					} else if bad == nil {
						bad = fmt.Errorf("dex: walk: method %d: string %d at pc %#x: %w", m, a, pc, ErrIndex)
					}
				case kindConstStringJumbo:
					a |= (uint32(insns[p+4]) | uint32(insns[p+5])<<8) << 16
					if a < f.nStrings {
						v.ConstString(m, a)
					} else if bad == nil {
						bad = fmt.Errorf("dex: walk: method %d: string %d at pc %#x: %w", m, a, pc, ErrIndex)
					}
				case kindField:
					if fv == nil {
						break
					}
					if a < f.nFields {
						fv.FieldAccess(m, a, op)
					} else if bad == nil {
						bad = fmt.Errorf("dex: walk: method %d: field %d at pc %#x: %w", m, a, pc, ErrIndex)
					}
				}
			}
		}
		if pc+width > n {
			return fmt.Errorf("dex: walk: method %d: instruction %#02x at pc %#x runs past %d code units: %w", m, op, pc, n, ErrCode)
		}
		pc += width
	}
	return bad
}

// payloadWidth returns the size in code units of the pseudo-instruction
// payload starting at u (ident in u[1]), or 1 if ident is not a payload. u
// holds at least 2 code units, 4 for a fill-array-data payload.
func payloadWidth(ident byte, u []byte) uint64 {
	switch ident {
	case 1: // packed-switch-payload: ident, size, first_key (2), targets[size] (2 each)
		size := uint64(u[2]) | uint64(u[3])<<8
		return 4 + 2*size
	case 2: // sparse-switch-payload: ident, size, keys[size], targets[size] (2 each)
		size := uint64(u[2]) | uint64(u[3])<<8
		return 2 + 4*size
	case 3: // fill-array-data-payload: ident, element_width, size (2), data
		elem := uint64(u[2]) | uint64(u[3])<<8
		size := uint64(u[4]) | uint64(u[5])<<8 | uint64(u[6])<<16 | uint64(u[7])<<24
		return 4 + (elem*size+1)/2
	}
	return 1
}
