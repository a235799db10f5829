package target

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel send the child SIGTERM if the generator dies
// without closing it (killed, crashed), so no broker is left behind. The
// signal follows the thread that started the child, not the process: the
// generator lets none of its threads exit (its dispatcher unlocks its
// thread before it returns).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
