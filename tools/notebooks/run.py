#!/usr/bin/python3
"""Executes vlmadapt's Java notebooks headless and writes each executed notebook with an HTML copy.

    tools/notebooks/run.py [NOTEBOOK.ipynb ...]      # default: every notebooks/*.ipynb
    tools/notebooks/run.py --check-clean [NOTEBOOK ...]   # only check that the notebooks are stored without outputs

The notebooks run in the rapaio Java kernel (JShell in the kernel's JVM) with this checkout's classes and the
third-party jars of spark-jobs/target/classpath.txt (written by `make build`). Which outputs a notebook reads
comes from environment variables, absolute paths or relative to the project root:
VLMADAPT_RUNS (default runs), VLMADAPT_TABLES (default <runs>/tables), VLMADAPT_MODELS (default models);
VLMADAPT_EXPERIMENT_RUN picks the experiment of tuning.ipynb and experiment.ipynb (default: the newest).
VLMADAPT_KERNEL_JAR, VLMADAPT_NOTEBOOK_CLASSPATH and VLMADAPT_JUPYTER_DIR replace the kernel jar, the notebooks'
class path and the folder of Jupyter's files (default spark-jobs/target/jupyter).

Exit status: 0 when every cell of every notebook ran without error; 1 naming the notebook and the cell
otherwise; 2 when the tool chain or the build is missing.

Only the standard library and Debian's python3-nbclient / python3-nbformat are used: run it with
/usr/bin/python3 (Debian's Python, where apt installs them), not another python3 on the PATH.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Where the kernel spec, Jupyter's runtime files (connection files) and config go; a test gives its own folder.
JUPYTER_DIR = Path(os.environ.get("VLMADAPT_JUPYTER_DIR") or ROOT / "spark-jobs" / "target" / "jupyter")
KERNEL_JAR = Path(os.environ.get("VLMADAPT_KERNEL_JAR")
                  or ROOT / "spark-jobs" / "target" / "jupyter" / "rapaio-jupyter-kernel.jar")
KERNEL_NAME = "vlmadapt-java"
CLASSPATH_FILE = ROOT / "spark-jobs" / "target" / "classpath.txt"
INIT_SCRIPT = Path(__file__).resolve().parent / "init.jsh"

# What a cell's output looks like when JShell refused the code or the code threw, in case the kernel reports
# it as ordinary output rather than as an error reply (both are failures here).
FAILURE_TEXT = re.compile(r"(^|\n)\s*(\|\s*Error:|Exception in thread|[\w.$]+(Exception|Error)(: |\n|$)"
                          r"|\s+at [\w.$]+\([\w.]*(:\d+)?\))")


def fail(message, code=1):
    print(f"[notebooks] {message}", file=sys.stderr)
    sys.exit(code)


def spark_opens():
    """The JVM flags Spark needs on Java 17: the parent pom's spark.add.opens, so the list lives in one place."""
    pom = (ROOT / "pom.xml").read_text(encoding="utf-8")
    m = re.search(r"<spark\.add\.opens>(.*?)</spark\.add\.opens>", pom, re.S)
    if not m:
        fail("pom.xml has no <spark.add.opens> property", 2)
    return m.group(1).split()


def notebook_classpath():
    """This checkout's classes first, then the third-party jars the build listed (and XChart among them),
    separated by ';': the kernel splits RJK_CLASSPATH on ';', whatever the platform. VLMADAPT_NOTEBOOK_CLASSPATH
    (a class path with ':') replaces it, e.g. a test's own class path."""
    given = os.environ.get("VLMADAPT_NOTEBOOK_CLASSPATH")
    if given:
        return ";".join(p for p in given.split(os.pathsep) if p)
    if not CLASSPATH_FILE.is_file() or not (ROOT / "spark-jobs" / "target" / "classes").is_dir():
        fail(f"{CLASSPATH_FILE.relative_to(ROOT)} is missing: run 'make build' first", 2)
    jars = CLASSPATH_FILE.read_text(encoding="utf-8").strip().split(os.pathsep)
    return ";".join([str(ROOT / "model-runtime" / "target" / "classes"),
                     str(ROOT / "spark-jobs" / "target" / "classes"), *jars])


def write_kernel_spec():
    """kernel.json in a project-local Jupyter data folder: the kernel's own installer would write to HOME."""
    if not KERNEL_JAR.is_file():
        fail(f"{KERNEL_JAR} is missing: run 'make build' (Maven copies the kernel there)", 2)
    spec_dir = JUPYTER_DIR / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    # user.home inside target/: the JVM's AWT font cache and preferences would otherwise go to HOME.
    argv = ["java", "-Xmx3g", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
            f"-Duser.home={JUPYTER_DIR / 'home'}",
            "-Dai.djl.default_engine=PyTorch", *spark_opens(), "-jar", str(KERNEL_JAR), "{connection_file}"]
    spec = {"argv": argv, "display_name": "Java (vlmadapt)", "language": "java", "interrupt_mode": "message",
            "env": {"RJK_CLASSPATH": notebook_classpath(), "RJK_INIT_SCRIPT": str(INIT_SCRIPT),
                    "RJK_TIMEOUT_MILLIS": "-1", "RJK_MIMA_CACHE": str(JUPYTER_DIR / "mima-cache")}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")


def jupyter_environment():
    """Every Jupyter folder inside target/, so that nothing is written to HOME; the notebooks' inputs."""
    for name, sub in (("JUPYTER_PATH", ""), ("JUPYTER_DATA_DIR", ""), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("JUPYTER_CONFIG_DIR", "config")):
        d = JUPYTER_DIR / sub
        d.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(d)
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    os.environ["IPYTHONDIR"] = str(JUPYTER_DIR / "ipython")
    os.environ.setdefault("DJL_CACHE_DIR", str(ROOT / ".cache" / "djl"))
    os.environ.setdefault("ENGINE_CACHE_DIR", os.environ["DJL_CACHE_DIR"])

    def absolute(name, default):
        p = Path(os.environ.get(name) or default)
        os.environ[name] = str(p if p.is_absolute() else ROOT / p)

    absolute("VLMADAPT_RUNS", "runs")
    absolute("VLMADAPT_TABLES", Path(os.environ["VLMADAPT_RUNS"]) / "tables")
    absolute("VLMADAPT_MODELS", "models")
    os.environ["VLMADAPT_PROJECT"] = str(ROOT)


def outputs_of(cell):
    return cell.get("outputs", []) if cell.get("cell_type") == "code" else []


def dirty_cells(nb):
    """Indexes of code cells stored with outputs or an execution count."""
    return [i for i, c in enumerate(nb.cells) if outputs_of(c) or (c.get("cell_type") == "code"
                                                                    and c.get("execution_count") is not None)]


def failed_output(cell):
    """The first output of a cell that shows an error (an error output, or a Java failure printed as text)."""
    for out in outputs_of(cell):
        if out.get("output_type") == "error":
            trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
            return f"{out.get('ename', '')}: {out.get('evalue', '')}\n{trace}".strip()[:3000]
        text = out.get("text", "") if out.get("output_type") == "stream" else \
            out.get("data", {}).get("text/plain", "") if out.get("output_type") in ("execute_result",
                                                                                     "display_data") else ""
        if isinstance(text, list):
            text = "".join(text)
        if FAILURE_TEXT.search(text):
            return text.strip()[:2000]
    return None


def patient_kernel_manager(log_file):
    """A kernel manager that sends nothing until the kernel has bound its five channels, and a moment more.

    The kernel's shell thread starts polling before its message handlers are set; a request that arrives in
    between kills that thread (a NullPointerException in Channels.getHandler, in the kernel's log) and the
    kernel never answers. Jupyter's client sends its first request as soon as the process starts, so about one
    start in four hung here; waiting for the bindings in the kernel's log avoids most of them (the retries in
    execute() catch the rest)."""
    import asyncio
    from jupyter_client.manager import AsyncKernelManager

    class PatientKernelManager(AsyncKernelManager):
        async def _async_start_kernel(self, **kwargs):
            await super()._async_start_kernel(**kwargs)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                text = log_file.read_text(errors="replace") if log_file.exists() else ""
                if text.count("Binding") >= 5 or "Exception in thread" in text:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)

        start_kernel = _async_start_kernel

    return PatientKernelManager


def execute(path, args, out_dir):
    """Runs one notebook; returns (ok, message, seconds, attempts used). The kernel's own log (its JVM's
    stdout and stderr) goes to <out>/logs/<notebook>.kernel.log, a hung start's to <notebook>.attempt<n>.kernel.log."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    started = time.monotonic()
    for attempt in range(1, args.attempts + 1):
        nb = nbformat.read(str(path), as_version=4)
        log_dir = out_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / f"{path.stem}.kernel.log"
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=args.cell_timeout,
                                kernel_manager_class=patient_kernel_manager(log_file),
                                startup_timeout=args.startup_timeout, allow_errors=False,
                                record_timing=True, resources={"metadata": {"path": str(ROOT)}})
        failure = None
        started_cells = False   # set once the kernel answered: later errors are the notebook's, not the start's
        index = 0
        try:
            # The kernel sometimes hangs while starting (see patient_kernel_manager): setup_kernel gives up after
            # startup_timeout, and the whole notebook is tried again in a new kernel.
            with open(log_file, "w") as log, \
                    client.setup_kernel(stdout=log, stderr=subprocess.STDOUT):
                client.kc.allow_stdin = False
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    try:
                        client.execute_cell(cell, index)
                    except CellTimeoutError:
                        # The first cell also hangs when the kernel did not start properly: retry that.
                        if not started_cells and attempt < args.attempts:
                            raise TimeoutError(f"first cell got no reply in {args.cell_timeout} s")
                        failure = (index, f"timed out after {args.cell_timeout} s")
                        break
                    except CellExecutionError as e:
                        failure = (index, failed_output(cell) or str(e).strip().splitlines()[-1])
                        break
                    started_cells = True
                    bad = failed_output(cell)
                    if bad:
                        failure = (index, bad)
                        break
        except (TimeoutError, RuntimeError, DeadKernelError) as e:
            if started_cells:
                # The kernel ran cells and then died or broke: a failure of this cell, not a hung start.
                write_outputs(nb, path, out_dir)
                return False, f"cell {index} failed: the kernel stopped ({type(e).__name__}: {e})", \
                    time.monotonic() - started, attempt
            log_file.replace(log_file.with_name(f"{path.stem}.attempt{attempt}.kernel.log"))
            if attempt < args.attempts:
                print(f"[notebooks] {path.name}: the kernel did not start ({e}); retrying "
                      f"(attempt {attempt + 1} of {args.attempts})", file=sys.stderr, flush=True)
                continue
            return False, f"the kernel did not start in {args.attempts} attempts ({e})", \
                time.monotonic() - started, attempt
        write_outputs(nb, path, out_dir)
        seconds = time.monotonic() - started
        if failure:
            index, text = failure
            source = nb.cells[index].source.strip().splitlines()
            return False, (f"cell {index} failed (it starts: {source[0] if source else ''!r}):\n{text}"), \
                seconds, attempt
        return True, "ok", seconds, attempt
    raise AssertionError("unreachable")


def write_outputs(nb, path, out_dir):
    import nbformat
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    nbformat.write(nb, str(executed))
    r = subprocess.run(["jupyter", "nbconvert", "--to", "html", "--log-level", "WARN", "--output-dir",
                        str(out_dir), str(executed)], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"[notebooks] {path.name}: the HTML copy failed: {r.stderr.strip()}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    p.add_argument("--out", type=Path, default=ROOT / "notebooks" / "out",
                   help="where the executed notebooks and their HTML copies go (default notebooks/out)")
    p.add_argument("--cell-timeout", type=int, default=int(os.environ.get("VLMADAPT_CELL_TIMEOUT", 300)),
                   help="seconds a cell may run (default 300)")
    p.add_argument("--startup-timeout", type=int, default=20,
                   help="seconds the kernel may take to start (it starts in about 3 s; a hung start never ends)")
    p.add_argument("--attempts", type=int, default=5, help="kernel starts to try per notebook (default 5)")
    p.add_argument("--check-clean", action="store_true",
                   help="only check that the notebooks are stored without outputs, and exit")
    args = p.parse_args()
    paths = [n.resolve() for n in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        fail("no notebooks given or found in notebooks/")
    try:
        import nbformat  # noqa: F401
        import nbclient  # noqa: F401
    except ImportError as e:
        fail(f"{e}: install Debian's python3-nbclient python3-nbformat jupyter-nbconvert jupyter-client "
             "(make notebooks does)", 2)
    import nbformat

    dirty = {n.name: dirty_cells(nbformat.read(str(n), as_version=4)) for n in paths}
    dirty = {k: v for k, v in dirty.items() if v}
    if args.check_clean:
        for name, cells in dirty.items():
            print(f"[notebooks] {name} is stored with outputs in cells {cells}: clear them before committing "
                  "(jupyter nbconvert --clear-output --inplace)", file=sys.stderr)
        sys.exit(1 if dirty else 0)
    if shutil.which("jupyter") is None:
        fail("jupyter is missing: install Debian's jupyter-nbconvert jupyter-client (make notebooks does)", 2)
    jupyter_environment()
    write_kernel_spec()
    print(f"[notebooks] runs {os.environ['VLMADAPT_RUNS']}, tables {os.environ['VLMADAPT_TABLES']}, "
          f"models {os.environ['VLMADAPT_MODELS']}; output in {args.out}", flush=True)
    failures = []
    for path in paths:
        ok, message, seconds, attempts = execute(path, args, args.out.resolve())
        retried = f", {attempts - 1} kernel restart(s)" if attempts > 1 else ""
        print(f"[notebooks] {path.name}: {'ok' if ok else 'FAILED'} in {seconds:.1f} s{retried}"
              + ("" if ok else f": {message}"), flush=True)
        if not ok:
            failures.append(path.name)
    if failures:
        fail(f"failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
