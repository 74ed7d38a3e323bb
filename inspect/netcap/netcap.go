// Package netcap is a recording HTTP proxy for runtime evidence without
// root: the phone's global HTTP proxy points at it (over `adb reverse`), and
// it records which hosts the phone contacts and, for plain HTTP, what it
// sends.
//
// It does not intercept TLS. For HTTPS it records the CONNECT host:port and
// the server name (SNI) of the TLS ClientHello the client sends through the
// tunnel; the content stays encrypted. Plain-HTTP requests are recorded in
// full (method, URL, headers, body up to a cap) and searched for personal
// data (see FindPI). It does not see traffic of apps that ignore the system
// proxy, QUIC/HTTP-3 (UDP), or anything not sent over TCP to the proxy.
//
// The protocol handling (CONNECT tunnels, HTTP forwarding) is
// github.com/elazarl/goproxy; this package adds the recording.
package netcap

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/elazarl/goproxy"
)

// Contact kinds.
const (
	KindConnect = "connect" // a CONNECT tunnel (HTTPS or other TCP); content not seen
	KindHTTP    = "http"    // a plain-HTTP request, seen in full
)

// Contact is one connection or request the proxy saw.
type Contact struct {
	Seq  int       `json:"seq"`
	Time time.Time `json:"time"` // the laptop clock when the request reached the proxy
	Kind string    `json:"kind"`
	Host string    `json:"host"`
	Port int       `json:"port"`
	// SNI is the server name of the TLS ClientHello sent through a CONNECT
	// tunnel, when the client sent one.
	SNI           string      `json:"sni,omitempty"`
	Method        string      `json:"method,omitempty"`
	URL           string      `json:"url,omitempty"`
	URLTruncated  bool        `json:"url_truncated,omitempty"`
	Header        http.Header `json:"header,omitempty"`
	Body          []byte      `json:"body,omitempty"`
	BodyTruncated bool        `json:"body_truncated,omitempty"`
	// Error is the failure to reach the host, if any.
	Error string `json:"error,omitempty"`
}

// Config bounds what the proxy keeps: at most MaxContacts contacts, each
// with at most MaxHeaderBytes of headers and 8 KB of URL, and at most
// MaxTotalBody body bytes in all (with the defaults about 400 MB in the
// worst case, a few MB in a real session).
type Config struct {
	// MaxContacts is the number of contacts kept; later ones are counted in
	// Dropped only. 0 means DefaultMaxContacts.
	MaxContacts int
	// MaxBody is how much of each plain-HTTP body is kept. 0 means DefaultMaxBody.
	MaxBody int
	// MaxHeaderBytes bounds the recorded headers of one request. 0 means DefaultMaxHeader.
	MaxHeaderBytes int
	// MaxTotalBody bounds the body bytes kept over the whole session; once
	// reached, later bodies are not kept (BodyTruncated). 0 means
	// DefaultMaxTotalBody. With the contact bound this caps memory.
	MaxTotalBody int64
	// Now returns the time stamped on contacts; nil means time.Now.
	Now func() time.Time
	// DialContext dials upstream hosts; nil means a net.Dialer with a 15 s timeout.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Defaults.
const (
	DefaultMaxContacts  = 20000
	DefaultMaxBody      = 64 << 10
	DefaultMaxHeader    = 8 << 10
	DefaultMaxTotalBody = 64 << 20
	// helloPeek bounds how much of the client's first bytes are kept to read SNI.
	helloPeek = 16 << 10
	// maxURL bounds a recorded URL.
	maxURL = 8 << 10
)

// Proxy is a running recording proxy.
type Proxy struct {
	cfg  Config
	ln   net.Listener
	srv  *http.Server
	done chan struct{}

	mu       sync.Mutex
	contacts []Contact
	dropped  int
	bodies   int64 // body bytes kept
	seq      int
	pending  map[*http.Request]int // CONNECT request → index in contacts
}

// Start listens on addr (use "127.0.0.1:PORT"; port 0 picks a free one) and
// serves the proxy until Close.
func Start(addr string, cfg Config) (*Proxy, error) {
	if cfg.MaxContacts <= 0 {
		cfg.MaxContacts = DefaultMaxContacts
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxHeaderBytes <= 0 {
		cfg.MaxHeaderBytes = DefaultMaxHeader
	}
	if cfg.MaxTotalBody <= 0 {
		cfg.MaxTotalBody = DefaultMaxTotalBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DialContext == nil {
		d := &net.Dialer{Timeout: 15 * time.Second}
		cfg.DialContext = d.DialContext
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("netcap: listen %s: %w", addr, err)
	}
	p := &Proxy{cfg: cfg, ln: ln, done: make(chan struct{}), pending: map[*http.Request]int{}}
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	gp.Tr = &http.Transport{Proxy: nil, DialContext: cfg.DialContext, ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	gp.ConnectDial = nil
	gp.ConnectDialWithReq = p.dialConnect
	gp.OnRequest().HandleConnectFunc(func(host string, ctx *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		p.recordConnect(ctx.Req, host)
		return goproxy.OkConnect, host
	})
	gp.OnRequest().DoFunc(func(r *http.Request, ctx *goproxy.ProxyCtx) (*http.Request, *http.Response) {
		p.recordHTTP(r)
		return r, nil
	})
	p.srv = &http.Server{Handler: gp, ReadHeaderTimeout: 30 * time.Second, MaxHeaderBytes: 1 << 20,
		ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// Addr is the listening address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the listening port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Close stops listening and closes open connections. Contacts stay readable.
func (p *Proxy) Close() error {
	err := p.srv.Close()
	<-p.done
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("netcap: close: %w", err)
	}
	return nil
}

// Contacts returns a copy of the contacts recorded so far, in arrival order.
func (p *Proxy) Contacts() []Contact {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Contact, len(p.contacts))
	copy(out, p.contacts)
	return out
}

// Dropped is the number of contacts seen beyond MaxContacts and not kept.
func (p *Proxy) Dropped() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// add appends c and returns its index, or -1 when the bound is reached.
func (p *Proxy) add(c Contact) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	if len(p.contacts) >= p.cfg.MaxContacts {
		p.dropped++
		return -1
	}
	c.Seq = p.seq
	p.contacts = append(p.contacts, c)
	return len(p.contacts) - 1
}

func splitHostPort(hostport string, def int) (string, int) {
	h, ps, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport, def
	}
	n, err := strconv.Atoi(ps)
	if err != nil {
		return h, def
	}
	return h, n
}

func (p *Proxy) recordConnect(r *http.Request, hostport string) {
	h, port := splitHostPort(hostport, 443)
	i := p.add(Contact{Time: p.cfg.Now(), Kind: KindConnect, Host: h, Port: port})
	if i >= 0 {
		p.mu.Lock()
		p.pending[r] = i
		p.mu.Unlock()
	}
}

// dialConnect dials the CONNECT target and taps what the client writes
// first, to read the TLS server name.
func (p *Proxy) dialConnect(r *http.Request, network, addr string) (net.Conn, error) {
	p.mu.Lock()
	i, ok := p.pending[r]
	delete(p.pending, r)
	p.mu.Unlock()
	c, err := p.cfg.DialContext(r.Context(), network, addr)
	if err != nil {
		if ok {
			p.mu.Lock()
			p.contacts[i].Error = err.Error()
			p.mu.Unlock()
		}
		return nil, err
	}
	if !ok {
		return c, nil
	}
	t := &tap{p: p, idx: i}
	if tc, isTCP := c.(*net.TCPConn); isTCP {
		return &tapTCP{TCPConn: tc, t: t}, nil
	}
	return &tapConn{Conn: c, t: t}, nil
}

// tap collects the first bytes the client sends through a tunnel until a
// TLS ClientHello can be read (or it is clearly not TLS).
type tap struct {
	p    *Proxy
	idx  int
	buf  []byte
	done bool
}

func (t *tap) see(b []byte) {
	if t.done {
		return
	}
	t.buf = append(t.buf, b[:min(len(b), helloPeek-len(t.buf))]...)
	sni, complete := serverName(t.buf)
	if !complete && len(t.buf) < helloPeek {
		return
	}
	t.done = true
	t.buf = nil
	if sni != "" {
		t.p.mu.Lock()
		t.p.contacts[t.idx].SNI = sni
		t.p.mu.Unlock()
	}
}

type tapTCP struct {
	*net.TCPConn
	t *tap
}

func (c *tapTCP) Write(b []byte) (int, error) { c.t.see(b); return c.TCPConn.Write(b) }

// ReadFrom hides TCPConn.ReadFrom so io.Copy goes through Write.
func (c *tapTCP) ReadFrom(r io.Reader) (int64, error) {
	return io.Copy(struct{ io.Writer }{c}, r)
}

type tapConn struct {
	net.Conn
	t *tap
}

func (c *tapConn) Write(b []byte) (int, error) { c.t.see(b); return c.Conn.Write(b) }

// errSeen stops the handshake once the ClientHello was read.
var errSeen = errors.New("netcap: client hello read")

// serverName reads the SNI from the start of a TLS stream with crypto/tls
// (a server handshake over the recorded bytes, stopped in
// GetConfigForClient). complete is false while more bytes are needed.
func serverName(b []byte) (sni string, complete bool) {
	if len(b) == 0 {
		return "", false
	}
	if b[0] != 0x16 { // not a TLS handshake record
		return "", true
	}
	if len(b) < 5 {
		return "", false
	}
	if n := 5 + (int(b[3])<<8 | int(b[4])); len(b) < n {
		return "", false
	}
	var got string
	seen := false
	conn := &replayConn{r: bytes.NewReader(b)}
	srv := tls.Server(conn, &tls.Config{GetConfigForClient: func(hi *tls.ClientHelloInfo) (*tls.Config, error) {
		got, seen = hi.ServerName, true
		return nil, errSeen
	}})
	_ = srv.Handshake()
	if !seen && conn.eof {
		// A ClientHello spread over several records: wait for more.
		return "", false
	}
	return got, true
}

// replayConn is a read-only net.Conn over recorded bytes; writes are dropped.
type replayConn struct {
	r   *bytes.Reader
	eof bool
}

func (c *replayConn) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}
func (c *replayConn) Write(b []byte) (int, error)      { return len(b), nil }
func (c *replayConn) Close() error                     { return nil }
func (c *replayConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *replayConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *replayConn) SetDeadline(time.Time) error      { return nil }
func (c *replayConn) SetReadDeadline(time.Time) error  { return nil }
func (c *replayConn) SetWriteDeadline(time.Time) error { return nil }

func (p *Proxy) recordHTTP(r *http.Request) {
	c := Contact{Time: p.cfg.Now(), Kind: KindHTTP, Method: r.Method, URL: r.URL.String()}
	if len(c.URL) > maxURL {
		c.URL, c.URLTruncated = c.URL[:maxURL], true
	}
	def := 80
	if r.URL.Scheme == "https" {
		def = 443
	}
	c.Host, c.Port = splitHostPort(r.URL.Host, def)
	if r.URL.Port() == "" {
		c.Host = r.URL.Hostname()
	}
	c.Header = http.Header{}
	size := 0
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v)
			if size > p.cfg.MaxHeaderBytes {
				break
			}
			c.Header[k] = append(c.Header[k], v)
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		// Reserve room under the session-wide bound before reading.
		p.mu.Lock()
		room := int(min(int64(p.cfg.MaxBody), max(p.cfg.MaxTotalBody-p.bodies, 0)))
		p.bodies += int64(room)
		p.mu.Unlock()
		head := make([]byte, room+1)
		n, err := io.ReadFull(r.Body, head)
		head = head[:n]
		if n > room {
			c.Body, c.BodyTruncated = bytes.Clone(head[:room]), true
		} else {
			c.Body = bytes.Clone(head)
		}
		p.mu.Lock()
		p.bodies -= int64(room - len(c.Body)) // give back what was not used
		p.mu.Unlock()
		var rest io.Reader = r.Body
		if err != nil { // io.EOF / ErrUnexpectedEOF: the body ended within the cap
			rest = eofOr(err)
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(head), rest), r.Body}
	}
	p.add(c)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func eofOr(err error) io.Reader {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errReader{io.EOF}
	}
	return errReader{err}
}

type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
