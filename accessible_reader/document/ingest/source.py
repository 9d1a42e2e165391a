"""Reading source files safely: size caps, text decoding, entity-free XML, zip-bomb checks.

Shared by every ingester so that each bad-input case gets the same clear message.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from accessible_reader.errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Caps that keep a hostile or broken file from exhausting memory or disk.

    ``max_file_bytes`` caps the file as stored; ``max_unpacked_bytes`` caps what a ZIP
    container (EPUB, DOCX) may decompress to in total; ``max_ratio`` caps any one member's
    compression ratio, which a zip bomb exceeds by orders of magnitude.
    """

    max_file_bytes: int = 200 * MB
    max_unpacked_bytes: int = 500 * MB
    max_ratio: int = 200


def read_bytes(path: Path, limits: IngestLimits) -> bytes:
    """Read a whole file, refusing missing, unreadable, oversized and empty files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", path) from None
    except OSError as error:
        raise InputError(f"无法读取文件（{error.strerror}）", f"cannot read file ({error.strerror})", path) from None
    if path.is_dir():
        raise InputError("这是一个文件夹，不是文件", "this is a folder, not a file", path)
    if size > limits.max_file_bytes:
        raise InputError(
            f"文件太大（{human_size(size)}，上限 {human_size(limits.max_file_bytes)}）",
            f"file too large ({human_size(size)}, limit {human_size(limits.max_file_bytes)})",
            path,
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取文件（{error.strerror}）", f"cannot read file ({error.strerror})", path) from None
    if not data.strip():
        raise InputError("文件是空的，没有可读的内容", "file is empty: nothing to read", path)
    return data


def human_size(size: int) -> str:
    """A byte count as people read it: "812 B", "3.4 KB", "12.0 MB"."""
    if size < 1024:
        return f"{size} B"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order when there is no BOM. GB18030 is a superset of GBK and GB2312; Big5 is
# tried before GB18030 only when charset-normalizer says so (see decode_text).
_FALLBACKS = ("utf-8", "gb18030", "big5")


def decode_text(data: bytes, source: Path | str) -> tuple[str, str]:
    """Decode text bytes, returning ``(text, encoding)``.

    Handles UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK/GB2312 and Big5.
    Strict UTF-8 is tried first because it almost never decodes other encodings by
    accident; GB18030 and Big5 overlap, so charset-normalizer chooses between them.
    Binary data (NUL bytes without a UTF-16 BOM) and undecodable bytes raise InputError.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if _looks_like_text(text) or not text.strip("\ufeff"):
                return text, encoding
            break
    if b"\x00" in data[:8192]:
        utf16 = _guess_utf16_without_bom(data)
        if utf16:
            return data.decode(utf16), utf16
        raise InputError(
            "这是二进制文件，不是文本；请提供 TXT、EPUB、DOCX、HTML 或 Markdown 文件",
            "this is a binary file, not text; give a TXT, EPUB, DOCX, HTML or Markdown file",
            source,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _chinese_candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError(
        "无法识别文件编码（不是 UTF-8、GB18030/GBK 或 Big5）；请用记事本另存为 UTF-8 后再试",
        "cannot tell the text encoding (not UTF-8, GB18030/GBK or Big5); save it as UTF-8 and try again",
        source,
    )


def _guess_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text) and (odd_nuls or even_nuls):
            return encoding
    return None


def _chinese_candidates(data: bytes) -> list[str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=["gb18030", "big5", "utf_8"]).best()
    guessed = best.encoding.replace("_", "-") if best is not None else ""
    ordered = ["big5", "gb18030"] if guessed == "big5" else ["gb18030", "big5"]
    return ordered + [e for e in _FALLBACKS if e not in ordered and e != "utf-8"]


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    private = sum(1 for ch in text[:20000] if 0xE000 <= ord(ch) <= 0xF8FF)
    sample = min(len(text), 20000)
    return controls / sample < 0.01 and private / sample < 0.01


def safe_xml_parser(*, html: bool = False, recover: bool = False) -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and touches no network.

    This defeats XXE (external entities reading local files) and billion-laughs style
    entity expansion in EPUB, DOCX, HTML and MARCXML input.
    """
    if html:
        return etree.HTMLParser(no_network=True, remove_comments=True, recover=True)  # type: ignore[return-value]
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        recover=recover,
    )


def parse_xml(data: bytes, source: str | Path) -> etree._Element:
    """Parse XML bytes with :func:`safe_xml_parser`; a malformed document raises InputError."""
    try:
        root = etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as error:
        raise InputError(f"XML 格式错误：{error}", f"malformed XML: {error}", source) from None
    if root is None:
        raise InputError("XML 文档是空的", "empty XML document", source)
    return root


def open_zip(path: Path, data: bytes, limits: IngestLimits, kind: str) -> zipfile.ZipFile:
    """Open a ZIP container (EPUB, DOCX) after checking it cannot unpack past the limits.

    ``kind`` names the format in messages ("EPUB", "DOCX"). The sizes come from the ZIP
    directory; members are later read through :func:`read_member`, which enforces them
    again while decompressing, since a forged directory could understate them.
    """
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise InputError(
            f"{kind} 文件已损坏（不是有效的 ZIP 压缩包：{error}）",
            f"corrupt {kind} file (not a valid ZIP archive: {error})",
            path,
        ) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.max_unpacked_bytes or (info.file_size > MB and ratio > limits.max_ratio):
            raise InputError(
                f"{kind} 文件解压后过大（疑似压缩炸弹，上限 {limits.max_unpacked_bytes // MB} MB）",
                f"{kind} file unpacks too large (likely a zip bomb; limit {limits.max_unpacked_bytes // MB} MB)",
                path,
            )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path, limits: IngestLimits, kind: str) -> bytes:
    """Read one ZIP member, stopping once it exceeds the unpacked-size cap."""
    try:
        with archive.open(name) as member:
            data = member.read(limits.max_unpacked_bytes + 1)
    except KeyError:
        raise InputError(
            f"{kind} 文件缺少 {name}", f"{kind} file is missing {name}", path
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise InputError(
            f"{kind} 文件已损坏（{name}：{error}）", f"corrupt {kind} file ({name}: {error})", path
        ) from None
    if len(data) > limits.max_unpacked_bytes:
        raise InputError(
            f"{kind} 文件解压后过大（疑似压缩炸弹）", f"{kind} file unpacks too large (likely a zip bomb)", path
        )
    return data
