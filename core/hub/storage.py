"""Where artifact bytes live. A small interface so an S3 store can follow the local one."""
import hashlib
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings

from core.platform.errors import BadInput, TooLarge

CHUNK = 1024 * 1024


class ArtifactTooLarge(TooLarge):
    pass


class ArtifactHashMismatch(BadInput):
    field = "sha256"


class ArtifactStorage(ABC):
    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def open(self, sha256: str):
        """A binary file object for reading."""

    @abstractmethod
    def put_verified(self, temp_path: Path, sha256: str) -> None:
        """Take ownership of temp_path, whose content hashes to sha256."""

    @abstractmethod
    def local_path(self, sha256: str) -> Path:
        """A path a framework can load from (a download cache for remote stores)."""

    def spool(self, stream, *, max_bytes: int, expected_sha256: str | None = None):
        """Copy a stream to a temp file, hashing as it goes. Returns (temp_path, sha256, size).
        Raises before anything is kept when the stream is too big or the hash differs."""
        tmp_dir = self.temp_dir()
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ArtifactTooLarge(f"file exceeds the {max_bytes} byte limit")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            if expected_sha256 and expected_sha256.lower() != sha:
                raise ArtifactHashMismatch(f"content hashes to {sha}, not the declared {expected_sha256.lower()}")
        except BaseException:
            os.unlink(name)
            raise
        return Path(name), sha, size

    def temp_dir(self) -> Path:
        path = Path(tempfile.gettempdir())
        return path

    def verify(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        with self.open(sha256) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256


class LocalArtifactStorage(ArtifactStorage):
    """Files under root/ab/cd/<sha256>, written once and made read-only."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def local_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.local_path(sha256).exists()

    def open(self, sha256: str):
        return open(self.local_path(sha256), "rb")

    def temp_dir(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def put_verified(self, temp_path: Path, sha256: str) -> None:
        target = self.local_path(sha256)
        if target.exists():
            os.unlink(temp_path)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp_path, 0o444)
        shutil.move(str(temp_path), target)


def get_storage() -> ArtifactStorage:
    return LocalArtifactStorage(settings.ARTIFACT_STORAGE_ROOT)
