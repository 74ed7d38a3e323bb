// Package proctree runs external commands so that the whole process tree
// they start can be killed: on Unix each command leads its own process
// group, and Kill signals the group. A child that outlives its parent (adb
// forks helpers; a PDF reader could fork nothing, but a hung one must not
// survive) is then killed with it. On other systems Kill kills the process
// alone.
package proctree

import "os/exec"

// Setup prepares cmd (before Start) so that its context's cancellation,
// and Kill, end its whole process group.
func Setup(cmd *exec.Cmd) {
	setup(cmd)
	cmd.Cancel = func() error { return Kill(cmd) }
}

// Kill kills cmd's process tree (its process group on Unix).
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return kill(cmd)
}
