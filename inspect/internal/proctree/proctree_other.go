//go:build !unix

package proctree

import "os/exec"

func setup(cmd *exec.Cmd) {}

func kill(cmd *exec.Cmd) error { return cmd.Process.Kill() }

// RSS returns 0: the resident set is only read on Unix.
func RSS(pid int) int64 { return 0 }
