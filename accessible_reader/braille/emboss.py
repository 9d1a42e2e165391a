"""Sending braille to an embosser: a CUPS queue (``lp -d QUEUE -o raw``), a device path, or a dry run.

The only I/O module of the braille layer. Every failure becomes a ReaderError saying what to do:
``EngineUnavailable`` when CUPS is not installed, ``DeviceError`` when a queue or device refuses.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from accessible_reader.errors import DeviceError, EngineUnavailable, InputError

_TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class EmbossResult:
    """What happened: ``where`` names the queue or device, ``job`` is CUPS' answer (``request id is …``)."""

    where: str
    job: str = ""
    dry_run: bool = False


def _cups_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EngineUnavailable(
            f"找不到 CUPS 打印系统（{name} 命令）；请安装 cups-client，或用 --device 直接写入盲文打印机",
            f"CUPS ({name}) is not installed; install cups-client, or use --device to write to the embosser directly",
            "cups",
        )
    return path


def list_queues() -> list[str]:
    """Names of the CUPS queues accepting jobs (``lpstat -a``); EngineUnavailable without CUPS."""
    tool = _cups_tool("lpstat")
    try:
        done = subprocess.run([tool, "-a"], capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise EngineUnavailable(f"无法询问 CUPS：{error}", f"cannot ask CUPS: {error}", "cups") from None
    if done.returncode != 0:
        if "No destinations" in done.stderr or not done.stderr.strip():
            return []
        raise EngineUnavailable(
            f"CUPS 没有响应：{done.stderr.strip()}；请检查 cups 服务是否在运行",
            f"CUPS did not answer: {done.stderr.strip()}; check that the cups service is running",
            "cups",
        )
    return [line.split()[0] for line in done.stdout.splitlines() if line.strip()]


def send_to_queue(brf: Path, queue: str, *, dry_run: bool = False) -> EmbossResult:
    """Send a BRF file to ``queue`` as a raw job. ``dry_run``: check the file and do nothing else."""
    if not brf.is_file():
        raise InputError("找不到要打印的文件", "the file to emboss does not exist", brf)
    if not queue or queue.startswith("-"):
        raise InputError("打印队列名称无效", "invalid queue name", queue)
    if dry_run:
        return EmbossResult(queue, dry_run=True)
    tool = _cups_tool("lp")
    try:
        done = subprocess.run(
            [tool, "-d", queue, "-o", "raw", "--", str(brf)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DeviceError(f"无法提交打印任务：{error}", f"cannot submit the job: {error}", queue) from None
    if done.returncode != 0:
        message = done.stderr.strip() or done.stdout.strip()
        raise DeviceError(
            f"打印队列拒绝了任务：{message}；请用 --list-queues 查看可用队列",
            f"the queue refused the job: {message}; see the available queues with --list-queues",
            queue,
        )
    return EmbossResult(queue, done.stdout.strip())


def write_to_device(data: bytes, device: Path, *, dry_run: bool = False) -> EmbossResult:
    """Write ``data`` straight to an embosser device (``/dev/usb/lp0``) or any path; ``dry_run`` writes nothing."""
    if dry_run:
        return EmbossResult(str(device), dry_run=True)
    try:
        with open(device, "wb") as handle:  # a character device: no temp-file-and-rename here
            handle.write(data)
            handle.flush()
    except OSError as error:
        raise DeviceError(
            f"无法写入盲文打印机（{error.strerror}）；请检查连接、电源和权限",
            f"cannot write to the embosser ({error.strerror}); check the cable, power and permissions",
            device,
        ) from None
    return EmbossResult(str(device))
