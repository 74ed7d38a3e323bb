package inspect

import (
	"errors"
	"fmt"
	"os"
)

// ErrNotRegular is returned (wrapped) for an input that is not a regular
// file: a directory, a named pipe (opening it blocks), a device such as
// /dev/zero (it never ends) or a socket.
var ErrNotRegular = errors.New("not a regular file")

// RegularFile checks that path is a regular file (following symbolic
// links), with fi its os.Stat when the caller has it (nil to stat here).
// The error names the file and what it is, in English and Chinese.
func RegularFile(path string, fi os.FileInfo) error {
	if fi == nil {
		var err error
		if fi, err = os.Stat(path); err != nil {
			return err
		}
	}
	m := fi.Mode()
	if m.IsRegular() {
		return nil
	}
	kind, zh := "a special file", "特殊文件"
	switch {
	case m.IsDir():
		kind, zh = "a directory", "目录"
	case m&os.ModeNamedPipe != 0:
		kind, zh = "a named pipe (FIFO)", "命名管道（FIFO）"
	case m&os.ModeSocket != 0:
		kind, zh = "a socket", "套接字"
	case m&os.ModeCharDevice != 0:
		kind, zh = "a character device", "字符设备"
	case m&os.ModeDevice != 0:
		kind, zh = "a block device", "块设备"
	}
	return fmt.Errorf("%s: is %s, not a regular file / 是%s，不是普通文件: %w", path, kind, zh, ErrNotRegular)
}
