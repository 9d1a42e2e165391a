"""Book <-> plain JSON-ready dicts (pure), for storing documents in the catalog.

The format carries a ``format`` version so stored books can be migrated if the model grows.
"""

from __future__ import annotations

from typing import Any

from accessible_reader.document.model import Block, BlockKind, Book, BookMetadata, Section, Sentence

FORMAT_VERSION = 1


def metadata_to_dict(metadata: BookMetadata) -> dict[str, Any]:
    """BookMetadata as a dict of plain values (lists for tuples)."""
    return {
        "title": metadata.title,
        "authors": list(metadata.authors),
        "publisher": metadata.publisher,
        "year": metadata.year,
        "isbn": metadata.isbn,
        "language": metadata.language,
        "call_number": metadata.call_number,
        "subjects": list(metadata.subjects),
        "summary": metadata.summary,
    }


def metadata_from_dict(data: dict[str, Any]) -> BookMetadata:
    """Inverse of :func:`metadata_to_dict`."""
    return BookMetadata(
        title=data["title"],
        authors=tuple(data.get("authors", ())),
        publisher=data.get("publisher", ""),
        year=data.get("year", ""),
        isbn=data.get("isbn", ""),
        language=data.get("language", "zh"),
        call_number=data.get("call_number", ""),
        subjects=tuple(data.get("subjects", ())),
        summary=data.get("summary", ""),
    )


def book_to_dict(book: Book) -> dict[str, Any]:
    """A Book as nested dicts and lists, compact (sentences as [id, text, language])."""
    return {
        "format": FORMAT_VERSION,
        "id": book.id,
        "metadata": metadata_to_dict(book.metadata),
        "sections": [
            {
                "id": section.id,
                "level": section.level,
                "title": section.title,
                "implicit": section.implicit,
                "language": section.language,
                "blocks": [
                    {
                        "id": block.id,
                        "kind": block.kind.value,
                        "page": block.page_number,
                        "list_level": block.list_level,
                        "sentences": [[s.id, s.text, s.language] for s in block.sentences],
                    }
                    for block in section.blocks
                ],
            }
            for section in book.sections
        ],
    }


def book_from_dict(data: dict[str, Any]) -> Book:
    """Inverse of :func:`book_to_dict`; raises ValueError for an unknown format version."""
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"unknown stored document format {data.get('format')!r}")
    return Book(
        id=data["id"],
        metadata=metadata_from_dict(data["metadata"]),
        sections=tuple(
            Section(
                id=section["id"],
                level=section["level"],
                title=section["title"],
                implicit=section["implicit"],
                language=section["language"],
                blocks=tuple(
                    Block(
                        id=block["id"],
                        kind=BlockKind(block["kind"]),
                        page_number=block["page"],
                        list_level=block["list_level"],
                        sentences=tuple(Sentence(sid, text, lang) for sid, text, lang in block["sentences"]),
                    )
                    for block in section["blocks"]
                ),
            )
            for section in data["sections"]
        ),
    )
