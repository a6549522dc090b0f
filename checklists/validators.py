"""Checks of uploaded guideline attachments: type (by extension AND content) and size."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# extension -> accepted leading bytes. Office files are either OLE2 (.doc/.xls) or ZIP
# (.docx/.xlsx); the content must match the family the extension claims.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (_OLE2,),
    "xls": (_OLE2,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED_LABEL = "PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）、JPG、PNG"
ACCEPT = ",".join(f".{extension}" for extension in SIGNATURES)


def validate_attachment(upload) -> str:
    """Raise a clear ValidationError unless `upload` is an allowed file of at most 20 MB.
    Returns the lower-case extension."""
    name = Path(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            f"不支持的文件类型“{('.' + extension) if extension else '无扩展名'}”，"
            f"仅支持 {ALLOWED_LABEL} 文件。"
        )
    if upload.size == 0:
        raise ValidationError("文件是空的，请重新选择。")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"文件大小 {upload.size / 1024 / 1024:.1f} MB，超过 20 MB 的上限，请压缩或拆分后上传。"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise ValidationError(
            f"文件扩展名为 .{extension}，但内容不是该类型的文件（可能已损坏或被改了扩展名）。"
        )
    return extension
