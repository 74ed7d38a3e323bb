package sign

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Signing block ids.
const (
	blockV2        = 0x7109871a // APK Signature Scheme v2
	blockV3        = 0xf05368c0 // APK Signature Scheme v3
	blockV31       = 0x1b93ad61 // APK Signature Scheme v3.1
	blockPadding   = 0x42726577 // verity padding to a 4 KiB boundary
	blockStampV1   = 0x2b09189e // source stamp v1
	blockStampV2   = 0x6dff800d // source stamp v2
	blockWalle     = 0x71777777 // Meituan Walle channel
	blockVasDolly  = 0x881155ff // Tencent VasDolly channel
	blockDepsInfo  = 0x504b4453 // Android Gradle plugin dependency metadata
	blockFrosting  = 0x2146444e // Google Play "frosting" metadata
	sigBlockMagic  = "APK Sig Block 42"
	sigBlockFooter = 24 // uint64 size + 16-byte magic
)

// knownBlockNames names signing-block entries other than the signatures.
var knownBlockNames = map[uint32]string{
	blockPadding:  "padding",
	blockStampV1:  "source stamp v1",
	blockStampV2:  "source stamp v2",
	blockWalle:    "Walle channel",
	blockVasDolly: "VasDolly channel",
	blockDepsInfo: "dependency info",
	blockFrosting: "Google Play frosting",
}

// Block is one ID-value pair of the APK Signing Block that is not an APK
// signature scheme block (padding, source stamp, distribution channel …).
type Block struct {
	ID   uint32 `json:"id"`             // the pair id
	Name string `json:"name,omitempty"` // a known name for ID, empty when unknown
	Size int64  `json:"size"`           // size of the value in bytes
}

// String renders the block as "0x71777777 (Walle channel, 40 bytes)".
func (b Block) String() string {
	n := b.Name
	if n == "" {
		n = "unknown"
	}
	return fmt.Sprintf("%#08x (%s, %d bytes)", b.ID, n, b.Size)
}

// sigBlock is a located APK Signing Block.
type sigBlock struct {
	offset int64             // file offset of the block's first byte
	pairs  map[uint32][]byte // scheme values kept in memory (v2, v3, v3.1)
	extra  []Block
}

// maxSchemeValue bounds the signature-scheme values read into memory; real
// ones hold a few certificates and signatures.
const maxSchemeValue = 16 << 20

// findSigBlock looks for the APK Signing Block right before the central
// directory. It returns nil, nil when there is none.
func findSigBlock(ra io.ReaderAt, z *zipLayout) (*sigBlock, error) {
	if z.cdOffset < sigBlockFooter+8 {
		return nil, nil
	}
	var foot [sigBlockFooter]byte
	if _, err := ra.ReadAt(foot[:], z.cdOffset-sigBlockFooter); err != nil {
		return nil, fmt.Errorf("read signing block footer: %w", err)
	}
	if string(foot[8:]) != sigBlockMagic {
		return nil, nil
	}
	size := binary.LittleEndian.Uint64(foot[:8])
	// size counts everything but the leading size field.
	if size < sigBlockFooter || size > uint64(z.cdOffset-8) {
		return nil, fmt.Errorf("signing block size %d out of range", size)
	}
	start := z.cdOffset - int64(size) - 8
	var head [8]byte
	if _, err := ra.ReadAt(head[:], start); err != nil {
		return nil, fmt.Errorf("read signing block header: %w", err)
	}
	if binary.LittleEndian.Uint64(head[:]) != size {
		return nil, fmt.Errorf("signing block header size %d differs from footer size %d", binary.LittleEndian.Uint64(head[:]), size)
	}
	b := &sigBlock{offset: start, pairs: map[uint32][]byte{}}
	pos, end := start+8, z.cdOffset-sigBlockFooter
	for i := 0; pos < end; i++ {
		if end-pos < 8 {
			return nil, fmt.Errorf("signing block pair %d: truncated length", i)
		}
		var lb [12]byte
		if _, err := ra.ReadAt(lb[:8], pos); err != nil {
			return nil, fmt.Errorf("signing block pair %d: %w", i, err)
		}
		plen := binary.LittleEndian.Uint64(lb[:8])
		if plen < 4 || plen > uint64(end-pos-8) {
			return nil, fmt.Errorf("signing block pair %d: length %d out of range", i, plen)
		}
		if _, err := ra.ReadAt(lb[8:], pos+8); err != nil {
			return nil, fmt.Errorf("signing block pair %d: %w", i, err)
		}
		id := binary.LittleEndian.Uint32(lb[8:])
		vlen := int64(plen) - 4
		switch id {
		case blockV2, blockV3, blockV31:
			if _, dup := b.pairs[id]; dup {
				return nil, fmt.Errorf("signing block pair %d: duplicate id %#08x", i, id)
			}
			if vlen > maxSchemeValue {
				return nil, fmt.Errorf("signing block pair %d: %d-byte scheme value is implausibly large", i, vlen)
			}
			v := make([]byte, vlen)
			if _, err := ra.ReadAt(v, pos+12); err != nil {
				return nil, fmt.Errorf("signing block pair %d: %w", i, err)
			}
			b.pairs[id] = v
		default:
			b.extra = append(b.extra, Block{ID: id, Name: knownBlockNames[id], Size: vlen})
		}
		pos += 8 + int64(plen)
	}
	return b, nil
}

// lpReader reads the little-endian, uint32-length-prefixed structures of
// the v2/v3 signature format. Every length is checked against what remains.
type lpReader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("truncated")

func (r *lpReader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.err = errTruncated
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

// lp returns the next length-prefixed slice.
func (r *lpReader) lp() []byte {
	n := r.u32()
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.b)) {
		r.err = fmt.Errorf("length %d exceeds the %d bytes remaining", n, len(r.b))
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *lpReader) more() bool { return r.err == nil && len(r.b) > 0 }

// seq splits a sequence of length-prefixed items.
func seq(b []byte) ([][]byte, error) {
	r := &lpReader{b: b}
	var out [][]byte
	for r.more() {
		out = append(out, r.lp())
	}
	return out, r.err
}

func bytesEq(a, b []byte) bool { return len(a) == len(b) && string(a) == string(b) }
