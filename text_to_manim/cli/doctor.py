"""`python -m text_to_manim doctor`: each dependency, found or not, and how to fix what is missing."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass

from text_to_manim import config

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return ""


def _binary(name: str, package: str, required: bool = True, version_flag: str = "--version") -> Check:
    path = shutil.which(name)
    if not path:
        return Check(name, False, "not found", f"{APT} {package}", required)
    return Check(name, True, _version([path, version_flag]) or path, required=required)


def _python_package(module: str, pip: str) -> Check:
    try:
        mod = __import__(module)
        return Check(pip, True, getattr(mod, "__version__", "installed"))
    except Exception as exc:  # a broken install raises more than ImportError
        return Check(pip, False, f"cannot import: {exc}", "make run (installs requirements.txt into .venv)")


CGROUP_FIX = ("run the app as root, or delegate a cgroup v2 subtree with the {controller} controller to its user "
              "(systemd: Delegate=yes, the app in a leaf group of it)")


def _bounds(s: config.Settings) -> list[Check]:
    """Which bounds hold a whole run and a whole job here, and which only hold one process."""
    from text_to_manim.sandbox import cgroups
    from text_to_manim.sandbox import fs as sandbox_fs
    from text_to_manim.sandbox import walls as sandbox

    capped = cgroups.available()
    cap = Check("process cap", capped,
                f"each render may have at most {cgroups.MAX_PIDS} processes (pids cgroup)" if capped
                else "no writable pids cgroup: a render's process count is not capped",
                "" if capped else CGROUP_FIX.format(controller="pids"), required=False)
    per_process = sandbox.Limits.for_quality(s.quality, 0).memory_bytes // sandbox.MIB
    tmpfs = (sandbox_fs.TMP_BYTES + sandbox_fs.SHM_BYTES) // sandbox.MIB
    if cgroups.memory_available():
        memory = Check("memory bound", True,
                       f"each run at most {sandbox.run_memory_bytes(s, s.quality) // sandbox.MIB} MiB, each job at most "
                       f"{sandbox.job_memory_bytes(s) // sandbox.MIB} MiB at -q{s.quality} (memory cgroup, no swap; "
                       f"all processes and /tmp, /dev/shm counted), and {per_process} MiB of address space per process",
                       required=False)
    else:
        memory = Check("memory bound", False,
                       f"no writable memory cgroup: only {per_process} MiB of address space per process (rlimit) at "
                       f"-q{s.quality}; a run's processes together, and its /tmp and /dev/shm ({tmpfs} MiB, RAM), "
                       f"are not bounded as a whole", CGROUP_FIX.format(controller="memory"), required=False)
    return [cap, memory]


def checks() -> list[Check]:
    from text_to_manim.sandbox import walls as sandbox

    s = config.load()
    out = [
        _binary("latex", "texlive-latex-base texlive-latex-extra"),
        _binary("dvisvgm", "dvisvgm"),
        _binary("pdflatex", "texlive-latex-base", required=False),
        _binary("ffmpeg", "ffmpeg", required=False, version_flag="-version"),
    ]
    bw = shutil.which("bwrap")
    usable = sandbox.bwrap_path()
    out.append(Check("bubblewrap", bool(usable),
                     _version([usable, "--version"]) if usable
                     else ("found but cannot create namespaces here" if bw else "not found"),
                     "" if usable else (f"{APT} bubblewrap" if not bw else
                                        "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)")))
    out += _bounds(s)
    out += [_python_package("manim", "manim"), _python_package("gradio", "gradio"),
            _python_package("openai", "openai"), _python_package("sklearn", "scikit-learn")]
    from text_to_manim.speech import engines as voices  # narration: each voice, whether it speaks here
    out += [Check(f"voice {v.name}", v.available, v.detail if v.available else "not available here",
                  "" if v.available else v.detail, required=False) for v in voices.voices()]
    key_detail = "set (value hidden)" if s.api_key else "not set: the offline gallery provider serves requests"
    out.append(Check("API key", bool(s.api_key), key_detail,
                     "" if s.api_key else "put DEEPSEEK_API_KEY=… (or LLM_API_KEY with LLM_BASE_URL) in .env",
                     required=False))
    out.append(Check("provider", True, f"{s.provider} (model {s.model} at {s.base_url})" if s.provider != "offline"
                     else "offline", required=False))
    return out


def main(as_json: bool = False) -> int:
    results = checks()
    if as_json:
        print(json.dumps([asdict(c) for c in results]))
    else:
        for c in results:
            mark = "ok " if c.ok else ("MISSING" if c.required else "-- ")
            print(f"{mark:8} {c.name:12} {c.detail}")
            if c.fix:
                print(f"{'':8} fix: {c.fix}")
        print(f"python   {sys.version.split()[0]} at {sys.executable}")
    return 0 if all(c.ok for c in results if c.required) else 1
