# shellcheck shell=sh
# qalita-dr restore.agents, step 2 (docs/restore-agents.md): links the restored ~/.qalita to the
# platform again before the worker starts. Put first in worker.initscript, which QALITA's chart
# pipes into /bin/sh in both containers of the worker pod (cli, worker) before their command:
# - POSIX sh, not bash: the chart runs it with /bin/sh whatever its first line says;
# - only the container whose PID 1 goes on to `qalita worker run` links, so the two never
#   write ~/.qalita/.worker and the sources file at the same time;
# - every command reads /dev/null: the script itself is sh's standard input, and a command
#   reading it would swallow the rest of the script (e.g. source push asking to confirm);
# - a failure is logged loudly, not fatal: the chart starts the worker whatever this returns.
# Environment: QALITA_WORKER_* (token from its Secret); DR_PID1_CMDLINE, for tests only.
case "$(tr '\000' ' ' <"${DR_PID1_CMDLINE:-/proc/1/cmdline}" 2>/dev/null)" in
*"qalita worker run"*)
  echo "qalita-dr relink: qalita worker login"
  if qalita worker login </dev/null; then
    echo "qalita-dr relink: qalita source push"
    if qalita source push </dev/null; then
      echo "qalita-dr relink: done, the restored sources are linked to their platform ids"
    else
      echo "qalita-dr relink: FAILED: qalita source push exited $?; sources without a platform id get no jobs (docs/restore-agents.md)"
    fi
  else
    echo "qalita-dr relink: FAILED: qalita worker login exited $?; check QALITA_WORKER_TOKEN and QALITA_WORKER_ENDPOINT (docs/restore-agents.md)"
  fi
  ;;
esac
